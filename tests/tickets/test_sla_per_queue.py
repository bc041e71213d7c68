"""SLA policies per queue: the most specific policy wins, and without queue policies nothing changes."""

from datetime import time

import pytest
from django.db import IntegrityError, transaction

from tests.factories import CustomerFactory
from tickets import services
from tickets.models import BusinessHours, SLAPolicy


@pytest.fixture
def policies(queue_x):
    hours = BusinessHours.objects.create(name="Around the clock", timezone="UTC")
    for day in range(7):
        hours.periods.create(weekday=day, opens=time(0), closes=time(23, 59))
    SLAPolicy.objects.filter(priority="high").delete()

    def make(name, tier="", queue=None):
        return SLAPolicy.objects.create(
            name=name,
            priority="high",
            tier=tier,
            queue=queue,
            business_hours=hours,
            first_response_minutes=60,
            resolution_minutes=600,
        )

    return make


def open_ticket(requester, queue):
    return services.ticket_create(
        requester=requester, subject="Down", description="All down", queue=queue, priority="high", notify=False
    )


def test_without_queue_policies_the_tier_and_general_policies_apply(policies, queue_x, customer_a, customer_b):
    policies("General high")
    policies("VIP high", tier="vip")
    assert open_ticket(customer_b, queue_x).sla_policy.name == "General high"
    assert open_ticket(customer_a, queue_x).sla_policy.name == "VIP high"  # Acme is VIP


def test_a_queue_policy_beats_the_general_and_the_vip_one(policies, queue_x, queue_y, customer_a, customer_b):
    policies("General high")
    policies("VIP high", tier="vip")
    policies("Queue X high", queue=queue_x)
    assert open_ticket(customer_b, queue_x).sla_policy.name == "Queue X high"
    assert open_ticket(customer_a, queue_x).sla_policy.name == "Queue X high"
    assert open_ticket(customer_b, queue_y).sla_policy.name == "General high"
    policies("Queue X VIP high", tier="vip", queue=queue_x)
    assert open_ticket(customer_a, queue_x).sla_policy.name == "Queue X VIP high"
    assert open_ticket(CustomerFactory(), queue_x).sla_policy.name == "Queue X high"


def test_moving_a_ticket_to_another_queue_takes_that_queues_policy(policies, queue_x, queue_y, customer_b, manager):
    policies("General high")
    policies("Queue Y high", queue=queue_y)
    ticket = open_ticket(customer_b, queue_x)
    ticket = services.ticket_update(ticket=ticket, actor=manager, queue=queue_y, notify=False)
    assert ticket.sla_policy.name == "Queue Y high"


def test_the_ticket_page_names_the_queue_policy(policies, queue_x, customer_b, agent, client):
    policies("Queue X high", queue=queue_x)
    ticket = open_ticket(customer_b, queue_x)
    client.force_login(agent)
    assert "Queue X high" in client.get(ticket.get_absolute_url()).content.decode()


def test_one_policy_per_queue_priority_and_tier(policies, queue_x):
    policies("Queue X high", queue=queue_x)
    with pytest.raises(IntegrityError), transaction.atomic():
        policies("Again", queue=queue_x)
