"""The public pages and the suggestions run the same number of SQL queries for 5 articles as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowledgebase.models import Article
from tests.knowledgebase.factories import make_article, make_category

pytestmark = pytest.mark.django_db


def fill(count, category):
    for number in range(count):
        make_article(f"Export guide {number}", f"How to export data, part {number}.", category=category,
                     product="Analytics Suite")


def queries_for(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.fixture(params=["anonymous", "customer", "agent"])
def visitor(request, client, customer_a, agent):
    if request.param != "anonymous":
        client.force_login(customer_a if request.param == "customer" else agent)
    return client


def test_query_counts_do_not_grow_with_the_articles(visitor):
    category = make_category("Data")
    fill(5, category)
    first = Article.objects.order_by("pk").first()
    urls = [
        (reverse("knowledgebase:search"), {"q": "export"}),
        (reverse("knowledgebase:search"), {"q": "nothing-matches-this"}),
        (first.get_absolute_url(), {}),
        (reverse("knowledgebase:suggest"), {"subject": "export data"}),
        (reverse("knowledgebase:home"), {}),
        (category.get_absolute_url(), {}),
    ]
    for url, params in urls:  # first run: the no-result search is logged as new, later it is counted
        queries_for(visitor, url, params)
    small = [queries_for(visitor, url, params) for url, params in urls]
    fill(45, category)
    large = [queries_for(visitor, url, params) for url, params in urls]
    assert small == large


def test_search_page_query_count_is_fixed(django_assert_max_num_queries, client):
    """Anonymous search: count + page + categories + the day's search counter, nothing per row.

    The counter is one UPDATE once the day's row exists; the day's first search of a text also inserts it
    (UPDATE, SAVEPOINT, INSERT, RELEASE)."""
    category = make_category("Data")
    fill(50, category)
    with django_assert_max_num_queries(7):
        client.get(reverse("knowledgebase:search"), {"q": "export"})
    with django_assert_max_num_queries(4):
        client.get(reverse("knowledgebase:search"), {"q": "export"})


def test_desk_list_query_count_does_not_grow(client, agent):
    category = make_category("Data")
    fill(5, category)
    client.force_login(agent)
    small = queries_for(client, reverse("knowledgebase:desk-list"))
    fill(45, category)
    assert queries_for(client, reverse("knowledgebase:desk-list")) == small
