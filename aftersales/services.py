"""Every change to purchases and service requests: one function per action, each in a transaction.

Each takes keyword arguments, locks the request (``select_for_update``) where two people can
race, checks the move is allowed (``ServiceRequest.TRANSITIONS`` and the guards on the model),
raises ``ServiceRequestError`` with a message a person can read, records a ``ServiceEvent``,
and leaves e-mail to the outbox, which sends only after the transaction commits.
"""

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales import notifications
from aftersales.eligibility import assess, customer_date, review_due_for
from aftersales.models import (
    Purchase,
    ServiceEvent,
    ServiceFile,
    ServiceLog,
    ServiceRequest,
    warranty_end,
)
from helpdesk.accounts.roles import is_agent, is_manager
from helpdesk.versioning import check_version, save_versioned
from tickets.attachments import check_uploads

Status = ServiceRequest.Status
Kind = ServiceRequest.Kind
Eligibility = ServiceRequest.Eligibility
EventKind = ServiceEvent.Kind
UNSET = object()
AUTO_CLOSE_DAYS = getattr(settings, "AFTERSALES_AUTO_CLOSE_DAYS", 14)


class ServiceRequestError(Exception):
    """An action that cannot be carried out; the message is for the person who asked.

    ``field`` names the form field the problem is about, when there is one.
    """

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


class ServiceRequestConflict(ServiceRequestError):
    """The request changed after the person loaded it; ``changes`` lists what changed since."""

    def __init__(self, service_request, changes):
        super().__init__(_("This service request changed while you were editing. Review the changes below, then "
                           "try again."))
        self.service_request = service_request
        self.changes = changes


class PurchaseError(ServiceRequestError):
    """A purchase that cannot be registered as given."""


# ---------------------------------------------------------------- helpers


def normalize_serial(serial: str) -> str:
    """Serial numbers compare without regard to case or stray spaces, so they are stored upper-case."""
    return " ".join((serial or "").split()).upper()


def _lock(service_request) -> ServiceRequest:
    return (ServiceRequest.objects.select_for_update(of=("self",))
            .select_related("purchase__product", "requester", "technician", "reviewer")
            .get(pk=service_request.pk))


def _check_version(service_request, expected_version):
    check_version(service_request, expected_version,
                  events=ServiceEvent.objects.filter(service_request=service_request), conflict=ServiceRequestConflict)


_save = save_versioned


def _event(service_request, actor, kind, old="", new="", *, now):
    return ServiceEvent.objects.create(
        service_request=service_request, actor=actor, kind=kind, old_value=str(old)[:255], new_value=str(new)[:255],
        version=service_request.version + 1, created_at=now,
    )


def _store_files(service_request, checked_uploads, *, now, log=None):
    for upload, name, content_type in checked_uploads:
        stored = ServiceFile(service_request=service_request, log=log, original_name=name, size=upload.size,
                             content_type=content_type, created_at=now)
        stored.file.save(name, upload, save=False)
        stored.save()


def _require_agent(actor):
    if not is_agent(actor):
        raise ServiceRequestError(_("Only the service team can do this."))


def _require_manager(actor):
    if not is_manager(actor):
        raise ServiceRequestError(_("Only a manager can decide on a service request."))


def _guard_move(service_request, status):
    if not service_request.can_move_to(status):
        raise ServiceRequestError(
            _("A service request cannot go from “%(old)s” to “%(new)s”.")
            % {"old": service_request.get_status_display(), "new": Status(status).label}
        )


TIMESTAMPS = {
    Status.APPROVED: "decided_at",
    Status.REJECTED: "decided_at",
    Status.IN_SERVICE: "service_started_at",
    Status.COMPLETED: "completed_at",
    Status.CLOSED: "closed_at",
}


def _set_status(service_request, status, *, actor, now) -> list[str]:
    _guard_move(service_request, status)
    old = service_request.status
    service_request.status = status
    fields = ["status"]
    stamp = TIMESTAMPS.get(status)
    if stamp:
        setattr(service_request, stamp, now)
        fields.append(stamp)
    _event(service_request, actor, EventKind.STATUS, old, status, now=now)
    return fields


def _confirm_eligibility(service_request, eligibility, *, actor, now) -> list[str]:
    """The reviewer confirms the assessed eligibility, or corrects it."""
    eligibility = eligibility or service_request.eligibility
    allowed = (ServiceRequest.REFUND_ELIGIBILITY if service_request.kind == Kind.REFUND
               else ServiceRequest.WARRANTY_ELIGIBILITY)
    if eligibility not in allowed:
        raise ServiceRequestError(_("Choose an eligibility that fits a %(kind)s request.")
                                  % {"kind": service_request.get_kind_display().lower()}, field="eligibility")
    if eligibility != service_request.eligibility:
        _event(service_request, actor, EventKind.ELIGIBILITY, service_request.eligibility, eligibility, now=now)
        service_request.eligibility = eligibility
    service_request.eligibility_confirmed_at = now
    return ["eligibility", "eligibility_confirmed_at"]


# ---------------------------------------------------------------- purchases


def purchase_register(*, customer, product, serial_number, purchase_date, order_reference="", proof=None,
                      registered_by=None, now=None) -> Purchase:
    """Register a product the customer bought. A serial number is registered once per product."""
    checked = check_uploads([proof]) if proof else []  # refuse a bad file before anything is written
    serial = normalize_serial(serial_number)
    if not serial:
        raise PurchaseError(_("Enter the serial number printed on the product or its licence."),
                            field="serial_number")
    if not product.is_active:
        raise PurchaseError(_("%(product)s can no longer be registered.") % {"product": product.name},
                            field="product")
    now = now or timezone.now()
    if purchase_date > customer_date(customer, now):
        raise PurchaseError(_("The purchase date cannot be in the future."), field="purchase_date")
    duplicate = PurchaseError(
        _("Serial number %(serial)s of %(product)s is already registered. Check the number; if the product is "
          "yours, contact support.") % {"serial": serial, "product": product.name},
        field="serial_number",
    )
    with transaction.atomic():
        if Purchase.objects.filter(product=product, serial_number=serial).exists():
            raise duplicate
        purchase = Purchase(
            customer=customer, organization=customer.organization, product=product, serial_number=serial,
            purchase_date=purchase_date, order_reference=(order_reference or "").strip()[:100],
            warranty_until=warranty_end(purchase_date, product.warranty_months), registered_by=registered_by,
            created_at=now,
        )
        for upload, name, content_type in checked:
            purchase.proof_name, purchase.proof_size, purchase.proof_content_type = name, upload.size, content_type
            purchase.proof.save(name, upload, save=False)
        try:
            with transaction.atomic():
                purchase.save()
        except IntegrityError:  # registered by someone else a moment ago
            raise duplicate from None
    return purchase


def purchase_refresh_warranty(purchase) -> list[str]:
    """Recompute what follows from the purchase date and product (admin edits); returns the changed fields."""
    purchase.warranty_until = warranty_end(purchase.purchase_date, purchase.product.warranty_months)
    purchase.serial_number = normalize_serial(purchase.serial_number)
    fields = ["warranty_until", "serial_number"]
    if purchase.organization_id is None and purchase.customer.organization_id:
        purchase.organization = purchase.customer.organization
        fields.append("organization")
    return fields


def purchases_import(*, csv_file, actor=None, now=None) -> list[Purchase]:
    """Import purchases from a CSV file: every row is checked first, and all are imported or none.

    Raises ``imports.ImportRefused`` listing each bad row by its number and problem.
    """
    from aftersales import imports

    now = now or timezone.now()
    rows = imports.read_rows(csv_file)
    purchases = imports.check_rows(rows, now=now, normalize_serial=normalize_serial)
    for purchase in purchases:
        purchase.registered_by = actor
    try:
        with transaction.atomic():
            created = Purchase.objects.bulk_create(purchases)
    except IntegrityError:  # a serial number registered in the portal while the file was being checked
        raise imports.ImportRefused([imports.Problem(0, _(
            "A serial number in the file was registered by someone else a moment ago; nothing was imported. "
            "Upload the file again to see which row."))]) from None
    return created


# ---------------------------------------------------------------- submitting


def service_request_submit(
    *, purchase, requester, kind, description, onsite_address="", files=(), ticket=None, created_by=None, now=None,
    notify=True,
) -> ServiceRequest:
    """A customer asks for service on a purchase; eligibility is assessed on the day they asked."""
    checked = check_uploads(files)
    description = (description or "").strip()
    if kind not in Kind.values:
        raise ServiceRequestError(_("Choose what kind of service you need."), field="kind")
    if not description:
        raise ServiceRequestError(_("Describe the problem or what you need."), field="description")
    address = (onsite_address or "").strip() if kind == Kind.ONSITE else ""
    if kind == Kind.ONSITE and not address:
        raise ServiceRequestError(_("Give the address where the technician should come."), field="onsite_address")
    now = now or timezone.now()
    asked_at = min(ticket.created_at, now) if ticket is not None else now
    request_date = customer_date(requester, asked_at)
    eligibility = assess(kind=kind, purchase=purchase, on_date=request_date)
    with transaction.atomic():
        service_request = ServiceRequest.objects.create(
            purchase=purchase, requester=requester, organization=requester.organization or purchase.organization,
            kind=kind, description=description, onsite_address=address, request_date=request_date,
            eligibility_assessed=eligibility, eligibility=eligibility, ticket=ticket, created_by=created_by,
            review_due=review_due_for(now), created_at=now,
        )
        _store_files(service_request, checked, now=now)
        ServiceEvent.objects.create(
            service_request=service_request, actor=created_by or requester, kind=EventKind.CREATED,
            old_value=ticket.reference if ticket is not None else "", new_value=Status.SUBMITTED, version=1,
            created_at=now,
        )
        if notify:
            notifications.service_request_submitted(service_request)
    return service_request


def service_request_from_ticket(*, ticket, purchase, agent, kind, description="", onsite_address="", now=None,
                                notify=True) -> ServiceRequest:
    """Turn a ticket into a service request on one of its requester's purchases; the two stay linked."""
    from aftersales.selectors import purchases_for_customer

    _require_agent(agent)
    if ticket.merged_into_id:
        raise ServiceRequestError(_("This ticket was merged into another one; convert that one instead."))
    if not purchases_for_customer(ticket.requester).filter(pk=purchase.pk).exists():
        raise ServiceRequestError(_("Pick one of the requester's own purchases."), field="purchase")
    description = (description or "").strip() or f"{ticket.subject}\n\n{ticket.description}"
    return service_request_submit(
        purchase=purchase, requester=ticket.requester, kind=kind, description=description,
        onsite_address=onsite_address, ticket=ticket, created_by=agent, now=now, notify=notify,
    )


# ---------------------------------------------------------------- reviewing


def service_request_start_review(*, service_request, actor, expected_version=None, now=None) -> ServiceRequest:
    _require_manager(actor)
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        fields = _set_status(service_request, Status.UNDER_REVIEW, actor=actor, now=now)
        service_request.reviewer = actor
        _save(service_request, [*fields, "reviewer"])
    return service_request


def service_request_approve(*, service_request, actor, eligibility=None, expected_version=None, now=None,
                            notify=True) -> ServiceRequest:
    """Approve a free service (in warranty) or a refund (within its window)."""
    _require_manager(actor)
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        _guard_move(service_request, Status.APPROVED)
        if service_request.quote_pending:
            raise ServiceRequestError(_("A quote is waiting for the customer's answer: the request is approved when "
                                        "they accept it."))
        fields = _confirm_eligibility(service_request, eligibility, actor=actor, now=now)
        if service_request.eligibility == Eligibility.OUT_OF_WARRANTY:
            raise ServiceRequestError(_("This product is out of warranty, so the service is paid: send the customer "
                                        "a quote instead. It is approved when they accept it."), field="eligibility")
        if service_request.eligibility == Eligibility.REFUND_EXPIRED:
            raise ServiceRequestError(_("The refund window has passed: reject the request, or confirm it as within "
                                        "the refund window to make an exception."), field="eligibility")
        fields += _set_status(service_request, Status.APPROVED, actor=actor, now=now)
        service_request.reviewer = actor
        _save(service_request, [*fields, "reviewer"])
        if notify:
            notifications.service_request_approved(service_request)
    return service_request


def service_request_reject(*, service_request, actor, reason, eligibility=None, expected_version=None, now=None,
                           notify=True) -> ServiceRequest:
    _require_manager(actor)
    reason = (reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        _guard_move(service_request, Status.REJECTED)
        if not reason:
            raise ServiceRequestError(_("Give the reason for the rejection: the customer reads it."), field="reason")
        if service_request.quote_pending:
            raise ServiceRequestError(_("A quote is waiting for the customer's answer. If they decline it, the "
                                        "request is closed."))
        fields = _confirm_eligibility(service_request, eligibility, actor=actor, now=now)
        service_request.rejection_reason = reason
        fields += _set_status(service_request, Status.REJECTED, actor=actor, now=now)
        service_request.reviewer = actor
        _save(service_request, [*fields, "rejection_reason", "reviewer"])
        if notify:
            notifications.service_request_rejected(service_request)
    return service_request


def _parse_amount(amount) -> Decimal:
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ServiceRequestError(_("Enter the amount as a number, e.g. 149.00."), field="amount") from None
    if value <= 0 or value >= Decimal("100000000"):
        raise ServiceRequestError(_("Enter an amount greater than zero."), field="amount")
    return value


def service_request_send_quote(*, service_request, actor, amount, currency, note="", reason="",
                               expected_version=None, now=None, notify=True) -> ServiceRequest:
    """Offer the paid service. The request waits, under review, for the customer's answer.

    A quote never changes the eligibility: a product under warranty stays so. Quoting a service on
    one needs ``reason``, which the customer reads with the quote (the damage is not covered, …).
    """
    _require_manager(actor)
    amount = _parse_amount(amount)
    if currency not in ServiceRequest.Currency.values:
        raise ServiceRequestError(_("Choose a currency."), field="currency")
    reason = (reason or "").strip()
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        if service_request.status != Status.UNDER_REVIEW:
            raise ServiceRequestError(
                _("A quote can be sent only while the request is under review (it is “%(status)s”).")
                % {"status": service_request.get_status_display()})
        if service_request.kind == Kind.REFUND:
            raise ServiceRequestError(_("A refund cannot be quoted: approve or reject it."))
        if service_request.quote_pending:
            raise ServiceRequestError(_("A quote is already waiting for the customer's answer."))
        if service_request.quote_needs_reason and not reason:
            raise ServiceRequestError(_("This product is under warranty: say why this service is paid all the same. "
                                        "The customer reads it with the quote."), field="reason")
        service_request.quote_amount = amount
        service_request.quote_currency = currency
        service_request.quote_note = (note or "").strip()
        service_request.quote_reason = reason
        service_request.quote_sent_at = now
        service_request.decided_at = now
        service_request.reviewer = actor
        _event(service_request, actor, EventKind.QUOTE_SENT, new=f"{currency} {amount}", now=now)
        _save(service_request, ["quote_amount", "quote_currency", "quote_note", "quote_reason", "quote_sent_at",
                                "decided_at", "reviewer"])
        if notify:
            notifications.service_request_quoted(service_request)
    return service_request


def service_request_accept_quote(*, service_request, customer, now=None, notify=True) -> ServiceRequest:
    """The customer accepts the quote in the portal: the request is approved and service may start."""
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        if not service_request.can_answer_quote():
            raise ServiceRequestError(_("There is no quote waiting for your answer on this request."))
        service_request.quote_accepted_at = now
        _event(service_request, customer, EventKind.QUOTE_ACCEPTED, new=_quote_label(service_request), now=now)
        fields = _set_status(service_request, Status.APPROVED, actor=customer, now=now)
        _save(service_request, [*fields, "quote_accepted_at"])
        if notify:
            notifications.quote_answered(service_request, accepted=True)
    return service_request


def service_request_decline_quote(*, service_request, customer, now=None, notify=True) -> ServiceRequest:
    """The customer declines the quote: nothing is done or charged, and the request is closed."""
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        if not service_request.can_answer_quote():
            raise ServiceRequestError(_("There is no quote waiting for your answer on this request."))
        service_request.quote_declined_at = now
        _event(service_request, customer, EventKind.QUOTE_DECLINED, new=_quote_label(service_request), now=now)
        fields = _set_status(service_request, Status.CLOSED, actor=customer, now=now)
        _save(service_request, [*fields, "quote_declined_at"])
        if notify:
            notifications.quote_answered(service_request, accepted=False)
    return service_request


def _quote_label(service_request):
    return f"{service_request.quote_currency} {service_request.quote_amount}"


# ---------------------------------------------------------------- working


def service_request_assign(*, service_request, actor, technician, expected_version=None, now=None) -> ServiceRequest:
    _require_agent(actor)
    if technician is not None and not (technician.is_active and is_agent(technician)):
        raise ServiceRequestError(_("Pick an agent of the service team."), field="technician")
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        if service_request.status == Status.CLOSED:
            raise ServiceRequestError(_("This service request is closed."))
        if (technician.pk if technician else None) == service_request.technician_id:
            return service_request
        _event(service_request, actor, EventKind.TECHNICIAN, service_request.technician or "", technician or "",
               now=now)
        service_request.technician = technician
        _save(service_request, ["technician"])
    return service_request


def service_request_add_log(*, service_request, author, text, internal=False, files=(), expected_version=None,
                            now=None) -> ServiceLog:
    """A step of the work: public (the customer sees it on the timeline) or internal (the team only)."""
    _require_agent(author)
    checked = check_uploads(files)
    text = (text or "").strip()
    if not text:
        raise ServiceRequestError(_("Write what was done or found."), field="text")
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        log = ServiceLog.objects.create(service_request=service_request, author=author, is_internal=internal,
                                        text=text, created_at=now)
        _store_files(service_request, checked, now=now, log=log)
        _event(service_request, author, EventKind.NOTE if internal else EventKind.LOG, new=log.pk, now=now)
        _save(service_request, [])
    return log


def service_request_customer_reply(*, service_request, customer, text, files=(), now=None,
                                   notify=True) -> ServiceLog:
    """The customer writes to the service team on their request, with files; the team is e-mailed."""
    from aftersales.selectors import service_requests_for_customer

    checked = check_uploads(files)  # refuse a bad file before anything is written
    text = (text or "").strip()
    if not text:
        raise ServiceRequestError(_("Write a message first."), field="text")
    if is_agent(customer) or not service_requests_for_customer(customer).filter(pk=service_request.pk).exists():
        raise ServiceRequestError(_("Only the customer can reply on this service request in the portal."))
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        if not service_request.accepts_reply():
            raise ServiceRequestError(_("This service request is closed. If you need more help with the product, "
                                        "ask for service again from its page."))
        reply = ServiceLog.objects.create(service_request=service_request, author=customer, from_customer=True,
                                          text=text, created_at=now)
        _store_files(service_request, checked, now=now, log=reply)
        _event(service_request, customer, EventKind.REPLY, new=reply.pk, now=now)
        _save(service_request, [])
        if notify:
            notifications.customer_replied(service_request, reply)
    return reply


def service_request_start(*, service_request, actor, expected_version=None, now=None, notify=True) -> ServiceRequest:
    """Begin the work; a paid service only once the customer has accepted the quote."""
    _require_agent(actor)
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        if (service_request.is_paid and service_request.quote_accepted_at is None
                and service_request.status in (Status.UNDER_REVIEW, Status.APPROVED)):
            raise ServiceRequestError(_("This is a paid service: it can start only once the customer has accepted "
                                        "the quote."))
        fields = _set_status(service_request, Status.IN_SERVICE, actor=actor, now=now)
        if service_request.technician_id is None:
            _event(service_request, actor, EventKind.TECHNICIAN, "", actor, now=now)
            service_request.technician = actor
            fields.append("technician")
        _save(service_request, fields)
        if notify:
            notifications.service_started(service_request)
    return service_request


def service_request_complete(*, service_request, actor, work_done, parts_replaced="", replacement_serial="",
                             expected_version=None, now=None, notify=True) -> ServiceRequest:
    """Finish the work with a completion report, which the customer reads."""
    _require_agent(actor)
    work_done = (work_done or "").strip()
    replacement_serial = normalize_serial(replacement_serial)
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        _guard_move(service_request, Status.COMPLETED)
        if not work_done:
            raise ServiceRequestError(_("Describe the work done: the customer reads it."), field="work_done")
        if service_request.kind == Kind.REPLACEMENT and not replacement_serial:
            raise ServiceRequestError(_("Give the serial number of the replacement product."),
                                      field="replacement_serial")
        service_request.work_done = work_done
        service_request.parts_replaced = (parts_replaced or "").strip()
        service_request.replacement_serial = replacement_serial
        _event(service_request, actor, EventKind.COMPLETION, new=work_done[:255], now=now)
        fields = _set_status(service_request, Status.COMPLETED, actor=actor, now=now)
        _save(service_request, [*fields, "work_done", "parts_replaced", "replacement_serial"])
        if notify:
            notifications.service_completed(service_request)
    return service_request


def service_request_close(*, service_request, actor, expected_version=None, now=None) -> ServiceRequest:
    """Close a completed or rejected request: nothing more will happen on it."""
    _require_agent(actor)
    now = now or timezone.now()
    with transaction.atomic():
        service_request = _lock(service_request)
        _check_version(service_request, expected_version)
        _guard_move(service_request, Status.CLOSED)
        if service_request.status not in (Status.COMPLETED, Status.REJECTED):
            raise ServiceRequestError(_("Only a completed or rejected request can be closed; the customer closes "
                                        "one under review by declining its quote."))
        fields = _set_status(service_request, Status.CLOSED, actor=actor, now=now)
        _save(service_request, fields)
    return service_request


# ---------------------------------------------------------------- periodic work


def service_requests_auto_close(*, now=None) -> int:
    """Close requests completed more than AUTO_CLOSE_DAYS ago; safe to run twice or in two workers."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=AUTO_CLOSE_DAYS)
    closed = 0
    due = ServiceRequest.objects.filter(status=Status.COMPLETED, completed_at__lte=cutoff)
    for pk in due.values_list("pk", flat=True)[:1000]:
        with transaction.atomic():
            claimed = ServiceRequest.objects.filter(pk=pk, status=Status.COMPLETED).update(
                status=Status.CLOSED, closed_at=now, version=F("version") + 1, updated_at=now,
            )
            if claimed != 1:
                continue  # another run got there first
            service_request = ServiceRequest.objects.get(pk=pk)
            ServiceEvent.objects.create(service_request=service_request, kind=EventKind.STATUS,
                                        old_value=Status.COMPLETED, new_value=Status.CLOSED,
                                        version=service_request.version, created_at=now)
            closed += 1
    return closed
