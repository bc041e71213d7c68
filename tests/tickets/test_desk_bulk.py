"""Bulk changes from the desk list: one transaction, all tickets or none, only tickets the agent may see."""

import re

import pytest
from django.urls import reverse

from tests.factories import AgentFactory
from tests.tickets.factories import TicketFactory
from tickets.models import Ticket, TicketEvent

BULK = reverse("tickets:desk-bulk")
LIST = reverse("tickets:desk-list")
Status = Ticket.Status


@pytest.fixture
def desk(client, agent, queue_x):
    client.force_login(agent)
    return client


@pytest.fixture
def make(queue_x, customer_b):
    def make_ticket(**kwargs):
        kwargs.setdefault("queue", queue_x)
        kwargs.setdefault("requester", customer_b)
        return TicketFactory(**kwargs)

    return make_ticket


def post(client, tickets, **changes):
    data = {"tickets": [ticket.pk for ticket in tickets], "next": LIST, **changes}
    return client.post(BULK, data)


def snapshot(*tickets):
    return [Ticket.objects.values("status", "priority", "assignee_id", "version").get(pk=t.pk) for t in tickets]


@pytest.mark.django_db
def test_assign_to_me_then_unassign(desk, agent, make):
    one, two = make(), make()
    response = post(desk, [one, two], assignee="me")
    assert response.status_code == 302 and response.url == LIST
    assert set(Ticket.objects.values_list("assignee_id", flat=True)) == {agent.pk}
    assert "2 tickets changed." in desk.get(LIST).content.decode()

    post(desk, [one], assignee="none")
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.assignee is None and two.assignee == agent


@pytest.mark.django_db
def test_assign_to_another_agent(desk, make, queue_x):
    colleague = AgentFactory(name="Colleague")
    queue_x.members.add(colleague)
    ticket = make()
    post(desk, [ticket], assignee=str(colleague.pk))
    ticket.refresh_from_db()
    assert ticket.assignee == colleague
    assert TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.ASSIGNEE).exists()


@pytest.mark.django_db
def test_status_priority_and_tag_together(desk, make):
    one, two = make(status=Status.OPEN), make(status=Status.NEW)
    post(desk, [one, two], status="on_hold", priority="high", add_tag="Outage")
    for ticket in (one, two):
        ticket.refresh_from_db()
        assert ticket.status == Status.ON_HOLD and ticket.priority == "high"
        assert list(ticket.tags.values_list("name", flat=True)) == ["outage"]


@pytest.mark.django_db
def test_one_refusal_leaves_every_ticket_unchanged(desk, make):
    fine, also_fine = make(status=Status.OPEN), make(status=Status.OPEN)
    closed = make(status=Status.CLOSED)  # a closed ticket cannot go to pending
    before = snapshot(fine, also_fine, closed)

    response = post(desk, [fine, also_fine, closed], status="pending", priority="urgent", assignee="me")

    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was changed" in body and closed.reference in body
    assert snapshot(fine, also_fine, closed) == before
    assert not TicketEvent.objects.exists()
    # The rows stay ticked so the agent can untick the offending one and try again.
    assert response.context["selected_ids"] == {fine.pk, also_fine.pk, closed.pk}
    assert re.search(rf'name="tickets" value="{fine.pk}" data-row-check\s+checked', body)


@pytest.mark.django_db
def test_resolving_needs_a_summary(desk, make):
    ticket = make(status=Status.OPEN)
    response = post(desk, [ticket], status="resolved")
    assert response.status_code == 400
    assert "Write a resolution summary to resolve the tickets." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN

    post(desk, [ticket], status="resolved", resolution_summary="Restarted the VPN gateway.")
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.resolution_summary == "Restarted the VPN gateway."


@pytest.mark.django_db
def test_tickets_the_agent_cannot_see_are_not_touched(desk, make, queue_y):
    mine, hidden = make(), make(queue=queue_y)
    before = snapshot(hidden)

    post(desk, [mine, hidden], priority="urgent")
    mine.refresh_from_db()
    assert mine.priority == "urgent"
    assert snapshot(hidden) == before

    response = post(desk, [hidden], priority="low")
    assert response.status_code == 400
    assert "Tick at least one ticket in the list." in response.content.decode()
    assert snapshot(hidden) == before


@pytest.mark.django_db
def test_nothing_chosen_is_refused(desk, make):
    ticket = make()
    response = post(desk, [ticket])
    assert response.status_code == 400
    assert "Choose what to change" in response.content.decode()
    assert snapshot(ticket)[0]["version"] == 1


@pytest.mark.django_db
def test_returns_to_the_filtered_list_and_ignores_foreign_next(desk, make):
    ticket = make()
    response = desk.post(BULK, {"tickets": [ticket.pk], "priority": "high", "next": f"{LIST}?priority=normal"})
    assert response.url == f"{LIST}?priority=normal"
    response = desk.post(BULK, {"tickets": [ticket.pk], "priority": "low", "next": "https://evil.example/"})
    assert response.url == LIST


@pytest.mark.django_db
def test_bulk_is_post_only_and_agents_only(client, desk, make, customer_b):
    ticket = make()
    assert desk.get(BULK).status_code == 405
    client.force_login(customer_b)
    assert post(client, [ticket], priority="urgent").status_code == 403
    ticket.refresh_from_db()
    assert ticket.priority == "normal"
