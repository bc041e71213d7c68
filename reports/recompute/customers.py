"""Customer snapshots: satisfaction per day × survey kind × product, after-sales per day × product × technician,
and churn per month.

Scores: NPS is 0–10 as given; every other survey kind is put on 10 points (a 4 of 5 counts 8) so that
surveys of both scales add up, and the distribution is kept per point on that 10-point scale. "Top two"
is judged on the survey's own scale (4–5 of 5, 9–10 of 10).
"""

import calendar
from datetime import date

from django.db.models import Case, Count, DurationField, F, FloatField, Q, Sum, When
from django.db.models.functions import Cast

from aftersales.models import ServiceRequest
from feedback.models import Survey, SurveyInvitation, SurveyResponse
from helpdesk.accounts.selectors import churn_figures
from reports import metrics
from reports.models import AfterSalesDaily, ChurnMonthly, SatisfactionDaily
from reports.recompute.base import grouped, rounded

SURVEY = "invitation__survey__"
NPS = Q(**{f"{SURVEY}kind": Survey.Kind.NPS})
RATED = Q(score__isnull=False)
TOP_TWO = RATED & ((NPS & Q(score__gte=9)) | (~NPS & Q(score__gte=F(f"{SURVEY}scale") - 1)))
SR = ServiceRequest.Status
APPROVED = Q(status__in=[SR.APPROVED, SR.IN_SERVICE, SR.COMPLETED, SR.CLOSED], rejection_reason="",
             quote_declined_at__isnull=True)
REJECTED = ~Q(rejection_reason="")


def score_on_ten():
    """The response's score on a 10-point scale (NPS as it is)."""
    score = Cast("score", FloatField())
    return Case(When(NPS, then=score), default=score * 10.0 / F(f"{SURVEY}scale"), output_field=FloatField())


def _point(value) -> str:
    return f"{float(value):g}"


def satisfaction_daily(chunk, state) -> list[SatisfactionDaily]:
    keys = ["day", "kind", "product"]
    responses = (SurveyResponse.objects.filter(chunk.within("submitted_at"))
                 .annotate(day=chunk.day("submitted_at"), kind=F(f"{SURVEY}kind"),
                           product=F("invitation__service_request__purchase__product")))
    answered = grouped(
        responses, keys, responses=Count("pk"), ratings=Count("pk", filter=RATED),
        score_sum=Sum(score_on_ten(), filter=RATED), top_two=Count("pk", filter=TOP_TWO),
        promoters=Count("pk", filter=NPS & Q(score__gte=9)), passives=Count("pk", filter=NPS & Q(score__in=[7, 8])),
        detractors=Count("pk", filter=NPS & Q(score__lte=6)),
    )
    distribution: dict[tuple, dict] = {}
    points = responses.filter(RATED).annotate(point=score_on_ten()).order_by().values(*keys, "point")
    for row in points.annotate(n=Count("pk")).order_by(*keys, "point"):
        distribution.setdefault(tuple(row[key] for key in keys), {})[_point(row["point"])] = row["n"]
    invited = grouped(
        SurveyInvitation.objects.filter(chunk.within("sent_at"))
        .annotate(day=chunk.day("sent_at"), kind=F("survey__kind"), product=F("service_request__purchase__product")),
        keys, n=Count("pk"), answered=Count("pk", filter=Q(response__isnull=False)))

    rows = []
    for key in sorted(set(answered) | set(invited), key=lambda key: (key[0], key[1], key[2] or 0)):
        day, kind, product = key
        figures = answered.get(key) or {"responses": 0, "ratings": 0, "score_sum": 0, "top_two": 0, "promoters": 0,
                                        "passives": 0, "detractors": 0}
        ratings, score_sum = figures["ratings"], rounded(figures["score_sum"] or 0)
        is_nps = kind == Survey.Kind.NPS
        rows.append(SatisfactionDaily(
            day=day, kind=kind, product_id=product, invitations=invited.get(key, {"n": 0})["n"],
            answered=invited.get(key, {"answered": 0})["answered"],
            responses=figures["responses"], ratings=ratings, score_sum=score_sum,
            mean_score=rounded(metrics.csat_mean(score_sum, ratings)), top_two=figures["top_two"],
            csat_pct=None if is_nps else rounded(metrics.csat_percent(figures["top_two"], ratings)),
            promoters=figures["promoters"], passives=figures["passives"], detractors=figures["detractors"],
            nps=rounded(metrics.nps(figures["promoters"], figures["detractors"], ratings)) if is_nps else None,
            distribution=distribution.get(key, {}),
        ))
    return rows


def after_sales_daily(chunk, state) -> list[AfterSalesDaily]:
    """Requests by the day submitted, decisions by the day decided, turnaround by the day completed (hours from
    submitted to completed), quality by the day a service-completed survey was answered."""
    keys = ["day", "product", "technician"]
    requests = ServiceRequest.objects.annotate(product=F("purchase__product"))
    submitted = grouped(requests.filter(chunk.within("created_at")).annotate(day=chunk.day("created_at")), keys,
                        n=Count("pk"))
    decided = grouped(requests.filter(chunk.within("decided_at")).annotate(day=chunk.day("decided_at")), keys,
                      approved=Count("pk", filter=APPROVED), rejected=Count("pk", filter=REJECTED))
    completed = grouped(
        requests.filter(chunk.within("completed_at")).annotate(day=chunk.day("completed_at")), keys,
        n=Count("pk"), turnaround=Sum(F("completed_at") - F("created_at"), output_field=DurationField()))
    quality = grouped(
        SurveyResponse.objects.filter(chunk.within("submitted_at"), RATED,
                                      **{f"{SURVEY}trigger": Survey.Trigger.SERVICE_COMPLETED},
                                      invitation__service_request__isnull=False)
        .annotate(day=chunk.day("submitted_at"), product=F("invitation__service_request__purchase__product"),
                  technician=F("invitation__service_request__technician")),
        keys, n=Count("pk"), total=Sum(score_on_ten()))

    rows = []
    every_key = set(submitted) | set(decided) | set(completed) | set(quality)
    for key in sorted(every_key, key=lambda key: (key[0], key[1], key[2] or 0)):
        day, product, technician = key
        decision = decided.get(key) or {"approved": 0, "rejected": 0}
        done = completed.get(key) or {"n": 0, "turnaround": None}
        hours = rounded(done["turnaround"].total_seconds() / 3600) if done["turnaround"] is not None else 0.0
        rated = quality.get(key) or {"n": 0, "total": 0}
        quality_sum = rounded(rated["total"] or 0)
        rows.append(AfterSalesDaily(
            day=day, product_id=product, technician_id=technician, requests=submitted.get(key, {"n": 0})["n"],
            decided=decision["approved"] + decision["rejected"], approved=decision["approved"],
            rejected=decision["rejected"], completed=done["n"], turnaround_count=done["n"],
            turnaround_sum_hours=hours, turnaround_avg_hours=rounded(metrics.mean(hours, done["n"])),
            quality_ratings=rated["n"], quality_sum=quality_sum,
            quality_score=rounded(metrics.mean(quality_sum, rated["n"])),
        ))
    return rows


def month_last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def churn_monthly(month: date) -> ChurnMonthly:
    figures = churn_figures(month, month_last_day(month))
    return ChurnMonthly(month=month, **figures,
                        churn_rate=rounded(metrics.churn_rate(figures["churned"], figures["active_at_start"])))
