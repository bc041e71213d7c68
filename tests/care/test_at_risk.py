"""The at-risk list and the "My at-risk customers" panel: who sees which organisations, and why they are there."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from care import health
from care.models import HealthScore
from helpdesk.accounts.models import Organization
from tests.factories import AgentFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

URL = "/desk/customers/at-risk/"


def scored(name, *, manager=None, status=Organization.Status.ACTIVE, tier=Organization.Tier.STANDARD, **facts):
    """An organisation with a health score computed from hand-picked numbers (see care.health.Facts)."""
    organization = OrganizationFactory(
        name=name, account_manager=manager, status=status, tier=tier,
        churned_at=timezone.localdate() if status == Organization.Status.CHURNED else None)
    facts.setdefault("since", timezone.localdate())
    signals = health.score_facts(health.Facts(**facts))
    score = health.total(signals)
    HealthScore.objects.create(organization=organization, score=score, band=health.band_for(score), signals=signals)
    return organization


@pytest.fixture
def book(agent, agent_y):
    """Four organisations: two in trouble for agent, one to watch for agent_y, one healthy, one churned."""
    long_ago = timezone.localdate() - timedelta(days=400)
    return {
        # CSAT 4 (−20), 3 of 10 breached (−15), 2 urgent open (−10), idle 400 days (−15), no NPS (−5): 35
        "worst": scored("Worst Co", manager=agent, tier=Organization.Tier.VIP, tickets=10, breached=3, open_urgent=2,
                        csat_ratings=2, csat_sum=8.0, since=long_ago),
        # CSAT 6 (−15), no NPS (−5), 3 overdue check-ins (−10), 4 stuck requests (−5): 65 (watch)
        "shaky": scored("Shaky Ltd", manager=agent_y, csat_ratings=1, csat_sum=6.0, overdue_check_ins=3,
                        pending_requests=4),
        # CSAT 4 (−20), 1 of 4 breached (−15), 2 urgent open (−10), 2 overdue check-ins (−10), no NPS (−5): 40
        "bad": scored("Bad Inc", manager=agent, tickets=4, breached=1, csat_ratings=1, csat_sum=4.0,
                      overdue_check_ins=2, open_urgent=2),
        "fine": scored("Fine AG", manager=agent),
        "gone": scored("Gone GmbH", manager=agent, status=Organization.Status.CHURNED, csat_ratings=1, csat_sum=1.0,
                       open_urgent=3, since=long_ago),
    }


def names(response):
    return [row["organization"].name for row in response.context["rows"]]


def test_managers_see_every_active_organisation_at_risk_or_to_watch_lowest_first(client, manager, book):
    client.force_login(manager)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == ["Worst Co", "Bad Inc", "Shaky Ltd"]  # not Fine AG (85), not the churned one
    assert [row["health"].score for row in response.context["rows"]] == [35, 40, 65]


def test_each_row_shows_its_top_three_reasons_in_order(client, manager, book):
    client.force_login(manager)
    response = client.get(URL)
    worst = response.context["rows"][0]
    assert [(reason["key"], reason["lost"]) for reason in worst["reasons"]] == [
        ("csat", 20), ("sla_breaches", 15), ("idle", 15)]
    page = response.content.decode()
    assert "Recent CSAT" in page and "SLA breaches" in page and "−20" in page


def test_an_account_manager_sees_only_their_own(client, agent, agent_y, book):
    client.force_login(agent)
    assert names(client.get(URL)) == ["Worst Co", "Bad Inc"]
    client.force_login(agent_y)
    assert names(client.get(URL)) == ["Shaky Ltd"]


def test_agents_who_manage_no_organisation_and_customers_get_403(client, customer_a, book):
    client.force_login(AgentFactory())
    assert client.get(URL).status_code == 403
    client.force_login(customer_a)
    assert client.get(URL).status_code == 403


def test_an_account_manager_with_only_healthy_customers_gets_an_empty_state(client, book):
    happy = AgentFactory()
    scored("Happy Customer", manager=happy)
    client.force_login(happy)
    response = client.get(URL)
    assert response.status_code == 200
    assert names(response) == []
    assert "No customer at risk." in response.content.decode()


def test_managers_filter_by_band_account_manager_and_tier(client, manager, agent, agent_y, book):
    client.force_login(manager)
    assert names(client.get(URL, {"band": "watch"})) == ["Shaky Ltd"]
    assert names(client.get(URL, {"band": "at_risk"})) == ["Worst Co", "Bad Inc"]
    assert names(client.get(URL, {"account_manager": agent_y.pk})) == ["Shaky Ltd"]
    assert names(client.get(URL, {"tier": "vip"})) == ["Worst Co"]


def test_the_list_runs_the_same_queries_for_2_and_30_organisations(client, manager, agent):
    def add(count, offset):
        for index in range(count):
            scored(f"Org {offset + index:02d}", manager=agent, csat_ratings=1, csat_sum=4.0, open_urgent=index % 3)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    client.force_login(manager)
    add(2, 0)
    few = queries()
    add(28, 2)
    assert queries() == few


def test_the_desk_home_shows_my_at_risk_customers(client, agent, agent_y, manager, book):
    client.force_login(agent)
    page = client.get("/desk/").content.decode()
    assert "My at-risk customers" in page
    assert "Worst Co" in page and "Bad Inc" in page
    assert "Shaky Ltd" not in page  # only to watch, and not theirs

    client.force_login(agent_y)  # their only organisation is to watch, not at risk: no panel
    assert "My at-risk customers" not in client.get("/desk/").content.decode()

    client.force_login(manager)
    page = client.get("/desk/").content.decode()
    assert "Customers at risk" in page and "Worst Co" in page


def test_the_sidebar_counts_the_organisations_at_risk(client, agent, manager, book):
    client.force_login(manager)
    response = client.get("/desk/customers/")
    assert 'href="/desk/customers/at-risk/"' in response.content.decode()
    client.force_login(AgentFactory())
    page = client.get("/desk/customers/").content.decode()
    assert 'href="/desk/customers/at-risk/"' not in page
    assert 'href="/desk/customers/"' in page
