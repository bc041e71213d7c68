"""What marks a past day's figures dirty (``reports.dirty``): connected in ``ReportsConfig.ready()``.

- A status change, merge, queue or priority change on a ticket: the days of its dated columns that change
  (the resolution day a reopening takes back, a due time that moves), read from the row as it still is in
  the database before the service saves it. A queue or priority change moves every figure of the ticket to
  another key, so then all its days are marked (created, first response, resolved, closed, due).
- A survey answer, given or changed: the day its invitation was sent (the response rate) and the day of the
  answer (the scores).
"""

from feedback.models import SurveyResponse
from reports.dirty import mark_dirty
from tickets.models import Ticket, TicketEvent

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
    mark_dirty(days, now=instance.created_at)


def survey_response_saved(sender, instance, **kwargs):
    mark_dirty([instance.invitation.sent_at, instance.submitted_at])


def connect():
    from django.db.models.signals import post_save

    post_save.connect(ticket_event_recorded, sender=TicketEvent, dispatch_uid="reports-dirty-ticket-event")
    post_save.connect(survey_response_saved, sender=SurveyResponse, dispatch_uid="reports-dirty-survey-response")
