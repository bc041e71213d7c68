"""What after-sales adds to other pages: the desk home and sidebar, the portal home, the navbar, the ticket pages."""

from django.utils import timezone

from aftersales import selectors
from aftersales.eligibility import customer_date
from aftersales.forms import ConvertTicketForm
from aftersales.models import ServiceRequest
from helpdesk.accounts.roles import is_agent, is_customer, is_manager
from helpdesk.desk import (
    register_home_panel,
    register_portal_panel,
    register_sidebar_section,
    register_template_hook,
)
from tickets.products import register_product_source


def sidebar(request):
    # Only managers decide on a request, so only they are shown what waits for a decision.
    return {"counts": selectors.sidebar_counts(request.user), "can_review": is_manager(request.user)}


def desk_home(request):
    if not is_manager(request.user):
        return {"shown": False}
    waiting = selectors.awaiting_review(request.user)
    return {"shown": True, "waiting": list(waiting[:8]), "waiting_count": waiting.count(), "now": timezone.now()}


def portal_home(request):
    user = request.user
    purchases = selectors.portal_purchase_list(user)
    requests = selectors.portal_service_request_list(user).filter(status__in=ServiceRequest.ACTIVE_STATUSES)
    return {
        "purchases": list(purchases[:5]),
        "purchase_count": purchases.count(),
        "open_requests": list(requests.order_by("-updated_at")[:5]),
        "today": customer_date(user),
    }


def navbar(request, context):
    user = getattr(request, "user", None)
    return {"aftersales_customer": bool(user and is_customer(user))}


def desk_ticket_side(request, context):
    ticket = context.get("ticket")
    if ticket is None or request is None or not is_agent(request.user):
        return {"aftersales_ticket": None}
    linked = list(selectors.linked_to_ticket(ticket, request.user))
    form = None
    if not linked and not ticket.merged_into_id:
        purchases = selectors.purchases_for_customer(ticket.requester).select_related("product")
        form = ConvertTicketForm(purchases=purchases)
    return {"aftersales_ticket": ticket, "linked_requests": linked, "convert_form": form}


def portal_ticket_side(request, context):
    ticket = context.get("ticket")
    if ticket is None or request is None:
        return {"linked_requests": []}
    return {"linked_requests": list(selectors.linked_to_ticket(ticket, request.user))}


register_sidebar_section("aftersales/desk/_sidebar.html", sidebar, order=20)
register_home_panel("aftersales/desk/_home_panel.html", desk_home, order=20)
register_portal_panel("aftersales/portal/_home_panel.html", portal_home, order=20)
register_template_hook("navbar_links", "aftersales/_navbar_link.html", navbar, order=20)
register_template_hook("desk_ticket_side", "aftersales/desk/_ticket_side.html", desk_ticket_side, order=20)
register_template_hook("portal_ticket_side", "aftersales/portal/_ticket_side.html", portal_ticket_side, order=20)


def registered_products(user):
    """The new-request form in the portal offers the products the customer's organisation registered."""
    return [(product.pk, product.name) for product in selectors.products_registered_for(user)]


register_product_source(registered_products)
