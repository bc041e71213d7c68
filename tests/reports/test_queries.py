"""Each dashboard page and CSV runs the same number of queries whatever the number of days, queues or list rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import Improvement, ProductArea
from helpdesk.accounts.models import Organization
from helpdesk.accounts.services import organization_set_status
from reports.models import (
    AfterSalesDaily,
    AgentDaily,
    ArticleDaily,
    ChannelDaily,
    FeedbackDaily,
    ImprovementDaily,
    KnowledgeDaily,
    SatisfactionDaily,
    SearchGapDaily,
    SupportDaily,
)
from reports.pages import PAGES
from tests.aftersales.factories import ProductFactory
from tests.factories import OrganizationFactory
from tests.knowledgebase.factories import make_article
from tests.reports.dashboard_data import fill, health
from tests.tickets.factories import QueueFactory, TicketFactory

SNAPSHOTS = [SupportDaily, AgentDaily, ChannelDaily, SatisfactionDaily, AfterSalesDaily, KnowledgeDaily, ArticleDaily,
             SearchGapDaily, FeedbackDaily, ImprovementDaily]


@pytest.fixture
def world(db, agent, manager, customer_a):
    product = ProductFactory(name="Router")
    area = ProductArea.objects.create(name="Reports")
    article = make_article("Reset your password")
    queues = [QueueFactory(name=f"Queue {number}") for number in range(5)]
    made = []

    def build(*, days, queue_count, live):
        for model in SNAPSHOTS:
            model.objects.all().delete()
        fill(days=days, queues=queues[:queue_count], agent=agent, product=product, article=article, area=area)
        breached = timezone.now() - timedelta(days=1)
        for _number in range(live):
            made.append(1)
            number = len(made)
            TicketFactory(requester=customer_a, queue=queues[0], assignee=agent, resolution_due=breached)
            Improvement.objects.create(title=f"Improvement {number}", area=area, status=Improvement.Status.SHIPPED,
                                       shipped_at=breached)
            organization = OrganizationFactory(name=f"Lost {number}", account_manager=agent)
            organization_set_status(organization=organization, status=Organization.Status.CHURNED, by=manager,
                                    reason="Price", effective_on=breached.date())
            health(OrganizationFactory(name=f"Risky {number}", account_manager=agent))

    return build


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"preset": "90"})
        if response.get("Content-Type", "").startswith("text/csv"):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(queries)


URLS = [reverse(page.url_name) for page in PAGES.values()] + [
    reverse("reports:csv", args=[page.slug, table]) for page in PAGES.values() for table in page.tables]


@pytest.mark.parametrize("url", URLS)
def test_query_count_does_not_grow_with_days_queues_or_rows(client, manager, world, url):
    client.force_login(manager)
    world(days=2, queue_count=1, live=1)
    client.get(url)  # warm up: session, content types
    small = count_queries(client, url)

    world(days=60, queue_count=1, live=3)
    assert count_queries(client, url) == small

    world(days=60, queue_count=5, live=30)
    assert count_queries(client, url) == small


def test_overview_query_budget(client, manager, world):
    """The overview's own snapshot reads: support sums, satisfaction, after-sales, daily series, three run-log
    reads and when the range's days were computed. (The percentiles are read from the tickets, the churn rate
    from the organisations' status history.)"""
    client.force_login(manager)
    world(days=2, queue_count=1, live=1)
    client.get(reverse("reports:overview"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("reports:overview"))
    ours = [query["sql"] for query in queries.captured_queries if ' FROM "reports_' in query["sql"]]
    assert len(ours) == 8, "\n".join(ours)
