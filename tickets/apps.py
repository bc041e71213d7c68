from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = _("Tickets")

    def ready(self):
        from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS
        from tickets import (  # noqa: F401 — panels register themselves
            desk_panels,
            portal_panels,
            privacy,  # noqa: F401 — connects its privacy_export / privacy_forget receivers
            search,  # noqa: F401 — the tickets group of the desk search, and the token columns kept on save
        )
        from tickets.automation import engine
        from tickets.intake import register_step

        # Rules of the "ticket created" event route a message before its ticket (and SLA) is written.
        register_step(engine.on_draft, order=50, name="automation.rules")

        # Managers read tickets in admin and keep the shared vocabulary (tags, canned responses) tidy; the events are
        # internal records (the ticket page shows them).
        MANAGER_ADMIN_PERMISSIONS["tickets"] = [
            "view_ticket", "view_message", "view_attachment", "view_intakerecord",
            "view_queue", "view_slapolicy", "view_businesshours", "view_tag", "add_tag", "change_tag",
            "view_cannedresponse", "add_cannedresponse", "change_cannedresponse",
        ]
