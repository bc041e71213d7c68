"""The agent desk: the queue list, bulk changes, the ticket page and its forms, opening on behalf."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from helpdesk.accounts.roles import agent_required
from tickets import selectors, services
from tickets.filters import ASSIGNEE_ME, ASSIGNEE_NONE, SORT_COLUMNS, DeskTicketFilter, agents_for
from tickets.forms.desk import (
    BulkUpdateForm,
    MergeForm,
    ReplyForm,
    TicketOnBehalfForm,
    TicketPropertiesForm,
    agents_of_queue,
)
from tickets.models import CannedResponse, Priority, Ticket, TicketEvent
from tickets.services import MergeNeedsConfirmation, TicketConflict, TicketError

PAGE_SIZE = 50
PAGE_SIZES = (25, 50, 100)
DENSITY_COMPACT = "compact"
# Parameters that say how the list is shown, not which tickets: kept across filters, pages and saved views.
DISPLAY_PARAMS = ("sort", "per_page", "density")


# ---------------------------------------------------------------- the list


@dataclass(frozen=True)
class SavedView:
    key: str
    label: object
    params: dict


SAVED_VIEWS = (
    SavedView("active", gettext_lazy("All active"), {}),
    SavedView("mine", gettext_lazy("My open"), {"assignee": [ASSIGNEE_ME]}),
    SavedView("unassigned", gettext_lazy("Unassigned"), {"assignee": [ASSIGNEE_NONE]}),
    SavedView("breaching", gettext_lazy("Breaching soon"), {"sla": ["breached", "due_soon"]}),
)


def _filter_params(querydict) -> dict:
    """The filters in a query string, without paging and sorting, for comparing with the saved views."""
    params = {}
    for key in querydict:
        if key == "page" or key in DISPLAY_PARAMS:
            continue
        values = sorted(value for value in querydict.getlist(key) if value.strip())
        if values:
            params[key] = values
    if params.get("status") == sorted(Ticket.ACTIVE_STATUSES):
        del params["status"]
    return params


def _page_size(params) -> int:
    """25, 50 or 100 rows; any other ?per_page= is the default."""
    try:
        size = int(params.get("per_page", ""))
    except ValueError:
        return PAGE_SIZE
    return size if size in PAGE_SIZES else PAGE_SIZE


def _display_params(params, sort, page_size) -> dict:
    """How the list is shown, as it goes into links: only what differs from the defaults."""
    display = {}
    if not sort.is_default:
        display["sort"] = sort.value
    if page_size != PAGE_SIZE:
        display["per_page"] = str(page_size)
    if params.get("density") == DENSITY_COMPACT:
        display["density"] = DENSITY_COMPACT
    return display


def _with(params, **changes) -> str:
    """The list's query string with some parameters changed (None drops one), back to the first page."""
    query = params.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return f"?{query.urlencode()}" if query else "?"


def _sort_columns(params, sort) -> dict:
    """Per sortable column: the link a click on its header follows, aria-sort and the arrow."""
    columns = {}
    for key, (label, _first_descending) in SORT_COLUMNS.items():
        target = sort.next_for(key)
        aria = sort.aria(key)
        columns[key] = {
            "label": label, "aria": aria, "arrow": {"ascending": "▲", "descending": "▼"}.get(aria, ""),
            "url": _with(params, sort=None if target.is_default else target.value),
        }
    return columns


def _saved_views(user, tickets, current_params, display=None):
    active = tickets.filter(status__in=Ticket.ACTIVE_STATUSES)
    counts = active.aggregate(
        active=Count("pk"),
        mine=Count("pk", filter=Q(assignee=user)),
        unassigned=Count("pk", filter=Q(assignee__isnull=True)),
        breaching=Count("pk", filter=selectors.sla_state_filter("breached") | selectors.sla_state_filter("due_soon")),
    )
    base = reverse("tickets:desk-list")
    views = []
    for view in SAVED_VIEWS:
        query = QueryDict(mutable=True)
        for key, values in view.params.items():
            query.setlist(key, values)
        for key, value in (display or {}).items():
            query[key] = value
        views.append({
            "key": view.key, "label": view.label, "count": counts[view.key],
            "url": f"{base}?{query.urlencode()}" if query else base,
            "active": _filter_params(query) == current_params,
        })
    return views


def _list_context(request, params, bulk_form=None):
    user = request.user
    tickets = selectors.desk_ticket_list(user)
    ticket_filter = DeskTicketFilter(params, queryset=tickets, request=request)
    page_size = _page_size(params)
    page = Paginator(ticket_filter.qs, page_size).get_page(params.get("page"))
    if bulk_form is None:
        bulk_form = BulkUpdateForm(user=user, agents=ticket_filter.agents)
    display = _display_params(params, ticket_filter.sort, page_size)
    # The links below start from the filters plus the cleaned display parameters, so a bad ?sort= or
    # ?per_page= is not carried along.
    link_params = params.copy()
    for key in DISPLAY_PARAMS:
        link_params.pop(key, None)
    link_params.update(display)
    return {
        "filter": ticket_filter,
        "page": page,
        "query": link_params,
        "tickets": page.object_list,
        "sort": ticket_filter.sort,
        "sort_columns": _sort_columns(link_params, ticket_filter.sort),
        "display": display,
        "compact": display.get("density") == DENSITY_COMPACT,
        "page_size": page_size,
        "page_sizes": [
            {"size": size, "url": _with(link_params, per_page=None if size == PAGE_SIZE else str(size)),
             "active": size == page_size}
            for size in PAGE_SIZES
        ],
        "density_url": _with(link_params, density=None if display.get("density") else DENSITY_COMPACT),
        "saved_views": _saved_views(user, tickets, _filter_params(params), display),
        "bulk_form": bulk_form,
        "selected_ids": _posted_ids(bulk_form),
        "list_url": f"{reverse('tickets:desk-list')}?{link_params.urlencode()}" if link_params
        else reverse("tickets:desk-list"),
    }


def _posted_ids(form) -> set[int]:
    if not form.is_bound:
        return set()
    return set(form.fields["tickets"].to_python(form.data.getlist("tickets")))


@agent_required
@require_GET
def ticket_list(request):
    context = _list_context(request, request.GET)
    partial = request.htmx and not request.htmx.history_restore_request
    template = "tickets/desk/_results.html" if partial else "tickets/desk/ticket_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _safe_list_url(request) -> str:
    url = request.POST.get("next", "")
    list_url = reverse("tickets:desk-list")
    if url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}) and url.startswith(list_url):
        return url
    return list_url


@agent_required
@require_POST
def ticket_bulk(request):
    user = request.user
    next_url = _safe_list_url(request)
    form = BulkUpdateForm(request.POST, user=user, agents=list(agents_for(user)))
    if form.is_valid():
        try:
            changed = services.tickets_bulk_update(tickets=form.cleaned_data["tickets"], actor=user,
                                                   **form.changes())
        except TicketError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, ngettext("%(count)d ticket changed.", "%(count)d tickets changed.", changed)
                             % {"count": changed})
            return redirect(next_url)
    # Show the list again with the same filters, the rows still ticked and the reason next to the form.
    params = QueryDict(urlsplit(next_url).query)
    context = _list_context(request, params, bulk_form=form)
    return render(request, "tickets/desk/ticket_list.html", context, status=400)


# ---------------------------------------------------------------- the ticket page


@dataclass(frozen=True)
class EventLine:
    """One line of the history or of a conflict alert: who changed what, from what, to what, when."""

    who: str
    what: str
    old: str
    new: str
    when: datetime
    kind: str


VALUE_LABELS = {
    TicketEvent.Kind.STATUS: dict(Ticket.Status.choices),
    TicketEvent.Kind.CREATED: dict(Ticket.Status.choices),
    TicketEvent.Kind.PRIORITY: dict(Priority.choices),
    TicketEvent.Kind.SLA_WARNING: {"first_response": gettext_lazy("first response"),
                                   "resolution": gettext_lazy("resolution")},
    TicketEvent.Kind.SLA_BREACH: {"first_response": gettext_lazy("first response"),
                                  "resolution": gettext_lazy("resolution")},
}
# Kinds whose value is a message id: the line says what happened, the thread shows the text.
WITHOUT_VALUES = {TicketEvent.Kind.REPLIED, TicketEvent.Kind.NOTE, TicketEvent.Kind.CUSTOMER_REPLIED}


def describe_event(event) -> EventLine:
    labels = VALUE_LABELS.get(event.kind, {})
    old, new = ("", "") if event.kind in WITHOUT_VALUES else (event.old_value, event.new_value)
    who = (event.actor.get_full_name() or event.actor.email) if event.actor else _("System")
    return EventLine(who=who, what=event.get_kind_display(), old=str(labels.get(old, old)),
                     new=str(labels.get(new, new)), when=event.created_at, kind=event.kind)


def canned_responses_for(ticket):
    """The canned responses offered on a ticket: those of its queue and those for every queue."""
    return CannedResponse.objects.filter(Q(queue__isnull=True) | Q(queue_id=ticket.queue_id)).order_by("title")


def _render_ticket(request, ticket, *, reply_form=None, properties_form=None, merge_form=None, conflict=None,
                   status=200):
    user = request.user
    version = {"version": ticket.version}
    related = (
        selectors.tickets_for_agent(user).filter(Q(follow_up_of=ticket) | Q(merged_into=ticket))
        .order_by("created_at")
    )
    context = {
        "ticket": ticket,
        "thread": list(selectors.thread_for(ticket, include_internal=True)),
        "history": [describe_event(event) for event in selectors.events_for(ticket)],
        "other_tickets": list(selectors.other_tickets_of(ticket, user)),
        "related_tickets": list(related),
        "canned_responses": list(canned_responses_for(ticket)),
        "reply_form": reply_form or ReplyForm(initial=version),
        "properties_form": properties_form or TicketPropertiesForm(ticket=ticket),
        "merge_form": merge_form or MergeForm(ticket=ticket, user=user),
        "conflict": conflict,
        "sla_paused": ticket.status == Ticket.Status.PENDING,
        "can_reply": bool(ticket.accepts_message_from(user)),
    }
    return render(request, "tickets/desk/ticket_detail.html", context, status=status)


def _conflict_response(request, reference, conflict, form_name, make_form):
    """Show the page again, with what changed meanwhile, the agent's input kept and the version brought up to date."""
    ticket = selectors.ticket_for_user(request.user, reference)
    data = request.POST.copy()
    data["version"] = str(ticket.version)
    changes = [describe_event(event) for event in conflict.changes]
    lost_files = bool(request.FILES)
    anchor = {"reply_form": "reply", "properties_form": "properties", "merge_form": "merge"}[form_name]
    return _render_ticket(request, ticket, conflict={"changes": changes, "lost_files": lost_files, "anchor": anchor},
                          status=409, **{form_name: make_form(data, ticket)})


@agent_required
@require_GET
def ticket_detail(request, reference):
    ticket = selectors.ticket_for_user(request.user, reference)
    if request.htmx and "assignee_options" in request.GET:
        # The properties form asks for the agents of the queue just picked.
        form = TicketPropertiesForm(request.GET, ticket=ticket)
        return render(request, "tickets/desk/_assignee_options.html",
                      {"agents": agents_of_queue(form.target_queue), "selected": request.GET.get("assignee", "")})
    return _render_ticket(request, ticket)


@agent_required
@require_POST
def ticket_reply(request, reference):
    ticket = selectors.ticket_for_user(request.user, reference)
    form = ReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_ticket(request, ticket, reply_form=form, status=400)
    data = form.cleaned_data
    try:
        services.ticket_agent_reply(
            ticket=ticket, agent=request.user, body=data["body"], files=data["files"], internal=form.internal,
            status=form.status, resolution_summary=data["resolution_summary"], expected_version=data["version"],
        )
    except TicketConflict as conflict:
        return _conflict_response(request, reference, conflict, "reply_form",
                                  lambda post, fresh: ReplyForm(post))
    except TicketError as error:
        form.add_error(None, str(error))
        return _render_ticket(request, ticket, reply_form=form, status=400)
    except ValidationError as error:
        form.add_error("files", error)
        return _render_ticket(request, ticket, reply_form=form, status=400)
    if form.internal:
        messages.success(request, _("Internal note added."))
    elif form.status == Ticket.Status.RESOLVED:
        messages.success(request, _("Reply sent and ticket resolved."))
    elif form.status == Ticket.Status.PENDING:
        messages.success(request, _("Reply sent; the ticket waits on the customer."))
    else:
        messages.success(request, _("Reply sent."))
    return redirect("tickets:desk-detail", reference=ticket.reference)


@agent_required
@require_POST
def ticket_update(request, reference):
    user = request.user
    ticket = selectors.ticket_for_user(user, reference)
    form = TicketPropertiesForm(request.POST, ticket=ticket)
    if not form.is_valid():
        return _render_ticket(request, ticket, properties_form=form, status=400)
    data = form.cleaned_data
    try:
        services.ticket_update(
            ticket=ticket, actor=user, expected_version=data["version"], status=data["status"],
            priority=data["priority"], queue=data["queue"], assignee=data["assignee"], tags=data["tags"],
            resolution_summary=data["resolution_summary"],
        )
    except TicketConflict as conflict:
        return _conflict_response(request, reference, conflict, "properties_form",
                                  lambda post, fresh: TicketPropertiesForm(post, ticket=fresh))
    except TicketError as error:
        form.add_error(None, str(error))
        return _render_ticket(request, ticket, properties_form=form, status=400)
    if not selectors.tickets_for_agent(user).filter(pk=ticket.pk).exists():
        messages.success(request, _("%(reference)s moved to the queue “%(queue)s”, which you do not work in.")
                         % {"reference": ticket.reference, "queue": data["queue"].name})
        return redirect("tickets:desk-list")
    messages.success(request, _("Ticket updated."))
    return redirect("tickets:desk-detail", reference=ticket.reference)


@agent_required
@require_POST
def ticket_merge(request, reference):
    user = request.user
    ticket = selectors.ticket_for_user(user, reference)
    form = MergeForm(request.POST, ticket=ticket, user=user)
    if not form.is_valid():
        return _render_ticket(request, ticket, merge_form=form, status=400)
    target = form.cleaned_data["target"]
    try:
        services.ticket_merge(source=ticket, target=target, actor=user, expected_version=form.cleaned_data["version"],
                              confirm_requesters=form.cleaned_data["confirm_requesters"])
    except TicketConflict as conflict:
        return _conflict_response(request, reference, conflict, "merge_form",
                                  lambda post, fresh: MergeForm(post, ticket=fresh, user=user))
    except TicketError as error:
        form.add_error(None, str(error))
        form.needs_confirmation = isinstance(error, MergeNeedsConfirmation)
        messages.error(request, str(error))  # at the top of the page too: the merge card may be out of sight
        return _render_ticket(request, ticket, merge_form=form, status=400)
    messages.success(request, _("%(source)s was merged into %(target)s.")
                     % {"source": ticket.reference, "target": target.reference})
    return redirect("tickets:desk-detail", reference=target.reference)


def fill_placeholders(text, *, ticket, agent) -> str:
    values = {
        "{customer_name}": ticket.requester.get_full_name() or ticket.requester.email,
        "{reference}": ticket.reference,
        "{agent_name}": agent.get_full_name() or agent.email,
        "{subject}": ticket.subject,
    }
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


@agent_required
@require_GET
def canned_response(request, pk):
    ticket = selectors.ticket_for_user(request.user, request.GET.get("ticket", ""))
    canned = get_object_or_404(canned_responses_for(ticket), pk=pk)
    text = fill_placeholders(canned.body, ticket=ticket, agent=request.user)
    if request.htmx:
        # A new reply box: what the agent had typed, then the canned text.
        typed = request.GET.get("body", "").rstrip()
        body = f"{typed}\n\n{text}" if typed else text
        return render(request, "tickets/desk/_reply_body.html", {"field": ReplyForm(initial={"body": body})["body"]})
    return HttpResponse(text, content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- opening a ticket for a customer


@agent_required
@require_http_methods(["GET", "POST"])
def ticket_create(request):
    user = request.user
    if request.method == "POST":
        form = TicketOnBehalfForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.ticket_create(
                    requester=data["customer_email"], subject=data["subject"], description=data["description"],
                    queue=data["queue"], priority=data["priority"], channel=Ticket.Channel.PHONE,
                    files=data["files"], created_by=user,
                )
            except TicketError as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error("files", error)
            else:
                messages.success(request, _("Ticket %(reference)s opened for %(customer)s.")
                                 % {"reference": ticket.reference, "customer": ticket.requester})
                return redirect("tickets:desk-detail", reference=ticket.reference)
        status = 400
    else:
        form = TicketOnBehalfForm(user=user, initial={"customer_email": request.GET.get("customer", "")})
        status = 200
    return render(request, "tickets/desk/ticket_create.html", {"form": form}, status=status)
