"""Snapshot tables for the dashboards, written only by the recompute job (``reports.recompute``),
and the run log. (Customer health scores are the care app's.)

Every table has a unique constraint on its key, and the job writes a month under a lock
(``reports.recompute.lock_month``), so two runs at once still leave one row per key.

Durations are in business minutes of the ticket's SLA calendar. Each daily row keeps exact
figures for its day (avg, p50, p90) and a histogram over ``reports.buckets.EDGES``; the pages read the
percentiles of a range from the tickets themselves (``reports.selectors.exact_percentiles``), exactly.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ReportRun(models.Model):
    """One recompute of a date range: queued by a manager or beat, run by a worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("requested by"),
                                     on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    days_done = models.PositiveIntegerField(_("days done"), default=0)

    class Meta:
        verbose_name = _("report run")
        verbose_name_plural = _("report runs")
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "-finished_at"])]

    def __str__(self):
        return f"{self.date_from} – {self.date_to} ({self.get_status_display()})"

    @property
    def days_total(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ReportDay(models.Model):
    """When a day's snapshots were last computed, and whether a late event has changed its figures since.

    An event that changes a past day (a reopening, a late survey answer, a merge) marks the day dirty; the
    10-minute task (``reports.recompute.refresh``) recomputes the dirty days and today, and a recompute clears
    the mark of every day it wrote, unless the day was marked again while it ran.
    """

    day = models.DateField(_("day"), unique=True)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    dirty_since = models.DateTimeField(_("changed since"), null=True, blank=True,
                                       help_text=_("A late event changed this day's figures; recomputed within "
                                                   "10 minutes."))

    class Meta:
        verbose_name = _("report day")
        verbose_name_plural = _("report days")
        ordering = ["-day"]
        indexes = [models.Index(fields=["dirty_since"], condition=Q(dirty_since__isnull=False),
                                name="report_day_dirty")]

    def __str__(self):
        return str(self.day)


def _duration_fields(prefix: str, label: str) -> dict:
    return {
        f"{prefix}_count": models.PositiveIntegerField(_("%(label)s: tickets") % {"label": label}, default=0),
        f"{prefix}_sum": models.FloatField(_("%(label)s: total minutes") % {"label": label}, default=0),
        f"{prefix}_avg": models.FloatField(_("%(label)s: average minutes") % {"label": label}, null=True),
        f"{prefix}_p50": models.FloatField(_("%(label)s: median minutes") % {"label": label}, null=True),
        f"{prefix}_p90": models.FloatField(_("%(label)s: p90 minutes") % {"label": label}, null=True),
        f"{prefix}_hist": models.JSONField(_("%(label)s: histogram") % {"label": label}, default=list),
    }


def unique_key(name: str, fields: list[str], optional: str) -> list[models.BaseConstraint]:
    """One row per key, where the ``optional`` part of the key may be empty: SQL counts two NULLs as different,
    so the key with it empty gets its own constraint (partial unique indexes, on SQLite and PostgreSQL alike)."""
    return [
        models.UniqueConstraint(fields=[*fields, optional], condition=Q(**{f"{optional}__isnull": False}),
                                name=f"{name}_unique"),
        models.UniqueConstraint(fields=fields, condition=Q(**{f"{optional}__isnull": True}),
                                name=f"{name}_unique_without_{optional}"),
    ]


class SupportDaily(models.Model):
    """Tickets per day × queue × priority (the day in ``TIME_ZONE``)."""

    day = models.DateField(_("day"))
    queue = models.ForeignKey("tickets.Queue", verbose_name=_("queue"), on_delete=models.CASCADE, related_name="+")
    priority = models.CharField(_("priority"), max_length=10)
    created = models.PositiveIntegerField(_("created"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    backlog = models.PositiveIntegerField(_("backlog at end of day"), default=0)
    reopened = models.PositiveIntegerField(_("reopened"), default=0)
    one_touch = models.PositiveIntegerField(_("one-touch resolutions"), default=0)
    sla_met = models.PositiveIntegerField(_("SLA met"), default=0)
    sla_breached = models.PositiveIntegerField(_("SLA breached"), default=0)
    locals().update(_duration_fields("frt", "first response"))
    # First resolution on the day the ticket was first resolved, full resolution on the day it was last resolved.
    locals().update(_duration_fields("first_resolution", "first resolution"))
    locals().update(_duration_fields("resolution", "full resolution"))

    class Meta:
        verbose_name = _("support day")
        verbose_name_plural = _("support days")
        constraints = [models.UniqueConstraint(fields=["day", "queue", "priority"], name="support_daily_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.queue_id} {self.priority}"


class AgentDaily(models.Model):
    """Per day × agent: replies, resolutions, first responses."""

    day = models.DateField(_("day"))
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("agent"), on_delete=models.CASCADE,
                              related_name="+")
    replies = models.PositiveIntegerField(_("public replies"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)
    one_touch = models.PositiveIntegerField(_("one-touch resolutions"), default=0)
    locals().update(_duration_fields("frt", "first response"))

    class Meta:
        verbose_name = _("agent day")
        verbose_name_plural = _("agent days")
        constraints = [models.UniqueConstraint(fields=["day", "agent"], name="agent_daily_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.agent_id}"


class ChannelDaily(models.Model):
    day = models.DateField(_("day"))
    channel = models.CharField(_("channel"), max_length=10)
    created = models.PositiveIntegerField(_("created"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)

    class Meta:
        verbose_name = _("channel day")
        verbose_name_plural = _("channel days")
        constraints = [models.UniqueConstraint(fields=["day", "channel"], name="channel_daily_unique")]

    def __str__(self):
        return f"{self.day} {self.channel}"


class SatisfactionDaily(models.Model):
    """Per day × survey kind × product (no product: ticket surveys). Answers and scores count on the day of the
    answer; invitations, and how many of them were answered (at any later time), on the day they were sent."""

    day = models.DateField(_("day"))
    kind = models.CharField(_("survey kind"), max_length=10)
    product = models.ForeignKey("aftersales.Product", verbose_name=_("product"), on_delete=models.CASCADE,
                                null=True, blank=True, related_name="+")
    invitations = models.PositiveIntegerField(_("invitations sent"), default=0)
    answered = models.PositiveIntegerField(
        _("invitations answered"), default=0,
        help_text=_("Of the invitations sent that day, those answered by the time of the recompute, on any later "
                    "day. The response rate is answered ÷ invitations sent."))
    responses = models.PositiveIntegerField(_("responses"), default=0)
    ratings = models.PositiveIntegerField(_("ratings"), default=0)
    score_sum = models.FloatField(_("sum of scores"), default=0)
    mean_score = models.FloatField(_("mean score"), null=True)
    top_two = models.PositiveIntegerField(_("ratings in the top two points"), default=0)
    csat_pct = models.FloatField(_("CSAT %"), null=True)
    promoters = models.PositiveIntegerField(_("promoters"), default=0)
    passives = models.PositiveIntegerField(_("passives"), default=0)
    detractors = models.PositiveIntegerField(_("detractors"), default=0)
    nps = models.FloatField(_("NPS"), null=True)
    distribution = models.JSONField(_("ratings per score"), default=dict)  # {"0": n, …, "10": n}

    class Meta:
        verbose_name = _("satisfaction day")
        verbose_name_plural = _("satisfaction days")
        constraints = unique_key("satisfaction_daily", ["day", "kind"], "product")
        indexes = [models.Index(fields=["day", "kind"])]

    def __str__(self):
        return f"{self.day} {self.kind} {self.product_id or ''}".strip()


class AfterSalesDaily(models.Model):
    """Per day × product × technician: service requests, decisions, turnaround and quality."""

    day = models.DateField(_("day"))
    product = models.ForeignKey("aftersales.Product", verbose_name=_("product"), on_delete=models.CASCADE,
                                related_name="+")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.CASCADE,
                                   null=True, blank=True, related_name="+")
    requests = models.PositiveIntegerField(_("service requests"), default=0)
    decided = models.PositiveIntegerField(_("decided"), default=0)
    approved = models.PositiveIntegerField(_("approved"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    turnaround_count = models.PositiveIntegerField(_("turnarounds"), default=0)
    turnaround_sum_hours = models.FloatField(_("total turnaround (hours)"), default=0)
    turnaround_avg_hours = models.FloatField(_("average turnaround (hours)"), null=True)
    quality_ratings = models.PositiveIntegerField(_("quality ratings"), default=0)
    quality_sum = models.FloatField(_("sum of quality scores"), default=0)
    quality_score = models.FloatField(_("after-sales quality score"), null=True)

    class Meta:
        verbose_name = _("after-sales day")
        verbose_name_plural = _("after-sales days")
        constraints = unique_key("aftersales_daily", ["day", "product"], "technician")
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.product_id} {self.technician_id or ''}".strip()


class ChurnMonthly(models.Model):
    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    active_at_start = models.PositiveIntegerField(_("active at start"), default=0)
    new = models.PositiveIntegerField(_("new"), default=0)
    churned = models.PositiveIntegerField(_("churned"), default=0)
    reactivated = models.PositiveIntegerField(_("reactivated"), default=0)
    churn_rate = models.FloatField(_("churn rate %"), null=True)

    class Meta:
        verbose_name = _("churn month")
        verbose_name_plural = _("churn months")
        ordering = ["month"]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class KnowledgeDaily(models.Model):
    day = models.DateField(_("day"), unique=True)
    views = models.PositiveIntegerField(_("article views"), default=0)
    helpful_yes = models.PositiveIntegerField(_("helpful votes"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful votes"), default=0)
    helpful_pct = models.FloatField(_("helpful %"), null=True)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    searches_without_results = models.PositiveIntegerField(_("searches without results"), default=0)
    deflections = models.PositiveIntegerField(_("deflections"), default=0)

    class Meta:
        verbose_name = _("knowledge-base day")
        verbose_name_plural = _("knowledge-base days")

    def __str__(self):
        return str(self.day)


class ArticleDaily(models.Model):
    day = models.DateField(_("day"))
    article = models.ForeignKey("knowledgebase.Article", verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="+")
    views = models.PositiveIntegerField(_("views"), default=0)
    helpful_yes = models.PositiveIntegerField(_("helpful votes"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful votes"), default=0)
    deflections = models.PositiveIntegerField(_("deflections"), default=0)

    class Meta:
        verbose_name = _("article day")
        verbose_name_plural = _("article days")
        constraints = [models.UniqueConstraint(fields=["day", "article"], name="article_daily_unique")]

    def __str__(self):
        return f"{self.day} {self.article_id}"


class SearchGapDaily(models.Model):
    """Searches that found nothing, per day and normalised query: the knowledge base's content gaps."""

    day = models.DateField(_("day"))
    query = models.CharField(_("search"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)

    class Meta:
        verbose_name = _("content gap day")
        verbose_name_plural = _("content gap days")
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_gap_daily_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.query}"


class FeedbackDaily(models.Model):
    """Per day × product area × kind: product feedback received."""

    day = models.DateField(_("day"))
    area = models.ForeignKey("feedback.ProductArea", verbose_name=_("product area"), on_delete=models.CASCADE,
                             null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10)
    received = models.PositiveIntegerField(_("received"), default=0)

    class Meta:
        verbose_name = _("feedback day")
        verbose_name_plural = _("feedback days")
        constraints = unique_key("feedback_daily", ["day", "kind"], "area")
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.area_id or ''} {self.kind}"


class ImprovementDaily(models.Model):
    """Per day × product area: improvements shipped and verified."""

    day = models.DateField(_("day"))
    area = models.ForeignKey("feedback.ProductArea", verbose_name=_("product area"), on_delete=models.CASCADE,
                             null=True, blank=True, related_name="+")
    shipped = models.PositiveIntegerField(_("shipped"), default=0)
    verified = models.PositiveIntegerField(_("verified"), default=0)

    class Meta:
        verbose_name = _("improvement day")
        verbose_name_plural = _("improvement days")
        constraints = unique_key("improvement_daily", ["day"], "area")
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.day} {self.area_id or ''}"
