"""Data protection: what this app exports about a customer and how it forgets them.

Export: every survey the customer was invited to, with their scores, comments and answers; the
product feedback they gave (with its screenshot); their survey preference; the "we built it" notices.
Forget: comments, free-text answers and feedback text are replaced and screenshots deleted. Scores,
choices, dates and the rows stay, so CSAT, NPS, response rates and the feedback counts stay the same.
"""

from django.dispatch import receiver

from aftersales.models import ServiceRequest
from feedback.models import (
    Answer,
    CustomerSurveyPreference,
    Feedback,
    ImprovementNotice,
    SurveyInvitation,
    SurveyResponse,
)
from helpdesk.accounts.privacy import REMOVED, files_delete_on_commit, removed_unless_blank
from helpdesk.accounts.signals import privacy_export, privacy_forget
from tickets.models import Ticket


@receiver(privacy_export, dispatch_uid="feedback.privacy.export")
def export_feedback(sender, user, **kwargs):
    invitations = list(
        SurveyInvitation.objects.filter(recipient=user).order_by("created_at", "pk").values(
            "survey__name", "survey__kind", "ticket_id", "service_request_id", "created_at", "sent_at",
            "responded_at", "expires_at", "unsubscribed", "response__pk", "response__score", "response__comment",
            "response__submitted_at", "response__updated_at"))
    answers = (Answer.objects.filter(response__invitation__recipient=user).order_by("response_id", "question__order",
                                                                                    "question_id")
               .values("response_id", "question__text_en", "question__kind", "score", "choice", "text"))
    answers_by_response = {}
    for row in answers:
        answers_by_response.setdefault(row["response_id"], []).append(
            {"question": row["question__text_en"], "kind": row["question__kind"], "score": row["score"],
             "choice": row["choice"], "text": row["text"]})
    surveys = []
    for row in invitations:
        response_pk = row["response__pk"]
        about = None
        if row["ticket_id"]:
            about = Ticket(pk=row["ticket_id"]).reference
        elif row["service_request_id"]:
            about = ServiceRequest(pk=row["service_request_id"]).reference
        surveys.append({
            "survey": row["survey__name"], "kind": row["survey__kind"], "about": about,
            "invited_at": row["sent_at"] or row["created_at"], "answered_at": row["responded_at"],
            "expires_at": row["expires_at"], "unsubscribed": row["unsubscribed"],
            "response": None if response_pk is None else {
                "score": row["response__score"], "comment": row["response__comment"],
                "submitted_at": row["response__submitted_at"], "changed_at": row["response__updated_at"],
                "answers": answers_by_response.get(response_pk, []),
            },
        })

    files = []
    product_feedback = list(
        Feedback.objects.filter(author=user).order_by("created_at", "pk").values(
            "pk", "kind", "area__name", "text", "score", "status", "created_at", "screenshot", "screenshot_name",
            "screenshot_type"))
    for item in product_feedback:
        pk, screenshot = item.pop("pk"), item.pop("screenshot")
        name, content_type = item.pop("screenshot_name"), item.pop("screenshot_type")
        item["area"] = item.pop("area__name")
        item["screenshot"] = None
        if screenshot:
            path = f"feedback/{pk}-{name or 'screenshot'}"
            files.append((path, screenshot))
            item["screenshot"] = {"file_name": name, "content_type": content_type, "path": f"files/{path}"}

    preferences = list(CustomerSurveyPreference.objects.filter(customer=user).values("unsubscribed_at",
                                                                                     "last_invited_at"))
    notices = list(ImprovementNotice.objects.filter(customer=user).order_by("created_at", "pk")
                   .values("improvement__title", "created_at"))
    return {
        "surveys": surveys,
        "product_feedback": product_feedback,
        "survey_preferences": preferences,
        "improvement_notices": [{"improvement": row["improvement__title"], "sent_at": row["created_at"]}
                                for row in notices],
        "files": files,
    }


@receiver(privacy_forget, dispatch_uid="feedback.privacy.forget")
def forget_feedback(sender, user, **kwargs):
    responses = SurveyResponse.objects.filter(invitation__recipient=user).update(
        comment=removed_unless_blank("comment"))
    answers = Answer.objects.filter(response__invitation__recipient=user).update(text=removed_unless_blank("text"))
    feedback = Feedback.objects.filter(author=user)
    screenshots = list(feedback.exclude(screenshot="").values_list("screenshot", flat=True))
    changed_feedback = feedback.update(text=REMOVED, screenshot="", screenshot_name="", screenshot_type="")
    files_delete_on_commit(screenshots)
    return {"survey_responses": responses, "survey_answers": answers, "product_feedback": changed_feedback,
            "screenshots": len(screenshots)}
