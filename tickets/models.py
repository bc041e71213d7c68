import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Organization, validate_timezone
from helpdesk.references import Reference

REFERENCE_PREFIX = "HD-"
TICKET_REFERENCE = Reference(REFERENCE_PREFIX)


class BusinessHours(models.Model):
    """A calendar of opening hours and holidays; SLA targets count only its open minutes."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])

    class Meta:
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.timezone})"


class OpeningPeriod(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    calendar = models.ForeignKey(BusinessHours, on_delete=models.CASCADE, related_name="periods")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["calendar", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="period_closes_after_opens")
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Holiday(models.Model):
    calendar = models.ForeignKey(BusinessHours, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["calendar", "date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="holiday_unique_per_calendar")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


PRIORITY_RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}


class Verification(models.TextChoices):
    """How sure we are that a message from outside was written by the person it names."""

    VERIFIED = "verified", _("Verified")
    UNVERIFIED = "unverified", _("Not verified")
    FAILED = "failed", _("Failed verification")


class SLAPolicy(models.Model):
    """Targets for one priority; a policy for the VIP tier overrides the general one."""

    name = models.CharField(_("name"), max_length=100)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices)
    tier = models.CharField(
        _("organisation tier"), max_length=20, choices=Organization.Tier.choices, blank=True,
        help_text=_("Leave empty for every customer; a VIP policy overrides it for VIP organisations."),
    )
    first_response_minutes = models.PositiveIntegerField(_("first response target (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution target (business minutes)"))
    business_hours = models.ForeignKey(BusinessHours, verbose_name=_("business hours"), on_delete=models.PROTECT)
    queue = models.ForeignKey(
        "Queue", verbose_name=_("queue"), on_delete=models.CASCADE, null=True, blank=True, related_name="sla_policies",
        help_text=_("Leave empty for every queue; a queue's own policy overrides the general one."),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["queue", "tier", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "tier"], condition=Q(queue__isnull=True),
                                    name="sla_policy_unique_priority_tier"),
            models.UniqueConstraint(fields=["queue", "priority", "tier"], condition=Q(queue__isnull=False),
                                    name="sla_policy_unique_queue_priority_tier"),
        ]

    def __str__(self):
        return self.name


class Queue(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    email_address = models.EmailField(
        _("inbound e-mail address"), blank=True, help_text=_("Mail sent to this address opens tickets in this queue.")
    )
    is_public = models.BooleanField(
        _("offered in the portal"), default=True, help_text=_("Customers can choose this queue as a category.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("members"), related_name="ticket_queues", blank=True
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("queue manager"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="managed_queues", help_text=_("Told of SLA warnings and breaches in this queue."),
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Assignment(models.TextChoices):
        OFF = "off", _("Off")
        ROUND_ROBIN = "round_robin", _("Round-robin")
        LEAST_OPEN = "least_open", _("Fewest open tickets")

    assignment = models.CharField(
        _("auto-assignment"), max_length=12, choices=Assignment.choices, default=Assignment.OFF,
        help_text=_("How new tickets are given to the queue's available members."),
    )
    assign_on_reply = models.BooleanField(
        _("assign on reply"), default=True,
        help_text=_("A public reply by an agent on an unassigned ticket assigns it to them."),
    )
    last_assigned = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+",
    )

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["ordering", "name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING = "pending", _("Pending")
        ON_HOLD = "on_hold", _("On hold")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Channel(models.TextChoices):
        PORTAL = "portal", _("Portal")
        EMAIL = "email", _("E-mail")
        PHONE = "phone", _("Phone")
        CHAT = "chat", _("Chat")
        API = "api", _("API")

    # The moves a ticket may make; services refuse any other.
    TRANSITIONS = {
        Status.NEW: {Status.OPEN, Status.RESOLVED},
        Status.OPEN: {Status.PENDING, Status.ON_HOLD, Status.RESOLVED},
        Status.PENDING: {Status.OPEN, Status.RESOLVED},
        Status.ON_HOLD: {Status.OPEN, Status.RESOLVED},
        Status.RESOLVED: {Status.OPEN, Status.CLOSED},
        Status.CLOSED: set(),
    }
    ACTIVE_STATUSES = (Status.NEW, Status.OPEN, Status.PENDING, Status.ON_HOLD)

    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requester"), on_delete=models.PROTECT,
        related_name="tickets_requested",
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="tickets",
    )
    queue = models.ForeignKey(Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="tickets")
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PORTAL)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="tickets_assigned",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="tickets")
    product = models.CharField(_("product"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", help_text=_("The agent who opened it for the customer (phone), if any."),
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    resolution_summary = models.TextField(_("resolution summary"), blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # Ticket metrics, kept up to date by the services when the event happens, so the nightly reports only add
    # columns up: business minutes on the SLA policy's calendar (wall-clock minutes for a ticket without a policy).
    first_response_minutes = models.FloatField(_("first response time (business minutes)"), null=True, blank=True,
                                               editable=False)
    first_resolved_at = models.DateTimeField(_("first resolved"), null=True, blank=True, editable=False)
    first_resolution_minutes = models.FloatField(
        _("first resolution time (business minutes)"), null=True, blank=True, editable=False,
        help_text=_("Created to first resolved, less the time spent pending."),
    )
    resolution_minutes = models.FloatField(
        _("full resolution time (business minutes)"), null=True, blank=True, editable=False,
        help_text=_("Created to last resolved, less the time spent pending; empty while a reopened ticket is open."),
    )
    pending_minutes = models.PositiveIntegerField(_("business minutes pending"), default=0, editable=False)
    public_agent_replies = models.PositiveIntegerField(_("public agent replies"), default=0, editable=False)

    sla_policy = models.ForeignKey(SLAPolicy, verbose_name=_("SLA policy"), on_delete=models.SET_NULL, null=True,
                                   blank=True)
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    paused_since = models.DateTimeField(_("SLA clock paused since"), null=True, blank=True)
    sla_paused_minutes = models.PositiveIntegerField(_("business minutes paused"), default=0)
    sla_paused_seconds = models.PositiveIntegerField(_("seconds in pending"), default=0)
    # When 80 % of each target has passed (business time): the warning is due then.
    first_response_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_warn_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    first_response_breached_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_warned_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolution_breached_at = models.DateTimeField(null=True, blank=True, editable=False)

    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    follow_up_of = models.ForeignKey(
        "self", verbose_name=_("follow-up of"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="follow_ups",
    )
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Raised on every change."))
    # For the desk search (tickets.search): the Chinese words of subject and description cut by jieba, filled
    # before every save; the PostgreSQL vector is written by a database trigger (migration 0010_search).
    subject_tokens = models.TextField(editable=False, blank=True, default="")
    description_tokens = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "queue"]),
            models.Index(fields=["assignee", "status"]),
            models.Index(fields=["requester", "status"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["resolution_due"]),
            models.Index(fields=["first_response_due"]),
            models.Index(fields=["resolved_at"]),
            models.Index(fields=["first_resolved_at"], name="ticket_first_resolved_at"),
            # For the reports: first responses per day, tickets still open, and the rare closed-but-unresolved.
            models.Index(fields=["first_response_at"], name="ticket_first_response_at"),
            models.Index(fields=["created_at"], name="ticket_open_created",
                         condition=Q(resolved_at__isnull=True, closed_at__isnull=True)),
            models.Index(fields=["closed_at"], name="ticket_closed_unresolved", condition=Q(resolved_at__isnull=True)),
            # The SLA report's list of breaches in a date range (few tickets breach, so the indexes stay small).
            models.Index(fields=["first_response_breached_at"], name="ticket_first_response_breach",
                         condition=Q(first_response_breached_at__isnull=False)),
            models.Index(fields=["resolution_breached_at"], name="ticket_resolution_breach",
                         condition=Q(resolution_breached_at__isnull=False)),
            GinIndex(fields=["search_vector"], name="ticket_search_gin"),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self):
        return reverse("tickets:desk-detail", args=[self.reference])

    def get_portal_url(self):
        return reverse("tickets:portal-detail", args=[self.reference])

    @property
    def reference(self) -> str:
        return TICKET_REFERENCE.format(self.pk)

    pk_from_reference = staticmethod(TICKET_REFERENCE.parse)

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    def can_reopen(self, now=None) -> bool:
        if self.status != self.Status.RESOLVED or self.resolved_at is None:
            return False
        now = now or timezone.now()
        return now - self.resolved_at <= timedelta(days=settings.TICKET_REOPEN_DAYS)

    def accepts_message_from(self, user, *, now=None) -> "Acceptance":
        """Whether ``user`` may write on this ticket now, as whom, and if not, why.

        The one rule for every channel (portal, desk, e-mail, API): the requester, their organisation's
        primary contact and the agents of the ticket's queue (managers: every queue) may write. For them a
        merged or closed ticket, or one resolved too long ago to reopen, takes no more messages: a new
        message opens a follow-up. Anyone else may not write here and is told nothing about the ticket.
        """
        from helpdesk.accounts.roles import is_agent, is_manager

        if user is None or not user.is_active:
            return Acceptance("", str(_("This account cannot write on tickets.")))
        if is_agent(user) and (is_manager(user) or Queue.objects.filter(pk=self.queue_id, members=user).exists()):
            role = Acceptance.AGENT
        elif user.pk == self.requester_id or (
                user.is_primary_contact and user.organization_id and user.organization_id == self.organization_id):
            role = Acceptance.CUSTOMER
        else:
            return Acceptance("", str(_("You may not write on this ticket.")))
        if self.merged_into_id:
            return Acceptance(role, str(_("This ticket was merged into %(reference)s; reply there."))
                              % {"reference": TICKET_REFERENCE.format(self.merged_into_id)})
        if self.status == self.Status.CLOSED:
            return Acceptance(role, str(_("This ticket is closed. Open a new ticket and mention %(reference)s."))
                              % {"reference": self.reference})
        if role == Acceptance.CUSTOMER and self.status == self.Status.RESOLVED and not self.can_reopen(now):
            return Acceptance(role, str(_("This ticket was resolved too long ago to reopen. Open a new ticket "
                                          "instead.")))
        return Acceptance(role, "")

    def sla_clock_running(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.OPEN, self.Status.ON_HOLD)


@dataclass(frozen=True)
class Acceptance:
    """The answer of ``Ticket.accepts_message_from``: true when the message may be added."""

    AGENT = "agent"
    CUSTOMER = "customer"

    role: str  # AGENT, CUSTOMER, or "" for someone who may not write on the ticket at all
    refusal: str = ""  # why the ticket takes no message now; "" when it does

    def __bool__(self) -> bool:
        return bool(self.role) and not self.refusal

    @property
    def follow_up(self) -> bool:
        """The writer belongs on this ticket, but it is over: their message opens a follow-up."""
        return bool(self.role) and bool(self.refusal)


class Message(models.Model):
    """One entry of a ticket's thread: a public reply or an internal note."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="ticket_messages",
    )
    is_internal = models.BooleanField(_("internal note"), default=False)
    from_agent = models.BooleanField(_("from an agent"), default=False)
    body = models.TextField(_("text"))
    channel = models.CharField(_("channel"), max_length=10, choices=Ticket.Channel.choices,
                               default=Ticket.Channel.PORTAL)
    email_message_id = models.CharField(_("e-mail Message-ID"), max_length=255, blank=True, db_index=True)
    # For a message that arrived from outside: whether its sender was verified (blank: signed in, or written here).
    verification = models.CharField(_("sender verification"), max_length=10, choices=Verification.choices,
                                    blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The Chinese words of the text (jieba) and the PostgreSQL vector, as on Ticket.
    body_tokens = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "created_at"]),
            # For the reports: public agent replies per day.
            models.Index(fields=["created_at"], name="message_public_agent_created",
                         condition=Q(from_agent=True, is_internal=False)),
            GinIndex(fields=["search_vector"], name="message_search_gin"),
        ]

    def __str__(self):
        return f"{self.ticket.reference} {'note' if self.is_internal else 'reply'} #{self.pk}"


def random_upload_name(folder, filename):
    """Stored under a random name: the customer's file name is kept only as data."""
    suffix = Path(filename).suffix.lower()[:10]
    return f"{folder}/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{suffix}"


def attachment_path(instance, filename):
    return random_upload_name("attachments", filename)


class StoredFile(models.Model):
    """What every app keeps about an uploaded file besides the file itself (``file``, set by each app)."""

    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("content type"), max_length=100)
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


class Attachment(StoredFile):
    message = models.ForeignKey(Message, verbose_name=_("message"), on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]


class TicketEvent(models.Model):
    """The audit trail: who changed what, from what, to what, when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        REPLIED = "replied", _("Public reply")
        NOTE = "note", _("Internal note")
        CUSTOMER_REPLIED = "customer_replied", _("Customer replied")
        STATUS = "status", _("Status")
        PRIORITY = "priority", _("Priority")
        ASSIGNEE = "assignee", _("Assignee")
        QUEUE = "queue", _("Queue")
        TAGS = "tags", _("Tags")
        MERGED = "merged", _("Merged")
        SLA_WARNING = "sla_warning", _("SLA warning")
        SLA_BREACH = "sla_breach", _("SLA breach")
        REOPENED = "reopened", _("Reopened")
        RULE = "rule", _("Rule")
        FIELD = "field", _("Custom field")

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="+")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    old_value = models.CharField(_("from"), max_length=255, blank=True)
    new_value = models.CharField(_("to"), max_length=255, blank=True)
    version = models.PositiveIntegerField(_("ticket version"), default=0)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["ticket", "created_at"]), models.Index(fields=["kind", "created_at"])]

    def __str__(self):
        return f"{self.ticket.reference} {self.get_kind_display()}: {self.old_value} → {self.new_value}"


class CannedResponse(models.Model):
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(
        _("text"),
        help_text=_("Placeholders: {customer_name}, {reference}, {agent_name}, {subject}."),
    )
    queue = models.ForeignKey(Queue, verbose_name=_("queue"), on_delete=models.CASCADE, null=True, blank=True,
                              help_text=_("Empty: offered in every queue."))

    class Meta:
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")
        ordering = ["title"]

    def __str__(self):
        return self.title


class IntakeRecord(models.Model):
    """Every message that arrived from outside (e-mail today), once, with what became of it.

    The unique external key (an e-mail's Message-ID, or a hash) makes a second arrival of the same message
    a no-op. A suspended message waits in the desk for an agent to recover or delete it; a failed one keeps
    its error and its original bytes until it is processed.
    """

    class Outcome(models.TextChoices):
        CREATED = "created", _("Opened a ticket")
        THREADED = "threaded", _("Added to a ticket")
        FOLLOW_UP = "follow_up", _("Opened a follow-up ticket")
        IGNORED = "ignored", _("Ignored")
        SUSPENDED = "suspended", _("Suspended")
        FAILED = "failed", _("Failed")

    channel = models.CharField(_("channel"), max_length=10, choices=Ticket.Channel.choices,
                               default=Ticket.Channel.EMAIL)
    external_key = models.CharField(_("message key"), max_length=255, unique=True,
                                    help_text=_("The e-mail's Message-ID, or a hash of the message."))
    fingerprint = models.CharField(_("content fingerprint"), max_length=64, blank=True, editable=False)
    sender = models.CharField(_("from"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    verification = models.CharField(_("sender verification"), max_length=10, choices=Verification.choices,
                                    blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    queue = models.ForeignKey(Queue, verbose_name=_("queue"), on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="+", help_text=_("Where it was going: its agents review it."))
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.SET_NULL, null=True, blank=True)
    received_at = models.DateTimeField(_("processed"), default=timezone.now)
    # A message that could not be processed, or waits in the suspended list: how often it was tried, the
    # last error, and the message itself, kept so that nothing is lost (cleared once it is processed).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    error = models.TextField(_("error"), blank=True)
    raw = models.BinaryField(_("original message"), blank=True, default=b"", editable=False)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"),
                                    on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("intake record")
        verbose_name_plural = _("intake records")
        ordering = ["-received_at"]
        indexes = [
            # The desk's suspended list, newest first.
            models.Index(fields=["received_at"], name="intake_suspended",
                         condition=Q(outcome="suspended")),
        ]

    def __str__(self):
        return f"{self.sender}: {self.subject}"


from tickets.automation.models import (  # noqa: E402, F401 — the automation models belong to this app
    Automation,
    AutomationFiring,
    Macro,
    Rule,
    SavedView,
)


class AgentAvailability(models.Model):
    """Whether an agent takes new tickets now: away (optionally until a date) and a limit of active tickets."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE,
                                related_name="availability")
    away = models.BooleanField(_("away"), default=False)
    away_until = models.DateField(
        _("out of office until"), null=True, blank=True,
        help_text=_("Away up to and including this day; available again the day after."),
    )
    max_active_tickets = models.PositiveIntegerField(
        _("limit of active tickets"), null=True, blank=True,
        help_text=_("Auto-assignment gives no more tickets above this many active ones. Empty: no limit."),
    )

    class Meta:
        verbose_name = _("agent availability")
        verbose_name_plural = _("agent availability")

    def __str__(self):
        return str(self.user)

    def is_available(self, today=None) -> bool:
        if not self.away:
            return True
        today = today or timezone.localdate()
        return self.away_until is not None and self.away_until < today


class CustomField(models.Model):
    """A field a company adds to its tickets (plan, version, order number…), per queue or for all queues."""

    class Type(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        DROPDOWN = "dropdown", _("Dropdown")
        MULTI = "multi", _("Multi-select")
        CHECKBOX = "checkbox", _("Checkbox")
        PRODUCT = "product", _("Linked product")

    class Requirement(models.TextChoices):
        OPTIONAL = "optional", _("Optional")
        REQUIRED = "required", _("Required")
        BEFORE_RESOLVE = "resolve", _("Required before resolving")

    key = models.SlugField(_("key"), max_length=50, unique=True,
                           help_text=_("How rules and exports name the field; letters, digits, - and _."))
    label = models.CharField(_("label"), max_length=100)
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.TEXT)
    choices = models.TextField(_("choices"), blank=True, help_text=_("For dropdown and multi-select: one a line."))
    queue = models.ForeignKey(Queue, verbose_name=_("queue"), on_delete=models.CASCADE, null=True, blank=True,
                              related_name="custom_fields", help_text=_("Leave empty for every queue."))
    requirement = models.CharField(_("requirement"), max_length=10, choices=Requirement.choices,
                                   default=Requirement.OPTIONAL)
    visible_to_customers = models.BooleanField(
        _("customers see it"), default=False, help_text=_("Otherwise only agents see and fill in the field."),
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["ordering", "label"]

    def __str__(self):
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class CustomFieldValue(models.Model):
    """One value of a custom field on a ticket; a multi-select has one row per chosen option.

    Values are typed columns rather than one JSON document so that a filter on a field is a plain
    B-tree index lookup on (field, value) on every database, and the ticket row stays narrow.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="custom_values")
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    text = models.CharField(max_length=255, blank=True)
    number = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    date = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["field", "text", "ticket"], name="custom_value_text"),
            models.Index(fields=["field", "number", "ticket"], name="custom_value_number"),
            models.Index(fields=["field", "date", "ticket"], name="custom_value_date"),
            models.Index(fields=["ticket", "field"], name="custom_value_ticket"),
        ]

    def __str__(self):
        return f"{self.field}: {self.text or self.number or self.date}"
