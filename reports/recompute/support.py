"""Ticket snapshots: per day × queue × priority, per day × agent, per day × channel.

Days are local days in ``TIME_ZONE``. A ticket counts as created on the day of ``created_at``, resolved
(with its full resolution time and one-touch) on the day of ``resolved_at``, its first resolution time on the
day of ``first_resolved_at``, its first response time on the day of ``first_response_at``, and each SLA
target, met or breached, on the day it was due (``reports.sla``); durations are the metrics the ticket
services store on the ticket (business minutes). Queue and priority are the ticket's current ones.

The backlog at the end of a day D counts the tickets created by then and not resolved or closed at the end
of D according to their status history (DESIGN §4), not today's columns: a ticket resolved on Monday and
reopened on Thursday is out of the backlog from Monday to Wednesday and back in it on Thursday, and a ticket
merged into another leaves it when it was merged (the merge resolves and closes it). A ticket with no status
history at all (rows imported from elsewhere) is judged by its timestamps.
"""

from datetime import timedelta

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from reports import sla
from reports.models import AgentDaily, ChannelDaily, SupportDaily
from reports.recompute.base import duration_fields, durations, grouped
from tickets.models import Message, Ticket, TicketEvent

# Resolved with at most one public agent reply and never reopened (a merged duplicate was not solved by a reply).
ONE_TOUCH = Q(reopened_count=0, public_agent_replies__lte=1, merged_into__isnull=True)
PUBLIC_AGENT_REPLY = Q(from_agent=True, is_internal=False, author__isnull=False)
# A ticket in one of these is out of the backlog.
ENDED = [Ticket.Status.RESOLVED, Ticket.Status.CLOSED]
STATUS_EVENTS = TicketEvent.objects.filter(kind=TicketEvent.Kind.STATUS)
HAS_HISTORY = Exists(STATUS_EVENTS.filter(ticket=OuterRef("pk")))
# A status event that takes a ticket out of the backlog, or puts it back.
ENDS = ~Q(old_value__in=ENDED) & Q(new_value__in=ENDED)
REOPENS = Q(old_value__in=ENDED) & ~Q(new_value__in=ENDED)


def _count(table: dict, key) -> int:
    row = table.get(key)
    return row["n"] if row else 0


def backlog_at(start) -> dict:
    """{(queue, priority): tickets not resolved or closed} at the moment ``start``: by the last status event
    before it (none yet: still new), or by the timestamps for a ticket without status history."""
    status_then = Subquery(STATUS_EVENTS.filter(ticket=OuterRef("pk"), created_at__lt=start)
                           .order_by("-created_at", "-pk").values("new_value")[:1])
    open_by_timestamps = (
        Q(resolved_at__gte=start)
        | Q(resolved_at__isnull=True, closed_at__gte=start)
        | Q(resolved_at__isnull=True, closed_at__isnull=True)
    )
    open_by_history = Q(status_then__isnull=True) | ~Q(status_then__in=ENDED)
    # Only a ticket open now, or changed since, can have been open then: the history is read for those alone,
    # not for every ticket ever created (the rest were ended then as they are now).
    may_have_been_open = (~Q(status__in=ENDED) | Q(resolved_at__gte=start) | Q(closed_at__gte=start)
                          | Q(pk__in=STATUS_EVENTS.filter(created_at__gte=start).values("ticket_id")))
    rows = (Ticket.objects.filter(may_have_been_open, created_at__lt=start)
            .annotate(has_history=HAS_HISTORY, status_then=status_then)
            .filter(Q(has_history=True) & open_by_history | Q(has_history=False) & open_by_timestamps)
            .order_by().values("queue", "priority").annotate(n=Count("pk")))
    return {(row["queue"], row["priority"]): row["n"] for row in rows}


def left_backlog(chunk, keys) -> dict:
    """{(day, queue, priority): {"n": tickets that left the backlog that day, less those that came back}}."""
    without_history = Ticket.objects.annotate(has_history=HAS_HISTORY).filter(has_history=False)
    by_timestamps = [
        grouped(without_history.filter(chunk.within("resolved_at")).annotate(day=chunk.day("resolved_at")),
                keys, n=Count("pk")),
        grouped(without_history.filter(chunk.within("closed_at"), resolved_at__isnull=True)
                .annotate(day=chunk.day("closed_at")), keys, n=Count("pk")),
    ]
    moves = grouped(
        STATUS_EVENTS.filter(chunk.within("created_at"))
        .annotate(day=chunk.day("created_at"), queue=F("ticket__queue"), priority=F("ticket__priority")),
        keys, ends=Count("pk", filter=ENDS), reopens=Count("pk", filter=REOPENS))
    left: dict = {}
    for table in by_timestamps:
        for key, row in table.items():
            left[key] = left.get(key, 0) + row["n"]
    for key, row in moves.items():
        left[key] = left.get(key, 0) + row["ends"] - row["reopens"]
    return {key: {"n": n} for key, n in left.items() if n}


def _backlog(chunk, state, created: dict, ended: dict) -> dict:
    """Backlog at the end of each day: the backlog at the chunk's start plus created less left, day by day.

    The running figures are handed to the next chunk in ``state``, so the backlog at the start is
    counted from the tickets once per run.
    """
    running = dict(state["backlog"]) if state.get("backlog_next") == chunk.first else backlog_at(chunk.start)
    combos = sorted(set(running) | {key[1:] for key in created} | {key[1:] for key in ended})
    backlog = {}
    for day in chunk.days():
        for combo in combos:
            running[combo] = running.get(combo, 0) + _count(created, (day, *combo)) - _count(ended, (day, *combo))
            if running[combo] > 0:
                backlog[(day, *combo)] = running[combo]
    state["backlog"], state["backlog_next"] = running, chunk.last + timedelta(days=1)
    return backlog


def support_daily(chunk, state) -> list[SupportDaily]:
    keys = ["day", "queue", "priority"]
    tickets = Ticket.objects.all()
    created = grouped(tickets.filter(chunk.within("created_at")).annotate(day=chunk.day("created_at")), keys,
                      n=Count("pk"))
    resolved_tickets = tickets.filter(chunk.within("resolved_at")).annotate(day=chunk.day("resolved_at"))
    resolved = grouped(resolved_tickets, keys, n=Count("pk"), one_touch=Count("pk", filter=ONE_TOUCH))
    targets: dict = {}  # {key: {"met": n, "breached": n}}, first-response and resolution targets on their due day
    for target in sla.TARGETS:
        due = grouped(sla.with_done(tickets).filter(chunk.within(f"{target}_due"))
                      .annotate(day=chunk.day(f"{target}_due")), keys,
                      met=Count("pk", filter=sla.met(target)),
                      breached=Count("pk", filter=sla.breached(target, chunk.now)))
        for key, row in due.items():
            outcome = targets.setdefault(key, {"met": 0, "breached": 0})
            outcome["met"] += row["met"]
            outcome["breached"] += row["breached"]
    ended = left_backlog(chunk, keys)
    first_responses = durations(
        chunk, tickets.filter(chunk.within("first_response_at")).annotate(day=chunk.day("first_response_at")),
        keys, "first_response_minutes")
    resolutions = durations(chunk, resolved_tickets, keys, "resolution_minutes")
    first_resolutions = durations(
        chunk, tickets.filter(chunk.within("first_resolved_at")).annotate(day=chunk.day("first_resolved_at")),
        keys, "first_resolution_minutes")
    reopenings = grouped(
        TicketEvent.objects.filter(chunk.within("created_at"), kind=TicketEvent.Kind.STATUS,
                                   old_value=Ticket.Status.RESOLVED, new_value=Ticket.Status.OPEN)
        .annotate(day=chunk.day("created_at"), queue=F("ticket__queue"), priority=F("ticket__priority")),
        keys, n=Count("pk"))
    backlog = _backlog(chunk, state, created, ended)

    rows = []
    every_key = (set(created) | set(resolved) | set(first_responses) | set(first_resolutions) | set(resolutions)
                 | set(reopenings)
                 | set(backlog) | {key for key, outcome in targets.items() if outcome["met"] or outcome["breached"]})
    for key in sorted(every_key):
        day, queue, priority = key
        done = resolved.get(key) or {"n": 0, "one_touch": 0}
        outcome = targets.get(key) or {"met": 0, "breached": 0}
        rows.append(SupportDaily(
            day=day, queue_id=queue, priority=priority, created=_count(created, key), resolved=done["n"],
            backlog=backlog.get(key, 0), reopened=_count(reopenings, key), one_touch=done["one_touch"],
            sla_met=outcome["met"], sla_breached=outcome["breached"],
            **duration_fields("frt", first_responses.get(key)),
            **duration_fields("first_resolution", first_resolutions.get(key)),
            **duration_fields("resolution", resolutions.get(key)),
        ))
    return rows


def agent_daily(chunk, state) -> list[AgentDaily]:
    """Public replies per author, resolutions per assignee, first responses per agent who gave them."""
    keys = ["day", "agent"]
    replies = grouped(
        Message.objects.filter(PUBLIC_AGENT_REPLY, chunk.within("created_at"))
        .annotate(day=chunk.day("created_at"), agent=F("author")), keys, n=Count("pk"))
    resolved = grouped(
        Ticket.objects.filter(chunk.within("resolved_at"), assignee__isnull=False)
        .annotate(day=chunk.day("resolved_at"), agent=F("assignee")),
        keys, n=Count("pk"), one_touch=Count("pk", filter=ONE_TOUCH))
    # The reply that was the first response has the ticket's first_response_at as its own time (the range on
    # both sides lets PostgreSQL merge the two index ranges instead of reading every ticket).
    first_responses = durations(
        chunk, Message.objects.filter(PUBLIC_AGENT_REPLY, chunk.within("created_at"),
                                      chunk.within("ticket__first_response_at"),
                                      ticket__first_response_at=F("created_at"))
        .annotate(day=chunk.day("created_at"), agent=F("author")), keys, "ticket__first_response_minutes")
    rows = []
    for key in sorted(set(replies) | set(resolved) | set(first_responses)):
        day, agent = key
        done = resolved.get(key) or {"n": 0, "one_touch": 0}
        rows.append(AgentDaily(day=day, agent_id=agent, replies=_count(replies, key), resolved=done["n"],
                               one_touch=done["one_touch"], **duration_fields("frt", first_responses.get(key))))
    return rows


def channel_daily(chunk, state) -> list[ChannelDaily]:
    keys = ["day", "channel"]
    created = grouped(Ticket.objects.filter(chunk.within("created_at")).annotate(day=chunk.day("created_at")),
                      keys, n=Count("pk"))
    resolved = grouped(Ticket.objects.filter(chunk.within("resolved_at")).annotate(day=chunk.day("resolved_at")),
                       keys, n=Count("pk"))
    return [ChannelDaily(day=key[0], channel=key[1], created=_count(created, key), resolved=_count(resolved, key))
            for key in sorted(set(created) | set(resolved))]
