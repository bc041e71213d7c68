"""What a manager reads on the dashboards: the numbers from hand-built snapshot rows, the range form, the lists."""

import csv
import io
import secrets
import statistics
from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import HealthScore
from feedback.models import Improvement, ProductArea, Survey, SurveyInvitation, SurveyResponse
from helpdesk.accounts.models import Organization, OrganizationStatusChange
from helpdesk.accounts.services import organization_set_status
from reports import buckets
from reports.clock import report_timezone, report_today
from reports.models import ChurnMonthly, ReportDay, ReportRun, SatisfactionDaily
from reports.selectors import Period
from tests.factories import OrganizationFactory
from tests.reports.dashboard_data import health, support_row, yesterday
from tests.tickets.factories import TicketFactory
from tickets.models import Ticket


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def download_csv(client, page, table, params):
    response = client.get(reverse("reports:csv", args=[page, table]), params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return response, list(csv.reader(io.StringIO(body)))


def kpi(response, key):
    return next(card for card in response.context["report"].kpis if card.key == key)


def last_month():
    first_of_this = report_today().replace(day=1)
    end = first_of_this - timedelta(days=1)
    return end.replace(day=1), end


# ---------------------------------------------------------------- KPI numbers


def test_overview_csat_nps_and_churn_from_snapshot_sums(manager_client):
    day = yesterday()
    SatisfactionDaily.objects.create(day=day, kind="csat", invitations=20, responses=10, ratings=10, score_sum=90,
                                     top_two=8)
    SatisfactionDaily.objects.create(day=day, kind="nps", invitations=10, responses=10, ratings=10, score_sum=80,
                                     promoters=6, passives=2, detractors=2)
    # 1,000 organisations active before the period, 50 of them marked churned in it (the status history).
    organisations = Organization.objects.bulk_create(Organization(name=f"Org {n}") for n in range(1000))
    OrganizationStatusChange.objects.bulk_create(
        [OrganizationStatusChange(organization=org, to_status="active", effective_on=day - timedelta(days=400))
         for org in organisations]
        + [OrganizationStatusChange(organization=org, from_status="active", to_status="churned", effective_on=day,
                                    reason="Price") for org in organisations[:50]])
    response = manager_client.get(reverse("reports:overview"), {"date_from": day, "date_to": day})

    assert response.status_code == 200
    assert kpi(response, "csat").current == 9  # 8 × 10 + 2 × 5 over 10 ratings
    assert kpi(response, "nps").current == 40  # 60 % promoters − 20 % detractors
    assert kpi(response, "churn").current == 5  # 50 of 1,000
    page = response.content.decode()
    assert ">9.0<" in page
    assert ">+40<" in page
    assert ">5.0 %<" in page


def test_overview_direction_against_the_previous_period(manager_client, queue_x):
    today_minus_1 = report_today()  # the backlog is the one at the end of the period: today
    # Current period (last 30 days): more created, faster first responses, more breaches.
    support_row(today_minus_1, queue_x, created=20, resolved=10, backlog=12, sla_met=8, sla_breached=2,
                frt_hist=buckets.histogram([10] * 10))
    support_row(today_minus_1 - timedelta(days=30), queue_x, created=10, resolved=10, backlog=4, sla_met=10,
                sla_breached=0, frt_hist=buckets.histogram([60] * 10))
    responded(queue_x, today_minus_1, [10] * 10)
    responded(queue_x, today_minus_1 - timedelta(days=30), [60] * 10)
    response = manager_client.get(reverse("reports:overview"))

    created = kpi(response, "created")
    assert (created.current, created.previous, created.change["direction"]) == (20, 10, "up")
    assert created.tone == "neutral"  # more tickets is neither good nor bad news
    frt = kpi(response, "frt_p50")
    assert frt.change["direction"] == "down" and frt.tone == "good"
    sla = kpi(response, "sla")
    assert (sla.current, sla.previous) == (80, 100)
    assert sla.tone == "bad"
    backlog = kpi(response, "backlog")
    assert (backlog.current, backlog.previous, backlog.tone) == (12, 4, "bad")
    page = response.content.decode()
    assert "kpi-bad" in page and "kpi-good" in page
    assert "▲" in page and "▼" in page


def test_queue_filter_narrows_the_support_numbers(manager_client, queue_x, queue_y):
    day = yesterday()
    support_row(day, queue_x, created=7)
    support_row(day, queue_y, created=30)
    everything = manager_client.get(reverse("reports:support"))
    assert kpi(everything, "created").current == 37
    only_x = manager_client.get(reverse("reports:support"), {"queue": queue_x.pk})
    assert kpi(only_x, "created").current == 7
    assert [row["queue"] for row in only_x.context["report"].queue_table.rows] == ["Queue X"]
    assert "Queue: <strong>Queue X</strong>" in only_x.content.decode()


def responded(queue, day, minutes, **fields):
    """Tickets answered at noon on ``day`` after ``minutes`` business minutes each."""
    moment = datetime.combine(day, time(12), tzinfo=report_timezone())
    return [TicketFactory(queue=queue, created_at=moment - timedelta(hours=1), first_response_at=moment,
                          first_response_minutes=value, **fields) for value in minutes]


def test_range_percentiles_are_exact_over_the_raw_values(manager_client, queue_x, queue_y):
    day = yesterday()
    support_row(day, queue_x)
    values_x = [1.5, 2, 3, 7, 11, 13, 40, 41, 90, 400]  # far apart: a histogram bucket would blur them
    responded(queue_x, day, values_x[:6])
    responded(queue_x, day - timedelta(days=3), values_x[6:])
    responded(queue_y, day, [1000, 2000])
    responded(queue_x, day - timedelta(days=40), [5000])  # before the range

    response = manager_client.get(reverse("reports:support"))
    everything = sorted(values_x + [1000, 2000])
    assert kpi(response, "frt_p50").current == statistics.median(everything)
    cur = response.context["report"].support["current"]
    assert cur["frt_p90"] == pytest.approx(statistics.quantiles(everything, n=10, method="inclusive")[8], abs=1e-9)

    only_x = manager_client.get(reverse("reports:support"), {"queue": queue_x.pk})
    assert kpi(only_x, "frt_p50").current == statistics.median(values_x) == 12
    queues = {row["queue__name"]: row for row in response.context["report"].queue_table.rows}
    assert queues["Queue X"]["frt_p50"] == 12
    assert queues["Queue X"]["frt_p90"] == pytest.approx(
        statistics.quantiles(values_x, n=10, method="inclusive")[8], abs=1e-9)


def test_range_percentiles_equal_postgresqls_percentile_cont_over_the_raw_rows(manager_client, queue_x, queue_y):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): compares with percentile_cont in plain SQL")
    day = yesterday()
    support_row(day, queue_x)
    for offset in range(0, 9):  # a 7-day range, and days either side of it
        responded(queue_x, day - timedelta(days=offset), [offset * 7.3 + n * 1.1 for n in range(offset + 1)])
        responded(queue_y, day - timedelta(days=offset), [500 + offset])
    period = Period(day - timedelta(days=6), day)
    start, end = period.bounds()
    with connection.cursor() as cursor:
        cursor.execute("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_minutes),"
                       " percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_minutes)"
                       " FROM tickets_ticket WHERE queue_id = %s AND first_response_at >= %s"
                       " AND first_response_at < %s", [queue_x.pk, start, end])
        p50, p90 = cursor.fetchone()

    response = manager_client.get(reverse("reports:support"), {"date_from": period.start, "date_to": period.end,
                                                               "queue": queue_x.pk})
    cur = response.context["report"].support["current"]
    assert (cur["frt_p50"], cur["frt_p90"]) == (p50, p90)


def test_agent_first_response_median_is_exact_over_the_first_replies_they_gave(manager_client, queue_x, agent,
                                                                                customer_a):
    from reports.models import AgentDaily
    from tickets.models import Message

    def MessageFactory(**fields):  # noqa: N802 — a reply as the desk writes it
        return Message.objects.create(body="Reply", **fields)

    AgentDaily.objects.create(day=yesterday(), agent=agent, replies=4, frt_count=3, frt_sum=51)
    for ticket in responded(queue_x, yesterday(), [2, 9, 40]):
        MessageFactory(ticket=ticket, author=agent, from_agent=True, is_internal=False,
                       created_at=ticket.first_response_at)
        MessageFactory(ticket=ticket, author=agent, from_agent=True, is_internal=False,  # a later reply
                       created_at=ticket.first_response_at + timedelta(hours=1))
    old = responded(queue_x, yesterday() - timedelta(days=60), [500])[0]  # before the range
    MessageFactory(ticket=old, author=agent, from_agent=True, is_internal=False, created_at=old.first_response_at)

    rows = manager_client.get(reverse("reports:support")).context["report"].agent_table.rows
    assert [row["frt_p50"] for row in rows] == [9]


def test_response_time_model_next_to_the_real_percentile(manager_client, queue_x):
    durations = [5.0] * 99 + [105.0]  # 600 minutes over 100 first responses: a mean of 6
    support_row(yesterday(), queue_x, frt_count=100, frt_sum=600, frt_hist=buckets.histogram(durations))
    responded(queue_x, yesterday(), durations)
    response = manager_client.get(reverse("reports:response-time"))

    row = response.context["report"].queue_table.rows[0]
    assert row["queue"] == "Queue X"
    assert row["mean"] == 6
    assert row["model"] == pytest.approx(5.94)
    assert row["actual"] == pytest.approx(5 + 0.01 * 100)  # percentile_cont: 1 % of the way from 5 to 105
    assert response.context["report"].kpis[-1].current == row["actual"]  # one queue: overall is the same
    page = response.content.decode()
    assert "5.94 min" in page
    assert "Real p99" in page
    assert "The model multiplies the mean first response by the service level" in page
    assert "histogram" not in page

    at_90 = manager_client.get(reverse("reports:response-time"), {"level": "0.9"})
    assert at_90.context["report"].queue_table.rows[0]["model"] == pytest.approx(5.4)
    assert at_90.context["report"].queue_table.rows[0]["actual"] == 5.0
    assert "Real p90" in at_90.content.decode()


def test_satisfaction_page_numbers_and_distribution(manager_client):
    day = yesterday()
    SatisfactionDaily.objects.create(day=day, kind="csat", invitations=20, answered=10, responses=10, ratings=10,
                                     score_sum=90, top_two=8, distribution={"10": 8, "5": 2})
    response = manager_client.get(reverse("reports:satisfaction"))
    assert kpi(response, "csat").current == 9
    assert kpi(response, "csat_pct").current == 80
    assert kpi(response, "response_rate").current == 50
    rows = {row["score"]: row["csat"] for row in response.context["report"].distribution_table.rows}
    assert rows[10] == 8 and rows[5] == 2 and rows[7] == 0


def test_response_rate_counts_late_answers_and_never_passes_one_hundred(manager_client):
    day = yesterday()
    # The day before: 4 invitations sent, 3 answered since (two of them yesterday). Yesterday: 2 sent, 1 answered,
    # and 5 answers came in (the day's own one and 4 to older invitations).
    SatisfactionDaily.objects.create(day=day - timedelta(days=1), kind="csat", invitations=4, answered=3, responses=1,
                                     ratings=1, score_sum=9)
    SatisfactionDaily.objects.create(day=day, kind="csat", invitations=2, answered=1, responses=5, ratings=5,
                                     score_sum=45)

    one_day = manager_client.get(reverse("reports:satisfaction"), {"date_from": day, "date_to": day})
    assert kpi(one_day, "response_rate").current == 50  # 1 of the 2 sent: not 5 answers ÷ 2 = 250 %
    assert kpi(one_day, "responses").current == 5
    kinds = one_day.context["report"].kind_table.rows
    assert [(row["invitations"], row["responses"], row["response_rate"]) for row in kinds] == [(2, 5, 50)]

    two_days = manager_client.get(reverse("reports:satisfaction"),
                                  {"date_from": day - timedelta(days=1), "date_to": day})
    assert kpi(two_days, "response_rate").current == pytest.approx(400 / 6)  # 4 of 6


def test_response_rate_without_invitations_is_no_figure_not_zero(manager_client):
    SatisfactionDaily.objects.create(day=yesterday(), kind="csat", invitations=0, answered=0, responses=3, ratings=3,
                                     score_sum=27)
    response = manager_client.get(reverse("reports:satisfaction"), {"date_from": yesterday(), "date_to": yesterday()})
    card = kpi(response, "response_rate")
    assert card.current is None
    assert card.display == "—"


def test_after_sales_approval_turnaround_and_quality(manager_client, agent):
    from reports.models import AfterSalesDaily
    from tests.aftersales.factories import ProductFactory

    product = ProductFactory(name="Router")
    AfterSalesDaily.objects.create(day=yesterday(), product=product, technician=agent, requests=5, decided=4,
                                   approved=3, rejected=1, completed=2, turnaround_count=2, turnaround_sum_hours=50,
                                   quality_ratings=2, quality_sum=17)
    response = manager_client.get(reverse("reports:after-sales"))
    assert kpi(response, "approval").current == 75
    assert kpi(response, "turnaround").current == 25
    assert kpi(response, "quality").current == 8.5
    technicians = response.context["report"].technician_table.rows
    assert technicians[0]["technician_name"] == "Alex Agent"


def test_knowledge_base_top_articles_and_gaps(manager_client):
    from reports.models import ArticleDaily, KnowledgeDaily, SearchGapDaily
    from tests.knowledgebase.factories import make_article

    article = make_article("Reset your password")
    day = yesterday()
    KnowledgeDaily.objects.create(day=day, views=40, helpful_yes=3, helpful_no=1, searches=10,
                                  searches_without_results=4, deflections=2)
    ArticleDaily.objects.create(day=day, article=article, views=40, helpful_yes=3, helpful_no=1)
    SearchGapDaily.objects.create(day=day, query="refund policy", searches=3)
    SearchGapDaily.objects.create(day=day - timedelta(days=1), query="refund policy", searches=2)
    response = manager_client.get(reverse("reports:knowledge-base"))
    assert kpi(response, "helpful").current == 75
    assert kpi(response, "no_result").current == 40
    report = response.context["report"]
    assert report.article_table.rows[0]["title"] == "Reset your password"
    assert report.gap_table.rows == [{"query": "refund policy", "searches": 5}]


# ---------------------------------------------------------------- range form


def test_default_range_is_the_last_30_days_up_to_today(manager_client):
    response = manager_client.get(reverse("reports:overview"))
    period = response.context["period"]
    assert period.end == report_today()
    assert period.days == 30
    assert period.previous.end == period.start - timedelta(days=1)


def test_preset_of_7_days(manager_client):
    period = manager_client.get(reverse("reports:overview"), {"preset": "7"}).context["period"]
    assert (period.days, period.end) == (7, report_today())


def test_overview_figures_without_a_queue_say_they_ignore_the_queue_filter(manager_client, queue_x, queue_y):
    support_row(yesterday(), queue_x, created=7)
    support_row(yesterday(), queue_y, created=3)
    SatisfactionDaily.objects.create(day=yesterday(), kind="csat", invitations=2, answered=2, responses=2,
                                     ratings=2, score_sum=18)
    unfiltered = manager_client.get(reverse("reports:overview"))
    assert "All queues" not in kpi(unfiltered, "csat").hint

    filtered = manager_client.get(reverse("reports:overview"), {"queue": queue_x.pk})
    assert kpi(filtered, "created").current == 7  # ticket figures follow the filter
    for key in ("csat", "nps", "quality", "churn"):
        assert kpi(filtered, key).hint.startswith("All queues (the queue filter does not apply)"), key
    assert kpi(filtered, "csat").current == kpi(unfiltered, "csat").current == 9
    assert "All queues (the queue filter does not apply)" in filtered.content.decode()
    for key in ("created", "backlog", "frt_p50", "sla"):
        assert "All queues" not in kpi(filtered, key).hint, key


def test_preset_today_is_today_alone(manager_client, queue_x):
    support_row(report_today(), queue_x, created=6)
    support_row(yesterday(), queue_x, created=50)
    response = manager_client.get(reverse("reports:overview"), {"preset": "1"})
    assert (response.context["period"].start, response.context["period"].end) == (report_today(), report_today())
    assert kpi(response, "created").current == 6
    assert '<option value="1" selected>Today</option>' in response.content.decode()


@pytest.mark.parametrize(("params", "message"), [
    ({"preset": "custom", "date_from": "2026-03-10", "date_to": "2026-03-01"},
     "The last day must be on or after the first day."),
    ({"preset": "custom", "date_from": "2020-01-01", "date_to": "2024-01-01"},
     "A range can cover at most three years."),
    ({"preset": "custom", "date_from": "", "date_to": "2026-01-01"}, "Enter the first day of the range."),
    ({"preset": "custom", "date_from": "yesterday", "date_to": "2026-01-01"}, "Enter a valid date."),
])
def test_bad_ranges_are_explained_on_the_form(manager_client, params, message):
    response = manager_client.get(reverse("reports:support"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert response.context["period"].days == 30  # the page still shows the default period


def test_a_range_in_the_future_is_refused(manager_client):
    tomorrow = report_today() + timedelta(days=1)
    response = manager_client.get(reverse("reports:overview"),
                                  {"date_from": report_today().isoformat(), "date_to": tomorrow.isoformat()})
    assert "The range cannot end in the future." in response.content.decode()


def test_an_unknown_filter_value_is_explained_and_dropped(manager_client, queue_x):
    support_row(yesterday(), queue_x, created=3)
    response = manager_client.get(reverse("reports:support"), {"queue": "999999", "priority": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["form"].filters == {}
    assert kpi(response, "created").current == 3


def test_custom_range_is_used(manager_client):
    start, end = last_month()
    period = manager_client.get(reverse("reports:sla"), {"date_from": start, "date_to": end}).context["period"]
    assert (period.start, period.end) == (start, end)


# ---------------------------------------------------------------- live lists


def test_sla_breaches_listed_with_links_and_paginated(manager_client, queue_x, queue_y, customer_a):
    when = timezone.now() - timedelta(days=2)
    breached = [TicketFactory(requester=customer_a, queue=queue_x, subject=f"Breach {n}",
                              resolution_due=when - timedelta(minutes=n)) for n in range(27)]
    TicketFactory(requester=customer_a, queue=queue_x, subject="Long ago",
                  first_response_due=timezone.now() - timedelta(days=200))
    TicketFactory(requester=customer_a, queue=queue_y, subject="Other queue", first_response_due=when)

    response = manager_client.get(reverse("reports:sla"), {"queue": queue_x.pk})
    table = response.context["report"].live_breaches()
    assert table.total == 27
    assert len(table.rows) == 25
    assert table.rows[0]["subject"] == "Breach 0"  # the latest breach first
    page = response.content.decode()
    assert f'href="{reverse("tickets:desk-detail", args=[breached[0].reference])}"' in page
    assert "Long ago" not in page and "Other queue" not in page

    second = manager_client.get(reverse("reports:sla"), {"queue": queue_x.pk, "page": 2})
    assert [row["subject"] for row in second.context["report"].live_breaches().rows] == ["Breach 25", "Breach 26"]


def _answer(survey, ticket, score, comment):
    now = timezone.now() - timedelta(days=1)
    invitation = SurveyInvitation.objects.create(
        survey=survey, recipient=ticket.requester, ticket=ticket, subject_key=f"ticket:{ticket.pk}",
        token=secrets.token_urlsafe(16), sent_at=now, responded_at=now, expires_at=now + timedelta(days=14))
    return SurveyResponse.objects.create(invitation=invitation, score=score, comment=comment, submitted_at=now,
                                         updated_at=now)


def test_latest_low_scores_with_comments(manager_client, customer_a, queue_x):
    five = Survey.objects.create(name="Support survey", kind=Survey.Kind.CSAT, scale=5)
    nps = Survey.objects.create(name="Loyalty", kind=Survey.Kind.NPS)
    low = _answer(five, TicketFactory(requester=customer_a, queue=queue_x), 2, "Slow answers.")
    _answer(five, TicketFactory(requester=customer_a, queue=queue_x), 4, "Fine, thanks.")
    _answer(five, TicketFactory(requester=customer_a, queue=queue_x), 1, "")  # no comment
    detractor = _answer(nps, TicketFactory(requester=customer_a, queue=queue_x), 6, "We are looking elsewhere.")
    _answer(nps, TicketFactory(requester=customer_a, queue=queue_x), 7, "Passive.")

    response = manager_client.get(reverse("reports:satisfaction"))
    rows = response.context["report"].comment_table.rows
    assert sorted(row["comment"] for row in rows) == ["Slow answers.", "We are looking elsewhere."]
    page = response.content.decode()
    assert reverse("tickets:desk-detail", args=[low.invitation.ticket.reference]) in page
    assert reverse("tickets:desk-detail", args=[detractor.invitation.ticket.reference]) in page

    only_nps = manager_client.get(reverse("reports:satisfaction"), {"kind": "nps"})
    assert [row["comment"] for row in only_nps.context["report"].comment_table.rows] == ["We are looking elsewhere."]


def test_churned_organisations_with_reasons_and_the_at_risk_list(manager_client, manager, org_a, org_b):
    day = yesterday()
    ChurnMonthly.objects.create(month=day.replace(day=1), active_at_start=40, churned=2)
    gone = OrganizationFactory(name="Initech")
    organization_set_status(organization=gone, status=Organization.Status.CHURNED, by=manager,
                            reason="Price", note="Moved to a cheaper tool.", effective_on=day)
    health(org_a, score=31)
    health(org_b, score=66, band=HealthScore.Band.WATCH)

    response = manager_client.get(reverse("reports:churn"))
    report = response.context["report"]
    churned = report.live_churned()
    assert [(row["organization"], row["reason"]) for row in churned.rows] == [("Initech", "Price")]
    assert report.reason_table.rows == [{"reason": "Price", "count": 1}]
    at_risk = report.at_risk_table.rows
    assert [row["organization"] for row in at_risk] == ["Acme", "Globex"]
    assert at_risk[0]["reasons"] == "Recent CSAT, SLA breaches"  # lost 25 and 20 points; activity lost none
    page = response.content.decode()
    assert f'href="{reverse("care:organization-360", args=[org_a.pk])}"' in page  # the customer 360 page
    assert "Moved to a cheaper tool." in page
    assert "Acme" in page and "At risk" in page

    vip_only = manager_client.get(reverse("reports:churn"), {"tier": "vip"}).context["report"]
    assert [row["organization"] for row in vip_only.at_risk_table.rows] == ["Acme"]
    assert vip_only.live_churned().rows == []


def test_improvements_shipped_in_the_range(manager_client):
    area = ProductArea.objects.create(name="Reports")
    Improvement.objects.create(title="CSV export", area=area, status=Improvement.Status.SHIPPED,
                               shipped_at=timezone.now() - timedelta(days=2))
    Improvement.objects.create(title="Old one", area=area, status=Improvement.Status.VERIFIED,
                               shipped_at=timezone.now() - timedelta(days=300),
                               verified_at=timezone.now() - timedelta(days=200))
    Improvement.objects.create(title="Not yet", status=Improvement.Status.PLANNED)
    response = manager_client.get(reverse("reports:feedback"))
    assert [row["title"] for row in response.context["report"].improvement_table.rows] == ["CSV export"]


# ---------------------------------------------------------------- empty states and freshness


def test_empty_period_says_what_to_do(manager_client):
    response = manager_client.get(reverse("reports:overview"))
    page = response.content.decode()
    assert "No numbers yet for this period" in page
    assert "every 10 minutes" in page
    assert "Recompute now" in page
    assert "This range is not computed yet" in page


def test_page_shows_when_the_numbers_were_computed_and_a_queued_run(manager_client, manager):
    finished = timezone.now() - timedelta(hours=3)
    ReportRun.objects.create(date_from=date(2026, 1, 1), date_to=date(2026, 1, 2), status=ReportRun.Status.DONE,
                             finished_at=finished)
    period = Period.last(7)
    ReportDay.objects.bulk_create([ReportDay(day=day, computed_at=finished + timedelta(minutes=offset))
                                   for offset, day in enumerate(period.dates())])
    page = manager_client.get(reverse("reports:overview"), {"preset": "7"}).content.decode()
    assert "This range computed" in page
    assert finished.isoformat()[:16] in page or timezone.localtime(finished).isoformat()[:16] in page  # the oldest
    assert "changed since" not in page
    assert "Recompute queued" not in page

    # A range with a day never computed says so, rather than showing another range's time.
    page = manager_client.get(reverse("reports:overview"), {"preset": "30"}).content.decode()
    assert "23 days of this range not computed yet" in page and "This range computed" not in page
    ReportDay.objects.filter(day=period.end).update(dirty_since=timezone.now())
    page = manager_client.get(reverse("reports:overview"), {"preset": "7"}).content.decode()
    assert "(1 day changed since, updated within 10 minutes)" in page

    ReportRun.objects.create(date_from=date(2026, 1, 1), date_to=date(2026, 1, 2), status=ReportRun.Status.FAILED,
                             finished_at=finished + timedelta(hours=1), error="OperationalError: disk full")
    page = manager_client.get(reverse("reports:overview")).content.decode()
    assert "Last recompute failed" in page
    assert "disk full" in page

    ReportRun.objects.create(date_from=date(2026, 1, 1), date_to=date(2026, 1, 2), requested_by=manager)
    page = manager_client.get(reverse("reports:overview")).content.decode()
    assert "Recompute queued" in page
    assert "Last recompute failed" not in page


def test_charts_get_their_data_as_json_and_an_accessible_table(manager_client, queue_x):
    support_row(yesterday(), queue_x, created=9)
    page = manager_client.get(reverse("reports:overview")).content.decode()
    assert 'data-chart="chart-volume-data"' in page
    assert '<script id="chart-volume-data" type="application/json">' in page
    assert "Show the numbers" in page
    assert "chartkick/Chart.bundle.js" in page and "reports/reports.js" in page
    assert "onclick" not in page.split('id="main"')[1]  # no inline handlers on the report itself


# ---------------------------------------------------------------- recompute


def test_recompute_now_queues_exactly_one_run(manager_client, manager):
    start, end = last_month()
    overview = reverse("reports:overview") + f"?date_from={start}&date_to={end}"
    data = {"date_from": start.isoformat(), "date_to": end.isoformat(), "next": overview}

    response = manager_client.post(reverse("reports:recompute"), data, follow=True)
    assert response.redirect_chain[-1][0] == overview
    run = ReportRun.objects.get()
    assert (run.date_from, run.date_to, run.requested_by) == (start, end, manager)
    assert run.status in (ReportRun.Status.QUEUED, ReportRun.Status.RUNNING)
    assert "Recompute queued" in response.content.decode()

    again = manager_client.post(reverse("reports:recompute"), data, follow=True)
    assert ReportRun.objects.count() == 1
    assert "already queued or running" in again.content.decode()


def test_recompute_refuses_a_bad_range_and_an_outside_next(manager_client):
    response = manager_client.post(reverse("reports:recompute"), {
        "date_from": "2026-03-10", "date_to": "2026-03-01", "next": "https://evil.example/"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:overview")
    assert "The last day must be on or after the first day." in response.content.decode()
    assert not ReportRun.objects.exists()


def test_the_breached_figure_is_the_length_of_the_breach_list(manager_client, queue_x, queue_y, customer_a):
    now = timezone.now()
    day = yesterday()
    start, _end = Period(day - timedelta(days=6), day).bounds()
    inside = start + timedelta(days=2)
    open_ticket = {"requester": customer_a, "status": Ticket.Status.OPEN}
    both = TicketFactory(**open_ticket, queue=queue_x, subject="Both missed", first_response_due=inside,
                         resolution_due=inside + timedelta(hours=8))
    TicketFactory(**open_ticket, queue=queue_y, subject="Resolution missed", first_response_at=inside,
                  first_response_due=inside + timedelta(hours=1), resolution_due=inside + timedelta(hours=2))
    # Resolved in the range but due before it: not this range's; flagged by mistake but done in time: met.
    TicketFactory(requester=customer_a, queue=queue_x, status=Ticket.Status.RESOLVED, resolved_at=inside,
                  first_response_at=start - timedelta(days=3), first_response_due=start - timedelta(days=2),
                  resolution_due=start - timedelta(days=1))
    TicketFactory(requester=customer_a, queue=queue_x, status=Ticket.Status.RESOLVED, resolved_at=inside,
                  first_response_at=inside, first_response_due=inside, resolution_due=inside + timedelta(hours=1),
                  resolution_breached_at=inside)
    TicketFactory(**open_ticket, queue=queue_x, first_response_due=now + timedelta(hours=1))  # not due yet
    params = {"date_from": (day - timedelta(days=6)).isoformat(), "date_to": day.isoformat()}

    for filters, breached, met in (({}, 3, 3), ({"queue": queue_x.pk}, 2, 2), ({"queue": queue_y.pk}, 1, 1)):
        response = manager_client.get(reverse("reports:sla"), {**params, **filters})
        table = response.context["report"].live_breaches()
        assert kpi(response, "breached").current == table.total == breached, filters
        assert kpi(response, "met").current == met, filters
        _download, rows = download_csv(manager_client, "sla", "breaches", {**params, **filters})
        assert len(rows) - 1 == breached
    rows = manager_client.get(reverse("reports:sla"), {**params, "queue": queue_x.pk}).context["report"]
    targets = sorted(row["target"] for row in rows.live_breaches().rows if row["reference"] == both.reference)
    assert targets == ["First response", "Resolution"]  # one row per missed target
    assert kpi(manager_client.get(reverse("reports:sla"), params), "sla").current == 50  # 3 met of 6 due


def test_no_target_due_in_the_range_is_no_figure(manager_client, queue_x, customer_a):
    TicketFactory(requester=customer_a, queue=queue_x, first_response_due=timezone.now() - timedelta(days=300))
    response = manager_client.get(reverse("reports:sla"))
    assert kpi(response, "sla").current is None
    assert kpi(response, "breached").current is None
    assert "No first-response or resolution target due in this period was missed." in response.content.decode()


def test_breached_ticket_status_is_shown(manager_client, queue_x, customer_a):
    TicketFactory(requester=customer_a, queue=queue_x, status=Ticket.Status.OPEN,
                  first_response_due=timezone.now() - timedelta(days=1))
    page = manager_client.get(reverse("reports:sla")).content.decode()
    assert "First response" in page and "Open" in page
