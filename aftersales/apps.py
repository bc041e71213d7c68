from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftersalesConfig(AppConfig):
    name = "aftersales"
    verbose_name = _("After-sales service")

    def ready(self):
        from aftersales import demo, panels  # noqa: F401 — panels register themselves
        from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS
        from helpdesk.accounts.signals import demo_seeded

        demo_seeded.connect(demo.seed, dispatch_uid="aftersales.demo.seed")
        # Managers keep the product catalogue and the purchases (including CSV imports); requests are read-only.
        MANAGER_ADMIN_PERMISSIONS["aftersales"] = [
            "add_product", "change_product", "view_product",
            "add_purchase", "change_purchase", "view_purchase", "import_purchases",
            "view_servicerequest", "view_servicelog", "view_serviceevent",
        ]
