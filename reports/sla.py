"""The one SLA definition of the reports (DESIGN §4), shared by the recompute job and the SLA page's list.

A ticket with an SLA policy has two targets, first response and resolution, each with its due time. A target
counts in the range its due time falls in, once:

- met: done by its due time (first response: the first public agent reply, or the ticket resolved or closed
  before anyone needed to answer; resolution: resolved, or closed, at the latest resolution);
- breached: done after its due time, or not done and its due time has passed, unless the ticket is pending
  (the clock is paused while the customer is asked);
- neither yet: not done and not due, or pending.

The figure "targets breached" for a range and the breach list for that range are the same set of targets.
"""

from django.db.models import F, Q
from django.db.models.functions import Coalesce

from tickets.models import Ticket

TARGETS = ("first_response", "resolution")


def with_done(tickets):
    """The tickets with the moment each target was done (NULL: not yet)."""
    return tickets.annotate(
        sla_first_response_done=Coalesce("first_response_at", "resolved_at", "closed_at"),
        sla_resolution_done=Coalesce("resolved_at", "closed_at"),
    )


def due_within(target: str, start, end) -> Q:
    return Q(**{f"{target}_due__gte": start, f"{target}_due__lt": end})


def met(target: str) -> Q:
    return Q(**{f"sla_{target}_done__lte": F(f"{target}_due")})


def breached(target: str, now) -> Q:
    late = Q(**{f"sla_{target}_done__gt": F(f"{target}_due")})
    overdue = Q(**{f"sla_{target}_done__isnull": True, f"{target}_due__lte": now}) & ~Q(status=Ticket.Status.PENDING)
    return late | overdue
