"""Snapshot rows built by hand for the dashboard tests (the recompute job is tested on its own)."""

from datetime import timedelta

from care.models import HealthScore
from reports import buckets
from reports.clock import report_today
from reports.models import (
    AfterSalesDaily,
    AgentDaily,
    ArticleDaily,
    ChannelDaily,
    ChurnMonthly,
    FeedbackDaily,
    ImprovementDaily,
    KnowledgeDaily,
    SatisfactionDaily,
    SearchGapDaily,
    SupportDaily,
)


def yesterday():
    return report_today() - timedelta(days=1)


def support_row(day, queue, priority="normal", **fields):
    values = {"created": 4, "resolved": 3, "backlog": 5, "sla_met": 3, "sla_breached": 1, "reopened": 0,
              "one_touch": 1, "frt_count": 3, "frt_sum": 90.0, "frt_hist": buckets.histogram([20, 30, 40]),
              "resolution_count": 3, "resolution_sum": 600.0,
              "resolution_hist": buckets.histogram([100, 200, 300])}
    values.update(fields)
    return SupportDaily.objects.create(day=day, queue=queue, priority=priority, **values)


def fill(*, days, queues, agent, product, article, area):
    """``days`` days of every snapshot table up to yesterday, for each queue."""
    last = yesterday()
    for offset in range(days):
        day = last - timedelta(days=offset)
        for queue in queues:
            for priority in ("normal", "high"):
                support_row(day, queue, priority)
        AgentDaily.objects.create(day=day, agent=agent, replies=5, resolved=2, one_touch=1, frt_count=2,
                                  frt_sum=40, frt_hist=buckets.histogram([15, 25]))
        ChannelDaily.objects.create(day=day, channel="email", created=3, resolved=2)
        ChannelDaily.objects.create(day=day, channel="portal", created=2, resolved=1)
        SatisfactionDaily.objects.create(day=day, kind="csat", invitations=4, responses=2, ratings=2, score_sum=18,
                                         top_two=2, distribution={"9": 2})
        SatisfactionDaily.objects.create(day=day, kind="nps", invitations=2, responses=1, ratings=1, score_sum=10,
                                         promoters=1, distribution={"10": 1})
        AfterSalesDaily.objects.create(day=day, product=product, technician=agent, requests=2, decided=2, approved=1,
                                       rejected=1, completed=1, turnaround_count=1, turnaround_sum_hours=30,
                                       quality_ratings=1, quality_sum=9)
        KnowledgeDaily.objects.create(day=day, views=10, helpful_yes=3, helpful_no=1, searches=6,
                                      searches_without_results=2, deflections=1)
        ArticleDaily.objects.create(day=day, article=article, views=10, helpful_yes=3, helpful_no=1, deflections=1)
        SearchGapDaily.objects.create(day=day, query="refund policy", searches=2)
        FeedbackDaily.objects.create(day=day, area=area, kind="idea", received=2)
        ImprovementDaily.objects.create(day=day, area=area, shipped=1, verified=0)
    month = last.replace(day=1)
    ChurnMonthly.objects.get_or_create(month=month, defaults={"active_at_start": 100, "churned": 2, "new": 3})


def health(organization, score=35, band=HealthScore.Band.AT_RISK):
    return HealthScore.objects.create(organization=organization, score=score, band=band, signals=[
        {"key": "csat", "label": "Recent CSAT", "weight": 30, "value": 2.0, "points": 5},
        {"key": "breaches", "label": "SLA breaches", "weight": 20, "value": 6, "points": 0},
        {"key": "activity", "label": "Days since last activity", "weight": 10, "value": 3, "points": 10},
    ])
