from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from helpdesk.accounts.signals import demo_seeded
        from tickets import demo, desk_panels, portal_panels  # noqa: F401 — panels register themselves

        demo_seeded.connect(demo.seed, dispatch_uid="tickets.demo.seed")
