"""Every write of the feedback app: invitations, answers, product feedback and the improvement backlog."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.models import ServiceRequest
from feedback import notifications, signals
from feedback.models import (
    Answer,
    CustomerSurveyPreference,
    Feedback,
    FeedbackTag,
    Improvement,
    ImprovementNotice,
    Question,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)
from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import is_customer
from tickets.models import Ticket


class FeedbackError(Exception):
    """A change the feedback app refuses, with a message for the person."""


def fatigue_days() -> int:
    return getattr(settings, "SURVEY_FATIGUE_DAYS", 14)


def survey_delay(survey) -> timedelta:
    """How long after the event a survey goes out: its own delay, or SURVEY_DELAY_SECONDS when that is set
    (`make run` sets a minute, so a survey arrives while one watches)."""
    seconds = getattr(settings, "SURVEY_DELAY_SECONDS", 0)
    return timedelta(seconds=seconds) if seconds > 0 else timedelta(hours=survey.delay_hours)


def new_token() -> str:
    return secrets.token_urlsafe(32)


# ---------------------------------------------------------------- invitations


def _ticket_candidates(survey, now):
    latest = now - survey_delay(survey)
    invited = SurveyInvitation.objects.filter(survey=survey, ticket=OuterRef("pk"))
    tickets = (
        Ticket.objects.filter(status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED], merged_into__isnull=True,
                              resolved_at__lte=latest, resolved_at__gt=latest - timedelta(days=survey.expiry_days))
        .exclude(Exists(invited))
        .select_related("requester", "organization")
        .order_by("resolved_at", "pk")
    )
    if survey.queue_id:
        tickets = tickets.filter(queue_id=survey.queue_id)
    for ticket in tickets:
        yield {"recipient": ticket.requester, "ticket": ticket, "organization": ticket.organization,
               "subject_key": f"ticket:{ticket.pk}"}


def _service_candidates(survey, now):
    latest = now - survey_delay(survey)
    invited = SurveyInvitation.objects.filter(survey=survey, service_request=OuterRef("pk"))
    requests = (
        ServiceRequest.objects.filter(status__in=[ServiceRequest.Status.COMPLETED, ServiceRequest.Status.CLOSED],
                                      completed_at__lte=latest,
                                      completed_at__gt=latest - timedelta(days=survey.expiry_days))
        .exclude(Exists(invited))
        .select_related("requester", "organization")
        .order_by("completed_at", "pk")
    )
    if survey.product_id:
        requests = requests.filter(purchase__product_id=survey.product_id)
    for service_request in requests:
        yield {"recipient": service_request.requester, "service_request": service_request,
               "organization": service_request.organization, "subject_key": f"service:{service_request.pk}"}


def _periodic_candidates(survey, now):
    period = now.date().toordinal() // max(survey.period_days, 1)
    contacts = (
        User.objects.filter(is_active=True, is_primary_contact=True, organization__status=Organization.Status.ACTIVE)
        .select_related("organization")
        .order_by("pk")
    )
    taken = set(SurveyInvitation.objects.filter(survey=survey, subject_key__endswith=f":period:{period}")
                .values_list("subject_key", flat=True))
    for contact in contacts:
        key = f"contact:{contact.pk}:period:{period}"
        if key not in taken:
            yield {"recipient": contact, "organization": contact.organization, "subject_key": key}


CANDIDATES = {
    Survey.Trigger.TICKET_RESOLVED: _ticket_candidates,
    Survey.Trigger.SERVICE_COMPLETED: _service_candidates,
    Survey.Trigger.PERIODIC: _periodic_candidates,
}


def invitation_create(*, survey, recipient, subject_key, ticket=None, service_request=None, organization=None,
                      now=None, send=True):
    """Invite one customer about one subject and queue the e-mail in the same transaction.

    Returns the invitation, or None when it is not sent: someone else made it already (the unique
    constraint), the customer unsubscribed, or they were asked too recently (survey fatigue).
    The customer's preference row is locked, so two workers inviting one customer take turns.
    """
    now = now or timezone.now()
    if not recipient.is_active or not recipient.email or not is_customer(recipient):
        return None
    try:
        with transaction.atomic():
            CustomerSurveyPreference.objects.get_or_create(customer=recipient)
            preference = CustomerSurveyPreference.objects.select_for_update().get(customer=recipient)
            if send:
                if preference.unsubscribed_at:
                    return None
                if preference.last_invited_at and preference.last_invited_at > now - timedelta(days=fatigue_days()):
                    return None
            invitation = SurveyInvitation.objects.create(
                survey=survey, recipient=recipient, subject_key=subject_key, ticket=ticket,
                service_request=service_request, organization=organization, token=new_token(), created_at=now,
                sent_at=now if send else None, expires_at=now + timedelta(days=survey.expiry_days),
            )
            if send:
                preference.last_invited_at = now
                preference.save(update_fields=["last_invited_at"])
                notifications.invitation(invitation)
    except IntegrityError:  # made by an earlier or a concurrent run
        return None
    return invitation


def send_due_surveys(*, now=None) -> int:
    """Invite every subject past its survey's delay that has no invitation yet. Returns how many were sent.

    Each invitation and its e-mail commit together in their own short transaction, so a worker stopped
    half-way loses nothing and the next run carries on; a second run finds nothing left to do.
    """
    now = now or timezone.now()
    sent = 0
    surveys = Survey.objects.filter(is_active=True, trigger__in=list(CANDIDATES)).order_by("pk")
    for survey in surveys:
        for candidate in CANDIDATES[survey.trigger](survey, now):
            if invitation_create(survey=survey, now=now, **candidate) is not None:
                sent += 1
    return sent


def invitation_unsubscribe(*, invitation, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        CustomerSurveyPreference.objects.get_or_create(customer=invitation.recipient)
        preference = CustomerSurveyPreference.objects.select_for_update().get(customer=invitation.recipient)
        if not preference.unsubscribed_at:
            preference.unsubscribed_at = now
            preference.save(update_fields=["unsubscribed_at"])
        SurveyInvitation.objects.filter(pk=invitation.pk).update(unsubscribed=True)
    return preference


def customer_resubscribe(*, customer):
    CustomerSurveyPreference.objects.filter(customer=customer).update(unsubscribed_at=None)


# ---------------------------------------------------------------- answers


def follow_up_assignee(invitation):
    """The organisation's account manager, else the queue's manager, else whoever worked the ticket or service."""
    organization = invitation.organization or getattr(invitation.recipient, "organization", None)
    if organization is not None and organization.account_manager_id:
        return organization.account_manager
    ticket = invitation.ticket
    if ticket is not None:
        return ticket.queue.manager or ticket.assignee
    service_request = invitation.service_request
    if service_request is not None:
        linked = service_request.ticket
        return (linked.queue.manager if linked else None) or service_request.technician or service_request.reviewer
    return None


def response_submit(*, invitation, answers, comment="", now=None):
    """Record or change the customer's answers. ``answers`` maps question id → score, choice or text.

    A low score opens one follow-up task for the response (customer care hears ``survey_response_submitted``);
    changing the answer never opens a second.
    """
    now = now or timezone.now()
    with transaction.atomic():
        invitation = SurveyInvitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        if invitation.is_expired(now):
            raise FeedbackError(_("This survey has closed; answers can no longer be changed."))
        survey = invitation.survey
        questions = list(survey.questions.all())
        score_question = next((q for q in questions if q.kind == Question.Kind.RATING), None)
        score = answers.get(score_question.pk) if score_question else None
        response, created = SurveyResponse.objects.get_or_create(
            invitation=invitation, defaults={"score": score, "comment": comment, "submitted_at": now, "updated_at": now}
        )
        if not created:
            response.score = score
            response.comment = comment
            response.updated_at = now
            response.changes += 1
            response.save(update_fields=["score", "comment", "updated_at", "changes"])
        for question in questions:
            value = answers.get(question.pk)
            fields = {"score": None, "choice": "", "text": ""}
            if question.kind == Question.Kind.RATING:
                fields["score"] = value
            elif question.kind == Question.Kind.CHOICE:
                fields["choice"] = value or ""
            else:
                fields["text"] = value or ""
            Answer.objects.update_or_create(response=response, question=question, defaults=fields)
        if invitation.responded_at is None:
            invitation.responded_at = now
            invitation.save(update_fields=["responded_at"])
        # Customer care opens a follow-up on a low score (care.receivers), in this transaction.
        signals.survey_response_submitted.send(sender=SurveyResponse, response=response, invitation=invitation,
                                               is_low=survey.is_low(score), now=now)
    return response


def ticket_survey_for(ticket):
    """The active survey a customer can answer about a resolved ticket, or None."""
    surveys = Survey.objects.filter(is_active=True, trigger=Survey.Trigger.TICKET_RESOLVED).order_by("queue_id", "pk")
    for survey in surveys:
        if survey.queue_id in (None, ticket.queue_id):
            return survey
    return None


def ticket_invitation_for_customer(*, ticket, customer, now=None):
    """The invitation a customer answers from the ticket page: the e-mailed one, or a new one (no e-mail)."""
    existing = (SurveyInvitation.objects.filter(ticket=ticket, survey__trigger=Survey.Trigger.TICKET_RESOLVED)
                .select_related("survey").order_by("pk").first())
    if existing is not None:
        return existing
    if ticket.status not in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED) or ticket.requester_id != customer.pk:
        raise FeedbackError(_("You can rate a ticket once it is resolved."))
    survey = ticket_survey_for(ticket)
    if survey is None:
        raise FeedbackError(_("Ratings are not being collected at the moment."))
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(
                survey=survey, recipient=customer, ticket=ticket, organization=ticket.organization,
                subject_key=f"ticket:{ticket.pk}", token=new_token(), created_at=now,
                expires_at=now + timedelta(days=survey.expiry_days),
            )
    except IntegrityError:
        return SurveyInvitation.objects.get(survey=survey, subject_key=f"ticket:{ticket.pk}")


def service_request_survey_for(service_request):
    """The active survey a customer can answer about a completed service request, or None."""
    surveys = Survey.objects.filter(is_active=True, trigger=Survey.Trigger.SERVICE_COMPLETED).order_by("product_id",
                                                                                                     "pk")
    for survey in surveys:
        if survey.product_id in (None, service_request.purchase.product_id):
            return survey
    return None


def service_request_invitation_for_customer(*, service_request, customer, now=None):
    """The invitation a customer answers from the service-request page: the e-mailed one, or a new one."""
    existing = (SurveyInvitation.objects.filter(service_request=service_request,
                                                survey__trigger=Survey.Trigger.SERVICE_COMPLETED)
                .select_related("survey").order_by("pk").first())
    if existing is not None:
        return existing
    if service_request.completed_at is None or service_request.requester_id != customer.pk:
        raise FeedbackError(_("You can rate a service request once the work is complete."))
    survey = service_request_survey_for(service_request)
    if survey is None:
        raise FeedbackError(_("Ratings are not being collected at the moment."))
    now = now or timezone.now()
    key = f"service:{service_request.pk}"
    try:
        with transaction.atomic():
            return SurveyInvitation.objects.create(
                survey=survey, recipient=customer, service_request=service_request,
                organization=service_request.organization, subject_key=key, token=new_token(), created_at=now,
                expires_at=now + timedelta(days=survey.expiry_days),
            )
    except IntegrityError:
        return SurveyInvitation.objects.get(survey=survey, subject_key=key)


# ---------------------------------------------------------------- product feedback


def feedback_create(*, author, kind, text, area=None, score=None, screenshot=None):
    """``screenshot`` is (upload, clean name, content type) as checked by ``check_uploads``."""
    feedback = Feedback(author=author, organization=author.organization, kind=kind, area=area, text=text.strip(),
                        score=score)
    if screenshot is not None:
        upload, name, content_type = screenshot
        feedback.screenshot.save(name, upload, save=False)
        feedback.screenshot_name = name
        feedback.screenshot_type = content_type
    feedback.save()
    return feedback


def feedback_update(*, feedback, status=None, tags=None):
    with transaction.atomic():
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        if status and status != feedback.status:
            feedback.status = status
            feedback.save(update_fields=["status", "updated_at"])
        if tags is not None:
            names = {" ".join(name.split())[:50] for name in tags if name.strip()}
            objects = [FeedbackTag.objects.get_or_create(name=name)[0] for name in sorted(names)]
            feedback.tags.set(objects)
    return feedback


def feedback_mark_duplicate(*, feedback, original):
    """Fold one item into another: it is closed, and the original counts it (and its own duplicates)."""
    with transaction.atomic():
        while original.duplicate_of_id:  # point at the root, so counts roll up in one place
            original = original.duplicate_of
        if original.pk == feedback.pk:
            raise FeedbackError(_("An item cannot be a duplicate of itself."))
        feedback = Feedback.objects.select_for_update().get(pk=feedback.pk)
        feedback.duplicate_of = original
        feedback.status = Feedback.Status.CLOSED
        feedback.save(update_fields=["duplicate_of", "status", "updated_at"])
        Feedback.objects.filter(duplicate_of=feedback).update(duplicate_of=original)
    return feedback


# ---------------------------------------------------------------- improvements


def improvement_create(*, title, description="", area=None, by=None):
    return Improvement.objects.create(title=title.strip(), description=description, area=area, created_by=by)


def improvement_link(*, improvement, feedback_items):
    with transaction.atomic():
        items = list(feedback_items)
        improvement.feedback.add(*items)
        Feedback.objects.filter(pk__in=[item.pk for item in items]).update(
            status=Feedback.Status.LINKED, updated_at=timezone.now())
    return improvement


def improvement_move(*, improvement, status, now=None):
    now = now or timezone.now()
    with transaction.atomic():
        improvement = Improvement.objects.select_for_update().get(pk=improvement.pk)
        if status == Improvement.Status.VERIFIED:
            raise FeedbackError(_("Record the before and after figures to verify an improvement."))
        if not improvement.can_move_to(status):
            raise FeedbackError(_("An improvement cannot move from “%(from)s” to “%(to)s”; it goes proposed → "
                                  "planned → in progress → shipped → verified, one step at a time.")
                                % {"from": improvement.get_status_display(),
                                   "to": Improvement.Status(status).label if status in Improvement.Status.values
                                   else status})
        improvement.status = status
        fields = ["status", "updated_at"]
        if status == Improvement.Status.SHIPPED:
            improvement.shipped_at = now
            fields.append("shipped_at")
        improvement.save(update_fields=fields)
        if status == Improvement.Status.SHIPPED:
            improvement_notify_shipped(improvement=improvement, now=now)
    return improvement


def improvement_notify_shipped(*, improvement, now=None) -> int:
    """Tell each customer whose feedback led to the improvement, once per customer (safe to repeat)."""
    authors = (User.objects.filter(product_feedback__improvements=improvement)
               | User.objects.filter(product_feedback__duplicate_of__improvements=improvement)).distinct()
    told = 0
    for customer in authors.order_by("pk"):
        try:
            with transaction.atomic():
                ImprovementNotice.objects.create(improvement=improvement, customer=customer,
                                                 created_at=now or timezone.now())
                notifications.improvement_shipped(improvement, customer)
                told += 1
        except IntegrityError:
            continue
    return told


def improvement_verify(*, improvement, metric_name, before_value, after_value, note="", now=None):
    now = now or timezone.now()
    with transaction.atomic():
        improvement = Improvement.objects.select_for_update().get(pk=improvement.pk)
        if not improvement.can_move_to(Improvement.Status.VERIFIED):
            raise FeedbackError(_("Only a shipped improvement can be verified."))
        improvement.status = Improvement.Status.VERIFIED
        improvement.verified_at = now
        improvement.metric_name = metric_name.strip()
        improvement.before_value = before_value
        improvement.after_value = after_value
        improvement.verification_note = note
        improvement.save(update_fields=["status", "verified_at", "metric_name", "before_value", "after_value",
                                        "verification_note", "updated_at"])
    return improvement
