import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections

from tickets import services
from tickets.models import BusinessHours, SLAPolicy, TicketEvent
from tickets.sla import Calendar


@pytest.mark.django_db(transaction=True)
def test_two_sla_checks_at_once_raise_each_alert_once(customer_b, queue_x, agent, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer")
    monkeypatch.setattr(services, "calendar_for", lambda policy: Calendar.always_open())
    # Its own policy: an earlier transactional test may have emptied the default ones.
    calendar = BusinessHours.objects.create(name="Always", timezone="UTC")
    SLAPolicy.objects.update_or_create(priority="urgent", tier="", defaults={
        "name": "Urgent", "first_response_minutes": 60, "resolution_minutes": 240, "business_hours": calendar})
    start = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("UTC"))
    tickets = [services.ticket_create(requester=customer_b, subject=f"T{n}", description="x", queue=queue_x,
                                      priority="urgent", now=start, notify=False) for n in range(10)]
    barrier = threading.Barrier(2)
    totals = []

    def run():
        try:
            barrier.wait()
            totals.append(services.sla_check(now=start + timedelta(days=1)))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Each ticket: a warning and a breach for the first response and for the resolution.
    assert sum(t["warnings"] for t in totals) == 20 and sum(t["breaches"] for t in totals) == 20
    for ticket in tickets:
        assert ticket.events.filter(kind=TicketEvent.Kind.SLA_WARNING).count() == 2
        assert ticket.events.filter(kind=TicketEvent.Kind.SLA_BREACH).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_agents_replying_at_once_one_wins_the_other_is_told(customer_b, queue_x, agent, agent_y):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer")
    queue_x.members.add(agent_y)  # both may answer in the queue; only the race decides
    ticket = services.ticket_create(requester=customer_b, subject="Race", description="x", queue=queue_x,
                                    notify=False)
    loaded = ticket.version
    barrier = threading.Barrier(2)
    outcomes = {}

    def reply(person, text):
        try:
            barrier.wait()
            services.ticket_agent_reply(ticket=ticket, agent=person, body=text, expected_version=loaded,
                                        notify=False)
            outcomes[person.email] = "saved"
        except services.TicketConflict as conflict:
            outcomes[person.email] = ("conflict", [change.actor_id for change in conflict.changes])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reply, args=(agent, "Answer from agent 1")),
               threading.Thread(target=reply, args=(agent_y, "Answer from agent 2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(o if o == "saved" else o[0] for o in outcomes.values()) == ["conflict", "saved"]
    winner = next(email for email, o in outcomes.items() if o == "saved")
    loser_changes = next(o[1] for o in outcomes.values() if o != "saved")
    assert loser_changes and all(actor == (agent if winner == agent.email else agent_y).pk for actor in loser_changes)
    assert ticket.messages.filter(from_agent=True).count() == 1, "the second reply waits for its author"
