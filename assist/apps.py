from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistConfig(AppConfig):
    name = "assist"
    verbose_name = _("Assist")

    def ready(self):
        from assist import intake, panels  # noqa: F401 — the intake step and the ticket-page panels register
        from tickets.intake import register_step
        from tickets.signals import ticket_created

        register_step(intake.triage, order=50, name="assist.triage")
        ticket_created.connect(intake.ticket_created, dispatch_uid="assist.intake.ticket_created")
