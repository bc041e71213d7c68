"""The shared pager counts at most a cap of rows: past it the list reads "10,000+", and paging still works."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from helpdesk import pagination
from helpdesk.accounts.models import Organization
from helpdesk.pagination import CappedPaginator
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizations():
    OrganizationFactory.create_batch(30)
    return Organization.objects.order_by("pk")


def render_pager(page):
    return render_to_string("_pagination.html", {"page": page, "pager_params": QueryDict()})


def test_past_the_cap_the_count_stops_and_reads_plus(organizations):
    page = CappedPaginator(organizations, 10, cap=25).get_page(2)
    assert page.paginator.count == 26
    assert page.paginator.capped
    html = render_pager(page)
    assert "11–20 of 25+" in html
    assert "Page 2<" in html and "Page 2 of" not in html
    assert "?page=1" in html and "?page=3" in html


def test_under_the_cap_the_pager_reads_as_before(organizations):
    capped = CappedPaginator(organizations, 10, cap=100).get_page(3)
    plain = Paginator(organizations, 10).get_page(3)
    assert not capped.paginator.capped
    assert capped.paginator.count == plain.paginator.count == Organization.objects.count()
    assert render_pager(capped) == render_pager(plain)
    assert "Page 3 of 3" in render_pager(capped)


def test_navigation_reaches_the_rows_up_to_the_cap(organizations):
    paginator = CappedPaginator(organizations, 10, cap=25)
    seen = [org.pk for number in paginator.page_range for org in paginator.page(number)]
    assert seen == list(organizations.values_list("pk", flat=True)[:26])
    assert paginator.get_page(99).number == 3


def test_the_count_is_one_capped_query(organizations):
    with CaptureQueriesContext(connection) as plain:
        list(Paginator(organizations, 10).get_page(2))
    with CaptureQueriesContext(connection) as capped:
        list(CappedPaginator(organizations, 10, cap=25).get_page(2))
    assert len(capped) == len(plain) == 2
    count_sql = capped.captured_queries[0]["sql"].upper()
    assert "COUNT(" in count_sql and "LIMIT 26" in count_sql
    assert "ORDER BY" not in count_sql


def test_a_desk_list_shows_the_capped_label(client, manager, organizations, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 20)
    client.force_login(manager)
    response = client.get("/desk/customers/")
    assert response.status_code == 200
    assert "1–21 of 20+" in response.content.decode()
