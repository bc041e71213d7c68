from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "care"
    verbose_name = _("Customer care")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from care import (  # noqa: F401 — panels register themselves, receivers connect on import
            panels,
            privacy,
            receivers,
        )
        from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS

        # Managers read the care tasks, tune the care plans and keep the list of churn reasons; health scores
        # are written only by their nightly task, internal records for superusers.
        MANAGER_ADMIN_PERMISSIONS["care"] = [
            "view_caretask", "view_careplan", "change_careplan",
            "view_churnreason", "add_churnreason", "change_churnreason",
        ]
