from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Feedback")

    def ready(self):
        from feedback import (  # noqa: F401 — panels register themselves
            panels,
            privacy,  # noqa: F401 — connects its privacy_export / privacy_forget receivers
        )
        from helpdesk.accounts.roles import MANAGER_ADMIN_PERMISSIONS

        # Managers build surveys, keep the product areas and the backlog; responses are read-only.
        MANAGER_ADMIN_PERMISSIONS["feedback"] = [
            "add_survey", "change_survey", "view_survey",
            "add_question", "change_question", "delete_question", "view_question",
            "view_surveyinvitation", "view_surveyresponse", "view_answer",
            "add_productarea", "change_productarea", "view_productarea",
            "add_feedbacktag", "change_feedbacktag", "view_feedbacktag",
            "change_feedback", "view_feedback",
            "add_improvement", "change_improvement", "view_improvement",
            "view_customersurveypreference", "view_improvementnotice",
        ]
