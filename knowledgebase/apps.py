from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgebaseConfig(AppConfig):
    name = "knowledgebase"
    verbose_name = _("Knowledge base")

    def ready(self):
        from django.conf import settings

        from knowledgebase import search

        if settings.KB_PRELOAD_JIEBA:
            search.preload_in_background()
        from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS
        from knowledgebase import (  # noqa: F401 — panels register themselves
            panels,
            privacy,  # noqa: F401 — connects its privacy_export / privacy_forget receivers
            receivers,
        )
        from tickets.signals import ticket_created

        ticket_created.connect(receivers.ticket_created, dispatch_uid="knowledgebase.receivers.ticket_created")
        # Managers keep the knowledge base tidy in admin and read the search gaps and deflections; the per-day
        # counters behind the reports are internal records.
        MANAGER_ADMIN_PERMISSIONS.setdefault("knowledgebase", []).extend([
            "view_article", "change_article", "view_category", "change_category",
            "view_articlerevision", "view_articlevote", "view_searchquerylog", "view_deflection",
            "view_deflectioncandidate",
        ])
