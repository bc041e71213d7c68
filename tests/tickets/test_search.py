"""The desk search (/desk/search/): tickets by any message, scoped like the desk, customers, organisations, articles."""

import pytest
from django.db import connection
from django.urls import reverse

from tests.tickets.factories import TicketFactory
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="PostgreSQL full-text search (DATABASE_URL=postgres://…)")
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")

URL = reverse("desk-search")


def search(client, user, q, **params):
    client.force_login(user)
    return client.get(URL, {"q": q, **params})


def ticket_results(response):
    groups = {group["key"]: group for group in response.context["groups"]}
    return [row["reference"] for row in groups["tickets"]["rows"]]


def resolved_conversation(queue, customer, agent, third):
    ticket = TicketFactory(queue=queue, requester=customer, subject="Printer trouble", description="It jams.")
    Message.objects.create(ticket=ticket, author=agent, from_agent=True, body="Have you tried turning it off?")
    Message.objects.create(ticket=ticket, author=customer, body=third)
    ticket.status = Ticket.Status.RESOLVED
    ticket.save()
    TicketFactory(queue=queue, requester=customer, subject="Another question", description="Unrelated words.")
    return ticket


def check_third_message_phrase(client, queue_x, customer_a, agent):
    english = resolved_conversation(queue_x, customer_a, agent, "The paper tray latch was broken after the move.")
    chinese = resolved_conversation(queue_x, customer_a, agent, "打印机的纸盒卡扣在搬家后坏了")
    assert ticket_results(search(client, agent, "tray latch broken")) == [english.reference]
    assert ticket_results(search(client, agent, "纸盒卡扣")) == [chinese.reference]
    # Resolved tickets are found by default and by the status filter, not when only active ones are asked for.
    assert ticket_results(search(client, agent, "tray latch", status="resolved")) == [english.reference]
    assert ticket_results(search(client, agent, "tray latch", status="active")) == []


@postgres_only
def test_postgres_finds_a_resolved_ticket_by_a_phrase_of_its_third_message(client, queue_x, customer_a, agent):
    check_third_message_phrase(client, queue_x, customer_a, agent)
    # The trigger wrote the vectors; the Chinese words are in the jieba column.
    message = Message.objects.get(body__startswith="打印机")
    assert "纸盒" in message.body_tokens.split()
    assert Message.objects.filter(pk=message.pk, search_vector__isnull=False).exists()


@sqlite_only
def test_sqlite_fallback_finds_a_resolved_ticket_by_a_phrase_of_its_third_message(client, queue_x, customer_a, agent):
    check_third_message_phrase(client, queue_x, customer_a, agent)


def test_an_internal_note_is_found_by_the_queue_agent_only(client, queue_x, customer_a, agent, agent_y):
    ticket = TicketFactory(queue=queue_x, requester=customer_a, subject="Login loop")
    Message.objects.create(ticket=ticket, author=agent, from_agent=True, is_internal=True,
                           body="Suspect the zanzibar proxy cache.")
    response = search(client, agent, "zanzibar")
    assert ticket_results(response) == [ticket.reference]
    assert response.context["groups"][0]["rows"][0]["internal"] is True
    assert ticket_results(search(client, agent_y, "zanzibar")) == []


def test_another_queues_ticket_never_appears(client, queue_x, queue_y, customer_a, customer_b, agent, manager):
    mine = TicketFactory(queue=queue_x, requester=customer_a, subject="Quokka export fails")
    theirs = TicketFactory(queue=queue_y, requester=customer_b, subject="Quokka import fails")
    assert ticket_results(search(client, agent, "quokka")) == [mine.reference]
    # Not even by its exact reference: no jump, and nothing found.
    response = search(client, agent, theirs.reference)
    assert response.status_code == 200
    assert ticket_results(response) == []
    # A manager sees every queue.
    assert sorted(ticket_results(search(client, manager, "quokka"))) == sorted([mine.reference, theirs.reference])


def test_an_exact_reference_opens_the_ticket(client, queue_x, customer_a, agent):
    ticket = TicketFactory(queue=queue_x, requester=customer_a)
    response = search(client, agent, ticket.reference.lower())
    assert response.status_code == 302
    assert response["Location"] == ticket.get_absolute_url()


def test_customers_are_refused(client, customer_a, queue_x):
    TicketFactory(queue=queue_x, requester=customer_a, subject="Wombat")
    assert search(client, customer_a, "wombat").status_code == 403
    client.logout()
    assert client.get(URL, {"q": "wombat"}).status_code == 302


def test_highlights_are_escaped(client, queue_x, customer_a, agent):
    TicketFactory(queue=queue_x, requester=customer_a, subject="<script>alert(1)</script> printer offline",
                  description="The <b>printer</b> says <img src=x onerror=alert(2)>.")
    content = search(client, agent, "printer").content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>printer</mark>" in content
    assert "<img src=x" not in content
    assert "&lt;b&gt;<mark>printer</mark>&lt;/b&gt;" in content


def test_customers_and_organisations_are_found_by_part_of_a_name_or_address(client, agent, customer_a, customer_b):
    response = search(client, agent, "globex")
    groups = {group["key"]: group for group in response.context["groups"]}
    assert [row["url"] for row in groups["customers"]["rows"]] == [
        reverse("care:person-360", args=[customer_b.pk])]
    assert [str(row["title"]) for row in groups["organizations"]["rows"]] == ["<mark>Globex</mark>"]
    assert "<mark>globex</mark>" in str(groups["customers"]["rows"][0]["snippet"])


def test_results_are_paginated_per_group(client, queue_x, customer_a, agent):
    for number in range(12):
        TicketFactory(queue=queue_x, requester=customer_a, subject=f"Capybara case {number}")
    response = search(client, agent, "capybara")
    tickets = response.context["groups"][0]
    assert tickets["page"].paginator.count == 12 and len(tickets["rows"]) == 10
    second = client.get(URL + tickets["next_url"])
    assert len(second.context["groups"][0]["rows"]) == 2


def test_the_header_has_the_search_box(client, agent):
    client.force_login(agent)
    content = client.get(reverse("desk-home")).content.decode()
    assert 'action="/desk/search/"' in content and 'id="desk-search-q"' in content
    assert "js/shortcuts.js" in content
