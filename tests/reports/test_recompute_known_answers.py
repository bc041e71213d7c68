"""The recompute job on hand-built data with known answers (DESIGN §4).

Run on SQLite by default and on PostgreSQL with DATABASE_URL: both paths must give these same numbers
(PostgreSQL's percentile_cont and the SQLite fallback's Python interpolation included).
"""

import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftersales.models import ServiceRequest
from feedback.models import Feedback, Improvement, ProductArea, Survey, SurveyInvitation, SurveyResponse
from helpdesk.accounts.models import Organization, OrganizationStatusChange
from knowledgebase import services as kb_services
from knowledgebase.models import Article, ArticleVote, Deflection
from reports import metrics
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
from reports.recompute import recompute_range
from tests.aftersales.factories import ServiceRequestFactory
from tests.tickets.factories import TicketFactory
from tickets import services
from tickets.models import BusinessHours, OpeningPeriod, SLAPolicy, Ticket

UTC = ZoneInfo("UTC")
MONDAY = date(2026, 3, 2)
TUESDAY, FRIDAY_BEFORE = MONDAY + timedelta(days=1), MONDAY - timedelta(days=3)


def at(day, hour, minute=0, tz=UTC):
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def office_hours(db):
    """Monday to Friday 09:00–18:00 UTC for normal-priority tickets: 8 h first response, 3 days resolution."""
    calendar = BusinessHours.objects.create(name="Nine to six", timezone="UTC")
    for weekday in range(5):
        OpeningPeriod.objects.create(calendar=calendar, weekday=weekday, opens=time(9), closes=time(18))
    policy, _created = SLAPolicy.objects.update_or_create(priority="normal", tier="", defaults={
        "name": "Normal", "first_response_minutes": 480, "resolution_minutes": 1620, "business_hours": calendar})
    return policy


def support_row(day, queue, priority="normal"):
    return SupportDaily.objects.get(day=day, queue=queue, priority=priority)


# ---------------------------------------------------------------- surveys


def survey(kind=Survey.Kind.CSAT, scale=10, trigger=Survey.Trigger.TICKET_RESOLVED):
    return Survey.objects.create(name=f"{kind} {scale}", kind=kind, scale=scale, trigger=trigger)


def answers(survey, recipient, scores, *, day=MONDAY, service_request=None, sent=True):
    """One invitation sent on ``day`` per score, answered the same day (``None``: never answered)."""
    for number, score in enumerate(scores):
        invitation = SurveyInvitation.objects.create(
            survey=survey, recipient=recipient, service_request=service_request,
            subject_key=f"test:{secrets.token_hex(6)}:{number}", token=secrets.token_urlsafe(16),
            sent_at=at(day, 9) if sent else None, expires_at=at(day, 9) + timedelta(days=14),
        )
        if score is not None:
            SurveyResponse.objects.create(invitation=invitation, score=score, submitted_at=at(day, 10 + number % 8))


def test_csat_mean_of_the_seed_example_is_nine(customer_a):
    answers(survey(scale=10), customer_a, [10] * 8 + [5] * 2)

    recompute_range(MONDAY, MONDAY)

    row = SatisfactionDaily.objects.get(day=MONDAY, kind=Survey.Kind.CSAT, product=None)
    assert (row.invitations, row.responses, row.ratings) == (10, 10, 10)
    assert row.mean_score == 9.0
    assert row.csat_pct == 80.0  # 8 of 10 in the top two points (9–10)
    assert row.distribution == {"10": 8, "5": 2}
    assert row.nps is None


def test_five_point_scores_count_on_ten_points_with_top_two_on_their_own_scale(customer_a):
    answers(survey(scale=5), customer_a, [5, 4, 3, None])  # the fourth invitation was never answered

    recompute_range(MONDAY, MONDAY)

    row = SatisfactionDaily.objects.get(day=MONDAY, kind=Survey.Kind.CSAT)
    assert (row.invitations, row.responses, row.ratings) == (4, 3, 3)
    assert row.mean_score == 8.0  # 10, 8 and 6 on ten points
    assert row.csat_pct == pytest.approx(200 / 3, abs=1e-6)  # 5 and 4 are the top two of five
    assert row.distribution == {"10": 1, "8": 1, "6": 1}


def test_nps_is_promoters_less_detractors(customer_a):
    answers(survey(kind=Survey.Kind.NPS), customer_a, [10, 10, 9, 9, 10, 8, 7, 6, 0, 3])

    recompute_range(MONDAY, MONDAY)

    row = SatisfactionDaily.objects.get(day=MONDAY, kind=Survey.Kind.NPS)
    assert (row.promoters, row.passives, row.detractors) == (5, 2, 3)
    assert row.nps == 20.0
    assert row.csat_pct is None


def test_responses_count_on_the_day_they_were_given_and_invitations_on_the_day_sent(customer_a):
    csat = survey()
    answers(csat, customer_a, [None, None], day=MONDAY)
    answers(csat, customer_a, [9], day=TUESDAY)

    recompute_range(MONDAY, TUESDAY)

    rows = {row.day: row for row in SatisfactionDaily.objects.all()}
    assert (rows[MONDAY].invitations, rows[MONDAY].responses, rows[MONDAY].mean_score) == (2, 0, None)
    assert (rows[TUESDAY].invitations, rows[TUESDAY].responses, rows[TUESDAY].mean_score) == (1, 1, 9.0)


def test_a_late_answer_counts_for_the_day_its_invitation_went_out(customer_a):
    csat = survey()
    answers(csat, customer_a, [None, None, None], day=MONDAY)  # three invitations on Monday
    invitation = SurveyInvitation.objects.filter(sent_at__date=MONDAY).first()
    SurveyResponse.objects.create(invitation=invitation, score=9, submitted_at=at(TUESDAY, 15))  # answered late

    recompute_range(MONDAY, TUESDAY)

    rows = {row.day: row for row in SatisfactionDaily.objects.all()}
    assert (rows[MONDAY].invitations, rows[MONDAY].answered, rows[MONDAY].responses) == (3, 1, 0)
    # Tuesday's answer is Tuesday's score, but no invitation of Tuesday was answered: no 100 %+ rate for Tuesday.
    assert (rows[TUESDAY].invitations, rows[TUESDAY].answered, rows[TUESDAY].responses) == (0, 0, 1)
    assert rows[TUESDAY].mean_score == 9.0


def test_an_invitation_never_sent_is_not_in_the_response_rate(customer_a):
    answers(survey(), customer_a, [None], day=MONDAY, sent=False)
    answers(survey(), customer_a, [8], day=MONDAY)

    recompute_range(MONDAY, MONDAY)

    row = SatisfactionDaily.objects.get(day=MONDAY)
    assert (row.invitations, row.answered) == (1, 1)


# ---------------------------------------------------------------- tickets


def test_response_time_target_is_mean_first_response_times_the_service_level(customer_a, queue_x):
    for number in range(100):  # 600 minutes over 100 requests: 50 answered in 1 minute, 50 in 11
        TicketFactory(requester=customer_a, queue=queue_x, created_at=at(MONDAY, 8),
                      first_response_at=at(MONDAY, 9), first_response_minutes=1 if number % 2 else 11)

    recompute_range(MONDAY, MONDAY)

    row = support_row(MONDAY, queue_x)
    assert (row.frt_count, row.frt_sum, row.frt_avg) == (100, 600.0, 6.0)
    assert metrics.response_time_target(row.frt_avg, 0.99) == pytest.approx(5.94)
    assert (row.frt_p50, row.frt_p90) == (6.0, 11.0)  # linear interpolation between the 50th and 51st
    assert sum(row.frt_hist) == 100


def test_percentiles_interpolate_like_percentile_cont(customer_a, queue_x):
    for minutes in range(1, 11):
        TicketFactory(requester=customer_a, queue=queue_x, created_at=at(MONDAY, 8), first_response_at=at(MONDAY, 9),
                      first_response_minutes=minutes)

    recompute_range(MONDAY, MONDAY)

    row = support_row(MONDAY, queue_x)
    assert (row.frt_avg, row.frt_p50, row.frt_p90) == (5.5, 5.5, 9.1)


def test_first_response_time_leaves_out_the_week_end(office_hours, customer_a, agent, queue_x):
    ticket = services.ticket_create(requester=customer_a, subject="Down", description="Since Friday", queue=queue_x,
                                    now=at(FRIDAY_BEFORE, 17), notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Looking", now=at(MONDAY, 10), notify=False)

    recompute_range(FRIDAY_BEFORE, MONDAY)

    assert support_row(FRIDAY_BEFORE, queue_x).created == 1
    monday = support_row(MONDAY, queue_x)
    assert (monday.frt_count, monday.frt_avg, monday.frt_p50, monday.frt_p90) == (1, 120.0, 120.0, 120.0)
    assert monday.backlog == 1
    by_agent = AgentDaily.objects.get(day=MONDAY, agent=agent)
    assert (by_agent.replies, by_agent.frt_count, by_agent.frt_avg) == (1, 1, 120.0)


def test_resolution_time_leaves_out_pending(office_hours, customer_a, agent, queue_x):
    ticket = services.ticket_create(requester=customer_a, subject="Export", description="Broken", queue=queue_x,
                                    now=at(MONDAY, 9), notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Which file?", status=Ticket.Status.PENDING,
                                now=at(MONDAY, 10), notify=False)
    services.ticket_customer_reply(ticket=ticket, customer=customer_a, body="This one", now=at(TUESDAY, 9),
                                   notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Fixed", status=Ticket.Status.RESOLVED,
                                resolution_summary="Fixed the export", now=at(TUESDAY, 11), notify=False)

    recompute_range(MONDAY, TUESDAY)

    tuesday = support_row(TUESDAY, queue_x)
    assert (tuesday.resolved, tuesday.resolution_count, tuesday.resolution_avg) == (1, 1, 180.0)  # 11 h − 8 pending
    assert (tuesday.one_touch, tuesday.backlog) == (0, 0)
    monday = support_row(MONDAY, queue_x)
    assert (monday.backlog, monday.sla_met, monday.sla_breached) == (1, 1, 0)  # answered within the first 8 h
    # The resolution target (27 business hours, the pending hours added) counts on the day it was due, met.
    ticket.refresh_from_db()
    due_day = ticket.resolution_due.date()
    recompute_range(MONDAY, due_day)
    assert (support_row(due_day, queue_x).sla_met, support_row(due_day, queue_x).sla_breached) == (1, 0)
    assert ChannelDaily.objects.get(day=TUESDAY, channel=Ticket.Channel.PORTAL).resolved == 1


def test_one_touch_is_at_most_one_public_reply_and_never_reopened(customer_a, agent, queue_x):
    resolved = {"requester": customer_a, "queue": queue_x, "created_at": at(MONDAY, 8), "assignee": agent,
                "status": Ticket.Status.RESOLVED, "resolved_at": at(MONDAY, 12)}
    TicketFactory(**resolved, public_agent_replies=1)
    TicketFactory(**resolved, public_agent_replies=0)  # the customer found the answer alone
    TicketFactory(**resolved, public_agent_replies=2)
    TicketFactory(**resolved, public_agent_replies=1, reopened_count=1)

    recompute_range(MONDAY, MONDAY)

    row = support_row(MONDAY, queue_x)
    assert (row.created, row.resolved, row.one_touch, row.backlog) == (4, 4, 2, 0)
    by_agent = AgentDaily.objects.get(day=MONDAY, agent=agent)
    assert (by_agent.resolved, by_agent.one_touch) == (4, 2)


def test_each_sla_target_counts_met_or_breached_on_the_day_it_was_due(customer_a, queue_x):
    ticket = {"requester": customer_a, "queue": queue_x, "created_at": at(MONDAY, 8)}
    resolved = {**ticket, "status": Ticket.Status.RESOLVED, "resolved_at": at(MONDAY, 17),
                "first_response_at": at(MONDAY, 10)}
    # Both met; the resolution was due on Tuesday, so it counts on Tuesday.
    TicketFactory(**resolved, first_response_due=at(MONDAY, 12), resolution_due=at(TUESDAY, 17))
    TicketFactory(**resolved, first_response_due=at(MONDAY, 9, 30), resolution_due=at(MONDAY, 16))  # both late
    # Flagged as breached by mistake (the old demo seed did this), yet done in time: met.
    TicketFactory(**resolved, first_response_due=at(MONDAY, 12), resolution_due=at(MONDAY, 18),
                  resolution_breached_at=at(MONDAY, 16))
    # Nobody answered and nothing was resolved, both due times passed: two breaches.
    TicketFactory(**ticket, status=Ticket.Status.OPEN, first_response_due=at(MONDAY, 11),
                  resolution_due=at(MONDAY, 12))
    # Waiting on the customer: the resolution clock is paused, so it is neither met nor breached.
    TicketFactory(**ticket, status=Ticket.Status.PENDING, first_response_at=at(MONDAY, 10),
                  first_response_due=at(MONDAY, 11), resolution_due=at(MONDAY, 12))
    # Due on Tuesday, not done when the job ran on Monday evening: not counted yet.
    TicketFactory(**ticket, status=Ticket.Status.OPEN, first_response_due=at(TUESDAY, 12),
                  resolution_due=at(TUESDAY, 13))
    TicketFactory(**resolved)  # no policy, no due times: no target

    recompute_range(MONDAY, TUESDAY, now=at(MONDAY, 20))

    monday, tuesday = support_row(MONDAY, queue_x), support_row(TUESDAY, queue_x)
    assert (monday.sla_met, monday.sla_breached) == (4, 4)
    assert (tuesday.sla_met, tuesday.sla_breached) == (1, 0)

    recompute_range(MONDAY, TUESDAY, now=at(TUESDAY, 20))  # a day later the Tuesday targets are overdue
    tuesday = support_row(TUESDAY, queue_x)
    assert (tuesday.sla_met, tuesday.sla_breached) == (1, 2)


def test_a_reopening_counts_on_the_day_it_happened(customer_a, agent, queue_x):
    ticket = services.ticket_create(requester=customer_a, subject="Login", description="Fails", queue=queue_x,
                                    now=at(MONDAY, 9), notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Reset", status=Ticket.Status.RESOLVED,
                                resolution_summary="Reset", now=at(MONDAY, 10), notify=False)
    services.ticket_customer_reopen(ticket=ticket, customer=customer_a, reason="Still fails", now=at(TUESDAY, 9))

    recompute_range(MONDAY, TUESDAY)

    # Resolved on Monday, then reopened: its resolution no longer counts (it will when it is resolved again), but
    # on Monday evening it was out of the backlog; it is back in it on Tuesday.
    monday, tuesday = support_row(MONDAY, queue_x), support_row(TUESDAY, queue_x)
    assert (monday.created, monday.resolved, monday.backlog) == (1, 0, 0)
    assert (tuesday.reopened, tuesday.backlog) == (1, 1)


def backlogs(queue, first, last):
    rows = {row.day: row.backlog for row in SupportDaily.objects.filter(queue=queue, day__range=(first, last))}
    return [rows.get(first + timedelta(days=offset), 0) for offset in range((last - first).days + 1)]


@pytest.fixture
def reopened_on_thursday(customer_a, agent, queue_x):
    """Created Monday, resolved Tuesday, reopened Thursday, resolved again on Saturday; one more open ticket."""
    ticket = services.ticket_create(requester=customer_a, subject="VPN", description="Drops", queue=queue_x,
                                    now=at(MONDAY, 9), notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Fixed", status=Ticket.Status.RESOLVED,
                                resolution_summary="New profile", now=at(TUESDAY, 11), notify=False)
    thursday = MONDAY + timedelta(days=3)
    services.ticket_customer_reopen(ticket=ticket, customer=customer_a, reason="Again", now=at(thursday, 8))
    ticket.refresh_from_db()
    services.ticket_update(ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED, resolution_summary="Router",
                           now=at(thursday + timedelta(days=2), 12), notify=False)
    services.ticket_create(requester=customer_a, subject="Printer", description="Jams", queue=queue_x,
                           now=at(MONDAY, 10), notify=False)
    return ticket


def test_backlog_of_past_days_follows_the_status_history(reopened_on_thursday, queue_x):
    sunday = MONDAY + timedelta(days=6)
    recompute_range(MONDAY, sunday)

    #                                        Mon Tue Wed Thu Fri Sat Sun
    assert backlogs(queue_x, MONDAY, sunday) == [2, 1, 1, 2, 2, 1, 1]
    saturday = support_row(MONDAY + timedelta(days=5), queue_x)
    assert saturday.resolved == 1  # counted once, on the day of its last resolution
    assert support_row(TUESDAY, queue_x).resolved == 0


def test_a_range_starting_after_the_first_resolution_counts_from_the_history(reopened_on_thursday, queue_x):
    wednesday, sunday = MONDAY + timedelta(days=2), MONDAY + timedelta(days=6)
    recompute_range(MONDAY, sunday)
    whole_week = backlogs(queue_x, MONDAY, sunday)
    SupportDaily.objects.all().delete()

    recompute_range(wednesday, sunday)  # the backlog at Wednesday 00:00 comes from the history alone

    assert backlogs(queue_x, wednesday, sunday) == whole_week[2:] == [1, 2, 2, 1, 1]
    recompute_range(wednesday, wednesday)
    assert backlogs(queue_x, wednesday, wednesday) == [1]


def test_a_merged_ticket_leaves_the_backlog_on_the_day_of_the_merge(customer_a, agent, queue_x):
    target = services.ticket_create(requester=customer_a, subject="Mail", description="Bounces", queue=queue_x,
                                    now=at(MONDAY, 9), notify=False)
    duplicate = services.ticket_create(requester=customer_a, subject="Mail again", description="Still",
                                       queue=queue_x, now=at(MONDAY, 10), notify=False)
    services.ticket_merge(source=duplicate, target=target, actor=agent, now=at(TUESDAY, 9))

    recompute_range(MONDAY, TUESDAY)

    assert backlogs(queue_x, MONDAY, TUESDAY) == [2, 1]


def test_a_ticket_without_status_history_is_judged_by_its_timestamps(customer_a, queue_x):
    # Imported rows: resolved on Tuesday by their columns, with no status event at all.
    TicketFactory(requester=customer_a, queue=queue_x, created_at=at(MONDAY, 9), status=Ticket.Status.RESOLVED,
                  resolved_at=at(TUESDAY, 9))
    TicketFactory(requester=customer_a, queue=queue_x, created_at=at(MONDAY, 9), status=Ticket.Status.CLOSED,
                  closed_at=at(TUESDAY, 9))
    TicketFactory(requester=customer_a, queue=queue_x, created_at=at(FRIDAY_BEFORE, 9))  # open all along

    recompute_range(FRIDAY_BEFORE, TUESDAY)
    assert backlogs(queue_x, FRIDAY_BEFORE, TUESDAY) == [1, 1, 1, 3, 1]
    SupportDaily.objects.all().delete()
    recompute_range(TUESDAY, TUESDAY)
    assert backlogs(queue_x, TUESDAY, TUESDAY) == [1]


def test_backlog_across_day_boundaries_in_the_configured_time_zone(settings, customer_a, queue_x):
    settings.TIME_ZONE = "Asia/Shanghai"  # UTC+8
    ticket = {"requester": customer_a, "queue": queue_x}
    TicketFactory(**ticket, created_at=datetime(2026, 2, 20, 12, 0, tzinfo=UTC))  # still open
    # 1 a.m. on 3 March in Shanghai (still 2 March in UTC), resolved at 23:30 on 4 March in Shanghai.
    TicketFactory(**ticket, created_at=datetime(2026, 3, 2, 17, 0, tzinfo=UTC),
                  resolved_at=datetime(2026, 3, 4, 15, 30, tzinfo=UTC), status=Ticket.Status.RESOLVED)
    # 23:59 on 3 March in Shanghai, resolved two minutes later, on 4 March in Shanghai.
    TicketFactory(**ticket, created_at=datetime(2026, 3, 3, 15, 59, tzinfo=UTC),
                  resolved_at=datetime(2026, 3, 3, 16, 1, tzinfo=UTC), status=Ticket.Status.RESOLVED)

    recompute_range(date(2026, 2, 27), date(2026, 3, 5))  # two chunks: the backlog carries over the month end

    rows = {row.day: row for row in SupportDaily.objects.filter(queue=queue_x)}
    backlog = {day.isoformat(): row.backlog for day, row in rows.items()}
    assert backlog == {"2026-02-27": 1, "2026-02-28": 1, "2026-03-01": 1, "2026-03-02": 1, "2026-03-03": 3,
                       "2026-03-04": 1, "2026-03-05": 1}
    assert rows[date(2026, 3, 3)].created == 2 and rows[date(2026, 3, 4)].resolved == 2
    # The backlog at the start of a shorter range is counted from the tickets, to the same figures.
    recompute_range(date(2026, 3, 4), date(2026, 3, 4))
    assert SupportDaily.objects.get(day=date(2026, 3, 4), queue=queue_x).backlog == 1


def test_days_without_events_or_backlog_have_no_rows(customer_a, queue_x):
    TicketFactory(requester=customer_a, queue=queue_x, created_at=at(MONDAY, 9), resolved_at=at(MONDAY, 11),
                  status=Ticket.Status.RESOLVED)

    recompute_range(MONDAY - timedelta(days=2), TUESDAY)

    assert list(SupportDaily.objects.values_list("day", flat=True)) == [MONDAY]


# ---------------------------------------------------------------- customers


def test_churn_month_is_five_per_cent_for_fifty_of_a_thousand(db):
    organisations = Organization.objects.bulk_create(
        [Organization(name=f"Customer {n}", customer_since=date(2025, 1, 1)) for n in range(1000)])
    changes = [OrganizationStatusChange(organization=o, to_status="active", effective_on=date(2025, 1, 1))
               for o in organisations]
    changes += [OrganizationStatusChange(organization=o, from_status="active", to_status="churned",
                                         effective_on=date(2026, 3, 1 + n % 28))
                for n, o in enumerate(organisations[:50])]
    OrganizationStatusChange.objects.bulk_create(changes)

    recompute_range(MONDAY, MONDAY)

    march = ChurnMonthly.objects.get(month=date(2026, 3, 1))
    assert (march.active_at_start, march.churned, march.churn_rate) == (1000, 50, 5.0)


def test_after_sales_requests_decisions_turnaround_and_quality(customer_a, agent):
    request = {"purchase__customer": customer_a, "technician": agent}
    approved = ServiceRequestFactory(**request, status=ServiceRequest.Status.COMPLETED, created_at=at(MONDAY, 9),
                                     decided_at=at(MONDAY, 12), completed_at=at(MONDAY + timedelta(days=2), 9))
    product = approved.purchase.product
    ServiceRequestFactory(purchase__customer=customer_a, purchase__product=product, technician=agent,
                          status=ServiceRequest.Status.REJECTED, created_at=at(MONDAY, 10), decided_at=at(MONDAY, 15))
    answers(survey(scale=5, trigger=Survey.Trigger.SERVICE_COMPLETED), customer_a, [4, 5],
            day=MONDAY + timedelta(days=2), service_request=approved)

    recompute_range(MONDAY, MONDAY + timedelta(days=2))

    monday = AfterSalesDaily.objects.get(day=MONDAY, product=product, technician=agent)
    assert (monday.requests, monday.decided, monday.approved, monday.rejected) == (2, 2, 1, 1)
    wednesday = AfterSalesDaily.objects.get(day=MONDAY + timedelta(days=2), product=product, technician=agent)
    assert (wednesday.completed, wednesday.turnaround_avg_hours) == (1, 48.0)
    assert (wednesday.quality_ratings, wednesday.quality_score) == (2, 9.0)  # 8 and 10 on ten points
    satisfaction = SatisfactionDaily.objects.get(day=MONDAY + timedelta(days=2), product=product)
    assert satisfaction.mean_score == 9.0


# ---------------------------------------------------------------- content


def test_knowledge_votes_deflections_and_feedback_per_day(customer_a, agent):
    article = Article.objects.create(title="Reset your password", slug="reset", body="Click", author=agent)
    for number, helpful in enumerate([True, True, True, False]):
        ArticleVote.objects.create(article=article, visitor_id=f"v{number}", helpful=helpful,
                                   created_at=at(MONDAY, 10))
    Deflection.objects.create(article=article, query="password", created_at=at(MONDAY, 11))
    # Three readers on Monday (one late in the evening) and one on Tuesday; customers' searches on Monday.
    for moment in (at(MONDAY, 8), at(MONDAY, 13), at(MONDAY, 23, 59), at(TUESDAY, 0, 1)):
        kb_services.article_record_view(article=article, now=moment)
    for query, found in (("password", True), ("Password ", True), ("sso okta", False), ("SSO  Okta", False),
                         ("invoice", False)):
        kb_services.search_record(query=query, found=found, now=at(MONDAY, 14))
    area = ProductArea.objects.create(name="Billing")
    for kind in ("bug", "bug", "idea"):
        Feedback.objects.create(author=customer_a, kind=kind, area=area, text="…", created_at=at(MONDAY, 12))
    Improvement.objects.create(title="Faster invoices", area=area, status="verified", shipped_at=at(MONDAY, 9),
                               verified_at=at(TUESDAY, 9))

    recompute_range(MONDAY, TUESDAY)

    day = KnowledgeDaily.objects.get(day=MONDAY)
    assert (day.helpful_yes, day.helpful_no, day.helpful_pct, day.deflections) == (3, 1, 75.0, 1)
    assert (day.views, day.searches, day.searches_without_results) == (3, 5, 3)
    assert KnowledgeDaily.objects.get(day=TUESDAY).views == 1
    assert ArticleDaily.objects.filter(day=MONDAY, article=article, views=3, helpful_yes=3, deflections=1).exists()
    gaps = SearchGapDaily.objects.filter(day=MONDAY)
    assert sorted(gaps.values_list("query", "searches")) == [("invoice", 1), ("sso okta", 2)]
    assert {(row.kind, row.received) for row in FeedbackDaily.objects.filter(day=MONDAY, area=area)} == {
        ("bug", 2), ("idea", 1)}
    assert ImprovementDaily.objects.get(day=MONDAY, area=area).shipped == 1
    assert ImprovementDaily.objects.get(day=TUESDAY, area=area).verified == 1
