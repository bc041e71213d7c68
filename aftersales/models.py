"""After-sales service: products, the purchases customers register, and service requests (RMA).

A service request moves through a fixed set of statuses (``ServiceRequest.TRANSITIONS``);
``aftersales.services`` makes every move, and refuses any other. Files are stored under a
random name and served only through the permission-checked download views.
"""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Organization
from helpdesk.references import Reference
from tickets.models import StoredFile, random_upload_name

REFERENCE_PREFIX = "AS-"
SERVICE_REFERENCE = Reference(REFERENCE_PREFIX)


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when that month is shorter (31 Jan + 1 → 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def warranty_end(purchase_date: date, warranty_months: int) -> date:
    """The last day a purchase is under warranty: the purchase date plus the product's warranty months."""
    return add_months(purchase_date, warranty_months)


def proof_path(instance, filename):
    return random_upload_name("purchase-proofs", filename)


def service_file_path(instance, filename):
    return random_upload_name("service-files", filename)


class Product(models.Model):
    name = models.CharField(_("name"), max_length=200)
    sku = models.CharField(_("SKU"), max_length=50, unique=True, help_text=_("The article number on invoices."))
    warranty_months = models.PositiveSmallIntegerField(
        _("warranty (months)"), default=12, help_text=_("How long a purchase is under warranty, from its date."),
    )
    refund_window_days = models.PositiveSmallIntegerField(
        _("refund window (days)"), default=30,
        help_text=_("A customer may ask for a refund up to this many days after the purchase date."),
    )
    service_terms = models.TextField(_("service terms"), blank=True,
                                     help_text=_("Shown to customers on their product page. Plain text."))
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Customers can register purchases of active products only."))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.sku})"


class Purchase(models.Model):
    """A product a customer bought, registered in the portal, by an admin, or imported from a CSV file."""

    customer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="purchases")
    organization = models.ForeignKey(Organization, verbose_name=_("organisation"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="purchases")
    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.PROTECT,
                                related_name="purchases")
    serial_number = models.CharField(_("serial number"), max_length=100)
    purchase_date = models.DateField(_("purchase date"))
    order_reference = models.CharField(_("order reference"), max_length=100, blank=True)
    # The warranty granted at purchase: later changes to the product's terms do not shorten it.
    warranty_until = models.DateField(_("under warranty until"), editable=False)
    proof = models.FileField(_("proof of purchase"), upload_to=proof_path, max_length=255, blank=True)
    proof_name = models.CharField(_("proof file name"), max_length=255, blank=True)
    proof_size = models.PositiveIntegerField(_("proof size"), default=0)
    proof_content_type = models.CharField(_("proof content type"), max_length=100, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                      on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-purchase_date", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["product", "serial_number"], name="purchase_unique_serial_per_product"),
        ]
        indexes = [models.Index(fields=["customer", "purchase_date"]), models.Index(fields=["organization"])]
        permissions = [("import_purchases", _("Can import purchases from a CSV file"))]

    def __str__(self):
        return f"{self.product.name} #{self.serial_number}"

    def get_portal_url(self):
        return reverse("aftersales:portal-product", args=[self.pk])

    @property
    def refund_until(self) -> date:
        """The last day a refund may be asked for."""
        return self.purchase_date + timedelta(days=self.product.refund_window_days)

    def in_warranty_on(self, day: date) -> bool:
        return day <= self.warranty_until

    def warranty_days_left(self, today: date) -> int:
        """Days of warranty left after ``today`` (0 on the last day, negative once expired)."""
        return (self.warranty_until - today).days


class ServiceRequest(models.Model):
    class Kind(models.TextChoices):
        REPAIR = "repair", _("Repair")
        REPLACEMENT = "replacement", _("Replacement")
        REFUND = "refund", _("Refund")
        ONSITE = "onsite", _("On-site service")
        CONSULTATION = "consultation", _("Consultation")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        IN_SERVICE = "in_service", _("In service")
        COMPLETED = "completed", _("Completed")
        CLOSED = "closed", _("Closed")

    class Eligibility(models.TextChoices):
        IN_WARRANTY = "in_warranty", _("In warranty")
        OUT_OF_WARRANTY = "out_of_warranty", _("Out of warranty (paid)")
        REFUND_WINDOW = "refund_window", _("Within the refund window")
        REFUND_EXPIRED = "refund_expired", _("Refund window passed")

    class Currency(models.TextChoices):
        EUR = "EUR", "EUR"
        USD = "USD", "USD"
        GBP = "GBP", "GBP"
        CNY = "CNY", "CNY"

    # The moves a request may make; the services refuse any other. Under review → closed is the
    # customer declining a quote; approved → closed is not a move: once approved, the service is done.
    TRANSITIONS = {
        Status.SUBMITTED: {Status.UNDER_REVIEW},
        Status.UNDER_REVIEW: {Status.APPROVED, Status.REJECTED, Status.CLOSED},
        Status.APPROVED: {Status.IN_SERVICE},
        Status.REJECTED: {Status.CLOSED},
        Status.IN_SERVICE: {Status.COMPLETED},
        Status.COMPLETED: {Status.CLOSED},
        Status.CLOSED: set(),
    }
    ACTIVE_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW, Status.APPROVED, Status.IN_SERVICE)
    REVIEW_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)
    REFUND_ELIGIBILITY = (Eligibility.REFUND_WINDOW, Eligibility.REFUND_EXPIRED)
    WARRANTY_ELIGIBILITY = (Eligibility.IN_WARRANTY, Eligibility.OUT_OF_WARRANTY)

    purchase = models.ForeignKey(Purchase, verbose_name=_("purchase"), on_delete=models.PROTECT,
                                 related_name="service_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT,
                                  related_name="service_requests")
    organization = models.ForeignKey(Organization, verbose_name=_("organisation"), on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="service_requests")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"))
    onsite_address = models.TextField(_("on-site address"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)

    # The date the customer asked, on their own calendar: what warranty and refund window are judged on.
    request_date = models.DateField(_("request date"))
    eligibility_assessed = models.CharField(_("eligibility (assessed)"), max_length=20,
                                            choices=Eligibility.choices, editable=False)
    eligibility = models.CharField(_("eligibility"), max_length=20, choices=Eligibility.choices)
    eligibility_confirmed_at = models.DateTimeField(_("eligibility confirmed"), null=True, blank=True)

    quote_amount = models.DecimalField(_("quote amount"), max_digits=10, decimal_places=2, null=True, blank=True)
    quote_currency = models.CharField(_("quote currency"), max_length=3, choices=Currency.choices, blank=True)
    quote_note = models.TextField(_("quote note"), blank=True)
    quote_reason = models.TextField(
        _("why the service is paid"), blank=True,
        help_text=_("Needed when the product is under warranty: the customer reads why the warranty does not "
                    "cover this service."),
    )
    quote_sent_at = models.DateTimeField(_("quote sent"), null=True, blank=True)
    quote_accepted_at = models.DateTimeField(_("quote accepted"), null=True, blank=True)
    quote_declined_at = models.DateTimeField(_("quote declined"), null=True, blank=True)

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="service_requests_assigned")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="service_requests_reviewed")
    ticket = models.ForeignKey("tickets.Ticket", verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="service_requests")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   help_text=_("The agent who turned a ticket into this request, if any."))
    review_due = models.DateTimeField(_("review due"), null=True, blank=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    work_done = models.TextField(_("work done"), blank=True)
    parts_replaced = models.TextField(_("parts replaced"), blank=True)
    replacement_serial = models.CharField(_("replacement serial number"), max_length=100, blank=True)

    created_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    service_started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Raised on every change."))

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "review_due"]),
            models.Index(fields=["technician", "status"]),
            models.Index(fields=["requester", "status"]),
            models.Index(fields=["organization", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="onsite") | ~Q(onsite_address=""),
                                   name="service_request_onsite_has_address"),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                                   name="service_request_rejection_has_reason"),
        ]

    def __str__(self):
        return f"{self.reference} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("aftersales:desk-detail", args=[self.reference])

    def get_portal_url(self):
        return reverse("aftersales:portal-detail", args=[self.reference])

    @property
    def reference(self) -> str:
        return SERVICE_REFERENCE.format(self.pk)

    pk_from_reference = staticmethod(SERVICE_REFERENCE.parse)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def is_paid(self) -> bool:
        """Out of warranty, or quoted: the customer pays, so a quote must be accepted before service starts."""
        return self.eligibility == self.Eligibility.OUT_OF_WARRANTY or self.quote_sent_at is not None

    @property
    def quote_needs_reason(self) -> bool:
        """A paid quote on a product under warranty must tell the customer why the warranty does not cover it."""
        return self.eligibility == self.Eligibility.IN_WARRANTY

    def accepts_reply(self) -> bool:
        """Customers may write and send files until the request is closed."""
        return self.status != self.Status.CLOSED

    @property
    def quote_pending(self) -> bool:
        return bool(self.quote_sent_at and not self.quote_accepted_at and not self.quote_declined_at)

    def can_answer_quote(self) -> bool:
        return self.status == self.Status.UNDER_REVIEW and self.quote_pending

    def can_start_service(self) -> bool:
        return self.status == self.Status.APPROVED and (not self.is_paid or self.quote_accepted_at is not None)

    def review_overdue(self, now=None) -> bool:
        now = now or timezone.now()
        return bool(self.status in self.REVIEW_STATUSES and not self.quote_pending and self.review_due
                    and self.review_due < now)


class ServiceLog(models.Model):
    """One step of the work: public (the customer sees it) or internal (agents only), or a customer's reply."""

    service_request = models.ForeignKey(ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE,
                                        related_name="logs")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    is_internal = models.BooleanField(_("internal"), default=False)
    from_customer = models.BooleanField(_("from the customer"), default=False,
                                        help_text=_("Written by the customer in the portal, not by the team."))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("service log entry")
        verbose_name_plural = _("service log entries")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["service_request", "created_at"])]

    def __str__(self):
        return f"{self.service_request.reference} {'internal' if self.is_internal else 'public'} #{self.pk}"


class ServiceFile(StoredFile):
    """A file sent with the request (no log entry) or with a log entry (as private as the entry)."""

    service_request = models.ForeignKey(ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE,
                                        related_name="files")
    log = models.ForeignKey(ServiceLog, verbose_name=_("log entry"), on_delete=models.CASCADE, null=True,
                            blank=True, related_name="files")
    file = models.FileField(_("file"), upload_to=service_file_path, max_length=255)

    class Meta:
        verbose_name = _("service file")
        verbose_name_plural = _("service files")
        ordering = ["pk"]


class ServiceEvent(models.Model):
    """The audit trail of a service request: who changed what, from what, to what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Submitted")
        STATUS = "status", _("Status")
        ELIGIBILITY = "eligibility", _("Eligibility")
        QUOTE_SENT = "quote_sent", _("Quote sent")
        QUOTE_ACCEPTED = "quote_accepted", _("Quote accepted")
        QUOTE_DECLINED = "quote_declined", _("Quote declined")
        TECHNICIAN = "technician", _("Technician")
        LOG = "log", _("Log entry")
        NOTE = "note", _("Internal log entry")
        COMPLETION = "completion", _("Completion report")
        REPLY = "reply", _("Customer reply")

    # What the customer's timeline shows: decisions and progress, never internal work or staffing.
    PUBLIC_KINDS = (Kind.CREATED, Kind.STATUS, Kind.ELIGIBILITY, Kind.QUOTE_SENT, Kind.QUOTE_ACCEPTED,
                    Kind.QUOTE_DECLINED)

    service_request = models.ForeignKey(ServiceRequest, verbose_name=_("service request"), on_delete=models.CASCADE,
                                        related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    old_value = models.CharField(_("from"), max_length=255, blank=True)
    new_value = models.CharField(_("to"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("request version"), default=0)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["service_request", "created_at"]), models.Index(fields=["kind", "created_at"])]

    def __str__(self):
        return f"{self.service_request.reference} {self.get_kind_display()}: {self.old_value} → {self.new_value}"
