"""Two reviewers deciding at once: exactly one decision wins, and the other person is told what changed."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from aftersales import services
from aftersales.models import ServiceRequest
from helpdesk.mail.models import OutboundEmail
from tests.aftersales.factories import PurchaseFactory
from tests.factories import ManagerFactory

Status = ServiceRequest.Status


@pytest.mark.django_db(transaction=True)
def test_approve_and_reject_racing_exactly_one_wins(customer_a, manager, product):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer")
    other_manager = ManagerFactory(email="manager2@example.com", name="Robin Manager")
    purchase = PurchaseFactory(customer=customer_a, product=product)
    request = services.service_request_submit(purchase=purchase, requester=customer_a, kind="repair",
                                              description="Dead.", notify=False)
    request = services.service_request_start_review(service_request=request, actor=manager)
    loaded = request.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def decide(person, action):
        try:
            barrier.wait()
            if action == "approve":
                services.service_request_approve(service_request=request, actor=person, expected_version=loaded)
            else:
                services.service_request_reject(service_request=request, actor=person, reason="Liquid damage.",
                                                expected_version=loaded)
            outcomes[action] = "won"
        except services.ServiceRequestConflict as conflict:
            outcomes[action] = ("conflict", [event.new_value for event in conflict.changes])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(manager, "approve")),
               threading.Thread(target=decide, args=(other_manager, "reject"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    winners = [action for action, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    loser = "reject" if winners == ["approve"] else "approve"
    assert outcomes[loser][0] == "conflict"
    request.refresh_from_db()
    expected = Status.APPROVED if winners == ["approve"] else Status.REJECTED
    assert request.status == expected and request.version == loaded + 1
    assert expected in outcomes[loser][1], "the loser is shown the winning decision"
    assert OutboundEmail.objects.filter(to=customer_a.email).count() == 1, "one decision, one e-mail"


@pytest.mark.django_db
def test_a_stale_version_is_refused_and_changes_nothing(customer_a, purchase_a, manager):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description="Dead.", notify=False)
    request = services.service_request_start_review(service_request=request, actor=manager)
    loaded = request.version
    services.service_request_approve(service_request=request, actor=manager, expected_version=loaded, notify=False)

    with pytest.raises(services.ServiceRequestConflict) as conflict:
        services.service_request_reject(service_request=request, actor=manager, reason="Too late.",
                                        expected_version=loaded, notify=False)
    assert [event.new_value for event in conflict.value.changes] == [Status.APPROVED]
    request.refresh_from_db()
    assert request.status == Status.APPROVED and request.rejection_reason == ""


@pytest.mark.django_db
def test_the_desk_shows_what_changed_and_keeps_what_was_typed(client, customer_a, purchase_a, manager):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description="Dead.", notify=False)
    request = services.service_request_start_review(service_request=request, actor=manager)
    loaded = request.version
    client.force_login(manager)
    page = client.get(reverse("aftersales:desk-detail", args=[request.reference]))
    assert f'name="version" value="{loaded}"' in page.content.decode()
    # Someone else approves meanwhile.
    services.service_request_approve(service_request=request, actor=ManagerFactory(name="Robin Manager"),
                                     notify=False)

    response = client.post(reverse("aftersales:desk-reject", args=[request.reference]),
                           {"version": loaded, "eligibility": "in_warranty", "reason": "The seal is broken."})

    assert response.status_code == 409
    body = response.content.decode()
    assert "changed while you were editing" in body
    assert "Robin Manager" in body and "Approved" in body
    assert response.context["conflict"]["anchor"] == "decision"
    assert response.context["reject_form"].data["reason"] == "The seal is broken."
    assert response.context["reject_form"].data["version"] == str(loaded + 1)
    # The request is approved now, so the reject form is gone: the reason is shown back to copy.
    assert response.context["conflict"]["offered"] is False
    assert "The seal is broken.</textarea>" in body
    request.refresh_from_db()
    assert request.status == Status.APPROVED and request.rejection_reason == ""


@pytest.mark.django_db
def test_a_log_entry_on_a_stale_page_is_kept_for_sending_again(client, customer_a, purchase_a, manager, agent):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description="Dead.", notify=False)
    loaded = request.version
    services.service_request_assign(service_request=request, actor=manager, technician=agent)
    client.force_login(agent)
    response = client.post(reverse("aftersales:desk-log", args=[request.reference]),
                           {"version": loaded, "visibility": "internal", "text": "Checked the fan."})
    assert response.status_code == 409
    assert "Checked the fan." in response.content.decode()
    assert not request.logs.exists()
