"""E-mails of the feedback app, in the recipient's language, through the outbox (queued in the caller's transaction)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from helpdesk.mail.services import email_queue, render_email


def _language(user) -> str:
    return (user.locale if user else None) or settings.LANGUAGE_CODE


def invitation(invitation):
    recipient = invitation.recipient
    survey = invitation.survey
    language = _language(recipient)
    survey_url = settings.SITE_URL + reverse("feedback:survey", args=[invitation.token])
    with translation.override(language):
        question = survey.score_question()
        if invitation.ticket_id:
            about = _("your request %(reference)s “%(subject)s”") % {
                "reference": invitation.ticket.reference, "subject": invitation.ticket.subject}
        elif invitation.service_request_id:
            about = _("your service request %(reference)s") % {"reference": invitation.service_request.reference}
        else:
            about = _("working with us")
        context = {
            "recipient": recipient, "survey": survey, "about": about,
            "question": question.text_for(language) if question else "",
            "scores": [(score, f"{survey_url}?score={score}") for score in survey.score_choices()] if question else [],
            "survey_url": survey_url, "expires_at": invitation.expires_at,
            "unsubscribe_url": settings.SITE_URL + reverse("feedback:unsubscribe", args=[invitation.token]),
        }
        subject = _("How did we do? A quick question about %(about)s") % {"about": about}
        text, html = render_email("feedback/email/invitation", context, language=language)
    return email_queue(to=recipient.email, subject=subject, text=text, html=html, language=language,
                       related=invitation, headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                                                  "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def improvement_shipped(improvement, customer):
    language = _language(customer)
    with translation.override(language):
        context = {
            "recipient": customer, "improvement": improvement,
            "feedback_url": settings.SITE_URL + reverse("feedback:portal-list"),
        }
        subject = _("You asked, we built it: %(title)s") % {"title": improvement.title}
        text, html = render_email("feedback/email/shipped", context, language=language)
    return email_queue(to=customer.email, subject=subject, text=text, html=html, language=language,
                       related=improvement)
