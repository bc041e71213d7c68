"""The customer portal: my products, registering a purchase, asking for service, following it, answering a quote."""


from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from aftersales import selectors, services, timeline
from aftersales.eligibility import customer_date
from aftersales.forms import PurchaseRegisterForm, ServiceReplyForm, ServiceRequestForm
from aftersales.models import ServiceRequest
from aftersales.services import ServiceRequestError
from helpdesk.accounts import roles
from helpdesk.pagination import CappedPaginator as Paginator

PAGE_SIZE = 20
# The reference of the request just submitted: its page then explains what happens next, once.
JUST_SUBMITTED_KEY = "aftersales_just_submitted"

STATUS_FILTERS = {
    "all": Q(),
    "open": Q(status__in=ServiceRequest.ACTIVE_STATUSES),
    "done": ~Q(status__in=ServiceRequest.ACTIVE_STATUSES),
}


portal_view = roles.portal_view(desk_detail="aftersales:desk-detail", desk_list="aftersales:desk-list")


def _shows_owner(user) -> bool:
    return bool(user.is_primary_contact and user.organization_id)


# ---------------------------------------------------------------- products


@require_safe
@portal_view
def product_list(request):
    user = request.user
    purchases = selectors.portal_purchase_list(user)
    page = Paginator(purchases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "today": customer_date(user),
        "show_owner": _shows_owner(user),
        "open_requests": selectors.portal_service_request_list(user)
        .filter(status__in=ServiceRequest.ACTIVE_STATUSES).count(),
    }
    return render(request, "aftersales/portal/product_list.html", context)


@require_http_methods(["GET", "POST"])
@portal_view
def purchase_register(request):
    user = request.user
    today = customer_date(user)
    if request.method == "POST":
        form = PurchaseRegisterForm(request.POST, request.FILES, today=today)
        if form.is_valid():
            data = form.cleaned_data
            try:
                purchase = services.purchase_register(
                    customer=user, product=data["product"], serial_number=data["serial_number"],
                    purchase_date=data["purchase_date"], order_reference=data["order_reference"],
                    proof=data["proof"], registered_by=user,
                )
            except ServiceRequestError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            except ValidationError as error:
                form.add_error("proof", error)
            else:
                messages.success(request, _("%(product)s is registered. If it ever needs service, ask for it from "
                                            "this page.") % {"product": purchase.product.name})
                return redirect(purchase.get_portal_url())
        status = 400
    else:
        form = PurchaseRegisterForm(today=today)
        status = 200
    return render(request, "aftersales/portal/purchase_register.html", {"form": form}, status=status)


@require_safe
@portal_view
def product_detail(request, pk):
    user = request.user
    purchase = selectors.purchase_for_user(user, pk)
    context = {
        "purchase": purchase,
        "today": customer_date(user),
        "requests": list(selectors.requests_of_purchase(purchase, user)),
        "refund_open": customer_date(user) <= purchase.refund_until,
    }
    return render(request, "aftersales/portal/product_detail.html", context)


# ---------------------------------------------------------------- service requests


@require_http_methods(["GET", "POST"])
@portal_view
def service_request_create(request, pk):
    user = request.user
    purchase = selectors.purchase_for_user(user, pk)
    today = customer_date(user)
    if request.method == "POST":
        form = ServiceRequestForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                service_request = services.service_request_submit(
                    purchase=purchase, requester=user, kind=data["kind"], description=data["description"],
                    onsite_address=data["onsite_address"], files=data["attachments"],
                )
            except ValidationError as error:
                form.add_error("attachments", error)
            except ServiceRequestError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error))
            else:
                request.session[JUST_SUBMITTED_KEY] = service_request.reference
                return redirect(service_request.get_portal_url())
        status = 400
    else:
        kind = request.GET.get("kind")
        form = ServiceRequestForm(initial={"kind": kind} if kind in ServiceRequest.Kind.values else None)
        status = 200
    context = {
        "form": form,
        "purchase": purchase,
        "today": today,
        "in_warranty": purchase.in_warranty_on(today),
        "refund_open": today <= purchase.refund_until,
    }
    return render(request, "aftersales/portal/service_request_create.html", context, status=status)


@require_safe
@portal_view
def service_request_list(request):
    user = request.user
    status = request.GET.get("status") if request.GET.get("status") in STATUS_FILTERS else "all"
    requests = selectors.portal_service_request_list(user)
    counts = requests.aggregate(**{name: Count("pk", filter=condition) for name, condition in STATUS_FILTERS.items()})
    page = Paginator(requests.filter(STATUS_FILTERS[status]).order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    tabs = [("all", _("All")), ("open", _("Open")), ("done", _("Finished"))]
    context = {
        "page": page,
        "status": status,
        "counts": counts,
        "status_tabs": [(name, label, counts[name]) for name, label in tabs],
        "show_requester": _shows_owner(user),
    }
    return render(request, "aftersales/portal/service_request_list.html", context)


def _render_detail(request, service_request, *, reply_form=None, status=200):
    user = request.user
    just_submitted = request.session.get(JUST_SUBMITTED_KEY) == service_request.reference
    if just_submitted:
        del request.session[JUST_SUBMITTED_KEY]
    ticket = None
    if service_request.ticket_id:
        from tickets.selectors import portal_ticket_list

        ticket = portal_ticket_list(user).filter(pk=service_request.ticket_id).first()
    context = {
        "sr": service_request,
        "purchase": service_request.purchase,
        "today": customer_date(user),
        "timeline": timeline.build(service_request, for_customer=True, viewer=user),
        "progress": timeline.progress(service_request),
        "request_files": list(selectors.request_files(service_request)),
        "just_submitted": just_submitted,
        "ticket": ticket,
        "can_reply": service_request.accepts_reply(),
        "reply_form": reply_form or ServiceReplyForm(),
    }
    return render(request, "aftersales/portal/service_request_detail.html", context, status=status)


@require_safe
@portal_view
def service_request_detail(request, reference):
    service_request = selectors.service_request_for_user(request.user, reference)
    return _render_detail(request, service_request)


@require_POST
@portal_view
def quote_accept(request, reference):
    service_request = selectors.service_request_for_user(request.user, reference)
    try:
        services.service_request_accept_quote(service_request=service_request, customer=request.user)
    except ServiceRequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: you accepted the quote. Your request is approved and a technician "
                                    "will start the work; we e-mail you when it begins."))
    return redirect(service_request.get_portal_url())


@require_POST
@portal_view
def quote_decline(request, reference):
    service_request = selectors.service_request_for_user(request.user, reference)
    try:
        services.service_request_decline_quote(service_request=service_request, customer=request.user)
    except ServiceRequestError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You declined the quote. The request is closed and nothing is charged."))
    return redirect(service_request.get_portal_url())


@require_POST
@portal_view
def service_request_reply(request, reference):
    """The customer writes on their request, with files; refused files are explained next to the field."""
    service_request = selectors.service_request_for_user(request.user, reference)
    form = ServiceReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.service_request_customer_reply(service_request=service_request, customer=request.user,
                                                    text=form.cleaned_data["text"],
                                                    files=form.cleaned_data["attachments"])
        except ValidationError as error:
            form.add_error("attachments", error)
        except ServiceRequestError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error))
        else:
            messages.success(request, _("Your message was added. The service team has been told; their answers appear "
                                        "on this page."))
            return redirect(service_request.get_portal_url() + "#timeline-title")
    return _render_detail(request, service_request, reply_form=form, status=400)
