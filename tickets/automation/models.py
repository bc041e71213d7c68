"""What managers set up to automate routine work: rules on ticket events, hourly automations, macros, views.

Conditions and actions are kept as JSON lists (``[{"field": …, "op": …, "value": …}]`` and
``[{"type": …, "value": …}]``), checked by ``tickets.automation.engine`` when saved and when run.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Queue, Ticket


class Match(models.TextChoices):
    ALL = "all", _("All conditions")
    ANY = "any", _("Any condition")


class Rule(models.Model):
    """A trigger: when ``event`` happens to a ticket and the conditions hold, the actions run."""

    class Event(models.TextChoices):
        CREATED = "created", _("Ticket created")
        UPDATED = "updated", _("Ticket updated")
        CUSTOMER_REPLIED = "customer_replied", _("Customer replied")
        AGENT_REPLIED = "agent_replied", _("Agent replied")
        STATUS_CHANGED = "status_changed", _("Status changed")
        SLA_WARNING = "sla_warning", _("SLA warning")
        SLA_BREACH = "sla_breach", _("SLA breach")

    name = models.CharField(_("name"), max_length=100, unique=True)
    event = models.CharField(_("when"), max_length=20, choices=Event.choices, default=Event.CREATED)
    match = models.CharField(_("match"), max_length=3, choices=Match.choices, default=Match.ALL)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    actions = models.JSONField(_("actions"), default=list)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["ordering", "pk"]

    def __str__(self):
        return self.name


class Automation(models.Model):
    """Checked every hour: acts on each ticket that meets the conditions, once per matching period."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    match = models.CharField(_("match"), max_length=3, choices=Match.choices, default=Match.ALL)
    conditions = models.JSONField(_("conditions"), default=list)
    actions = models.JSONField(_("actions"), default=list)
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("automation")
        verbose_name_plural = _("automations")
        ordering = ["ordering", "pk"]

    def __str__(self):
        return self.name


class AutomationFiring(models.Model):
    """One automation acting on one ticket in one period (e.g. since the ticket last went pending)."""

    automation = models.ForeignKey(Automation, on_delete=models.CASCADE, related_name="firings")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(_("period"), max_length=64)
    fired_at = models.DateTimeField(_("fired"), default=timezone.now)

    class Meta:
        verbose_name = _("automation firing")
        verbose_name_plural = _("automation firings")
        constraints = [
            models.UniqueConstraint(fields=["automation", "ticket", "period"], name="automation_once_per_period")
        ]

    def __str__(self):
        return f"{self.automation} {self.period}"


class Macro(models.Model):
    """One click on the ticket page: a reply and changes. Personal (``owner``) or shared in a queue."""

    title = models.CharField(_("title"), max_length=100)
    reply = models.TextField(
        _("reply"), blank=True, help_text=_("Placeholders: {customer_name}, {reference}, {agent_name}, {subject}.")
    )
    internal = models.BooleanField(_("as an internal note"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Ticket.Status.choices, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Ticket._meta.get_field("priority").choices, blank=True
    )
    tags = models.CharField(_("add tags"), max_length=200, blank=True, help_text=_("Separated by commas."))
    assign_to_me = models.BooleanField(_("assign to the agent"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
    )
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
        help_text=_("Shared macros: leave empty for every queue."),
    )
    usage_count = models.PositiveIntegerField(_("times used"), default=0, editable=False)

    class Meta:
        verbose_name = _("macro")
        verbose_name_plural = _("macros")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class SavedView(models.Model):
    """The ticket list's filters (its query string) under a name, for one agent or shared."""

    name = models.CharField(_("name"), max_length=60)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="saved_views"
    )
    shared = models.BooleanField(_("shared with every agent"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name
