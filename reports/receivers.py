"""What marks a past day's figures dirty (``reports.dirty``): connected in ``ReportsConfig.ready()``.

- A status change, merge, queue or priority change on a ticket: the days of its dated columns that change
  (the resolution day a reopening takes back, a due time that moves), read from the row as it still is in
  the database before the service saves it. A queue or priority change moves every figure of the ticket to
  another key, so then all its days are marked (created, first response, resolved, closed, due).
  A queue or priority change also moves the ticket's backlog, which counts it on every day it was open, from
  one key to the other: so every day from its creation to now is marked.
- A survey answer, given or changed: the day its invitation was sent (the response rate) and the day of the
  answer (the scores).
- A customer forgotten (privacy): every day of their tickets, survey invitations and answers, service
  requests and product feedback, so no snapshot keeps anything computed before the change.
- An edited SLA calendar (its time zone, opening periods or holidays): the days of every ticket on a policy
  of that calendar that is still open or was open on an edited holiday, since their due times and business
  minutes follow the calendar, and the holiday's own day.
"""

from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from aftersales.models import ServiceRequest
from feedback.models import Feedback, SurveyInvitation, SurveyResponse
from reports.dirty import local_day, mark_dirty
from tickets.models import BusinessHours, Holiday, OpeningPeriod, Ticket, TicketEvent

DATED = ("created_at", "first_response_at", "first_resolved_at", "resolved_at", "closed_at", "first_response_due",
         "resolution_due")
EVERY_DAY = {TicketEvent.Kind.QUEUE, TicketEvent.Kind.PRIORITY}
WATCHED = {TicketEvent.Kind.STATUS, TicketEvent.Kind.MERGED, *EVERY_DAY}


def ticket_event_recorded(sender, instance, created, **kwargs):
    if not created or instance.kind not in WATCHED:
        return
    ticket = instance.ticket
    stored = Ticket.objects.filter(pk=ticket.pk).values(*DATED).first() or {}
    days = []
    for field in DATED:
        before, after = stored.get(field), getattr(ticket, field)
        if instance.kind in EVERY_DAY or instance.kind == TicketEvent.Kind.MERGED and field == "resolved_at":
            days += [before, after]  # a merge changes the one-touch figure of the day the target was resolved
        elif before != after:
            days += [before, after]
    if instance.kind in EVERY_DAY:
        days += every_day(ticket.created_at, instance.created_at)
    mark_dirty(days, now=instance.created_at)


def every_day(start, end) -> list[date]:
    """The local days from the one of ``start`` to the one of ``end``, both included."""
    first, last = local_day(start), local_day(end)
    if first is None or last is None:
        return []
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _ticket_days(tickets) -> list:
    days = []
    for row in tickets.values(*DATED):
        days += row.values()
    return days


def customer_forgotten(sender, user, **kwargs):
    days = _ticket_days(Ticket.objects.filter(requester=user))
    for row in SurveyInvitation.objects.filter(recipient=user).values("sent_at", "responded_at"):
        days += row.values()
    days += SurveyResponse.objects.filter(invitation__recipient=user).values_list("submitted_at", flat=True)
    for row in ServiceRequest.objects.filter(requester=user).values("created_at", "decided_at", "completed_at",
                                                                   "closed_at"):
        days += row.values()
    days += Feedback.objects.filter(author=user).values_list("created_at", flat=True)
    mark_dirty(days)
    return {}


def calendar_edited(calendar_id, holiday: date | None = None):
    """Mark the days a change to the calendar ``calendar_id`` moves (see the module's notes)."""
    if calendar_id is None:
        return
    now = timezone.now()
    open_then = Q(resolved_at__isnull=True) & Q(closed_at__isnull=True)
    if holiday is not None:
        open_then |= Q(created_at__date__lte=holiday, resolved_at__date__gte=holiday)
    tickets = Ticket.objects.filter(open_then, sla_policy__business_hours_id=calendar_id)
    days = [holiday]
    for row in tickets.values(*DATED):
        days += row.values()
        days += every_day(row["created_at"], row["resolved_at"] or row["closed_at"] or now)
    mark_dirty(days, now=now)


def business_hours_changed(sender, instance, **kwargs):
    calendar_edited(instance.pk)


def opening_period_changed(sender, instance, **kwargs):
    calendar_edited(instance.calendar_id)


def holiday_changed(sender, instance, **kwargs):
    calendar_edited(instance.calendar_id, holiday=instance.date)


def survey_response_saved(sender, instance, **kwargs):
    mark_dirty([instance.invitation.sent_at, instance.submitted_at])


def connect():
    from django.db.models.signals import post_delete, post_save

    from helpdesk.accounts.signals import privacy_forget

    post_save.connect(ticket_event_recorded, sender=TicketEvent, dispatch_uid="reports-dirty-ticket-event")
    post_save.connect(survey_response_saved, sender=SurveyResponse, dispatch_uid="reports-dirty-survey-response")
    privacy_forget.connect(customer_forgotten, dispatch_uid="reports-dirty-forget")
    for model, receiver in ((BusinessHours, business_hours_changed), (OpeningPeriod, opening_period_changed),
                            (Holiday, holiday_changed)):
        for signal in (post_save, post_delete):
            signal.connect(receiver, sender=model, dispatch_uid=f"reports-dirty-{model.__name__}-{signal is post_save}")
