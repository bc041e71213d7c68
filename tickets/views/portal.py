"""The customer portal: submit a ticket, follow it, reply, resolve, reopen and close it."""


from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from helpdesk.accounts import roles
from tickets import selectors, services
from tickets.forms.portal import TicketCreateForm, TicketListFilterForm, TicketReopenForm, TicketReplyForm
from tickets.models import Ticket
from tickets.services import TicketError

PAGE_SIZE = 20
# The reference of the ticket just submitted: its page then explains what happens next, once.
JUST_CREATED_KEY = "portal_just_created"

STATUS_FILTERS = {
    "all": Q(),
    "open": Q(status__in=Ticket.ACTIVE_STATUSES),
    "resolved": Q(status=Ticket.Status.RESOLVED),
    "closed": Q(status=Ticket.Status.CLOSED),
}


portal_view = roles.portal_view(desk_detail="tickets:desk-detail", desk_list="desk-home")


def _search(query):
    condition = Q(subject__icontains=query)
    pk = Ticket.pk_from_reference(query)
    if pk is not None:
        condition |= Q(pk=pk)
    return condition


@require_safe
@portal_view
def ticket_list(request):
    user = request.user
    form = TicketListFilterForm(request.GET)
    form.is_valid()  # a bad value in one filter leaves the others working
    status = form.cleaned_data.get("status") or "all"
    query = (form.cleaned_data.get("q") or "").strip()
    tickets = selectors.portal_ticket_list(user)
    if query:
        tickets = tickets.filter(_search(query))
    counts = tickets.aggregate(**{name: Count("pk", filter=condition) for name, condition in STATUS_FILTERS.items()})
    page = Paginator(selectors.open_first(tickets.filter(STATUS_FILTERS[status])), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "status": status,
        "query": query,
        "counts": counts,
        "status_tabs": [(name, label, counts[name]) for name, label in form.fields["status"].choices],
        "show_requester": bool(user.is_primary_contact and user.organization_id),
    }
    return render(request, "tickets/portal/ticket_list.html", context)


def _follow_up_of(user, reference):
    """The earlier ticket a new request follows up, if the customer may see it."""
    if not reference:
        return None
    try:
        return selectors.ticket_for_user(user, reference)
    except Http404:
        return None


@portal_view
def ticket_create(request):
    user = request.user
    follow_up_of = _follow_up_of(user, request.POST.get("follow_up") or request.GET.get("follow_up"))
    if request.method == "POST":
        form = TicketCreateForm(request.POST, request.FILES, customer=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_create(
                    requester=user, subject=data["subject"], description=data["description"],
                    queue=data["category"], product=data["product"],
                    priority=services.priority_from_impact(data["impact"], data["urgency"]),
                    channel=Ticket.Channel.PORTAL, files=data["attachments"], follow_up_of=follow_up_of,
                )
            except ValidationError as error:
                form.add_error("attachments", error)
            except TicketError as error:
                form.add_error(None, str(error))
            else:
                request.session[JUST_CREATED_KEY] = ticket.reference
                return redirect(ticket.get_portal_url())
    else:
        initial = {}
        if follow_up_of is not None:
            initial["description"] = _("Follow-up to %(reference)s (“%(subject)s”):\n\n") % {
                "reference": follow_up_of.reference, "subject": follow_up_of.subject,
            }
        form = TicketCreateForm(initial=initial, customer=user)
    return render(request, "tickets/portal/ticket_create.html", {"form": form, "follow_up_of": follow_up_of})


def _answered_by(thread):
    """The agents who answered in public, most recent first: who handled a ticket nobody was assigned to."""
    names = []
    for message in reversed(thread):
        if message.from_agent and message.author is not None:
            name = message.author.get_short_name()
            if name not in names:
                names.append(name)
    return names


def _render_detail(request, ticket, *, reply_form=None, reopen_form=None):
    user = request.user
    merged_into = None
    if ticket.merged_into_id and selectors.portal_ticket_list(user).filter(pk=ticket.merged_into_id).exists():
        merged_into = ticket.merged_into
    can_reopen = ticket.can_reopen()
    merged = bool(ticket.merged_into_id)
    just_created = request.session.get(JUST_CREATED_KEY) == ticket.reference
    if just_created:
        del request.session[JUST_CREATED_KEY]
    can_reply = bool(ticket.accepts_message_from(user))
    # Text typed into a form the ticket no longer offers is shown back, so that it can be copied.
    unsent = ""
    if reply_form is not None and reply_form.is_bound and not can_reply:
        unsent = reply_form.data.get("body", "")
    elif reopen_form is not None and reopen_form.is_bound and not can_reopen:
        unsent = reopen_form.data.get("reason", "")
    thread = list(selectors.thread_for(ticket, include_internal=False))
    context = {
        "ticket": ticket,
        "thread": thread,
        "answered_by": _answered_by(thread),
        "reply_form": reply_form or TicketReplyForm(),
        "reopen_form": reopen_form or TicketReopenForm(),
        "merged": merged,
        "merged_into": merged_into,
        "can_reply": can_reply,
        "unsent": unsent.strip(),
        "can_resolve": not merged and ticket.is_active,
        "can_reopen": not merged and can_reopen,
        "can_close": not merged and ticket.status == Ticket.Status.RESOLVED,
        "reopen_days": settings.TICKET_REOPEN_DAYS,
        "just_created": just_created,
        "first_answer_within": timeuntil(ticket.first_response_due, depth=1) if ticket.first_response_due else "",
    }
    return render(request, "tickets/portal/ticket_detail.html", context)


@require_safe
@portal_view
def ticket_detail(request, reference):
    ticket = selectors.ticket_for_user(request.user, reference)
    return _render_detail(request, ticket)


@require_POST
@portal_view
def ticket_reply(request, reference):
    ticket = selectors.ticket_for_user(request.user, reference)
    form = TicketReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.ticket_customer_reply(ticket=ticket, customer=request.user, body=form.cleaned_data["body"],
                                           files=form.cleaned_data["attachments"], channel=Ticket.Channel.PORTAL)
        except ValidationError as error:
            form.add_error("attachments", error)
        except TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your reply was added. We will e-mail you when an agent answers."))
            return redirect(ticket.get_portal_url() + "#latest")
    return _render_detail(request, ticket, reply_form=form)


@require_POST
@portal_view
def ticket_resolve(request, reference):
    ticket = selectors.ticket_for_user(request.user, reference)
    try:
        services.ticket_customer_resolve(ticket=ticket, customer=request.user)
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you! %(reference)s is marked as resolved. If the problem comes back, "
                                    "you can reopen it within %(days)d days.")
                         % {"reference": ticket.reference, "days": settings.TICKET_REOPEN_DAYS})
    return redirect(ticket.get_portal_url())


@require_POST
@portal_view
def ticket_reopen(request, reference):
    ticket = selectors.ticket_for_user(request.user, reference)
    form = TicketReopenForm(request.POST)
    if form.is_valid():
        try:
            services.ticket_customer_reopen(ticket=ticket, customer=request.user, reason=form.cleaned_data["reason"])
        except TicketError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(reference)s is open again. An agent will look at it and answer you.")
                             % {"reference": ticket.reference})
            return redirect(ticket.get_portal_url())
    return _render_detail(request, ticket, reopen_form=form)


@require_POST
@portal_view
def ticket_close(request, reference):
    ticket = selectors.ticket_for_user(request.user, reference)
    try:
        services.ticket_customer_close(ticket=ticket, customer=request.user)
    except TicketError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(reference)s is closed. Thank you for letting us know.")
                         % {"reference": ticket.reference})
    return redirect(ticket.get_portal_url())
