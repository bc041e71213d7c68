"""What the tickets app adds to the customer's portal home page."""

from helpdesk.desk import register_portal_panel
from tickets import selectors
from tickets.models import Ticket


def home(request):
    tickets = selectors.portal_ticket_list(request.user)
    return {
        "recent": list(selectors.open_first(tickets)[:5]),
        "open_count": tickets.filter(status__in=Ticket.ACTIVE_STATUSES).count(),
    }


register_portal_panel("tickets/portal/_home_panel.html", home, order=10)
