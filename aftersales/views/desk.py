"""The agent desk: the service-request queue, the request page and its actions, converting a ticket."""

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aftersales import selectors, services, timeline
from aftersales.eligibility import customer_date
from aftersales.filters import SORT_COLUMNS, ServiceRequestFilter
from aftersales.forms import (
    ApproveForm,
    AssignForm,
    CloseForm,
    CompleteForm,
    ConvertTicketForm,
    LogForm,
    QuoteForm,
    RejectForm,
    StartReviewForm,
    StartServiceForm,
)
from aftersales.models import ServiceRequest
from aftersales.services import ServiceRequestConflict, ServiceRequestError
from helpdesk.accounts.roles import agent_required, is_manager, manager_required
from helpdesk.pagination import CappedPaginator as Paginator
from tickets import selectors as ticket_selectors

PAGE_SIZE = 50
PAGE_SIZES = (25, 50, 100)
# Parameters that say how the queue is shown, not which requests: kept across filters and pages.
DISPLAY_PARAMS = ("sort", "per_page")
Status = ServiceRequest.Status

# The forms of the request page: context name → form class.
FORMS = {
    "review_form": StartReviewForm,
    "approve_form": ApproveForm,
    "reject_form": RejectForm,
    "quote_form": QuoteForm,
    "assign_form": AssignForm,
    "log_form": LogForm,
    "start_form": StartServiceForm,
    "complete_form": CompleteForm,
    "close_form": CloseForm,
}
ANCHORS = {"review_form": "decision", "approve_form": "decision", "reject_form": "decision",
           "quote_form": "decision", "assign_form": "technician", "log_form": "log", "start_form": "work",
           "complete_form": "work", "close_form": "work"}


def form_offered(form_name, service_request) -> bool:
    """Whether the page still shows this form for the request as it is now."""
    status = service_request.status
    if form_name == "review_form":
        return status == Status.SUBMITTED
    if form_name in ("approve_form", "reject_form", "quote_form"):
        return status == Status.UNDER_REVIEW and not service_request.quote_pending
    if form_name == "start_form":
        return status == Status.APPROVED
    if form_name == "complete_form":
        return status == Status.IN_SERVICE
    if form_name == "close_form":
        return status in (Status.COMPLETED, Status.REJECTED)
    if form_name == "assign_form":
        return status != Status.CLOSED
    return True


def typed_text(form) -> list[tuple[str, str]]:
    """What the person wrote into a form's text fields, to show back when the form is no longer offered."""
    typed = []
    for name, field in form.fields.items():
        value = (form.data.get(name) or "").strip()
        if value and isinstance(field, django_forms.CharField) and name != "version":
            typed.append((str(field.label), value))
    return typed


# ---------------------------------------------------------------- the queue


def _page_size(params) -> int:
    """25, 50 or 100 rows; any other ?per_page= is the default."""
    try:
        size = int(params.get("per_page", ""))
    except ValueError:
        return PAGE_SIZE
    return size if size in PAGE_SIZES else PAGE_SIZE


def _with(params, **changes) -> str:
    """The queue's query string with some parameters changed (None drops one), back to the first page."""
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


@agent_required
@require_GET
def service_request_list(request):
    params = request.GET
    requests = selectors.desk_service_request_list(request.user)
    request_filter = ServiceRequestFilter(params, queryset=requests, request=request)
    page_size = _page_size(params)
    page = Paginator(request_filter.qs, page_size).get_page(params.get("page"))
    # Links start from the filters plus the cleaned display parameters, so a bad ?sort= or ?per_page= is
    # not carried along.
    link_params = params.copy()
    for key in DISPLAY_PARAMS:
        link_params.pop(key, None)
    if not request_filter.sort.is_default:
        link_params["sort"] = request_filter.sort.value
    if page_size != PAGE_SIZE:
        link_params["per_page"] = str(page_size)
    context = {
        "filter": request_filter,
        "page": page,
        "requests": page.object_list,
        "query": link_params,
        "sort": request_filter.sort,
        "sort_columns": _sort_columns(link_params, request_filter.sort),
        "page_size": page_size,
        "page_sizes": [
            {"size": size, "url": _with(link_params, per_page=None if size == PAGE_SIZE else str(size)),
             "active": size == page_size}
            for size in PAGE_SIZES
        ],
        "now": timezone.now(),
        "counts": selectors.sidebar_counts(request.user),
        "can_review": is_manager(request.user),
    }
    partial = request.htmx and not request.htmx.history_restore_request
    template = "aftersales/desk/_results.html" if partial else "aftersales/desk/service_request_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------- the request page


def _render_detail(request, service_request, *, conflict=None, status=200, **bound_forms):
    user = request.user
    forms = {name: bound_forms.get(name) or form_class(service_request=service_request)
             for name, form_class in FORMS.items()}
    context = {
        "sr": service_request,
        "purchase": service_request.purchase,
        "customer_today": customer_date(service_request.requester),
        "timeline": timeline.build(service_request, for_customer=False),
        "request_files": list(selectors.request_files(service_request)),
        "other_requests": list(selectors.other_requests_of(service_request)),
        "is_manager": is_manager(user),
        "conflict": conflict,
        "now": timezone.now(),
        **forms,
    }
    return render(request, "aftersales/desk/service_request_detail.html", context, status=status)


@agent_required
@require_GET
def service_request_detail(request, reference):
    service_request = selectors.service_request_for_user(request.user, reference)
    return _render_detail(request, service_request)


def _act(request, reference, form_name, call, success):
    """The shape of every action on the request page: form, one service call, redirect or the page again."""
    user = request.user
    service_request = selectors.service_request_for_user(user, reference)
    form_class = FORMS[form_name]
    form = form_class(request.POST, request.FILES, service_request=service_request)
    if not form.is_valid():
        return _render_detail(request, service_request, status=400, **{form_name: form})
    try:
        call(service_request, form)
    except ServiceRequestConflict as conflict:
        # The page again with what changed meanwhile, the input kept and the version brought up to date.
        fresh = selectors.service_request_for_user(user, reference)
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        kept = form_class(data, service_request=fresh)
        offered = form_offered(form_name, fresh)
        changes = timeline.describe_changes(conflict.changes, fresh)
        return _render_detail(request, fresh, status=409, conflict={
            "changes": changes, "lost_files": bool(request.FILES), "anchor": ANCHORS[form_name], "offered": offered,
            "typed": [] if offered else typed_text(kept)}, **{form_name: kept})
    except ValidationError as error:
        form.add_error("files" if "files" in form.fields else None, error)
        return _render_detail(request, service_request, status=400, **{form_name: form})
    except ServiceRequestError as error:
        form.add_error(error.field if error.field in form.fields else None, str(error))
        return _render_detail(request, service_request, status=400, **{form_name: form})
    messages.success(request, success)
    return redirect("aftersales:desk-detail", reference=service_request.reference)


@manager_required
@require_POST
def start_review(request, reference):
    return _act(request, reference, "review_form", lambda sr, form: services.service_request_start_review(
        service_request=sr, actor=request.user, expected_version=form.cleaned_data["version"]),
        _("Review started: approve, reject or send a quote."))


@manager_required
@require_POST
def approve(request, reference):
    return _act(request, reference, "approve_form", lambda sr, form: services.service_request_approve(
        service_request=sr, actor=request.user, eligibility=form.cleaned_data["eligibility"],
        expected_version=form.cleaned_data["version"]), _("Approved. The customer has been told."))


@manager_required
@require_POST
def reject(request, reference):
    return _act(request, reference, "reject_form", lambda sr, form: services.service_request_reject(
        service_request=sr, actor=request.user, reason=form.cleaned_data["reason"],
        eligibility=form.cleaned_data["eligibility"], expected_version=form.cleaned_data["version"]),
        _("Rejected. The customer has been told why."))


@manager_required
@require_POST
def send_quote(request, reference):
    return _act(request, reference, "quote_form", lambda sr, form: services.service_request_send_quote(
        service_request=sr, actor=request.user, amount=form.cleaned_data["amount"],
        currency=form.cleaned_data["currency"], note=form.cleaned_data["note"], reason=form.cleaned_data["reason"],
        expected_version=form.cleaned_data["version"]),
        _("Quote sent. Service can start once the customer accepts it in the portal."))


@agent_required
@require_POST
def assign(request, reference):
    return _act(request, reference, "assign_form", lambda sr, form: services.service_request_assign(
        service_request=sr, actor=request.user, technician=form.cleaned_data["technician"],
        expected_version=form.cleaned_data["version"]), _("Technician saved."))


@agent_required
@require_POST
def add_log(request, reference):
    return _act(request, reference, "log_form", lambda sr, form: services.service_request_add_log(
        service_request=sr, author=request.user, text=form.cleaned_data["text"], internal=form.internal,
        files=form.cleaned_data["files"], expected_version=form.cleaned_data["version"]),
        _("Log entry added."))


@agent_required
@require_POST
def start_service(request, reference):
    return _act(request, reference, "start_form", lambda sr, form: services.service_request_start(
        service_request=sr, actor=request.user, expected_version=form.cleaned_data["version"]),
        _("Service started. The customer has been told."))


@agent_required
@require_POST
def complete(request, reference):
    return _act(request, reference, "complete_form", lambda sr, form: services.service_request_complete(
        service_request=sr, actor=request.user, work_done=form.cleaned_data["work_done"],
        parts_replaced=form.cleaned_data["parts_replaced"], replacement_serial=form.cleaned_data["replacement_serial"],
        expected_version=form.cleaned_data["version"]), _("Completed. The customer has the report."))


@agent_required
@require_POST
def close(request, reference):
    return _act(request, reference, "close_form", lambda sr, form: services.service_request_close(
        service_request=sr, actor=request.user, expected_version=form.cleaned_data["version"]),
        _("Service request closed."))


# ---------------------------------------------------------------- from a ticket


@agent_required
@require_POST
def convert_ticket(request, reference):
    """The "Convert to service request" form on the desk ticket page."""
    ticket = ticket_selectors.ticket_for_user(request.user, reference)
    purchases = selectors.purchases_for_customer(ticket.requester).select_related("product")
    form = ConvertTicketForm(request.POST, purchases=purchases)
    if form.is_valid():
        data = form.cleaned_data
        try:
            service_request = services.service_request_from_ticket(
                ticket=ticket, purchase=data["purchase"], agent=request.user, kind=data["kind"],
                onsite_address=data["onsite_address"],
            )
        except ServiceRequestError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(reference)s opened from %(ticket)s; the two are linked.")
                             % {"reference": service_request.reference, "ticket": ticket.reference})
            return redirect(service_request.get_absolute_url())
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(ticket.get_absolute_url() + "#convert-to-service")
