"""Ticket.accepts_message_from: the one rule of who may write on a ticket, the same in every channel."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgentFactory
from tickets import services
from tickets.models import Acceptance, Ticket
from tickets.services import TicketError

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def bobs(customer_a2, queue_x):
    """A ticket of Bob, who is not his organisation's primary contact (Alice is)."""
    return services.ticket_create(requester=customer_a2, subject="VPN drops", description="Every hour.",
                                  queue=queue_x)


@pytest.fixture
def alices(customer_a, queue_x):
    return services.ticket_create(requester=customer_a, subject="Cannot log in", description="Error 500",
                                  queue=queue_x)


def test_who_may_write(bobs, alices, customer_a, customer_a2, customer_b, agent, agent_y, manager):
    assert bobs.accepts_message_from(customer_a2).role == Acceptance.CUSTOMER  # the requester
    assert bobs.accepts_message_from(customer_a).role == Acceptance.CUSTOMER  # the primary contact
    assert bobs.accepts_message_from(agent).role == Acceptance.AGENT  # an agent of the queue
    assert bobs.accepts_message_from(manager).role == Acceptance.AGENT  # managers: every queue
    for stranger in (customer_b, agent_y):
        assert not bobs.accepts_message_from(stranger) and bobs.accepts_message_from(stranger).role == ""
    # A colleague who is not the primary contact may not write on someone else's ticket.
    assert not alices.accepts_message_from(customer_a2) and alices.accepts_message_from(customer_a2).role == ""
    inactive = AgentFactory(is_active=False)
    bobs.queue.members.add(inactive)
    assert not bobs.accepts_message_from(inactive)


def test_an_ended_ticket_sends_its_writers_to_a_follow_up(settings, alices, customer_a, agent):
    services.ticket_agent_reply(ticket=alices, agent=agent, body="Fixed.", status=Ticket.Status.RESOLVED,
                                resolution_summary="Cache.")
    alices.refresh_from_db()
    assert alices.accepts_message_from(customer_a)  # may still reopen

    long_ago = timezone.now() - timedelta(days=settings.TICKET_REOPEN_DAYS + 1)
    Ticket.objects.filter(pk=alices.pk).update(resolved_at=long_ago)
    alices.refresh_from_db()
    late = alices.accepts_message_from(customer_a)
    assert late.follow_up and "too long ago" in late.refusal
    assert alices.accepts_message_from(agent)  # an agent may still answer and reopen it

    Ticket.objects.filter(pk=alices.pk).update(status=Ticket.Status.CLOSED)
    alices.refresh_from_db()
    assert alices.accepts_message_from(customer_a).follow_up and alices.accepts_message_from(agent).follow_up


def test_the_services_refuse_who_the_rule_refuses(alices, customer_a2, agent_y):
    with pytest.raises(TicketError):
        services.ticket_customer_reply(ticket=alices, customer=customer_a2, body="Me too")
    with pytest.raises(TicketError):
        services.ticket_agent_reply(ticket=alices, agent=agent_y, body="Let me help")
    assert alices.messages.count() == 1


def test_portal_and_desk_offer_the_reply_form_by_the_same_rule(client, alices, customer_a, agent):
    client.force_login(customer_a)
    assert client.get(alices.get_portal_url()).context["can_reply"] is True
    client.force_login(agent)
    assert client.get(alices.get_absolute_url()).context["can_reply"] is True

    Ticket.objects.filter(pk=alices.pk).update(status=Ticket.Status.CLOSED)
    assert client.get(alices.get_absolute_url()).context["can_reply"] is False
    response = client.post(reverse("tickets:desk-reply", args=[alices.reference]), {"body": "Hi", "version": 1})
    assert response.status_code in (400, 409) and alices.messages.count() == 1
    client.force_login(customer_a)
    assert client.get(alices.get_portal_url()).context["can_reply"] is False


def test_no_other_copy_of_the_rule():
    """The desk, the portal, the services and intake ask the model; none decides "takes replies" itself."""
    callers = ["tickets/views/desk.py", "tickets/views/portal.py", "tickets/services.py", "tickets/intake/pipeline.py"]
    copy = re.compile(r"(status\s*!=\s*(Ticket\.)?Status\.CLOSED\s+and\s+not\s+\w*\.?merged_into"
                      r"|(?:\bcan_reply\s*=(?!=)|[\"']can_reply[\"']\s*:)\s*+"
                      r"(?!bool\(ticket\.accepts_message_from|can_reply\b)"
                      r"|def\s+may_reply|_guard_open_for_replies)")
    for name in callers:
        source = (ROOT / name).read_text()
        assert "accepts_message_from(" in source, name
        assert not copy.search(source), name
    for path in (ROOT / "tickets").rglob("*.py"):
        if path.name != "models.py" and "migrations" not in path.parts:
            assert not copy.search(path.read_text()), path
