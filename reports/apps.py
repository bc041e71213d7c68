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

        # Snapshots are written only by the recompute job and read in the reports: in admin they are internal
        # records, for superusers only, so managers get no permission on them.
        MANAGER_ADMIN_PERMISSIONS["reports"] = []
