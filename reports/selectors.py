"""Reads for the manager dashboards: the snapshot tables summed over a date range, plus a few small live lists.

Every function runs a fixed number of queries whatever the number of tickets or days: sums are
``GROUP BY`` aggregates in SQL over the snapshot rows, and range percentiles are exact: ``percentile_cont``
over the tickets' stored durations (business minutes) of the range and filter, on the indexed time columns
(``exact_percentiles``). The SQLite of the embedded default has no ``percentile_cont``: there the same query
returns the values and the interpolation is done in Python, as in the recompute job.
Each function answers for a ``Period`` and, where it has them, the page's filters.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import reduce

from django.db import connection
from django.db.models import CharField, Count, F, Min, Q, Sum, Value
from django.utils import timezone

from care.models import HealthScore
from feedback.models import Improvement, Survey, SurveyResponse
from helpdesk.accounts.models import Organization, OrganizationStatusChange
from helpdesk.accounts.selectors import churn_figures
from reports import metrics, sla
from reports.clock import report_timezone, report_today
from reports.models import (
    AfterSalesDaily,
    AgentDaily,
    ArticleDaily,
    ChannelDaily,
    ChurnMonthly,
    FeedbackDaily,
    ImprovementDaily,
    KnowledgeDaily,
    ReportDay,
    ReportRun,
    SatisfactionDaily,
    SearchGapDaily,
    SupportDaily,
)
from reports.recompute.base import PercentileCont, percentile_cont
from reports.recompute.support import PUBLIC_AGENT_REPLY
from tickets.models import Message, Ticket

LIVE_PAGE_SIZE = 25
LOW_SCORE_COMMENTS = 10
TOP_ARTICLES = 10
CONTENT_GAPS = 20
AT_RISK_ROWS = 25
IMPROVEMENT_ROWS = 20


@dataclass(frozen=True)
class Period:
    """The days ``start`` to ``end``, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> Period:
        """The same number of days immediately before."""
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=offset) for offset in range(self.days)]

    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes [start 00:00, the day after end 00:00) in the report time zone, for live lists."""
        zone = report_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=zone),
                datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone))

    @classmethod
    def last(cls, days: int, today: date | None = None) -> Period:
        """The ``days`` days up to and including today (today's figures are at most 10 minutes old)."""
        end = today or report_today()
        return cls(end - timedelta(days=days - 1), end)


def _both(period: Period) -> tuple[Q, Q, Q]:
    """(whole span, current, previous) day filters, so one query sums both periods."""
    previous = period.previous
    return (Q(day__range=(previous.start, period.end)), Q(day__range=(period.start, period.end)),
            Q(day__range=(previous.start, previous.end)))


def _sums(fields, current: Q, previous: Q) -> dict:
    """``Sum`` annotations cur_<field> and prev_<field> for each field."""
    annotations = {}
    for field in fields:
        annotations[f"cur_{field}"] = Sum(field, filter=current)
        annotations[f"prev_{field}"] = Sum(field, filter=previous)
    return annotations


def _split(row: dict, fields) -> tuple[dict, dict]:
    return ({field: row.get(f"cur_{field}") or 0 for field in fields},
            {field: row.get(f"prev_{field}") or 0 for field in fields})


def _has_rows(totals: dict, key: str) -> bool:
    return bool(totals.get(key))


# ---------------------------------------------------------------- run log


def run_status() -> dict:
    """When the numbers were last computed, the live run waiting or in progress, and a run that failed since
    the last good one, if any (three queries)."""
    from reports import selectors_runs  # the recompute job's own reads

    last_computed = selectors_runs.last_computed()
    failed = ReportRun.objects.filter(status=ReportRun.Status.FAILED, finished_at__isnull=False)
    if last_computed is not None:
        failed = failed.filter(finished_at__gt=last_computed)
    return {"last_computed": last_computed, "pending_run": selectors_runs.run_in_progress(),
            "failed_run": failed.order_by("-finished_at").first()}


def run_for_progress(run_id: int | None) -> ReportRun | None:
    """The recompute whose progress the page follows: the one asked for, else the live one, else the latest."""
    from reports import selectors_runs

    if run_id is not None:
        return ReportRun.objects.filter(pk=run_id).first()
    return selectors_runs.run_in_progress() or ReportRun.objects.order_by("-requested_at", "-pk").first()


def range_freshness(period: Period) -> dict:
    """When the figures of the period's days were computed (one query): the oldest day's time, how many of
    its days were never computed, and how many a late event changed since (recomputed within 10 minutes)."""
    found = ReportDay.objects.filter(day__range=(period.start, period.end)).aggregate(
        oldest=Min("computed_at"), computed=Count("pk", filter=Q(computed_at__isnull=False)),
        changed=Count("pk", filter=Q(dirty_since__isnull=False)))
    missing = period.days - (found["computed"] or 0)
    return {"computed_at": found["oldest"] if not missing else None, "oldest": found["oldest"],
            "days_missing": missing, "days_changed": found["changed"] or 0}


# ---------------------------------------------------------------- exact percentiles


@dataclass(frozen=True)
class Figure:
    """A percentile to compute: of ``value`` for the tickets whose ``moment`` falls in [start, end)."""

    moment: str
    value: str
    start: datetime
    end: datetime
    q: float


def first_responses(period: Period, q: float) -> Figure:
    start, end = period.bounds()
    return Figure("first_response_at", "first_response_minutes", start, end, q)


def first_resolutions(period: Period, q: float) -> Figure:
    """First resolution time (created → first resolved) of the tickets first resolved in the period."""
    start, end = period.bounds()
    return Figure("first_resolved_at", "first_resolution_minutes", start, end, q)


def resolutions(period: Period, q: float) -> Figure:
    """Full resolution time (created → last resolved) of the tickets last resolved in the period."""
    start, end = period.bounds()
    return Figure("resolved_at", "resolution_minutes", start, end, q)


def exact_percentiles(filters: dict, figures: dict[str, Figure], group: tuple[str, ...] = (), rows=None) -> dict:
    """{group key: {name: percentile}} (key ``()`` without ``group``), equal to ``percentile_cont`` over the
    raw values of each figure's range: of the tickets with the filters, or of ``rows`` (one query)."""
    tickets = rows if rows is not None else _ticket_filters(Ticket.objects.all(), filters)
    windows = {name: Q(**{f"{f.moment}__gte": f.start, f"{f.moment}__lt": f.end, f"{f.value}__isnull": False})
               for name, f in figures.items()}
    tickets = tickets.filter(reduce(operator.or_, windows.values())).order_by()
    results: dict = {}
    if connection.vendor == "postgresql":
        aggregates = {name: PercentileCont(f.value, f.q, filter=windows[name]) for name, f in figures.items()}
        if not group:  # values() without fields would group by every column
            return {(): tickets.aggregate(**aggregates)}
        for row in tickets.values(*group).annotate(**aggregates):
            results[tuple(row[key] for key in group)] = {name: row[name] for name in figures}
        return results
    fields = sorted({f.moment for f in figures.values()} | {f.value for f in figures.values()})
    values: dict = {}
    for row in tickets.values(*group, *fields):
        key = tuple(row[name] for name in group)
        for name, f in figures.items():
            moment, value = row[f.moment], row[f.value]
            if value is not None and moment is not None and f.start <= moment < f.end:
                values.setdefault(key, {}).setdefault(name, []).append(float(value))
    for key, by_name in values.items():
        results[key] = {name: percentile_cont(sorted(by_name.get(name, [])), f.q) for name, f in figures.items()}
    return results


# ---------------------------------------------------------------- support


SUPPORT_FIELDS = ("created", "resolved", "reopened", "one_touch", "sla_met", "sla_breached",
                  "frt_count", "frt_sum", "first_resolution_count", "first_resolution_sum", "resolution_count",
                  "resolution_sum")


def _support_rows(filters: dict):
    rows = SupportDaily.objects.all()
    if filters.get("queue"):
        rows = rows.filter(queue=filters["queue"])
    if filters.get("priority"):
        rows = rows.filter(priority=filters["priority"])
    return rows


def support_totals(period: Period, filters: dict) -> dict:
    """Current and previous sums, backlog at the end of each (one query), and the exact p50s and p90s of both
    periods (one query)."""
    span, current, previous = _both(period)
    rows = _support_rows(filters).filter(span)
    totals = rows.aggregate(
        **_sums(SUPPORT_FIELDS, current, previous),
        cur_backlog=Sum("backlog", filter=Q(day=period.end)),
        prev_backlog=Sum("backlog", filter=Q(day=period.previous.end)),
        cur_rows=Count("pk", filter=current), prev_rows=Count("pk", filter=previous),
    )
    cur, prev = _split(totals, SUPPORT_FIELDS)
    cur["backlog"], prev["backlog"] = totals["cur_backlog"], totals["prev_backlog"]
    cur["rows"], prev["rows"] = totals["cur_rows"], totals["prev_rows"]
    figures = {}
    for side, span_of in (("cur", period), ("prev", period.previous)):
        for q in (0.5, 0.9):
            figures[f"{side}_frt_p{round(q * 100)}"] = first_responses(span_of, q)
            figures[f"{side}_first_resolution_p{round(q * 100)}"] = first_resolutions(span_of, q)
            figures[f"{side}_resolution_p{round(q * 100)}"] = resolutions(span_of, q)
    exact = exact_percentiles(filters, figures).get((), {})
    for side, target in (("cur", cur), ("prev", prev)):
        for name in ("frt_p50", "frt_p90", "first_resolution_p50", "first_resolution_p90", "resolution_p50",
                     "resolution_p90"):
            target[name] = exact.get(f"{side}_{name}")
    return {"current": cur, "previous": prev}


def support_series(period: Period, filters: dict) -> list[dict]:
    """Per day: created, resolved, backlog, SLA met and breached (one query), every day of the period present."""
    rows = (_support_rows(filters).filter(day__range=(period.start, period.end)).values("day")
            .annotate(created=Sum("created"), resolved=Sum("resolved"), backlog=Sum("backlog"),
                      sla_met=Sum("sla_met"), sla_breached=Sum("sla_breached")).order_by("day"))
    by_day = {row["day"]: row for row in rows}
    empty = {"created": None, "resolved": None, "backlog": None, "sla_met": None, "sla_breached": None}
    return [{"day": day, **by_day.get(day, empty)} for day in period.dates()]


def _support_group(period: Period, filters: dict, *dims: str) -> list[dict]:
    return list(
        _support_rows(filters).filter(day__range=(period.start, period.end)).values(*dims)
        .annotate(created=Sum("created"), resolved=Sum("resolved"), reopened=Sum("reopened"),
                  one_touch=Sum("one_touch"), sla_met=Sum("sla_met"), sla_breached=Sum("sla_breached"),
                  backlog=Sum("backlog", filter=Q(day=period.end)), frt_count=Sum("frt_count"),
                  frt_sum=Sum("frt_sum"), first_resolution_count=Sum("first_resolution_count"),
                  first_resolution_sum=Sum("first_resolution_sum"), resolution_count=Sum("resolution_count"),
                  resolution_sum=Sum("resolution_sum"))
        .order_by(*dims)
    )


def support_by_queue(period: Period, filters: dict) -> list[dict]:
    """Per queue: sums, backlog at the end (one query), and exact p50/p90 (one query)."""
    rows = _support_group(period, filters, "queue", "queue__name")
    exact = exact_percentiles(filters, {"frt_p50": first_responses(period, 0.5),
                                        "frt_p90": first_responses(period, 0.9),
                                        "first_resolution_p50": first_resolutions(period, 0.5),
                                        "resolution_p50": resolutions(period, 0.5)}, group=("queue",))
    for row in rows:
        row.update(exact.get((row["queue"],), dict.fromkeys(("frt_p50", "frt_p90", "first_resolution_p50",
                                                             "resolution_p50"))))
    rows.sort(key=lambda row: (-(row["created"] or 0), row["queue__name"]))
    return rows


PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}


def support_by_priority(period: Period, filters: dict) -> list[dict]:
    rows = _support_group(period, filters, "priority")
    exact = exact_percentiles(filters, {"frt_p50": first_responses(period, 0.5),
                                        "first_resolution_p50": first_resolutions(period, 0.5),
                                        "resolution_p50": resolutions(period, 0.5)}, group=("priority",))
    for row in rows:
        row.update(exact.get((row["priority"],), dict.fromkeys(("frt_p50", "first_resolution_p50",
                                                                "resolution_p50"))))
    rows.sort(key=lambda row: PRIORITY_ORDER.get(row["priority"], 9))
    return rows


def support_by_agent(period: Period) -> list[dict]:
    """Per agent: replies, resolutions, one-touch (one query) and the exact p50 of the first responses each gave
    (one query; agents have no queue)."""
    span = Q(day__range=(period.start, period.end))
    rows = list(
        AgentDaily.objects.filter(span).values("agent", "agent__name", "agent__email")
        .annotate(replies=Sum("replies"), resolved=Sum("resolved"), one_touch=Sum("one_touch"),
                  frt_count=Sum("frt_count"), frt_sum=Sum("frt_sum"))
        .order_by("-resolved", "agent__name")
    )
    start, end = period.bounds()
    # The reply that was a ticket's first response has the ticket's first_response_at as its own time.
    first_replies = Message.objects.filter(PUBLIC_AGENT_REPLY, ticket__first_response_at=F("created_at"))
    exact = exact_percentiles({}, {"frt_p50": Figure("created_at", "ticket__first_response_minutes", start, end, 0.5)},
                              group=("author",), rows=first_replies)
    for row in rows:
        row["frt_p50"] = exact.get((row["agent"],), {}).get("frt_p50")
    return rows


def support_by_channel(period: Period) -> list[dict]:
    return list(
        ChannelDaily.objects.filter(day__range=(period.start, period.end)).values("channel")
        .annotate(created=Sum("created"), resolved=Sum("resolved")).order_by("-created", "channel")
    )


# ---------------------------------------------------------------- SLA


def _ticket_filters(tickets, filters: dict):
    if filters.get("queue"):
        tickets = tickets.filter(queue=filters["queue"])
    if filters.get("priority"):
        tickets = tickets.filter(priority=filters["priority"])
    return tickets


def sla_figures(period: Period, filters: dict, now=None) -> dict:
    """Targets met and breached in the period and the one before, by ``reports.sla``'s definition, straight from
    the tickets (one query over the due-time indexes), so the figure is the breach list's length."""
    now = now or timezone.now()
    start, end = period.bounds()
    previous_start, previous_end = period.previous.bounds()
    tickets = sla.with_done(_ticket_filters(Ticket.objects.all(), filters))
    tickets = tickets.filter(reduce(operator.or_, [sla.due_within(target, previous_start, end)
                                                   for target in sla.TARGETS]))
    counts = {}
    for side, (first, last) in (("current", (start, end)), ("previous", (previous_start, previous_end))):
        for target in sla.TARGETS:
            due = sla.due_within(target, first, last)
            counts[f"{side}_{target}_met"] = Count("pk", filter=due & sla.met(target))
            counts[f"{side}_{target}_breached"] = Count("pk", filter=due & sla.breached(target, now))
    totals = tickets.aggregate(**counts)
    return {side: {f"sla_{outcome}": sum(totals[f"{side}_{target}_{outcome}"] for target in sla.TARGETS)
                   for outcome in ("met", "breached")}
            for side in ("current", "previous")}


def sla_breaches(period: Period, filters: dict, now=None):
    """The SLA targets breached in the period (``reports.sla``), one row per ticket and target, the latest due
    first: rows of (id, target, due) in SQL, one UNION ALL, to be paged; ``breached_tickets`` fetches their
    tickets."""
    now = now or timezone.now()
    start, end = period.bounds()
    tickets = sla.with_done(_ticket_filters(Ticket.objects.all(), filters))
    parts = [tickets.filter(sla.due_within(target, start, end), sla.breached(target, now))
             .annotate(sla_target=Value(target, output_field=CharField()), sla_due=F(f"{target}_due"))
             .values_list("id", "sla_target", "sla_due").order_by() for target in sla.TARGETS]
    return parts[0].union(*parts[1:], all=True).order_by("-sla_due", "-id")


def breached_tickets(rows) -> dict:
    """{id: ticket} with its queue, assignee and organisation, for a page of ``sla_breaches`` rows (one query)."""
    return (Ticket.objects.select_related("queue", "assignee", "organization")
            .in_bulk({ticket_id for ticket_id, _target, _due in rows}))


# ---------------------------------------------------------------- satisfaction


SATISFACTION_FIELDS = ("invitations", "answered", "responses", "ratings", "score_sum", "top_two", "promoters",
                       "passives", "detractors")


def _satisfaction_rows(filters: dict):
    rows = SatisfactionDaily.objects.all()
    if filters.get("kind"):
        rows = rows.filter(kind=filters["kind"])
    if filters.get("product"):
        rows = rows.filter(product=filters["product"])
    return rows


def satisfaction_totals(period: Period, filters: dict) -> dict:
    """{kind: {"current": sums, "previous": sums}} for both periods (one query)."""
    span, current, previous = _both(period)
    rows = (_satisfaction_rows(filters).filter(span).values("kind")
            .annotate(**_sums(SATISFACTION_FIELDS, current, previous)).order_by("kind"))
    result = {}
    for row in rows:
        cur, prev = _split(row, SATISFACTION_FIELDS)
        result[row["kind"]] = {"current": cur, "previous": prev}
    return result


def satisfaction_series(period: Period, filters: dict) -> list[dict]:
    """Per day and kind: the sums behind the CSAT and NPS trends (one query)."""
    return list(
        _satisfaction_rows(filters).filter(day__range=(period.start, period.end)).values("day", "kind")
        .annotate(ratings=Sum("ratings"), score_sum=Sum("score_sum"), top_two=Sum("top_two"),
                  promoters=Sum("promoters"), detractors=Sum("detractors"), responses=Sum("responses"),
                  invitations=Sum("invitations"), answered=Sum("answered"))
        .order_by("day", "kind")
    )


def satisfaction_distribution(period: Period, filters: dict) -> dict:
    """{kind: {score: ratings}} summed over the period's daily rows (one query, rows bounded by days)."""
    result: dict = {}
    rows = _satisfaction_rows(filters).filter(day__range=(period.start, period.end)).values_list("kind",
                                                                                              "distribution")
    for kind, distribution in rows:
        counts = result.setdefault(kind, {})
        for score, count in (distribution or {}).items():
            try:
                key = int(score)
            except (TypeError, ValueError):
                continue
            counts[key] = counts.get(key, 0) + (count or 0)
    return result


def satisfaction_by_product(period: Period, filters: dict) -> list[dict]:
    return list(
        _satisfaction_rows(filters).filter(day__range=(period.start, period.end)).values("product", "product__name")
        .annotate(invitations=Sum("invitations"), answered=Sum("answered"), responses=Sum("responses"),
                  ratings=Sum("ratings"),
                  score_sum=Sum("score_sum"), top_two=Sum("top_two"), promoters=Sum("promoters"),
                  detractors=Sum("detractors"))
        .order_by(F("product__name").asc(nulls_first=True))
    )


def low_score_comments(period: Period, filters: dict, limit: int = LOW_SCORE_COMMENTS) -> list:
    """The latest answers with a comment and a low score: ≤ 6 on the 0–10 and 1–10 scales, ≤ 2 on 1–5 (live)."""
    start, end = period.bounds()
    ten_point = Q(invitation__survey__kind=Survey.Kind.NPS) | Q(invitation__survey__scale=10)
    low = (ten_point & Q(score__lte=6)) | (~ten_point & Q(score__lte=2))
    responses = SurveyResponse.objects.filter(low, score__isnull=False, updated_at__gte=start, updated_at__lt=end)
    responses = responses.exclude(comment="")
    if filters.get("kind"):
        responses = responses.filter(invitation__survey__kind=filters["kind"])
    if filters.get("product"):
        responses = responses.filter(invitation__service_request__purchase__product=filters["product"])
    return list(
        responses.select_related("invitation__survey", "invitation__recipient", "invitation__ticket",
                                 "invitation__service_request", "invitation__organization")
        .order_by("-updated_at", "-pk")[:limit]
    )


# ---------------------------------------------------------------- after-sales


AFTERSALES_FIELDS = ("requests", "decided", "approved", "rejected", "completed", "turnaround_count",
                     "turnaround_sum_hours", "quality_ratings", "quality_sum")


def _aftersales_rows(filters: dict):
    rows = AfterSalesDaily.objects.all()
    if filters.get("product"):
        rows = rows.filter(product=filters["product"])
    if filters.get("technician"):
        rows = rows.filter(technician=filters["technician"])
    return rows


def aftersales_totals(period: Period, filters: dict) -> dict:
    span, current, previous = _both(period)
    totals = _aftersales_rows(filters).filter(span).aggregate(**_sums(AFTERSALES_FIELDS, current, previous))
    cur, prev = _split(totals, AFTERSALES_FIELDS)
    return {"current": cur, "previous": prev}


def aftersales_series(period: Period, filters: dict) -> list[dict]:
    rows = (_aftersales_rows(filters).filter(day__range=(period.start, period.end)).values("day")
            .annotate(requests=Sum("requests"), completed=Sum("completed"), quality_ratings=Sum("quality_ratings"),
                      quality_sum=Sum("quality_sum")).order_by("day"))
    by_day = {row["day"]: row for row in rows}
    empty = {"requests": None, "completed": None, "quality_ratings": None, "quality_sum": None}
    return [{"day": day, **by_day.get(day, empty)} for day in period.dates()]


def _aftersales_group(period: Period, filters: dict, *dims: str) -> list[dict]:
    return list(
        _aftersales_rows(filters).filter(day__range=(period.start, period.end)).values(*dims)
        .annotate(requests=Sum("requests"), decided=Sum("decided"), approved=Sum("approved"),
                  rejected=Sum("rejected"), completed=Sum("completed"), turnaround_count=Sum("turnaround_count"),
                  turnaround_sum_hours=Sum("turnaround_sum_hours"), quality_ratings=Sum("quality_ratings"),
                  quality_sum=Sum("quality_sum"))
        .order_by("-requests", *dims)
    )


def aftersales_by_product(period: Period, filters: dict) -> list[dict]:
    return _aftersales_group(period, filters, "product", "product__name")


def aftersales_by_technician(period: Period, filters: dict) -> list[dict]:
    return _aftersales_group(period, filters, "technician", "technician__name", "technician__email")


# ---------------------------------------------------------------- churn


def _month_start(day: date) -> date:
    return day.replace(day=1)


def churn_months(first: date, last: date) -> list[ChurnMonthly]:
    """The monthly rows from the month of ``first`` to the month of ``last`` (one query, bounded by months)."""
    return list(ChurnMonthly.objects.filter(month__range=(_month_start(first), _month_start(last))).order_by("month"))


def churn_for(period: Period) -> dict:
    """The churn rate of exactly the period's days, from the organisations' status history (DESIGN §4):
    churned in the period / active at its start. Four queries over the history, whatever the period."""
    figures = churn_figures(period.start, period.end)
    return {**figures, "rate": metrics.churn_rate(figures["churned"], figures["active_at_start"])}


def _churn_changes(period: Period, filters: dict):
    changes = OrganizationStatusChange.objects.filter(to_status=Organization.Status.CHURNED,
                                                      effective_on__range=(period.start, period.end))
    if filters.get("tier"):
        changes = changes.filter(organization__tier=filters["tier"])
    return changes


def churned_organisations(period: Period, filters: dict):
    """Organisations marked churned during the period, with the reason given (live, newest first)."""
    return (_churn_changes(period, filters).select_related("organization", "changed_by")
            .order_by("-effective_on", "-pk"))


def churn_reasons(period: Period, filters: dict) -> list[dict]:
    return list(_churn_changes(period, filters).values("reason").annotate(count=Count("pk"))
                .order_by("-count", "reason"))


def at_risk(filters: dict, limit: int = AT_RISK_ROWS) -> dict:
    """Organisations whose health is at risk or to watch, the lowest first, with the signals that cost most."""
    scores = HealthScore.objects.filter(organization__isnull=False,
                                        band__in=[HealthScore.Band.AT_RISK, HealthScore.Band.WATCH])
    if filters.get("tier"):
        scores = scores.filter(organization__tier=filters["tier"])
    counts = scores.aggregate(at_risk=Count("pk", filter=Q(band=HealthScore.Band.AT_RISK)),
                              watch=Count("pk", filter=Q(band=HealthScore.Band.WATCH)))
    rows = list(scores.select_related("organization", "organization__account_manager").order_by("score", "pk")[:limit])
    for row in rows:
        row.top_reasons = top_reasons(row.signals)
    return {"rows": rows, **counts}


def top_reasons(signals, count: int = 2) -> list[str]:
    """The labels of the signals that cost the most points (weight − points), largest first."""
    costs = []
    for signal in signals or []:
        try:
            lost = float(signal.get("weight") or 0) - float(signal.get("points") or 0)
        except (AttributeError, TypeError, ValueError):
            continue
        if lost > 0:
            costs.append((lost, str(signal.get("label") or signal.get("key") or "")))
    costs.sort(key=lambda item: -item[0])
    return [label for _lost, label in costs[:count]]


# ---------------------------------------------------------------- response-time model


def response_time_model(period: Period, filters: dict, level: float) -> dict:
    """Per queue and overall: mean first response × level (the seed model) next to the real percentile at that
    level, exact (three queries: the sums, the percentile per queue, the percentile of all)."""
    rows = list(
        _support_rows(filters).filter(day__range=(period.start, period.end)).values("queue", "queue__name")
        .annotate(frt_count=Sum("frt_count"), frt_sum=Sum("frt_sum")).order_by("queue__name")
    )
    real = {"actual": first_responses(period, level)}
    per_queue = exact_percentiles(filters, real, group=("queue",))
    for row in rows:
        row["mean"] = metrics.mean(row["frt_sum"], row["frt_count"])
        row["model"] = metrics.response_time_target(row["mean"], level)
        row["actual"] = per_queue.get((row["queue"],), {}).get("actual")
    count = sum(row["frt_count"] or 0 for row in rows)
    total = sum(row["frt_sum"] or 0 for row in rows)
    overall_mean = metrics.mean(total, count)
    overall = {"frt_count": count, "frt_sum": total, "mean": overall_mean,
               "model": metrics.response_time_target(overall_mean, level),
               "actual": exact_percentiles(filters, real).get((), {}).get("actual") if rows else None}
    return {"rows": rows, "overall": overall}


# ---------------------------------------------------------------- knowledge base


KNOWLEDGE_FIELDS = ("views", "helpful_yes", "helpful_no", "searches", "searches_without_results", "deflections")


def knowledge_totals(period: Period) -> dict:
    span, current, previous = _both(period)
    totals = KnowledgeDaily.objects.filter(span).aggregate(**_sums(KNOWLEDGE_FIELDS, current, previous))
    cur, prev = _split(totals, KNOWLEDGE_FIELDS)
    return {"current": cur, "previous": prev}


def knowledge_series(period: Period) -> list[dict]:
    rows = {row.day: row for row in KnowledgeDaily.objects.filter(day__range=(period.start, period.end))}
    result = []
    for day in period.dates():
        row = rows.get(day)
        result.append({"day": day, **{field: getattr(row, field) if row else None for field in KNOWLEDGE_FIELDS}})
    return result


def top_articles(period: Period, limit: int = TOP_ARTICLES) -> list[dict]:
    return list(
        ArticleDaily.objects.filter(day__range=(period.start, period.end))
        .values("article", "article__title", "article__slug")
        .annotate(views=Sum("views"), helpful_yes=Sum("helpful_yes"), helpful_no=Sum("helpful_no"),
                  deflections=Sum("deflections"))
        .order_by("-views", "article__title")[:limit]
    )


def content_gaps(period: Period, limit: int = CONTENT_GAPS) -> list[dict]:
    return list(
        SearchGapDaily.objects.filter(day__range=(period.start, period.end)).values("query")
        .annotate(searches=Sum("searches")).order_by("-searches", "query")[:limit]
    )


# ---------------------------------------------------------------- feedback and improvements


def _feedback_rows(filters: dict):
    rows = FeedbackDaily.objects.all()
    if filters.get("area"):
        rows = rows.filter(area=filters["area"])
    if filters.get("feedback_kind"):
        rows = rows.filter(kind=filters["feedback_kind"])
    return rows


def feedback_totals(period: Period, filters: dict) -> dict:
    """Feedback received (one query) and improvements shipped and verified (one query), both periods."""
    span, current, previous = _both(period)
    received = _feedback_rows(filters).filter(span).aggregate(**_sums(["received"], current, previous))
    improvements = ImprovementDaily.objects.filter(span)
    if filters.get("area"):
        improvements = improvements.filter(area=filters["area"])
    done = improvements.aggregate(**_sums(["shipped", "verified"], current, previous))
    cur, prev = _split({**received, **done}, ["received", "shipped", "verified"])
    return {"current": cur, "previous": prev}


def feedback_by_kind(period: Period, filters: dict) -> list[dict]:
    return list(
        _feedback_rows(filters).filter(day__range=(period.start, period.end)).values("kind")
        .annotate(received=Sum("received")).order_by("-received", "kind")
    )


def feedback_by_area(period: Period, filters: dict) -> list[dict]:
    return list(
        _feedback_rows(filters).filter(day__range=(period.start, period.end)).values("area", "area__name")
        .annotate(received=Sum("received")).order_by("-received", "area__name")
    )


def feedback_series(period: Period, filters: dict) -> list[dict]:
    received = {row["day"]: row["received"] for row in
                _feedback_rows(filters).filter(day__range=(period.start, period.end)).values("day")
                .annotate(received=Sum("received")).order_by("day")}
    improvements = ImprovementDaily.objects.filter(day__range=(period.start, period.end))
    if filters.get("area"):
        improvements = improvements.filter(area=filters["area"])
    done = {row["day"]: row for row in
            improvements.values("day").annotate(shipped=Sum("shipped"), verified=Sum("verified")).order_by("day")}
    return [{"day": day, "received": received.get(day),
             "shipped": done.get(day, {}).get("shipped"), "verified": done.get(day, {}).get("verified")}
            for day in period.dates()]


def improvements_done(period: Period, filters: dict, limit: int = IMPROVEMENT_ROWS) -> list:
    """Improvements shipped or verified during the period, the latest first (live, bounded)."""
    start, end = period.bounds()
    improvements = Improvement.objects.filter(
        Q(shipped_at__gte=start, shipped_at__lt=end) | Q(verified_at__gte=start, verified_at__lt=end),
        status__in=[Improvement.Status.SHIPPED, Improvement.Status.VERIFIED],
    )
    if filters.get("area"):
        improvements = improvements.filter(area=filters["area"])
    return list(improvements.select_related("area").order_by(F("verified_at").desc(nulls_last=True),
                                                              F("shipped_at").desc(nulls_last=True), "-pk")[:limit])
