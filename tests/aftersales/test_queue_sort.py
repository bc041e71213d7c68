"""The desk's service-request queue: column sort, page size, and both kept in the address."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from aftersales.models import ServiceRequest
from tests.aftersales.factories import ServiceRequestFactory
from tests.factories import AgentFactory

pytestmark = pytest.mark.django_db
LIST = reverse("aftersales:desk-list")


@pytest.fixture
def desk(client, agent):
    client.force_login(agent)
    return client


def order(client, query=""):
    response = client.get(LIST + query)
    assert response.status_code == 200
    return [request.pk for request in response.context["page"].object_list]


@pytest.fixture
def three():
    now = timezone.now()
    requests = [ServiceRequestFactory() for _ in range(3)]
    for days, request in zip((3, 1, 2), requests, strict=True):
        ServiceRequest.objects.filter(pk=request.pk).update(created_at=now - timedelta(days=days),
                                                            updated_at=now - timedelta(days=days))
    return requests


def test_a_click_on_submitted_sorts_newest_first_and_a_second_click_turns_it_round(desk, three):
    first, second, third = (request.pk for request in three)
    assert order(desk, "?sort=-submitted") == [second, third, first]
    assert order(desk, "?sort=submitted") == [first, third, second]
    response = desk.get(LIST + "?sort=-submitted")
    column = response.context["sort_columns"]["submitted"]
    assert column["aria"] == "descending"
    assert column["url"] == "?sort=submitted"
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert 'href="/desk/service/?sort=submitted"' in html


def test_the_number_and_the_technician_sort(desk, three):
    pks = sorted(request.pk for request in three)
    assert order(desk, "?sort=reference") == pks
    assert order(desk, "?sort=-reference") == pks[::-1]
    zed = AgentFactory(name="Zed Tech")
    amy = AgentFactory(name="Amy Tech")
    ServiceRequest.objects.filter(pk=three[0].pk).update(technician=zed)
    ServiceRequest.objects.filter(pk=three[1].pk).update(technician=amy)
    # Requests nobody works on come last, in either direction.
    assert order(desk, "?sort=technician")[:2] == [three[1].pk, three[0].pk]
    assert order(desk, "?sort=-technician")[:2] == [three[0].pk, three[1].pk]
    assert order(desk, "?sort=-technician")[2] == three[2].pk


def test_an_unknown_sort_or_page_size_quietly_gives_the_default(desk, three):
    response = desk.get(LIST + "?sort=drop_table&per_page=7")
    assert response.status_code == 200
    assert response.context["sort"].is_default
    assert response.context["page_size"] == 50
    assert all("drop_table" not in column["url"] for column in response.context["sort_columns"].values())
    assert "drop_table" not in response.context["query"].urlencode()
    assert order(desk, "?sort=drop_table") == order(desk)


def test_the_page_size_is_chosen_and_kept_by_the_pager_and_the_sort_links(desk):
    ServiceRequestFactory.create_batch(27)
    response = desk.get(LIST + "?per_page=25&sort=-updated&kind=repair")
    assert response.context["page_size"] == 25
    assert len(response.context["page"].object_list) <= 25
    html = response.content.decode()
    assert "per_page=25" in response.context["sort_columns"]["status"]["url"]
    assert "kind=repair" in response.context["sort_columns"]["status"]["url"]
    assert "page=2" in html and "per_page=25" in html
    # The filter form carries the order and page size along when a filter changes.
    assert '<input type="hidden" name="sort" value="-updated">' in html
    assert '<input type="hidden" name="per_page" value="25">' in html
    unfiltered = desk.get(LIST + "?per_page=25")
    assert len(unfiltered.context["page"].object_list) == 25
    assert unfiltered.context["page"].paginator.num_pages == 2
    sizes = {option["size"]: option for option in unfiltered.context["page_sizes"]}
    assert sizes[25]["active"] and not sizes[100]["active"]
    assert sizes[50]["url"] == "?"


def test_the_old_sort_choices_still_work(desk, three):
    assert order(desk, "?sort=newest") == order(desk, "?sort=-submitted")
    assert order(desk, "?sort=updated") == order(desk, "?sort=-updated")


def test_a_customer_cannot_open_the_queue_sorted(client, customer_a):
    client.force_login(customer_a)
    assert client.get(LIST + "?sort=-submitted").status_code in (302, 403, 404)
