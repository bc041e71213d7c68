"""Customer care: check-ins and follow-ups (care tasks), the care plans that schedule check-ins, the reasons
an organisation leaves, and each customer's health score.

The tables keep the names they had when this lived in ``accounts`` and ``reports`` (``Meta.db_table``): the
models moved app, their rows never moved.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.timezone import localdate, now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.accounts.models import Organization


class CareTask(models.Model):
    """Something a person should do for a customer: call back after a low score, a check-in, …

    ``source`` is what caused it (a survey response, …); one source makes at most one task of a kind.
    """

    class Kind(models.TextChoices):
        FOLLOW_UP = "follow_up", _("Follow-up on feedback")
        CHECK_IN = "check_in", _("Check-in")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("care task", "Open")
        DONE = "done", pgettext_lazy("care task", "Done")

    class Channel(models.TextChoices):
        CALL = "call", _("Call")
        EMAIL = "email", _("E-mail")
        MEETING = "meeting", _("Meeting")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    organization = models.ForeignKey("accounts.Organization", verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     null=True, blank=True, related_name="care_tasks")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.CASCADE,
                                 null=True, blank=True, related_name="care_tasks_about")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("assigned to"), on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="care_tasks")
    due_on = models.DateField(_("due"), default=localdate)
    outcome = models.TextField(_("outcome"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    next_follow_up_on = models.DateField(_("next follow-up"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    source_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, null=True, blank=True)
    source_id = models.CharField(max_length=64, blank=True)

    class Meta:
        db_table = "accounts_caretask"  # the table from before care had its own app: rows moved, not copied
        verbose_name = _("care task")
        verbose_name_plural = _("care tasks")
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "source_type", "source_id"], condition=~models.Q(source_id=""),
                                    name="care_task_once_per_source"),
            # The daily scheduler may run twice or on two workers: one check-in per organisation and due date.
            models.UniqueConstraint(fields=["organization", "due_on"], condition=models.Q(kind="check_in"),
                                    name="check_in_once_per_due_date"),
            models.CheckConstraint(condition=~models.Q(kind="check_in") | models.Q(organization__isnull=False),
                                   name="check_in_has_organization"),
        ]
        indexes = [models.Index(fields=["assignee", "status", "due_on"])]

    def __str__(self):
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_on < localdate()


class CarePlan(models.Model):
    """How often the account manager checks in with an organisation of a tier."""

    tier = models.CharField(_("tier"), max_length=20, choices=Organization.Tier.choices, unique=True)
    check_in_every_days = models.PositiveSmallIntegerField(
        _("check in every (days)"), default=90, validators=[MinValueValidator(1)]
    )
    is_active = models.BooleanField(_("active"), default=True,
                                    help_text=_("Untick to stop scheduling check-ins for this tier."))

    class Meta:
        db_table = "accounts_careplan"
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        ordering = ["tier"]

    def __str__(self):
        return _("%(tier)s: every %(days)s days") % {"tier": self.get_tier_display(), "days": self.check_in_every_days}


class ChurnReason(models.Model):
    """The list a manager picks from when marking an organisation churned."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "accounts_churnreason"
        verbose_name = _("churn reason")
        verbose_name_plural = _("churn reasons")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name




class HealthScore(models.Model):
    """The current health (0–100) of an organisation, or of a customer without one, with its signals.

    ``signals`` is a list of {"key", "label", "weight", "value", "points", "detail"}: the page shows each
    signal's weight and value, and the at-risk list the signals that cost the most points.
    """

    class Band(models.TextChoices):
        HEALTHY = "healthy", _("Healthy")
        WATCH = "watch", _("Watch")
        AT_RISK = "at_risk", _("At risk")

    organization = models.OneToOneField("accounts.Organization", verbose_name=_("organisation"),
                                        on_delete=models.CASCADE, null=True, blank=True, related_name="health")
    customer = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("customer"), on_delete=models.CASCADE,
                                    null=True, blank=True, related_name="health")
    score = models.PositiveSmallIntegerField(_("health score"))
    band = models.CharField(_("band"), max_length=10, choices=Band.choices)
    signals = models.JSONField(_("signals"), default=list)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        db_table = "reports_healthscore"
        verbose_name = _("health score")
        verbose_name_plural = _("health scores")
        ordering = ["score"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False, customer__isnull=True)
                | models.Q(organization__isnull=True, customer__isnull=False),
                name="health_score_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["band", "score"])]

    def __str__(self):
        return f"{self.organization or self.customer}: {self.score}"
