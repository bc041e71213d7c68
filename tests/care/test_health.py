"""Health scores on hand-built customers: known scores, reasons in order, bands, neutrals, fixed queries."""

import secrets
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.models import ServiceRequest
from care import health
from care.models import CareTask, HealthScore
from feedback.models import Survey, SurveyInvitation, SurveyResponse
from helpdesk.accounts.models import Organization
from tests.aftersales.factories import ServiceRequestFactory
from tests.factories import CustomerFactory, OrganizationFactory
from tests.tickets.factories import QueueFactory, TicketFactory
from tickets.models import Priority, Ticket

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- building customers by hand


@pytest.fixture
def queue(db):
    return QueueFactory(name="Support", slug="support")


@pytest.fixture
def csat_ten(db):
    return Survey.objects.create(name="CSAT out of 10", kind=Survey.Kind.CSAT, scale=10)


@pytest.fixture
def csat_five(db):
    return Survey.objects.create(name="CSAT out of 5", kind=Survey.Kind.CSAT, scale=5)


@pytest.fixture
def nps_survey(db):
    return Survey.objects.create(name="NPS", kind=Survey.Kind.NPS, trigger=Survey.Trigger.PERIODIC)


def days_ago(days, hours=0):
    return timezone.now() - timedelta(days=days, hours=hours)


def ticket(customer, queue, *, age_days, **fields):
    fields.setdefault("status", Ticket.Status.CLOSED)
    return TicketFactory(requester=customer, queue=queue, created_at=days_ago(age_days), **fields)


def answer(survey, customer, score, *, age_days, ticket_=None):
    moment = days_ago(age_days)
    invitation = SurveyInvitation.objects.create(
        survey=survey, recipient=customer, ticket=ticket_, organization=customer.organization,
        subject_key=f"test:{secrets.token_hex(6)}", token=secrets.token_urlsafe(16), created_at=moment,
        sent_at=moment, responded_at=moment, expires_at=moment + timedelta(days=14))
    return SurveyResponse.objects.create(invitation=invitation, score=score, submitted_at=moment, updated_at=moment)


def signals_by_key(score: HealthScore) -> dict:
    return {signal["key"]: signal for signal in score.signals}


# ---------------------------------------------------------------- the cases


def test_a_perfect_customer_scores_100_and_is_healthy(queue, csat_ten, nps_survey):
    organization = OrganizationFactory(name="Perfect Ltd", customer_since=timezone.localdate() - timedelta(days=900))
    customer = CustomerFactory(organization=organization, is_primary_contact=True)
    for age in (85, 75, 65, 55, 47, 40, 30, 20, 10, 1):  # five in each half of the window: a stable volume
        done = ticket(customer, queue, age_days=age)
        answer(csat_ten, customer, 10, age_days=age, ticket_=done)
    answer(nps_survey, customer, 10, age_days=3)

    score = health.compute_for(organization=organization)

    assert score.score == 100
    assert score.band == HealthScore.Band.HEALTHY
    assert health.top_reasons(score.signals) == []
    assert [signal["key"] for signal in score.signals] == [signal.key for signal in health.SIGNALS]
    assert sum(signal["weight"] for signal in score.signals) == 100
    assert signals_by_key(score)["csat"]["value"] == "10.0 / 10"


def test_an_unhappy_idle_customer_gets_the_expected_score_and_reasons_in_order(queue, csat_ten):
    """CSAT 4/10, 3 breaches of 10 tickets, an urgent ticket open, 70 days without activity."""
    organization = OrganizationFactory(name="Grumpy GmbH", customer_since=timezone.localdate() - timedelta(days=900))
    customer = CustomerFactory(organization=organization)
    for index, age in enumerate((88, 86, 84, 82, 80, 78, 76, 74, 72)):
        done = ticket(customer, queue, age_days=age, resolution_breached_at=days_ago(age - 1) if index < 3 else None)
        answer(csat_ten, customer, 4, age_days=age - 1, ticket_=done)
    ticket(customer, queue, age_days=70, status=Ticket.Status.OPEN, priority=Priority.URGENT)

    score = health.compute_for(organization=organization)
    signals = signals_by_key(score)

    # CSAT 4 ≤ 5 → 0 of 20; no NPS → 5 of 10; 30 % breached ≥ 25 % → 0 of 15; nothing reopened → 10;
    # one urgent open → 5 of 10; 70 days idle → 15 × (90 − 70) / 60 = 5; falling volume → 5; no service
    # request → 5; no overdue check-in → 10.
    assert {key: signal["points"] for key, signal in signals.items()} == {
        "csat": 0, "nps": 5, "sla_breaches": 0, "reopened": 10, "open_urgent": 5, "idle": 5, "volume_trend": 5,
        "pending_requests": 5, "overdue_check_ins": 10,
    }
    assert score.score == 45
    assert score.band == HealthScore.Band.AT_RISK
    assert signals["csat"]["value"] == "4.0 / 10"
    assert signals["sla_breaches"]["value"] == "3 of 10 tickets"
    assert signals["idle"]["value"] == "70 days"
    assert signals["open_urgent"]["value"] == "1"
    reasons = health.top_reasons(score.signals, 3)
    assert [(reason["key"], reason["lost"]) for reason in reasons] == [
        ("csat", 20), ("sla_breaches", 15), ("idle", 10)]


def test_bands_follow_the_configured_thresholds(settings, queue, csat_ten):
    organization = OrganizationFactory(name="Middle Co", customer_since=timezone.localdate() - timedelta(days=900))
    customer = CustomerFactory(organization=organization)
    ticket(customer, queue, age_days=70, status=Ticket.Status.OPEN, priority=Priority.URGENT)
    answer(csat_ten, customer, 4, age_days=75)
    # 0 + 5 + 15 + 10 + 5 + 5 (70 days) + 5 + 5 + 10
    assert health.compute_for(organization=organization).score == 60

    settings.HEALTH_AT_RISK_BELOW, settings.HEALTH_HEALTHY_FROM = 61, 80
    assert health.compute_for(organization=organization).band == HealthScore.Band.AT_RISK
    settings.HEALTH_AT_RISK_BELOW, settings.HEALTH_HEALTHY_FROM = 50, 60
    assert health.compute_for(organization=organization).band == HealthScore.Band.HEALTHY
    settings.HEALTH_AT_RISK_BELOW, settings.HEALTH_HEALTHY_FROM = 50, 75
    assert health.compute_for(organization=organization).band == HealthScore.Band.WATCH


def test_no_data_earns_the_stated_neutral(settings):
    """A new organisation with nothing yet: half the CSAT and NPS points, everything else full: 85."""
    organization = OrganizationFactory(name="Brand New", customer_since=timezone.localdate())

    score = health.compute_for(organization=organization)
    signals = signals_by_key(score)

    assert score.score == 85
    assert score.band == HealthScore.Band.HEALTHY
    assert (signals["csat"]["points"], signals["nps"]["points"]) == (10, 5)
    assert signals["csat"]["value"] == "no answer"
    assert "half the points" in signals["csat"]["detail"]
    assert "No ticket" in signals["sla_breaches"]["detail"]
    assert signals["idle"]["value"] == "0 days"


def test_idleness_counts_from_customer_since_when_nothing_ever_happened():
    organization = OrganizationFactory(name="Sleepy", customer_since=timezone.localdate() - timedelta(days=400))
    signals = signals_by_key(health.compute_for(organization=organization))
    assert signals["idle"]["points"] == 0
    assert "customer since" in signals["idle"]["detail"]


def test_five_point_csat_is_doubled_and_nps_uses_promoters_minus_detractors(queue, csat_five, nps_survey):
    organization = OrganizationFactory(name="Scales", customer_since=timezone.localdate() - timedelta(days=300))
    customer = CustomerFactory(organization=organization)
    done = ticket(customer, queue, age_days=2)
    answer(csat_five, customer, 4, age_days=2, ticket_=done)  # 8 / 10 → 20 × (8 − 5) / 4 = 15
    for score in (10, 9, 3, 8):  # 2 promoters, 1 detractor of 4: NPS +25 → 10 × 75 / 100 = 7.5 → 8
        answer(nps_survey, customer, score, age_days=5)

    signals = signals_by_key(health.compute_for(organization=organization))

    assert (signals["csat"]["value"], signals["csat"]["points"]) == ("8.0 / 10", 15)
    assert (signals["nps"]["value"], signals["nps"]["points"]) == ("+25", 8)


def test_answers_older_than_the_window_do_not_count(settings, queue, csat_ten):
    settings.HEALTH_WINDOW_DAYS = 30
    organization = OrganizationFactory(name="Old News", customer_since=timezone.localdate() - timedelta(days=300))
    customer = CustomerFactory(organization=organization)
    answer(csat_ten, customer, 1, age_days=40)
    ticket(customer, queue, age_days=1)
    signals = signals_by_key(health.compute_for(organization=organization))
    assert signals["csat"]["points"] == 10  # neutral: no answer in the last 30 days


def test_overdue_check_ins_pending_requests_and_a_rising_volume_cost_points(queue):
    organization = OrganizationFactory(name="Busy", customer_since=timezone.localdate() - timedelta(days=300))
    customer = CustomerFactory(organization=organization)
    for age in (60, 50):
        ticket(customer, queue, age_days=age)
    for age in (10, 9, 8, 7, 6, 5, 4, 3):  # 2 → 8 against a base of 5: +120 % → 0 of 5
        ticket(customer, queue, age_days=age)
    today = timezone.localdate()
    CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, organization=organization, title="Check in",
                            due_on=today - timedelta(days=3))
    CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, organization=organization, title="Next check in",
                            due_on=today + timedelta(days=30))
    stuck = ServiceRequestFactory(purchase__customer=customer, status=ServiceRequest.Status.UNDER_REVIEW)
    ServiceRequest.objects.filter(pk=stuck.pk).update(created_at=days_ago(20))
    ServiceRequestFactory(purchase__customer=customer, status=ServiceRequest.Status.SUBMITTED)  # new: no cost

    signals = signals_by_key(health.compute_for(organization=organization))

    assert (signals["overdue_check_ins"]["points"], signals["overdue_check_ins"]["value"]) == (5, "1")
    assert (signals["pending_requests"]["points"], signals["pending_requests"]["value"]) == (3, "1")
    assert (signals["volume_trend"]["points"], signals["volume_trend"]["value"]) == (0, "2 → 8")


def test_a_done_check_in_and_a_customer_message_count_as_activity(queue):
    organization = OrganizationFactory(name="Chatty", customer_since=timezone.localdate() - timedelta(days=900))
    customer = CustomerFactory(organization=organization)
    old = ticket(customer, queue, age_days=200)
    CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, organization=organization, title="Call",
                            status=CareTask.Status.DONE, due_on=timezone.localdate() - timedelta(days=40),
                            done_at=days_ago(40))
    assert signals_by_key(health.compute_for(organization=organization))["idle"]["value"] == "40 days"
    old.messages.create(author=customer, body="Any news?", created_at=days_ago(2))
    assert signals_by_key(health.compute_for(organization=organization))["idle"]["value"] == "2 days"


def test_a_customer_without_an_organisation_is_scored_on_their_own(queue):
    loner = CustomerFactory(email="solo@example.net", organization=None)
    ticket(loner, queue, age_days=3, status=Ticket.Status.OPEN, priority=Priority.URGENT)
    member = CustomerFactory(organization=OrganizationFactory(name="Club"))
    ticket(member, queue, age_days=3)

    counts = health.compute_all()

    assert counts["customers"] == 1
    # No answers: −15; one urgent ticket open: −5; 1 ticket where there were none: +20 % volume, −1.
    assert HealthScore.objects.get(customer=loner).score == 79
    assert not HealthScore.objects.filter(customer=member).exists()
    assert HealthScore.objects.filter(organization=member.organization).exists()


def test_compute_all_updates_in_place_and_counts_each_band(queue):
    OrganizationFactory(name="One", customer_since=timezone.localdate())
    OrganizationFactory(name="Two", customer_since=timezone.localdate() - timedelta(days=500))
    first = health.compute_all()
    second = health.compute_all()
    assert first == second == {"organizations": 2, "customers": 0, "healthy": 1, "watch": 1, "at_risk": 0}
    assert HealthScore.objects.count() == 2


def test_churned_organisations_are_still_scored(queue):
    OrganizationFactory(name="Gone", status=Organization.Status.CHURNED, churned_at=timezone.localdate())
    health.compute_all()
    assert HealthScore.objects.filter(organization__name="Gone").exists()


def test_compute_all_runs_the_same_queries_for_2_and_12_organisations(queue, csat_ten):
    def add(count, offset):
        for index in range(count):
            organization = OrganizationFactory(name=f"Org {offset + index}")
            customer = CustomerFactory(organization=organization)
            done = ticket(customer, queue, age_days=index + 1)
            answer(csat_ten, customer, 7, age_days=index + 1, ticket_=done)
            ServiceRequestFactory(purchase__customer=customer)
            CareTask.objects.create(kind=CareTask.Kind.CHECK_IN, organization=organization, title="Check in")
        lone = CustomerFactory(organization=None)
        ticket(lone, queue, age_days=2)

    add(2, 0)
    with CaptureQueriesContext(connection) as few:
        health.compute_all()
    add(10, 2)
    with CaptureQueriesContext(connection) as many:
        counts = health.compute_all()
    assert counts["organizations"] == 12
    assert len(many) == len(few)


def test_recalculate_now_is_for_the_account_manager_and_managers(client, agent, agent_y, manager, queue):
    organization = OrganizationFactory(name="Recalc", account_manager=agent,
                                       customer_since=timezone.localdate() - timedelta(days=500))
    url = f"/desk/customers/org/{organization.pk}/health/"

    client.force_login(agent_y)
    assert client.post(url).status_code == 403
    assert not HealthScore.objects.filter(organization=organization).exists()

    client.force_login(agent)
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/desk/customers/org/{organization.pk}/#health")
    assert HealthScore.objects.get(organization=organization).score == 70

    client.force_login(manager)
    ticket(CustomerFactory(organization=organization), queue, age_days=1)
    client.post(url)
    # Active again yesterday (idle: +15), with one more ticket than before (volume trend: −1).
    assert HealthScore.objects.get(organization=organization).score == 84


def test_signals_keep_the_stored_shape_other_pages_read():
    organization = OrganizationFactory(name="Shape")
    score = health.compute_for(organization=organization)
    for signal in score.signals:
        assert {"key", "label", "weight", "value", "points", "detail"} <= set(signal)
        assert 0 <= signal["points"] <= signal["weight"]
    shown = health.present(score.signals)
    assert str(shown[0]["label"]) == "Recent CSAT"
