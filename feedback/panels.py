"""What feedback adds to other pages: the desk home and sidebar, the navbar, the ticket pages."""

from django.urls import reverse
from django.utils import timezone

from feedback import selectors, services
from feedback.forms import RateTicketForm
from helpdesk.accounts.roles import is_agent, is_customer, is_manager
from helpdesk.desk import register_home_panel, register_sidebar_section, register_template_hook
from tickets.models import Ticket


def sidebar(request):
    return {"feedback_counts": selectors.sidebar_counts(request.user), "feedback_manager": is_manager(request.user)}


def latest_ratings(request):
    responses = selectors.visible_responses(request.user).order_by("-updated_at", "-pk")
    return {"responses": list(responses[:8]), "now": timezone.now()}


def navbar(request, context):
    user = getattr(request, "user", None)
    return {"feedback_customer": bool(user and user.is_authenticated and is_customer(user))}


def desk_ticket_side(request, context):
    ticket = context.get("ticket")
    if ticket is None or request is None or not is_agent(request.user):
        return {"feedback_responses": []}
    return {"feedback_responses": list(selectors.ticket_responses(ticket))}


def portal_ticket_side(request, context):
    ticket = context.get("ticket")
    empty = {"feedback_ticket": None}
    if ticket is None or request is None or ticket.requester_id != request.user.pk:
        return empty
    if ticket.status not in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        return empty
    invitation = selectors.ticket_invitation(ticket, request.user)
    survey = invitation.survey if invitation else services.ticket_survey_for(ticket)
    if survey is None:
        return empty
    response = getattr(invitation, "response", None) if invitation and invitation.responded_at else None
    expired = bool(invitation and invitation.is_expired())
    initial = {"score": response.score, "comment": response.comment} if response else {}
    return {"feedback_ticket": ticket, "feedback_survey": survey, "feedback_response": response,
            "feedback_expired": expired, "feedback_form": RateTicketForm(survey=survey, initial=initial),
            "feedback_rate_url": reverse("feedback:portal-rate-ticket", args=[ticket.reference])}


def desk_service_request_side(request, context):
    service_request = context.get("sr")
    if service_request is None or request is None or not is_agent(request.user):
        return {"feedback_responses": []}
    return {"feedback_responses": list(selectors.service_request_responses(service_request))}


def portal_service_request_side(request, context):
    service_request = context.get("sr")
    empty = {"feedback_ticket": None}
    if service_request is None or request is None or service_request.requester_id != request.user.pk:
        return empty
    if service_request.completed_at is None:
        return empty
    invitation = selectors.service_request_invitation(service_request, request.user)
    survey = invitation.survey if invitation else services.service_request_survey_for(service_request)
    if survey is None:
        return empty
    response = getattr(invitation, "response", None) if invitation and invitation.responded_at else None
    expired = bool(invitation and invitation.is_expired())
    initial = {"score": response.score, "comment": response.comment} if response else {}
    return {"feedback_ticket": service_request, "feedback_survey": survey, "feedback_response": response,
            "feedback_expired": expired, "feedback_form": RateTicketForm(survey=survey, initial=initial),
            "feedback_rate_url": reverse("feedback:portal-rate-service", args=[service_request.reference])}


register_sidebar_section("feedback/desk/_sidebar.html", sidebar, order=40)
# Follow-ups on low scores are care tasks: they appear in "My check-ins due" (care.panels).
register_home_panel("feedback/desk/_home_ratings.html", latest_ratings, order=40)
register_template_hook("navbar_links", "feedback/_navbar_link.html", navbar, order=40)
register_template_hook("desk_ticket_side", "feedback/desk/_ticket_side.html", desk_ticket_side, order=40)
register_template_hook("portal_ticket_side", "feedback/portal/_ticket_side.html", portal_ticket_side, order=40)
register_template_hook("desk_service_request_side", "feedback/desk/_ticket_side.html", desk_service_request_side,
                       order=40)
register_template_hook("portal_service_request_side", "feedback/portal/_ticket_side.html",
                       portal_service_request_side, order=40)
