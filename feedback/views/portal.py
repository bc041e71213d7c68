"""The customer's side: send product feedback, see my feedback and my surveys, rate a ticket."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aftersales.selectors import service_request_for_user
from feedback import selectors, services
from feedback.forms import FeedbackForm, RateTicketForm
from helpdesk.accounts.roles import customer_required
from helpdesk.pagination import CappedPaginator as Paginator
from tickets.attachments import private_file_response
from tickets.selectors import ticket_for_user

PAGE_SIZE = 20
JUST_SENT_KEY = "feedback_just_sent"


@require_safe
@customer_required
def feedback_list(request):
    items = selectors.portal_feedback_list(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    invitations = list(selectors.open_invitations_for(request.user)[:10])
    return render(request, "feedback/portal/feedback_list.html", {"page": page, "invitations": invitations})


@require_http_methods(["GET", "POST"])
@customer_required
def feedback_create(request):
    if request.method == "POST":
        form = FeedbackForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            feedback = services.feedback_create(author=request.user, kind=data["kind"], text=data["text"],
                                                area=data["area"], score=data["score"],
                                                screenshot=data["screenshot"])
            request.session[JUST_SENT_KEY] = feedback.pk
            return redirect("feedback:portal-detail", feedback.pk)
    else:
        form = FeedbackForm(initial={"kind": request.GET.get("kind", "")})
    return render(request, "feedback/portal/feedback_create.html", {"form": form})


@require_safe
@customer_required
def feedback_detail(request, pk):
    feedback = selectors.feedback_for_customer(request.user, pk)
    just_sent = request.session.pop(JUST_SENT_KEY, None) == feedback.pk
    return render(request, "feedback/portal/feedback_detail.html", {"feedback": feedback, "just_sent": just_sent})


@require_safe
@customer_required
def screenshot(request, pk):
    feedback = selectors.feedback_for_customer(request.user, pk)
    return _screenshot_response(feedback)


def _screenshot_response(feedback):
    return private_file_response(feedback.screenshot, name=feedback.screenshot_name,
                                 content_type=feedback.screenshot_type)


@require_POST
@customer_required
def rate_ticket(request, reference):
    ticket = ticket_for_user(request.user, reference)
    if ticket.requester_id != request.user.pk:
        raise Http404
    return _rate(request, ticket.get_portal_url(),
                 lambda: services.ticket_invitation_for_customer(ticket=ticket, customer=request.user))


@require_POST
@customer_required
def rate_service_request(request, reference):
    service_request = service_request_for_user(request.user, reference)
    if service_request.requester_id != request.user.pk:
        raise Http404
    return _rate(request, reverse("aftersales:portal-detail", args=[service_request.reference]),
                 lambda: services.service_request_invitation_for_customer(service_request=service_request,
                                                                          customer=request.user))


def _rate(request, back_url, invitation_for):
    """Rate from the request's own portal page: the same survey, and the same response, as the e-mailed link."""
    try:
        invitation = invitation_for()
    except services.FeedbackError as error:
        messages.error(request, str(error))
        return redirect(back_url)
    form = RateTicketForm(request.POST, survey=invitation.survey)
    if not form.is_valid():
        messages.error(request, _("Choose a score to rate this request."))
        return redirect(back_url)
    score_question = invitation.survey.score_question()
    answers = {score_question.pk: form.cleaned_data["score"]} if score_question else {}
    try:
        services.response_submit(invitation=invitation, answers=answers, comment=form.cleaned_data["comment"])
    except services.FeedbackError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you for rating this request."))
    return redirect(back_url)
