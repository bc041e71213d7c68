"""Customer health scores (0–100) from signals, for every organisation and every customer without one.

The score is the sum of the points each signal earns; the weights add up to 100. Every rule below
says what the signal measures, how its value turns into points, and what "no data" earns (the neutral).
"The window" is ``HEALTH_WINDOW_DAYS`` (90 by default); its two halves are compared for the trend.

==================  ======  =================================================================================
signal              weight  rule: value -> points earned
==================  ======  =================================================================================
csat                20      Mean CSAT of answers submitted in the window, on a 10-point scale (5-point scores
                            are doubled). 9 or more earns all 20, 5 or less none, linear between.
                            No answer: 10 (half, we do not know).
nps                 10      NPS of answers in the window (% promoters − % detractors, ``feedback.metrics.nps``).
                            +50 or more earns all 10, −50 or less none, linear between. No answer: 5 (half).
sla_breaches        15      Share of tickets created in the window that breached a first-response or
                            resolution target. None earns 15, 25 % or more none, linear between.
                            No ticket: 15 (nothing was breached).
reopened            10      Share of tickets created in the window that were reopened at least once.
                            None earns 10, 25 % or more none, linear between. No ticket: 10.
open_urgent         10      Urgent tickets still open (any age). Each costs 5 points: 0 → 10, 1 → 5, 2+ → 0.
idle                15      Days since the last activity: a ticket created, a customer message, a service
                            request made, a survey answered, a check-in done. 30 days or fewer earn 15,
                            90 or more none, linear between. No activity ever: counted from "customer since".
volume_trend         5      Tickets created in the recent half of the window against the earlier half.
                            Stable or falling earns 5; growth costs points in proportion and doubling costs
                            all 5 (an earlier half of fewer than 5 tickets counts as 5, so 1 → 2 is no alarm).
pending_requests     5      Service requests still unfinished (submitted, under review, approved, in service)
                            more than 14 days after they were made. Each costs 2 points: 0 → 5, 1 → 3,
                            2 → 1, 3+ → 0. Younger ones are ordinary work in progress and cost nothing.
overdue_check_ins   10      Check-ins still open past their due date. Each costs 5: 0 → 10, 1 → 5, 2+ → 0.
                            Customers without an organisation have no check-ins: 10.
==================  ======  =================================================================================

Points are rounded to whole numbers per signal, so the score is their plain sum. The band follows
``HEALTH_AT_RISK_BELOW`` (at risk below it) and ``HEALTH_HEALTHY_FROM`` (healthy from it; watch between).
"Top reasons" are the signals that lost the most points (weight − points), largest first.

A stored signal keeps its ``key`` and raw numbers (``data``); labels, values and details are written in
English for readers of the JSON and rebuilt in the viewer's language by ``present()`` for display.
Everything is computed in a fixed number of aggregate queries (one GROUP BY per source table), whatever
the number of organisations; a Python loop then turns each subject's row of numbers into its score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, FloatField, Max, OuterRef, Q, Sum
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from aftersales.models import ServiceRequest
from care.models import CareTask, ChurnReason, HealthScore
from feedback.metrics import nps_from_counts
from feedback.models import Survey, SurveyResponse
from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role
from tickets.models import Message, Priority, Ticket

NO_ACTIVITY_REASON = "No activity"


@dataclass(frozen=True)
class Signal:
    key: str
    label: str  # lazy: translated when shown
    weight: int


SIGNALS = (
    Signal("csat", gettext_lazy("Recent CSAT"), 20),
    Signal("nps", gettext_lazy("NPS"), 10),
    Signal("sla_breaches", gettext_lazy("SLA breaches"), 15),
    Signal("reopened", gettext_lazy("Reopened tickets"), 10),
    Signal("open_urgent", gettext_lazy("Open urgent tickets"), 10),
    Signal("idle", gettext_lazy("Days since last activity"), 15),
    Signal("volume_trend", gettext_lazy("Ticket volume trend"), 5),
    Signal("pending_requests", gettext_lazy("Pending service requests"), 5),
    Signal("overdue_check_ins", gettext_lazy("Overdue check-ins"), 10),
)
SIGNAL_BY_KEY = {signal.key: signal for signal in SIGNALS}
assert sum(signal.weight for signal in SIGNALS) == 100  # noqa: S101 — the score is out of 100

# The thresholds of the rules in the table above.
CSAT_FULL, CSAT_ZERO = 9.0, 5.0
NPS_FULL, NPS_ZERO = 50.0, -50.0
BREACH_ZERO_SHARE = 0.25
REOPEN_ZERO_SHARE = 0.25
URGENT_COST = 5
IDLE_FULL_DAYS, IDLE_ZERO_DAYS = 30, 90
TREND_MIN_BASE = 5
PENDING_COST = 2
PENDING_AFTER_DAYS = 14
CHECK_IN_COST = 5


@dataclass
class Facts:
    """One subject's numbers, as the aggregate queries return them."""

    tickets: int = 0  # created in the window (merged ones left out)
    breached: int = 0
    reopened: int = 0
    open_urgent: int = 0
    recent_half: int = 0
    earlier_half: int = 0
    csat_ratings: int = 0
    csat_sum: float = 0.0  # on a 10-point scale
    nps_ratings: int = 0
    promoters: int = 0
    detractors: int = 0
    pending_requests: int = 0
    overdue_check_ins: int = 0
    activity: list = field(default_factory=list)  # latest moments of each kind of activity
    since: date | None = None  # customer since: where idleness counts from when nothing happened yet

    @property
    def last_activity(self) -> datetime | None:
        moments = [moment for moment in self.activity if moment is not None]
        return max(moments) if moments else None


# ---------------------------------------------------------------- the rules


def _clamp(fraction: float) -> float:
    return max(0.0, min(1.0, fraction))


def _linear(value: float, full: float, zero: float) -> float:
    """1 at ``full`` (or beyond), 0 at ``zero`` (or beyond), linear between; works in either direction."""
    return _clamp((value - zero) / (full - zero))


def _points(weight: int, fraction: float) -> int:
    return int(weight * _clamp(fraction) + 0.5)


def _rate(facts: Facts, today: date, window_days: int) -> dict:
    """Each signal's points earned and raw numbers (``data``), keyed by signal."""
    weight = {signal.key: signal.weight for signal in SIGNALS}
    out = {}
    if facts.csat_ratings:
        mean = facts.csat_sum / facts.csat_ratings
        out["csat"] = (_points(weight["csat"], _linear(mean, CSAT_FULL, CSAT_ZERO)),
                       {"ratings": facts.csat_ratings, "mean": round(mean, 1)})
    else:
        out["csat"] = (weight["csat"] // 2, {"ratings": 0})
    if facts.nps_ratings:
        nps = nps_from_counts(facts.promoters, facts.detractors, facts.nps_ratings)
        out["nps"] = (_points(weight["nps"], _linear(nps, NPS_FULL, NPS_ZERO)),
                      {"ratings": facts.nps_ratings, "nps": round(nps), "promoters": facts.promoters,
                       "detractors": facts.detractors})
    else:
        out["nps"] = (weight["nps"] // 2, {"ratings": 0})
    for key in ("csat", "nps"):
        out[key][1]["window_days"] = window_days

    for key, count, zero_share in (("sla_breaches", facts.breached, BREACH_ZERO_SHARE),
                                   ("reopened", facts.reopened, REOPEN_ZERO_SHARE)):
        share = count / facts.tickets if facts.tickets else 0.0
        out[key] = (_points(weight[key], 1 - share / zero_share),
                    {"tickets": facts.tickets, "count": count, "window_days": window_days})

    out["open_urgent"] = (max(0, weight["open_urgent"] - URGENT_COST * facts.open_urgent),
                          {"count": facts.open_urgent})

    last = facts.last_activity
    if last is not None:
        last_day = timezone.localdate(last)
        idle = {"days": max(0, (today - last_day).days), "last": last_day.isoformat()}
    else:
        since = facts.since or today
        idle = {"days": max(0, (today - since).days), "last": None, "since": since.isoformat()}
    out["idle"] = (_points(weight["idle"], _linear(idle["days"], IDLE_FULL_DAYS, IDLE_ZERO_DAYS)), idle)

    growth = max(0, facts.recent_half - facts.earlier_half) / max(facts.earlier_half, TREND_MIN_BASE)
    out["volume_trend"] = (_points(weight["volume_trend"], 1 - growth),
                           {"recent": facts.recent_half, "earlier": facts.earlier_half,
                            "half_days": window_days // 2})

    out["pending_requests"] = (max(0, weight["pending_requests"] - PENDING_COST * facts.pending_requests),
                               {"count": facts.pending_requests})
    out["overdue_check_ins"] = (max(0, weight["overdue_check_ins"] - CHECK_IN_COST * facts.overdue_check_ins),
                                {"count": facts.overdue_check_ins})
    return out


def describe(key: str, data: dict) -> tuple[str, str]:
    """(value, detail) of a signal in the active language."""
    if key == "csat":
        if not data.get("ratings"):
            return _("no answer"), _("No CSAT answer in the last %(days)s days: half the points.") % {
                "days": data.get("window_days")}
        return (_("%(mean)s / 10") % {"mean": data["mean"]},
                ngettext("%(count)d rating in the last %(days)s days (5-point scores doubled).",
                         "%(count)d ratings in the last %(days)s days (5-point scores doubled).",
                         data["ratings"]) % {"count": data["ratings"], "days": data.get("window_days")})
    if key == "nps":
        if not data.get("ratings"):
            return _("no answer"), _("No NPS answer in the last %(days)s days: half the points.") % {
                "days": data.get("window_days")}
        return (f"{data['nps']:+d}",
                ngettext("%(count)d answer: %(promoters)d promoters, %(detractors)d detractors.",
                         "%(count)d answers: %(promoters)d promoters, %(detractors)d detractors.",
                         data["ratings"]) % {"count": data["ratings"], "promoters": data["promoters"],
                                             "detractors": data["detractors"]})
    if key in ("sla_breaches", "reopened"):
        if not data.get("tickets"):
            return _("no ticket"), _("No ticket in the last %(days)s days.") % {"days": data.get("window_days")}
        value = ngettext("%(count)d of %(total)d ticket", "%(count)d of %(total)d tickets", data["tickets"]) % {
            "count": data["count"], "total": data["tickets"]}
        if key == "sla_breaches":
            detail = _("Tickets of the last %(days)s days that breached a first-response or resolution target.")
        else:
            detail = _("Tickets of the last %(days)s days that were reopened.")
        return value, detail % {"days": data.get("window_days")}
    if key == "open_urgent":
        return str(data["count"]), _("Urgent tickets still open, whatever their age.")
    if key == "idle":
        days = ngettext("%(days)d day", "%(days)d days", data["days"]) % {"days": data["days"]}
        if data.get("last"):
            return days, _("Last activity on %(date)s.") % {"date": data["last"]}
        return days, _("No activity yet; counted from “customer since” (%(date)s).") % {"date": data.get("since")}
    if key == "volume_trend":
        return (f"{data['earlier']} → {data['recent']}",
                _("Tickets in the last %(days)s days against the %(days)s days before.") % {
                    "days": data["half_days"]})
    if key == "pending_requests":
        return str(data["count"]), _("Service requests still unfinished %(days)s days after they were made.") % {
            "days": PENDING_AFTER_DAYS}
    if key == "overdue_check_ins":
        return str(data["count"]), _("Check-ins still open past their due date.")
    return "", ""


def score_facts(facts: Facts, *, today: date | None = None, window_days: int | None = None) -> list[dict]:
    """The signals of one subject: key, label, weight, value, points, detail (and the raw ``data``)."""
    today = today or timezone.localdate()
    window_days = window_days or settings.HEALTH_WINDOW_DAYS
    rated = _rate(facts, today, window_days)
    signals = []
    with translation.override("en"):
        for signal in SIGNALS:
            points, data = rated[signal.key]
            value, detail = describe(signal.key, data)
            signals.append({"key": signal.key, "label": str(signal.label), "weight": signal.weight,
                            "value": value, "points": min(points, signal.weight), "detail": detail, "data": data})
    return signals


def band_for(score: int) -> str:
    if score < settings.HEALTH_AT_RISK_BELOW:
        return HealthScore.Band.AT_RISK
    if score >= settings.HEALTH_HEALTHY_FROM:
        return HealthScore.Band.HEALTHY
    return HealthScore.Band.WATCH


def total(signals: list[dict]) -> int:
    return max(0, min(100, sum(signal["points"] for signal in signals)))


def present(signals: list[dict]) -> list[dict]:
    """The stored signals with label, value and detail in the viewer's language, plus ``lost`` points."""
    shown = []
    for signal in signals:
        known = SIGNAL_BY_KEY.get(signal.get("key"))
        item = dict(signal)
        if known is not None:
            item["label"] = known.label
            if "data" in signal:
                item["value"], item["detail"] = describe(signal["key"], signal["data"])
        item["lost"] = max(0, signal.get("weight", 0) - signal.get("points", 0))
        item["percent"] = round(100 * signal.get("points", 0) / signal["weight"]) if signal.get("weight") else 0
        shown.append(item)
    return shown


def top_reasons(signals: list[dict], limit: int = 3) -> list[dict]:
    """The signals that lost the most points, largest loss first (ties: the table's order)."""
    shown = [signal for signal in present(signals) if signal["lost"] > 0]
    return sorted(shown, key=lambda signal: -signal["lost"])[:limit]


# ---------------------------------------------------------------- the numbers, in SQL


@dataclass(frozen=True)
class _Scope:
    """How each source table names the subject (an organisation, or a customer without one)."""

    tickets: str
    tickets_q: Q
    messages: str
    messages_q: Q
    responses: str
    requests: str
    requests_q: Q
    check_ins: str | None


ORGANIZATION_SCOPE = _Scope(
    tickets="organization_id", tickets_q=Q(organization__isnull=False),
    messages="ticket__organization_id", messages_q=Q(ticket__organization__isnull=False),
    responses="organization_id", requests="organization_id", requests_q=Q(organization__isnull=False),
    check_ins="organization_id",
)
CUSTOMER_SCOPE = _Scope(
    tickets="requester_id", tickets_q=Q(organization__isnull=True, requester__organization__isnull=True),
    messages="ticket__requester_id",
    messages_q=Q(ticket__organization__isnull=True, ticket__requester__organization__isnull=True),
    responses="customer_id", requests="requester_id",
    requests_q=Q(organization__isnull=True, requester__organization__isnull=True),
    check_ins=None,
)


def _facts(scope: _Scope, ids, now: datetime, window_days: int) -> dict[int, Facts]:
    """Five GROUP BY queries (tickets, messages, survey answers, service requests, check-ins)."""
    start = now - timedelta(days=window_days)
    middle = now - timedelta(days=window_days / 2)
    today = timezone.localdate(now)
    facts: dict[int, Facts] = {}

    def fact(subject_id) -> Facts:
        return facts.setdefault(subject_id, Facts())

    def only(queryset, name):
        return queryset if ids is None else queryset.filter(**{f"{name}__in": ids})

    in_window = Q(created_at__gte=start)
    tickets = only(Ticket.objects.filter(scope.tickets_q, merged_into__isnull=True), scope.tickets)
    for row in tickets.values(scope.tickets).order_by().annotate(
        tickets=Count("pk", filter=in_window),
        breached=Count("pk", filter=in_window & (Q(first_response_breached_at__isnull=False)
                                                 | Q(resolution_breached_at__isnull=False))),
        reopened=Count("pk", filter=in_window & Q(reopened_count__gt=0)),
        open_urgent=Count("pk", filter=Q(status__in=Ticket.ACTIVE_STATUSES, priority=Priority.URGENT)),
        recent_half=Count("pk", filter=Q(created_at__gte=middle)),
        earlier_half=Count("pk", filter=in_window & Q(created_at__lt=middle)),
        last=Max("created_at"),
    ):
        item = fact(row[scope.tickets])
        for name in ("tickets", "breached", "reopened", "open_urgent", "recent_half", "earlier_half"):
            setattr(item, name, row[name])
        item.activity.append(row["last"])

    messages = only(Message.objects.filter(scope.messages_q, from_agent=False, is_internal=False), scope.messages)
    for row in messages.values(scope.messages).order_by().annotate(last=Max("created_at")):
        fact(row[scope.messages]).activity.append(row["last"])

    responses = SurveyResponse.objects.annotate(
        organization_id=Coalesce("invitation__organization_id", "invitation__recipient__organization_id"),
        customer_id=F("invitation__recipient_id"),
    )
    if scope is CUSTOMER_SCOPE:
        responses = responses.filter(organization_id__isnull=True)
    else:
        responses = responses.filter(organization_id__isnull=False)
    answered = Q(score__isnull=False, submitted_at__gte=start)
    csat = answered & Q(invitation__survey__kind=Survey.Kind.CSAT)
    nps = answered & Q(invitation__survey__kind=Survey.Kind.NPS)
    on_ten = Cast("score", FloatField()) * 10.0 / Cast("invitation__survey__scale", FloatField())
    for row in only(responses, scope.responses).values(scope.responses).order_by().annotate(
        csat_ratings=Count("pk", filter=csat),
        csat_sum=Sum(on_ten, filter=csat),
        nps_ratings=Count("pk", filter=nps),
        promoters=Count("pk", filter=nps & Q(score__gte=9)),
        detractors=Count("pk", filter=nps & Q(score__lte=6)),
        last=Max("submitted_at"),
    ):
        item = fact(row[scope.responses])
        item.csat_ratings, item.csat_sum = row["csat_ratings"], float(row["csat_sum"] or 0)
        item.nps_ratings, item.promoters, item.detractors = row["nps_ratings"], row["promoters"], row["detractors"]
        item.activity.append(row["last"])

    requests = only(ServiceRequest.objects.filter(scope.requests_q), scope.requests)
    for row in requests.values(scope.requests).order_by().annotate(
        pending=Count("pk", filter=Q(status__in=ServiceRequest.ACTIVE_STATUSES,
                                     created_at__lt=now - timedelta(days=PENDING_AFTER_DAYS))),
        last=Max("created_at"),
    ):
        item = fact(row[scope.requests])
        item.pending_requests = row["pending"]
        item.activity.append(row["last"])

    if scope.check_ins:
        check_ins = only(CareTask.objects.filter(kind=CareTask.Kind.CHECK_IN, organization__isnull=False),
                         scope.check_ins)
        for row in check_ins.values(scope.check_ins).order_by().annotate(
            overdue=Count("pk", filter=Q(status=CareTask.Status.OPEN, due_on__lt=today)),
            last=Max("done_at", filter=Q(status=CareTask.Status.DONE)),
        ):
            item = fact(row[scope.check_ins])
            item.overdue_check_ins = row["overdue"]
            item.activity.append(row["last"])
    return facts


def organization_facts(ids=None, *, now=None, window_days=None) -> dict[int, Facts]:
    """Every organisation's numbers (or those of ``ids``), with "customer since" filled in."""
    now = now or timezone.now()
    window_days = window_days or settings.HEALTH_WINDOW_DAYS
    organizations = Organization.objects.all() if ids is None else Organization.objects.filter(pk__in=ids)
    found = _facts(ORGANIZATION_SCOPE, ids, now, window_days)
    facts = {}
    for pk, since in organizations.values_list("pk", "customer_since"):
        facts[pk] = found.get(pk) or Facts()
        facts[pk].since = since
    return facts


def lone_customers():
    """Customers without an organisation who have asked for help at least once."""
    return User.objects.filter(groups__name=Role.CUSTOMER, organization__isnull=True).filter(
        Exists(Ticket.objects.filter(requester=OuterRef("pk"))))


def customer_facts(ids=None, *, now=None, window_days=None) -> dict[int, Facts]:
    now = now or timezone.now()
    window_days = window_days or settings.HEALTH_WINDOW_DAYS
    customers = lone_customers() if ids is None else User.objects.filter(pk__in=ids, organization__isnull=True)
    found = _facts(CUSTOMER_SCOPE, ids, now, window_days)
    facts = {}
    for pk, joined in customers.values_list("pk", "date_joined"):
        facts[pk] = found.get(pk) or Facts()
        facts[pk].since = timezone.localdate(joined)
    return facts


# ---------------------------------------------------------------- writing the scores


def _rows(facts: dict[int, Facts], subject: str, now: datetime, window_days: int) -> list[HealthScore]:
    today = timezone.localdate(now)
    rows = []
    for pk, item in facts.items():
        signals = score_facts(item, today=today, window_days=window_days)
        score = total(signals)
        rows.append(HealthScore(**{f"{subject}_id": pk}, score=score, band=band_for(score), signals=signals,
                                computed_at=now))
    return rows


def _save(rows: list[HealthScore], subject: str) -> None:
    if rows:
        HealthScore.objects.bulk_create(rows, update_conflicts=True, unique_fields=[subject],
                                        update_fields=["score", "band", "signals", "computed_at"], batch_size=500)


def compute_all(*, now=None) -> dict:
    """Score every organisation and every customer without one; returns how many landed in each band."""
    now = now or timezone.now()
    window_days = settings.HEALTH_WINDOW_DAYS
    organizations = _rows(organization_facts(now=now, window_days=window_days), "organization", now, window_days)
    customers = _rows(customer_facts(now=now, window_days=window_days), "customer", now, window_days)
    with transaction.atomic():
        _save(organizations, "organization")
        _save(customers, "customer")
        # A customer who joined an organisation since is scored with it now.
        HealthScore.objects.filter(customer__isnull=False).exclude(customer__in=lone_customers()).delete()
    counts = dict.fromkeys(HealthScore.Band.values, 0)
    for row in organizations + customers:
        counts[row.band] += 1
    return {"organizations": len(organizations), "customers": len(customers), **counts}


def compute_for(organization=None, customer=None, *, now=None) -> HealthScore:
    """Recompute one subject ("Recalculate now"), the same way as the nightly run."""
    if (organization is None) == (customer is None):
        raise ValueError("Give an organisation or a customer.")
    now = now or timezone.now()
    window_days = settings.HEALTH_WINDOW_DAYS
    if organization is not None:
        rows = _rows(organization_facts([organization.pk], now=now, window_days=window_days), "organization", now,
                     window_days)
        _save(rows, "organization")
        return HealthScore.objects.get(organization=organization)
    rows = _rows(customer_facts([customer.pk], now=now, window_days=window_days), "customer", now, window_days)
    if not rows:
        raise ValueError("Customers of an organisation are scored with their organisation.")
    _save(rows, "customer")
    return HealthScore.objects.get(customer=customer)


# ---------------------------------------------------------------- automatic churn


def auto_churn(*, today=None) -> list[Organization]:
    """Mark churned the active organisations idle for more than ``AUTO_CHURN_AFTER_DAYS`` (0: off, the default).

    Idle means no activity (as for the health score) since that many days, or, with none ever, since
    "customer since". The change goes through the accounts service, so the history and churn reports see it.
    """
    from helpdesk.accounts.services import AccountError, organization_set_status

    days = settings.AUTO_CHURN_AFTER_DAYS
    if days <= 0:
        return []
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=days)
    active = list(Organization.objects.filter(status=Organization.Status.ACTIVE).values_list("pk", flat=True))
    if not active:
        return []
    idle = []
    for pk, item in organization_facts(active).items():
        last = item.last_activity
        last_day = timezone.localdate(last) if last is not None else item.since
        if last_day is not None and last_day < cutoff:
            idle.append(pk)
    if not idle:
        return []
    reason, _created = ChurnReason.objects.get_or_create(name=NO_ACTIVITY_REASON, defaults={"order": 50})
    churned = []
    for organization in Organization.objects.filter(pk__in=idle).order_by("name"):
        try:
            churned.append(organization_set_status(
                organization=organization, status=Organization.Status.CHURNED, by=None, reason=reason.name,
                note=f"No activity for {days} days", effective_on=today,
            ))
        except AccountError:  # a manager changed it meanwhile
            continue
    return churned
