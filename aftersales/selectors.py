"""Reads for views and reports, scoped to what the user may see.

A customer sees their own purchases and requests, and those about their own purchases;
an organisation's primary contact sees all of the organisation's. The service team (agents,
managers, admins) sees every request. Anything else answers 404.
"""

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from aftersales.models import Product, Purchase, ServiceEvent, ServiceFile, ServiceLog, ServiceRequest
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role, is_agent

Status = ServiceRequest.Status


# ---------------------------------------------------------------- purchases


def purchases_for_customer(user):
    mine = Q(customer=user)
    if user.is_primary_contact and user.organization_id:
        mine |= Q(organization_id=user.organization_id)
    return Purchase.objects.filter(mine)


def products_registered_for(user):
    """The products the customer's organisation (or the customer, without one) has registered purchases of."""
    purchases = Q(purchases__customer=user)
    if user.organization_id:
        purchases |= Q(purchases__organization_id=user.organization_id)
    return Product.objects.filter(purchases).distinct().order_by("name", "pk")


def purchases_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return Purchase.objects.none()
    if is_agent(user):
        return Purchase.objects.all()
    return purchases_for_customer(user)


def purchase_for_user(user, pk) -> Purchase:
    purchase = purchases_visible_to(user).select_related("product", "customer", "organization").filter(pk=pk).first()
    if purchase is None:
        raise Http404
    return purchase


def portal_purchase_list(user):
    return (
        purchases_for_customer(user).select_related("product", "customer")
        .annotate(open_requests=Count("service_requests",
                                      filter=Q(service_requests__status__in=ServiceRequest.ACTIVE_STATUSES)))
        .order_by("-purchase_date", "-pk")
    )


# ---------------------------------------------------------------- service requests


def service_requests_for_customer(user):
    mine = Q(requester=user) | Q(purchase__customer=user)
    if user.is_primary_contact and user.organization_id:
        mine |= Q(organization_id=user.organization_id) | Q(purchase__organization_id=user.organization_id)
    return ServiceRequest.objects.filter(mine)


def service_requests_visible_to(user):
    if not getattr(user, "is_authenticated", False):
        return ServiceRequest.objects.none()
    if is_agent(user):
        return ServiceRequest.objects.all()
    return service_requests_for_customer(user)


def service_request_for_user(user, reference) -> ServiceRequest:
    """The request the user may see, or 404 — whether it does not exist or belongs to someone else."""
    pk = ServiceRequest.pk_from_reference(reference)
    if pk is None:
        raise Http404
    service_request = (
        service_requests_visible_to(user)
        .select_related("purchase__product", "purchase__customer", "requester", "organization", "technician",
                        "reviewer", "ticket", "created_by")
        .filter(pk=pk).first()
    )
    if service_request is None:
        raise Http404
    return service_request


def desk_service_request_list(user):
    if not is_agent(user):
        return ServiceRequest.objects.none()
    return ServiceRequest.objects.select_related("purchase__product", "requester", "organization", "technician")


def portal_service_request_list(user):
    return service_requests_for_customer(user).select_related("purchase__product", "requester")


def overdue_review_q(now=None) -> Q:
    """Waiting for a decision past its review due time (a quote waiting on the customer is not overdue)."""
    now = now or timezone.now()
    return (Q(status__in=ServiceRequest.REVIEW_STATUSES, review_due__lt=now)
            & ~Q(quote_sent_at__isnull=False, quote_accepted_at__isnull=True, quote_declined_at__isnull=True))


def awaiting_review_q() -> Q:
    return (Q(status__in=ServiceRequest.REVIEW_STATUSES)
            & ~Q(quote_sent_at__isnull=False, quote_accepted_at__isnull=True, quote_declined_at__isnull=True))


def awaiting_review(user):
    return desk_service_request_list(user).filter(awaiting_review_q()).order_by("review_due", "pk")


def sidebar_counts(user, now=None) -> dict:
    """The desk sidebar's numbers, in one query."""
    return desk_service_request_list(user).aggregate(
        active=Count("pk", filter=Q(status__in=ServiceRequest.ACTIVE_STATUSES)),
        review=Count("pk", filter=awaiting_review_q()),
        overdue=Count("pk", filter=overdue_review_q(now)),
        in_service=Count("pk", filter=Q(status=Status.IN_SERVICE)),
        mine=Count("pk", filter=Q(technician=user, status__in=ServiceRequest.ACTIVE_STATUSES)),
    )


def reviewing_managers():
    """The active managers, who review requests nobody has taken yet."""
    return User.objects.filter(is_active=True, groups__name=Role.MANAGER).distinct().order_by("pk")


def technicians():
    """Who may be a request's technician: active agents and managers."""
    return (User.objects.filter(is_active=True, groups__name__in=[Role.AGENT, Role.MANAGER])
            .distinct().order_by("name", "email"))


# ---------------------------------------------------------------- the page of one request


def request_files(service_request):
    """The files sent with the request itself."""
    return ServiceFile.objects.filter(service_request=service_request, log__isnull=True).order_by("pk")


def logs_for(service_request, *, include_internal: bool):
    logs = ServiceLog.objects.filter(service_request=service_request).select_related("author").prefetch_related(
        Prefetch("files", queryset=ServiceFile.objects.order_by("pk"))
    )
    if not include_internal:
        logs = logs.filter(is_internal=False)
    return logs.order_by("created_at", "pk")


def events_for(service_request, *, public_only: bool):
    events = ServiceEvent.objects.filter(service_request=service_request).select_related("actor")
    if public_only:
        events = events.filter(kind__in=ServiceEvent.PUBLIC_KINDS)
    return events.order_by("created_at", "pk")


def service_file_for_user(user, file_id) -> ServiceFile:
    """A file the user may download: its request is visible, and customers never get internal files."""
    files = ServiceFile.objects.select_related("log").filter(
        pk=file_id, service_request__in=service_requests_visible_to(user).values("pk"),
    )
    if not is_agent(user):
        files = files.filter(Q(log__isnull=True) | Q(log__is_internal=False))
    stored = files.first()
    if stored is None:
        raise Http404
    return stored


def requests_of_purchase(purchase, user):
    return (service_requests_visible_to(user).filter(purchase=purchase).select_related("requester")
            .order_by("-created_at"))


def other_requests_of(service_request, limit=5):
    return (ServiceRequest.objects.filter(purchase__customer_id=service_request.purchase.customer_id)
            .exclude(pk=service_request.pk).select_related("purchase__product").order_by("-created_at")[:limit])


# ---------------------------------------------------------------- tickets


def linked_to_ticket(ticket, user):
    return (service_requests_visible_to(user).filter(ticket_id=ticket.pk).select_related("purchase__product")
            .order_by("created_at"))
