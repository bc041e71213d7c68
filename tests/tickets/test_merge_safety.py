"""Merging never shows one customer another's conversation: across organisations it is refused, within one
organisation it waits for the agent to confirm, and what each person can see afterwards is checked."""

import pytest
from django.urls import reverse

from tickets import services
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db


def open_ticket(requester, queue, subject, body):
    return services.ticket_create(requester=requester, subject=subject, description=body, queue=queue, notify=False)


@pytest.fixture
def acme_ticket(customer_a, queue_x):
    return open_ticket(customer_a, queue_x, "VPN drops", "Alice: our VPN drops every hour.")


@pytest.fixture
def globex_ticket(customer_b, queue_x, agent):
    ticket = open_ticket(customer_b, queue_x, "VPN drops too", "Carol: Globex payroll server password is hunter2.")
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Carol, reset the payroll password now.", notify=False)
    return Ticket.objects.get(pk=ticket.pk)


def merge(client, source, target, **extra):
    return client.post(reverse("tickets:desk-merge", args=[source.reference]),
                       {"target": target.reference, "version": source.version, **extra})


def portal_page(client, user, ticket):
    client.force_login(user)
    return client.get(reverse("tickets:portal-detail", args=[ticket.reference]))


def test_the_service_refuses_to_merge_across_organisations(acme_ticket, globex_ticket, agent):
    with pytest.raises(services.TicketError, match="different customers"):
        services.ticket_merge(source=globex_ticket, target=acme_ticket, actor=agent)
    with pytest.raises(services.TicketError, match="different customers"):
        services.ticket_merge(source=globex_ticket, target=acme_ticket, actor=agent, confirm_requesters=True)
    assert Message.objects.filter(ticket=acme_ticket).count() == 1
    assert Ticket.objects.get(pk=globex_ticket.pk).merged_into is None


def test_an_agent_merging_across_customers_is_told_why_and_nothing_moves(
        client, agent, acme_ticket, globex_ticket, customer_a, customer_b):
    client.force_login(agent)
    response = merge(client, globex_ticket, acme_ticket, confirm_requesters="on")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tickets of different customers cannot be merged" in page
    assert page.count("cannot be merged") >= 2  # at the top of the page and on the merge card
    assert "Carol" in page and "Alice" in page
    # Each customer still sees only their own conversation.
    alice_page = portal_page(client, customer_a, acme_ticket).content.decode()
    assert "hunter2" not in alice_page and "payroll" not in alice_page
    carol_page = portal_page(client, customer_b, globex_ticket).content.decode()
    assert "hunter2" in carol_page and "our VPN drops" not in carol_page


def test_a_requester_without_an_organisation_is_never_merged_with_someone_else(
        client, agent, acme_ticket, queue_x):
    from tests.factories import CustomerFactory

    loner = CustomerFactory(email="solo@example.net", name="Sam Solo", organization=None)
    solo_ticket = open_ticket(loner, queue_x, "Printer", "Sam: my home printer.")
    with pytest.raises(services.TicketError, match="different customers"):
        services.ticket_merge(source=solo_ticket, target=acme_ticket, actor=agent, confirm_requesters=True)
    with pytest.raises(services.TicketError, match="different customers"):
        services.ticket_merge(source=acme_ticket, target=solo_ticket, actor=agent, confirm_requesters=True)


def test_two_people_of_one_organisation_need_the_agents_confirmation(
        client, agent, customer_a, customer_a2, queue_x, acme_ticket):
    bob_ticket = open_ticket(customer_a2, queue_x, "VPN again", "Bob: the VPN drops here as well.")
    client.force_login(agent)
    response = merge(client, bob_ticket, acme_ticket)
    assert response.status_code == 400
    page = response.content.decode()
    assert "both of them read the whole conversation" in page
    assert 'name="confirm_requesters"' in page  # the confirmation is offered now
    assert Ticket.objects.get(pk=bob_ticket.pk).merged_into is None

    response = merge(client, Ticket.objects.get(pk=bob_ticket.pk), acme_ticket, confirm_requesters="on")
    assert response.status_code == 302
    assert Ticket.objects.get(pk=bob_ticket.pk).merged_into_id == acme_ticket.pk
    assert "the VPN drops here as well" in portal_page(client, customer_a, acme_ticket).content.decode()


def test_the_same_requesters_tickets_merge_without_a_question(client, agent, customer_a, queue_x, acme_ticket):
    duplicate = open_ticket(customer_a, queue_x, "VPN drops (again)", "Alice: sent twice, sorry.")
    client.force_login(agent)
    response = merge(client, duplicate, acme_ticket)
    assert response.status_code == 302
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == acme_ticket.pk


def test_the_requester_is_checked_on_the_locked_rows(agent, customer_a, customer_b, queue_x, acme_ticket):
    """A requester changed after the agent opened the page still counts: the check reads the rows it locks."""
    duplicate = open_ticket(customer_a, queue_x, "VPN drops (again)", "Alice: sent twice.")
    stale = Ticket.objects.get(pk=duplicate.pk)
    Ticket.objects.filter(pk=duplicate.pk).update(requester=customer_b)
    with pytest.raises(services.TicketError, match="different customers"):
        services.ticket_merge(source=stale, target=acme_ticket, actor=agent)
