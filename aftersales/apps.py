from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("After-sales service")

    def ready(self):
        from aftersales import (  # noqa: F401 — panels register themselves
            panels,
            privacy,  # noqa: F401 — connects its privacy_export / privacy_forget receivers
        )
        from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS

        # Managers keep the product catalogue and the purchases (including CSV imports); requests are read-only
        # and their events internal records.
        MANAGER_ADMIN_PERMISSIONS["aftersales"] = [
            "add_product", "change_product", "view_product",
            "add_purchase", "change_purchase", "view_purchase", "import_purchases",
            "view_servicerequest", "view_servicelog",
        ]
