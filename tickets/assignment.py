"""Auto-assignment: a queue gives a new ticket to one of its available members.

A queue assigns ``off``, ``round_robin`` (the next available member after the one who got the last ticket,
by member id) or ``least_open`` (the available member with the fewest active tickets, ties by id). A member
is available unless they set themselves away (until a date or until they come back) or already hold their
limit of active tickets. The queue row is locked while choosing, so tickets created at the same moment
take turns and never both go to the same "next" agent.
"""

from django.db.models import Count, Q
from django.utils import timezone

from helpdesk.accounts.roles import is_agent
from tickets import notifications
from tickets.models import AgentAvailability, Queue, Ticket, TicketEvent


def availability_of(user) -> AgentAvailability:
    """The agent's availability (not saved when they never set one: available, no limit)."""
    try:
        return user.availability
    except AgentAvailability.DoesNotExist:
        return AgentAvailability(user=user)


def available_members(queue, *, today=None) -> list:
    """The queue's agents who take new tickets now, with ``active_count`` set, by id."""
    today = today or timezone.localdate()
    members = (
        queue.members.filter(is_active=True)
        .select_related("availability")
        .annotate(active_count=Count("tickets_assigned", filter=Q(tickets_assigned__status__in=Ticket.ACTIVE_STATUSES)))
        .order_by("pk")
    )
    chosen = []
    for member in members:
        availability = availability_of(member)
        if not availability.is_available(today) or not is_agent(member):
            continue
        limit = availability.max_active_tickets
        if limit is not None and member.active_count >= limit:
            continue
        chosen.append(member)
    return chosen


def choose(queue, *, today=None):
    """The member the queue gives its next ticket to, or None. Call inside a transaction holding the queue lock."""
    if queue.assignment == Queue.Assignment.OFF:
        return None
    members = available_members(queue, today=today)
    if not members:
        return None
    if queue.assignment == Queue.Assignment.LEAST_OPEN:
        return min(members, key=lambda member: (member.active_count, member.pk))
    after = [member for member in members if queue.last_assigned_id is not None and member.pk > queue.last_assigned_id]
    return (after or members)[0]


def assign_new(ticket, *, notify=True):
    """Give a just-created, unassigned ticket to a member of its queue, if the queue assigns automatically."""
    if ticket.assignee_id is not None or ticket.queue.assignment == Queue.Assignment.OFF:
        return None
    queue = Queue.objects.select_for_update().get(pk=ticket.queue_id)
    agent = choose(queue)
    if agent is None:
        return None
    queue.last_assigned = agent
    queue.save(update_fields=["last_assigned"])
    Ticket.objects.filter(pk=ticket.pk).update(assignee=agent)
    ticket.assignee = agent
    TicketEvent.objects.create(
        ticket=ticket,
        actor=None,
        kind=TicketEvent.Kind.ASSIGNEE,
        new_value=str(agent)[:255],
        version=ticket.version,
        created_at=ticket.created_at,
    )
    if notify:
        notifications.ticket_assigned(ticket)
    return agent
