"""Ticket metrics kept on the ticket when things happen: first response and resolution in business minutes,
and the number of public agent replies (what the nightly reports add up)."""

import importlib
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from tests.tickets.factories import TicketFactory
from tickets import services
from tickets.models import BusinessHours, Message, OpeningPeriod, SLAPolicy, Ticket

UTC = ZoneInfo("UTC")
Status = Ticket.Status


def at(day, hour, minute=0):
    """A moment in the week of Monday 23 November 2026 (day 0) and the next (day 7)."""
    return datetime(2026, 11, 23 + day, hour, minute, tzinfo=UTC)


MONDAY, TUESDAY, FRIDAY, NEXT_MONDAY = 0, 1, 4, 7


@pytest.fixture
def office_hours(db):
    """Monday to Friday, 09:00–18:00 UTC, for every normal-priority ticket."""
    calendar = BusinessHours.objects.create(name="Nine to six", timezone="UTC")
    for weekday in range(5):
        OpeningPeriod.objects.create(calendar=calendar, weekday=weekday, opens=time(9), closes=time(18))
    SLAPolicy.objects.update_or_create(priority="normal", tier="", defaults={
        "name": "Normal", "first_response_minutes": 480, "resolution_minutes": 1620, "business_hours": calendar})
    return calendar


def open_ticket(customer, queue, when, **kwargs):
    return services.ticket_create(requester=customer, subject="Printer on fire", description="Help", queue=queue,
                                  now=when, notify=False, **kwargs)


def reply(ticket, agent, when, **kwargs):
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="On it", now=when, notify=False, **kwargs)
    return Ticket.objects.get(pk=ticket.pk)


def test_friday_evening_to_monday_morning_is_two_business_hours(office_hours, customer_a, agent, queue_x):
    ticket = open_ticket(customer_a, queue_x, at(FRIDAY, 17))
    assert ticket.first_response_minutes is None

    ticket = reply(ticket, agent, at(NEXT_MONDAY, 10))

    assert ticket.first_response_minutes == 120  # Friday 17–18 and Monday 9–10
    assert ticket.public_agent_replies == 1


def test_only_the_first_public_reply_sets_the_first_response_time(office_hours, customer_a, agent, queue_x):
    ticket = open_ticket(customer_a, queue_x, at(MONDAY, 9))
    ticket = reply(ticket, agent, at(MONDAY, 9, 30), internal=True)
    assert ticket.first_response_minutes is None and ticket.public_agent_replies == 0

    ticket = reply(ticket, agent, at(MONDAY, 10))
    ticket = reply(ticket, agent, at(MONDAY, 15))

    assert ticket.first_response_minutes == 60
    assert ticket.public_agent_replies == 2


def test_a_phone_ticket_is_first_answered_by_the_second_public_reply(office_hours, customer_a, agent, queue_x):
    ticket = open_ticket(customer_a, queue_x, at(MONDAY, 9), channel=Ticket.Channel.PHONE, created_by=agent)
    ticket = reply(ticket, agent, at(MONDAY, 9, 5))  # the notes of the call
    assert ticket.first_response_minutes is None

    ticket = reply(ticket, agent, at(MONDAY, 11))

    assert ticket.first_response_minutes == 120
    assert ticket.public_agent_replies == 2


def test_time_in_pending_is_not_resolution_time(office_hours, customer_a, agent, queue_x):
    ticket = open_ticket(customer_a, queue_x, at(MONDAY, 9))
    ticket = reply(ticket, agent, at(MONDAY, 10), status=Status.PENDING)  # waiting on the customer
    services.ticket_customer_reply(ticket=ticket, customer=customer_a, body="Here it is", now=at(TUESDAY, 9),
                                   notify=False)
    ticket = reply(ticket, agent, at(TUESDAY, 11), status=Status.RESOLVED, resolution_summary="Fixed")

    # Monday 9:00 → Tuesday 11:00 is 11 business hours, 8 of them in pending (Monday 10–18).
    assert ticket.resolution_minutes == 180


def test_resolved_straight_from_pending_leaves_out_the_last_pause(office_hours, customer_a, agent, queue_x):
    ticket = open_ticket(customer_a, queue_x, at(MONDAY, 9))
    ticket = reply(ticket, agent, at(MONDAY, 10), status=Status.PENDING)
    services.ticket_update(ticket=ticket, actor=agent, status=Status.RESOLVED, resolution_summary="No answer",
                           now=at(MONDAY, 15), notify=False)

    ticket.refresh_from_db()
    assert ticket.resolution_minutes == 60


def test_a_reopened_ticket_has_a_first_and_a_longer_full_resolution_time(office_hours, customer_a, agent,
                                                                          queue_x):
    ticket = open_ticket(customer_a, queue_x, at(MONDAY, 9))
    ticket = reply(ticket, agent, at(MONDAY, 10), status=Status.RESOLVED, resolution_summary="Fixed")
    assert (ticket.first_resolved_at, ticket.first_resolution_minutes, ticket.resolution_minutes) == (
        at(MONDAY, 10), 60, 60)

    services.ticket_customer_reopen(ticket=ticket, customer=customer_a, reason="Still broken", now=at(TUESDAY, 9))
    ticket.refresh_from_db()
    # The first resolution stays; the full one waits for the last resolution.
    assert (ticket.first_resolution_minutes, ticket.resolution_minutes, ticket.reopened_count) == (60, None, 1)

    ticket = reply(ticket, agent, at(TUESDAY, 10), status=Status.RESOLVED, resolution_summary="Fixed for good")
    assert ticket.first_resolved_at == at(MONDAY, 10) and ticket.first_resolution_minutes == 60
    # Created → last resolved: Monday 9–18 (the day it stood resolved counts) and Tuesday 9–10.
    assert ticket.resolution_minutes == 600
    assert ticket.first_resolution_minutes < ticket.resolution_minutes
    assert ticket.public_agent_replies == 2


def test_pending_is_left_out_of_both_resolution_times(office_hours, customer_a, agent, queue_x):
    ticket = open_ticket(customer_a, queue_x, at(MONDAY, 9))
    ticket = reply(ticket, agent, at(MONDAY, 10), status=Status.PENDING)  # Monday 10–12 pending: 2 h
    services.ticket_customer_reply(ticket=ticket, customer=customer_a, body="Logs", now=at(MONDAY, 12),
                                   notify=False)
    ticket = reply(ticket, agent, at(MONDAY, 13), status=Status.RESOLVED, resolution_summary="Fixed")
    assert ticket.first_resolution_minutes == 120  # 4 business hours, 2 of them pending

    services.ticket_customer_reopen(ticket=ticket, customer=customer_a, reason="Again", now=at(TUESDAY, 9))
    ticket = reply(Ticket.objects.get(pk=ticket.pk), agent, at(TUESDAY, 10), status=Status.PENDING)
    # Pending from Tuesday 10:00 to its resolution at 16:00, straight from pending: 6 h.
    services.ticket_update(ticket=ticket, actor=agent, status=Status.RESOLVED, resolution_summary="No answer",
                           now=at(TUESDAY, 16), notify=False)

    ticket.refresh_from_db()
    assert ticket.first_resolution_minutes == 120
    # Monday 9–18 and Tuesday 9–16 are 16 business hours, 8 of them pending.
    assert ticket.pending_minutes == 8 * 60
    assert ticket.resolution_minutes == 8 * 60


def test_resolution_times_count_business_hours_only(office_hours, customer_a, agent, queue_x):
    ticket = open_ticket(customer_a, queue_x, at(FRIDAY, 17))
    ticket = reply(ticket, agent, at(NEXT_MONDAY, 10), status=Status.RESOLVED, resolution_summary="Fixed")

    # Friday 17–18 and Monday 9–10: the night and the week-end are not counted.
    assert (ticket.first_resolution_minutes, ticket.resolution_minutes) == (120, 120)


def test_a_ticket_without_an_sla_policy_is_measured_in_wall_clock_minutes(db, customer_a, agent, queue_x):
    SLAPolicy.objects.filter(priority="normal").delete()
    ticket = open_ticket(customer_a, queue_x, at(FRIDAY, 17))
    assert ticket.sla_policy is None

    ticket = reply(ticket, agent, at(NEXT_MONDAY, 10))
    ticket = reply(ticket, agent, at(NEXT_MONDAY, 11), status=Status.RESOLVED, resolution_summary="Fixed")

    assert ticket.first_response_minutes == 65 * 60
    assert ticket.resolution_minutes == ticket.first_resolution_minutes == 66 * 60


def test_merging_moves_the_reply_count_with_the_thread(office_hours, customer_a, agent, queue_x):
    source = reply(open_ticket(customer_a, queue_x, at(MONDAY, 9)), agent, at(MONDAY, 10))
    target = reply(open_ticket(customer_a, queue_x, at(MONDAY, 9, 5)), agent, at(MONDAY, 10, 5))

    services.ticket_merge(source=source, target=target, actor=agent, now=at(MONDAY, 11))

    source.refresh_from_db()
    target.refresh_from_db()
    assert (source.public_agent_replies, target.public_agent_replies) == (0, 2)


def test_the_migration_fills_tickets_that_existed_before(office_hours, customer_a, agent, queue_x):
    policy = SLAPolicy.objects.get(priority="normal", tier="")
    ticket = TicketFactory(requester=customer_a, queue=queue_x, created_at=at(FRIDAY, 17), sla_policy=policy,
                           first_response_at=at(NEXT_MONDAY, 10), resolved_at=at(NEXT_MONDAY, 15),
                           paused_since=at(NEXT_MONDAY, 12), sla_paused_minutes=0, status=Status.RESOLVED)
    Message.objects.create(ticket=ticket, author=agent, from_agent=True, body="Hello", created_at=at(NEXT_MONDAY, 10))
    Message.objects.create(ticket=ticket, author=agent, from_agent=True, is_internal=True, body="Note")
    untouched = TicketFactory(requester=customer_a, queue=queue_x)

    migration = importlib.import_module("tickets.migrations.0003_ticket_metrics")
    migration.fill_ticket_metrics(apps, None)

    ticket.refresh_from_db()
    untouched.refresh_from_db()
    assert ticket.first_response_minutes == 120
    assert ticket.resolution_minutes == 240  # Friday 17–18, Monday 9–12; pending from 12:00 until resolved
    assert ticket.public_agent_replies == 1
    assert (untouched.first_response_minutes, untouched.resolution_minutes, untouched.public_agent_replies) == (
        None, None, 0)
