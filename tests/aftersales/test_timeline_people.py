"""The timeline says who did what, as the viewer should read it, and a customer never reads staff details."""

import pytest

from aftersales import services, timeline
from tests.aftersales.factories import PurchaseFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(customer_a, product, manager):
    purchase = PurchaseFactory(customer=customer_a, product=product, age_days=1000)
    request = ServiceRequestFactory(purchase=purchase, status="under_review", eligibility_assessed="out_of_warranty")
    request = services.service_request_send_quote(service_request=request, actor=manager, amount="90",
                                                  currency="EUR", notify=False)
    return services.service_request_accept_quote(service_request=request, customer=customer_a, notify=False)


def lines(entries):
    return [(entry.headline, entry.who, entry.role) for entry in entries]


def test_the_customer_reads_their_own_acceptance_and_the_team_by_first_name(accepted, customer_a):
    entries = lines(timeline.build(accepted, for_customer=True, viewer=customer_a))
    assert ("Quote sent: EUR 90.00", "Morgan", "Service team") in entries
    assert ("Quote accepted: request approved", "You", "") in entries
    assert not [line for line in entries if line[0] == "Approved"], "no separate “Approved — You” line"
    flat = " ".join(" ".join(line) for line in entries)
    assert "manager@example.com" not in flat and "Manager Manager" not in flat and "Morgan Manager" not in flat


def test_a_colleague_reads_the_customer_by_name(accepted, customer_a2, customer_a):
    entries = lines(timeline.build(accepted, for_customer=True, viewer=customer_a2))
    assert ("Quote accepted: request approved", "Alice A", "") in entries


def test_the_desk_reads_full_names_and_roles(accepted, manager, agent):
    services.service_request_add_log(service_request=accepted, author=agent, internal=True, text="Fan fault.")
    entries = lines(timeline.build(accepted, for_customer=False, viewer=agent))
    assert ("Quote sent: EUR 90.00", "Morgan Manager", "Manager") in entries
    assert ("Quote accepted: request approved", "Alice A", "Customer") in entries
    assert ("Internal note", "You", "") in entries


def test_a_staff_member_without_a_name_shows_as_the_service_team_only(customer_a, product, manager):
    manager.name = ""
    manager.save(update_fields=["name"])
    request = ServiceRequestFactory(purchase=PurchaseFactory(customer=customer_a, product=product))
    services.service_request_start_review(service_request=request, actor=manager)
    [review] = [entry for entry in timeline.build(request, for_customer=True, viewer=customer_a)
                if entry.headline == "Review started"]
    assert (review.who, review.role) == ("", "Service team")
