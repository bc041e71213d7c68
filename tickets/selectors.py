"""Reads for views and reports, scoped to what the user may see."""

from datetime import timedelta

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from helpdesk.accounts.roles import is_agent, is_manager
from tickets.models import Attachment, Queue, Ticket, TicketEvent


def queues_for_agent(user):
    if is_manager(user):
        return Queue.objects.all()
    return Queue.objects.filter(members=user)


def tickets_for_agent(user):
    """Agents see the tickets of the queues they belong to; managers and admins see all."""
    tickets = Ticket.objects.all()
    if not is_manager(user):
        tickets = tickets.filter(queue__in=Queue.objects.filter(members=user).values("pk"))
    return tickets


def tickets_for_customer(user):
    """A customer sees their own tickets; an organisation's primary contact sees all of its tickets."""
    mine = Q(requester=user)
    if user.is_primary_contact and user.organization_id:
        mine |= Q(organization_id=user.organization_id)
    return Ticket.objects.filter(mine)


def tickets_visible_to(user):
    if is_agent(user):
        return tickets_for_agent(user)
    return tickets_for_customer(user)


def desk_ticket_list(user):
    return (
        tickets_for_agent(user)
        .select_related("requester", "organization", "queue", "assignee")
        .prefetch_related("tags")
    )


def portal_ticket_list(user):
    return tickets_for_customer(user).select_related("queue", "requester", "assignee")


def open_first(tickets):
    """What still needs the customer's or our attention comes first, then the most recent activity."""
    still_open = Case(When(status__in=Ticket.ACTIVE_STATUSES, then=Value(0)), default=Value(1),
                      output_field=IntegerField())
    return tickets.order_by(still_open, "-updated_at", "-pk")


def ticket_for_user(user, reference) -> Ticket:
    """The ticket the user may see, or 404 — whether it does not exist or belongs to someone else."""
    pk = Ticket.pk_from_reference(reference)
    if pk is None:
        raise Http404
    ticket = (
        tickets_visible_to(user)
        .select_related("requester", "organization", "queue", "assignee", "sla_policy", "merged_into",
                        "follow_up_of", "created_by")
        .prefetch_related("tags")
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def thread_for(ticket, *, include_internal: bool):
    messages = ticket.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    if not include_internal:
        messages = messages.filter(is_internal=False)
    return messages.order_by("created_at", "pk")


def events_for(ticket):
    return TicketEvent.objects.filter(ticket=ticket).select_related("actor").order_by("created_at", "pk")


def attachment_for_user(user, attachment_id) -> Attachment:
    """An attachment the user may download: its ticket is visible, and customers never get note files."""
    attachments = Attachment.objects.select_related("message").filter(
        pk=attachment_id, message__ticket__in=tickets_visible_to(user).values("pk")
    )
    if not is_agent(user):
        attachments = attachments.filter(message__is_internal=False)
    attachment = attachments.first()
    if attachment is None:
        raise Http404
    return attachment


def sla_state_filter(state: str, now=None) -> Q:
    """breached / due_soon (within an hour) / on_track, over whichever target is still open."""
    now = now or timezone.now()
    soon = now + timedelta(hours=1)
    running = Q(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.ON_HOLD])
    first_open = Q(first_response_at__isnull=True, first_response_due__isnull=False)
    breached = running & ((first_open & Q(first_response_due__lte=now)) | Q(resolution_due__lte=now))
    due_soon = running & ~breached & (
        (first_open & Q(first_response_due__lte=soon)) | Q(resolution_due__lte=soon)
    )
    if state == "breached":
        return breached
    if state == "due_soon":
        return due_soon
    if state == "on_track":
        return running & ~breached & ~due_soon
    return Q()


def queue_open_counts(user):
    """The sidebar: each of the user's queues with its count of active tickets, in one query.

    A correlated count per queue reads only active tickets through the (status, queue) index; a join with a
    filtered COUNT would read every ticket ever made, on every desk page."""
    active = (Ticket.objects.filter(queue=OuterRef("pk"), status__in=Ticket.ACTIVE_STATUSES).order_by()
              .values("queue").annotate(n=Count("pk")).values("n"))
    return queues_for_agent(user).annotate(
        open_count=Coalesce(Subquery(active, output_field=IntegerField()), 0)
    ).order_by("ordering", "name")


def other_tickets_of(ticket, user, limit=5):
    return (
        tickets_for_agent(user).filter(requester_id=ticket.requester_id).exclude(pk=ticket.pk)
        .select_related("queue").order_by("-created_at")[:limit]
    )


def has_new_activity(ticket, since_version: int):
    return TicketEvent.objects.filter(ticket=ticket, version__gt=since_version).exists()

