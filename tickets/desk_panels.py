"""What the tickets app adds to the desk: queues in the sidebar, ticket lists on the home page."""

from django.utils import timezone

from helpdesk.desk import register_home_panel, register_sidebar_section
from tickets import selectors
from tickets.intake import review
from tickets.models import Ticket


def sidebar(request):
    return {"queues": list(selectors.queue_open_counts(request.user)),
            "suspended_count": review.suspended_for(request.user).count()}


def home(request):
    user = request.user
    tickets = selectors.desk_ticket_list(user)
    active = tickets.filter(status__in=Ticket.ACTIVE_STATUSES)
    return {
        "my_open": list(active.filter(assignee=user).order_by("resolution_due")[:10]),
        "unassigned": list(active.filter(assignee__isnull=True).order_by("first_response_due", "created_at")[:10]),
        "breaching": list(
            tickets.filter(selectors.sla_state_filter("due_soon") | selectors.sla_state_filter("breached"))
            .order_by("resolution_due")[:10]
        ),
        "now": timezone.now(),
    }


register_sidebar_section("tickets/desk/_sidebar.html", sidebar, order=10)
register_home_panel("tickets/desk/_home_panel.html", home, order=10)
