from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS
        from reports import desk_panels, receivers  # noqa: F401 — panels register themselves

        receivers.connect()  # late events mark the days they change

        # Snapshots are written only by the recompute job: managers may read them in admin, not change them.
        MANAGER_ADMIN_PERMISSIONS["reports"] = [
            "view_reportrun", "view_supportdaily", "view_agentdaily", "view_channeldaily", "view_satisfactiondaily",
            "view_aftersalesdaily", "view_churnmonthly", "view_knowledgedaily", "view_articledaily",
            "view_searchgapdaily", "view_feedbackdaily", "view_improvementdaily", "view_reportday",
        ]
