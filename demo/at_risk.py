"""Demo: shape one VIP organisation into an at-risk customer.

"Contoso Health" (from the tickets story; any VIP organisation if it is missing) has a bad quarter:
its last two months of ratings are low and the contacts answer the NPS survey as detractors, a third
of its recent tickets breached their SLA, an urgent ticket is still open and the account manager's
check-in is overdue. The nightly health score (run next by ``demo.reports``) then puts it at risk.
Other organisations are left as the other demos made them. Runs once: a second run finds its marker.
"""

import secrets
import time
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from care.models import CareTask
from care.services import care_task_create
from feedback.models import Survey, SurveyInvitation, SurveyResponse
from helpdesk.accounts.models import Organization
from tickets.models import Priority, Ticket

ORGANIZATION = "Contoso Health"
MARKER = "Contoso Health asked for an escalation call"  # the follow-up this demo leaves; found again: done
LOW_COMMENTS = [
    "Third time this month the export failed, and nobody called back.",
    "Slow answers; we had to chase every reply.",
    "The fix did not hold, the problem is back.",
    "Support used to be great. Not any more.",
]
NPS_COMMENTS = ["We are evaluating other vendors.", "Too many outages this quarter.", ""]


def _organization():
    organization = Organization.objects.filter(name=ORGANIZATION).select_related("account_manager").first()
    if organization is None:
        organization = (Organization.objects.filter(tier=Organization.Tier.VIP, status=Organization.Status.ACTIVE)
                        .select_related("account_manager").order_by("name").first())
    return organization


def _ratings(organization, now) -> int:
    """Low CSAT on its recent tickets (new answers and changed ones), detractors on the NPS survey."""
    csat = Survey.objects.filter(kind=Survey.Kind.CSAT, trigger=Survey.Trigger.TICKET_RESOLVED).order_by("pk").first()
    nps = Survey.objects.filter(kind=Survey.Kind.NPS).order_by("pk").first()
    made = 0
    if csat is not None:
        recent = now - timedelta(days=55)
        # What they said in the last weeks was already poor...
        answered = SurveyResponse.objects.filter(invitation__organization=organization, invitation__survey=csat,
                                                 submitted_at__gte=recent).order_by("pk")
        for index, response in enumerate(answered):
            response.score = 1 + index % 2
            response.comment = LOW_COMMENTS[index % len(LOW_COMMENTS)]
        SurveyResponse.objects.bulk_update(answered, ["score", "comment"])
        # ...and the tickets nobody had asked about get low answers too.
        tickets = (Ticket.objects.filter(organization=organization, resolved_at__gte=recent,
                                         status__in=[Ticket.Status.RESOLVED, Ticket.Status.CLOSED])
                   .exclude(survey_invitations__survey=csat).select_related("requester").order_by("resolved_at"))
        invitations, responses = [], []
        for index, ticket in enumerate(tickets[:8]):
            sent = ticket.resolved_at + timedelta(hours=csat.delay_hours)
            if sent >= now:
                continue
            answered_at = min(sent + timedelta(hours=3 + index), now)
            invitation = SurveyInvitation(survey=csat, recipient=ticket.requester, ticket=ticket,
                                          organization=organization, subject_key=f"ticket:{ticket.pk}",
                                          token=secrets.token_urlsafe(32), created_at=sent, sent_at=sent,
                                          responded_at=answered_at,
                                          expires_at=sent + timedelta(days=csat.expiry_days))
            invitations.append(invitation)
            responses.append(SurveyResponse(invitation=invitation, score=2 if index % 3 else 1,
                                            comment=LOW_COMMENTS[index % len(LOW_COMMENTS)],
                                            submitted_at=answered_at, updated_at=answered_at))
        SurveyInvitation.objects.bulk_create(invitations)
        SurveyResponse.objects.bulk_create(responses)
        made += len(responses)
    if nps is not None:
        period = (now - timedelta(days=20)).date().toordinal() // nps.period_days
        contacts = organization.members.filter(is_active=True).order_by("-is_primary_contact", "pk")
        for index, contact in enumerate(contacts[:3]):
            key = f"contact:{contact.pk}:period:{period}"
            sent = now - timedelta(days=18 - index)
            invitation, created = SurveyInvitation.objects.get_or_create(
                survey=nps, subject_key=key,
                defaults={"recipient": contact, "organization": organization, "token": secrets.token_urlsafe(32),
                          "created_at": sent, "sent_at": sent, "expires_at": sent + timedelta(days=nps.expiry_days)})
            answered_at = invitation.sent_at + timedelta(hours=5) if invitation.sent_at else sent
            SurveyResponse.objects.update_or_create(
                invitation=invitation,
                defaults={"score": [3, 5, 6][index], "comment": NPS_COMMENTS[index % len(NPS_COMMENTS)],
                          "submitted_at": answered_at, "updated_at": answered_at})
            SurveyInvitation.objects.filter(pk=invitation.pk).update(responded_at=answered_at)
            made += 1
    return made


def _tickets(organization, now) -> tuple[int, int]:
    """A third of its recent tickets breached a target; its oldest open ticket turned urgent."""
    recent = list(Ticket.objects.filter(organization=organization, created_at__gte=now - timedelta(days=85),
                                        merged_into__isnull=True).order_by("created_at"))
    breached = []
    for index, ticket in enumerate(recent):
        if index % 3 == 0 and not (ticket.first_response_breached_at or ticket.resolution_breached_at):
            due = ticket.resolution_due or ticket.created_at + timedelta(hours=8)
            ticket.resolution_breached_at = min(due, now)
            breached.append(ticket)
    Ticket.objects.bulk_update(breached, ["resolution_breached_at"])
    urgent = (Ticket.objects.filter(organization=organization, status__in=[Ticket.Status.NEW, Ticket.Status.OPEN])
              .order_by("created_at").first())
    if urgent is not None and urgent.priority != Priority.URGENT:
        Ticket.objects.filter(pk=urgent.pk).update(priority=Priority.URGENT)
    return len(breached), int(urgent is not None)


def _care(organization, today) -> None:
    """The account manager's check-in is late, and a low score asked for a call back."""
    if organization.account_manager_id is None:
        return
    late = today - timedelta(days=11)
    open_check_in = CareTask.objects.filter(kind=CareTask.Kind.CHECK_IN, organization=organization,
                                            status=CareTask.Status.OPEN).order_by("due_on").first()
    try:
        with transaction.atomic():
            if open_check_in is None:
                CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, organization=organization,
                                        assignee=organization.account_manager,
                                        title=f"Check in with {organization.name}", due_on=late)
            elif open_check_in.due_on >= today:
                CareTask.objects.filter(pk=open_check_in.pk).update(due_on=late)
    except IntegrityError:  # a check-in is due that very day already: it is late enough
        pass
    contact = organization.members.filter(is_primary_contact=True).first()
    care_task_create(kind=CareTask.Kind.FOLLOW_UP, title=MARKER, assignee=organization.account_manager,
                     customer=contact, organization=organization, due_on=today - timedelta(days=3),
                     description="Wants to talk about the failed exports and the missed SLA before the renewal.")


def seed(*, users, organizations, stdout=None):
    started = time.monotonic()
    organization = _organization()
    if organization is None or CareTask.objects.filter(organization=organization, title=MARKER).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        ratings = _ratings(organization, now)
        breached, urgent = _tickets(organization, now)
        _care(organization, timezone.localdate(now))
    if stdout is not None:
        stdout.write(f"Made {organization.name} an at-risk customer: {ratings} low ratings, {breached} SLA breaches, "
                     f"{urgent} urgent ticket ({time.monotonic() - started:.1f} s).")
