"""Auto-assignment per queue, availability, limits, and a reply assigning the ticket."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import AgentFactory
from tickets import services
from tickets.models import AgentAvailability, Queue, Ticket


@pytest.fixture
def team(queue_x, agent):
    """queue_x with four agents: `agent` plus three more, the last of whom is away."""
    others = [AgentFactory(email=f"team{n}@example.com") for n in range(3)]
    queue_x.members.add(*others)
    AgentAvailability.objects.create(user=others[2], away=True)
    return [agent, *others]


def create(queue, requester, n=1):
    return [
        services.ticket_create(
            requester=requester, subject=f"Ticket {i}", description="Help", queue=queue, notify=False
        )
        for i in range(n)
    ]


def test_round_robin_spreads_30_tickets_evenly_and_skips_the_away_agent(queue_x, team, customer_b):
    queue_x.assignment = Queue.Assignment.ROUND_ROBIN
    queue_x.save()
    tickets = create(queue_x, customer_b, 30)
    counts = Counter(Ticket.objects.filter(pk__in=[t.pk for t in tickets]).values_list("assignee__email", flat=True))
    assert counts == {team[0].email: 10, team[1].email: 10, team[2].email: 10}
    assert team[3].email not in counts


def test_off_assigns_nobody(queue_x, team, customer_b):
    [ticket] = create(queue_x, customer_b)
    ticket.refresh_from_db()
    assert ticket.assignee is None


def test_out_of_office_ends_after_the_date(queue_x, agent, customer_b):
    queue_x.assignment = Queue.Assignment.ROUND_ROBIN
    queue_x.save()
    AgentAvailability.objects.create(user=agent, away=True, away_until=timezone.localdate() - timedelta(days=1))
    [ticket] = create(queue_x, customer_b)
    ticket.refresh_from_db()
    assert ticket.assignee == agent
    AgentAvailability.objects.filter(user=agent).update(away_until=timezone.localdate())
    [ticket] = create(queue_x, customer_b)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    assert AgentAvailability(away=True, away_until=date(2026, 1, 5)).is_available(date(2026, 1, 6))


def test_least_open_gives_the_ticket_to_the_agent_with_fewest_active(queue_x, team, customer_b):
    queue_x.assignment = Queue.Assignment.LEAST_OPEN
    queue_x.save()
    busy = create(queue_x, customer_b, 3)
    Ticket.objects.filter(pk__in=[t.pk for t in busy]).update(assignee=team[0])
    Ticket.objects.filter(pk=busy[0].pk).update(assignee=team[1])  # team[0]: 2, team[1]: 1, team[2]: 0
    resolved = create(queue_x, customer_b, 2)
    Ticket.objects.filter(pk__in=[t.pk for t in resolved]).update(assignee=team[2], status=Ticket.Status.RESOLVED)
    [ticket] = create(queue_x, customer_b)
    ticket.refresh_from_db()
    assert ticket.assignee == team[2]  # resolved tickets do not count


def test_the_limit_of_active_tickets_is_respected(queue_x, agent, customer_b):
    queue_x.assignment = Queue.Assignment.LEAST_OPEN
    queue_x.save()
    AgentAvailability.objects.create(user=agent, max_active_tickets=2)
    tickets = create(queue_x, customer_b, 3)
    assignees = [Ticket.objects.get(pk=t.pk).assignee for t in tickets]
    assert assignees == [agent, agent, None]


def test_a_public_reply_by_an_unassigned_agent_assigns_the_ticket(queue_x, agent, customer_b, client):
    [ticket] = create(queue_x, customer_b)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="On it", notify=False)
    ticket.refresh_from_db()
    assert ticket.assignee == agent
    client.force_login(customer_b)
    page = client.get(ticket.get_portal_url()).content.decode()
    assert "Not assigned yet" not in page


def test_an_internal_note_or_a_queue_that_opted_out_does_not_assign(queue_x, agent, customer_b):
    [ticket] = create(queue_x, customer_b)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Looking", internal=True, notify=False)
    ticket.refresh_from_db()
    assert ticket.assignee is None
    queue_x.assign_on_reply = False
    queue_x.save()
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Public", notify=False)
    ticket.refresh_from_db()
    assert ticket.assignee is None
