"""The ticket lifecycle as the services carry it out: statuses, SLA clocks, audit trail, e-mail."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from helpdesk.accounts.models import Organization
from helpdesk.mail.models import OutboundEmail
from tickets import services
from tickets.models import BusinessHours, Holiday, OpeningPeriod, SLAPolicy, Ticket, TicketEvent

UTC = ZoneInfo("UTC")
MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture
def office(db):
    calendar = BusinessHours.objects.create(name="Test office", timezone="UTC")
    for weekday in range(5):
        OpeningPeriod.objects.create(calendar=calendar, weekday=weekday, opens=time(9), closes=time(18))
    Holiday.objects.create(calendar=calendar, date=date(2026, 12, 25), name="Christmas")
    SLAPolicy.objects.all().delete()
    for priority, first, resolution in [("urgent", 60, 240), ("high", 240, 540), ("normal", 480, 1620),
                                        ("low", 540, 2700)]:
        SLAPolicy.objects.create(name=priority, priority=priority, first_response_minutes=first,
                                 resolution_minutes=resolution, business_hours=calendar)
    return calendar


def create(customer, queue, when=MONDAY_10, **kwargs):
    return services.ticket_create(requester=customer, subject="Cannot log in", description="Error 500 at login",
                                  queue=queue, now=when, **kwargs)


@pytest.mark.django_db
def test_new_ticket_gets_business_time_due_dates_and_an_event(office, customer_b, queue_x):
    ticket = create(customer_b, queue_x, priority="high")

    assert ticket.reference == f"HD-{ticket.pk:06d}"
    assert ticket.status == Ticket.Status.NEW and ticket.organization == customer_b.organization
    assert ticket.first_response_due == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    assert ticket.resolution_due == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # 9 business hours later
    assert ticket.first_response_warn_at == datetime(2026, 11, 23, 13, 12, tzinfo=UTC)  # 80 % of 4 h
    assert ticket.messages.get().body == "Error 500 at login"
    assert list(ticket.events.values_list("kind", flat=True)) == ["created"]


@pytest.mark.django_db
def test_vip_organisations_get_the_vip_override(office, customer_a, queue_x):
    SLAPolicy.objects.create(name="VIP high", priority="high", tier="vip", first_response_minutes=30,
                             resolution_minutes=120, business_hours=office)
    assert customer_a.organization.tier == Organization.Tier.VIP
    ticket = create(customer_a, queue_x, priority="high")
    assert ticket.sla_policy.tier == "vip"
    assert ticket.first_response_due == MONDAY_10 + timedelta(minutes=30)


@pytest.mark.django_db
def test_creation_acknowledges_with_the_reference(office, customer_b, queue_x, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ticket = create(customer_b, queue_x)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [customer_b.email]
    assert f"[{ticket.reference}]" in mail.outbox[0].subject
    assert ticket.reference in mail.outbox[0].body


@pytest.mark.django_db
def test_first_public_reply_answers_the_ticket_and_opens_it(office, customer_b, queue_x, agent,
                                                              django_capture_on_commit_callbacks):
    ticket = create(customer_b, queue_x)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_agent_reply(ticket=ticket, agent=agent, body="Please check your SSO settings.",
                                    now=MONDAY_10 + timedelta(minutes=45))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.first_response_at == MONDAY_10 + timedelta(minutes=45)
    assert mail.outbox[-1].to == [customer_b.email]
    assert "Please check your SSO settings." in mail.outbox[-1].body
    assert ticket.version == 2


@pytest.mark.django_db
def test_internal_notes_never_reach_the_customer(office, customer_b, queue_x, agent,
                                                 django_capture_on_commit_callbacks):
    ticket = create(customer_b, queue_x)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_agent_reply(ticket=ticket, agent=agent, body="SECRET: customer is on the old plan",
                                    internal=True)
        services.ticket_agent_reply(ticket=ticket, agent=agent, body="Resolved by resetting SSO.",
                                    status="resolved", resolution_summary="Reset the SSO certificate.")
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None  # the public reply, not the note
    customer_mail = [m for m in mail.outbox if m.to == [customer_b.email]]
    assert customer_mail, "the customer was told"
    for message in customer_mail:
        assert "SECRET" not in message.body
        assert all("SECRET" not in alternative[0] for alternative in message.alternatives)
    assert not OutboundEmail.objects.filter(body_text__contains="SECRET").exists()


@pytest.mark.django_db
def test_a_phone_ticket_is_first_answered_by_the_second_agent_reply(office, customer_b, queue_x, agent):
    ticket = create(customer_b, queue_x, channel="phone", created_by=agent)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Logged from the call.")
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Here is the fix.")
    ticket.refresh_from_db()
    assert ticket.first_response_at is not None


@pytest.mark.django_db
def test_pending_pauses_the_resolution_clock(office, customer_b, queue_x, agent):
    ticket = create(customer_b, queue_x, priority="urgent")  # resolution due Monday 14:00
    assert ticket.resolution_due == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)

    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Can you send the log?", status="pending",
                                now=datetime(2026, 11, 23, 11, 0, tzinfo=UTC))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING and ticket.paused_since is not None

    # The customer answers the next morning: 11:00 Monday → 10:00 Tuesday is 8 business hours paused.
    services.ticket_customer_reply(ticket=ticket, customer=customer_b, body="Attached.",
                                   now=datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.paused_since is None
    assert ticket.sla_paused_minutes == 8 * 60
    assert ticket.sla_paused_seconds == 23 * 3600
    # Three business hours were left when it paused (11:00 → 14:00); they run from Tuesday 10:00.
    assert ticket.resolution_due == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_on_hold_keeps_the_clock_running(office, customer_b, queue_x, agent):
    ticket = create(customer_b, queue_x, priority="urgent")
    due = ticket.resolution_due
    services.ticket_update(ticket=ticket, actor=agent, status="on_hold", now=MONDAY_10 + timedelta(hours=1))
    services.ticket_update(ticket=ticket, actor=agent, status="open", now=MONDAY_10 + timedelta(hours=2))
    ticket.refresh_from_db()
    assert ticket.resolution_due == due and ticket.sla_paused_minutes == 0


@pytest.mark.django_db
def test_priority_change_recomputes_the_due_times(office, customer_b, queue_x, agent):
    ticket = create(customer_b, queue_x, priority="low")
    services.ticket_update(ticket=ticket, actor=agent, priority="urgent")
    ticket.refresh_from_db()
    assert ticket.first_response_due == MONDAY_10 + timedelta(hours=1)
    event = ticket.events.get(kind=TicketEvent.Kind.PRIORITY)
    assert (event.old_value, event.new_value, event.actor) == ("low", "urgent", agent)


@pytest.mark.django_db
def test_resolving_needs_a_summary_and_saves_nothing_without_it(office, customer_b, queue_x, agent):
    ticket = create(customer_b, queue_x)
    with pytest.raises(services.TicketError, match="resolution summary"):
        services.ticket_agent_reply(ticket=ticket, agent=agent, body="Done.", status="resolved")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW and ticket.messages.count() == 1 and ticket.version == 1


@pytest.mark.django_db
def test_moves_outside_the_workflow_are_refused(office, customer_b, queue_x, agent):
    ticket = create(customer_b, queue_x)
    with pytest.raises(services.TicketError, match="cannot go from"):
        services.ticket_update(ticket=ticket, actor=agent, status="closed")
    services.ticket_update(ticket=ticket, actor=agent, status="resolved", resolution_summary="Fixed.")
    services.ticket_update(ticket=ticket, actor=agent, status="closed")
    with pytest.raises(services.TicketError):
        services.ticket_update(ticket=ticket, actor=agent, status="open")
    with pytest.raises(services.TicketError, match="closed"):
        services.ticket_customer_reply(ticket=ticket, customer=customer_b, body="Hello?")


@pytest.mark.django_db
def test_customer_reply_reopens_a_resolved_ticket_within_the_window(office, customer_b, queue_x, agent, settings):
    ticket = create(customer_b, queue_x)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Fixed", status="resolved",
                                resolution_summary="Patched", now=MONDAY_10 + timedelta(hours=1))
    services.ticket_customer_reply(ticket=ticket, customer=customer_b, body="Still broken",
                                   now=MONDAY_10 + timedelta(days=2))
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.reopened_count == 1 and ticket.resolved_at is None
    assert ticket.events.filter(kind=TicketEvent.Kind.REOPENED).count() == 1

    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Fixed again", status="resolved",
                                resolution_summary="Patched twice", now=MONDAY_10 + timedelta(days=3))
    with pytest.raises(services.TicketError, match="too long ago"):
        services.ticket_customer_reply(ticket=ticket, customer=customer_b, body="Late",
                                       now=MONDAY_10 + timedelta(days=3 + settings.TICKET_REOPEN_DAYS + 1))


@pytest.mark.django_db
def test_a_concurrent_edit_is_refused_with_what_changed(office, customer_b, queue_x, agent, agent_y):
    ticket = create(customer_b, queue_x)
    loaded_version = ticket.version
    services.ticket_update(ticket=ticket, actor=agent_y, priority="urgent", expected_version=loaded_version)

    with pytest.raises(services.TicketConflict) as conflict:
        services.ticket_agent_reply(ticket=ticket, agent=agent, body="My long answer", expected_version=loaded_version)
    assert [(c.kind, c.new_value, c.actor) for c in conflict.value.changes] == [("priority", "urgent", agent_y)]
    assert ticket.messages.count() == 1, "nothing saved half-way"

    services.ticket_agent_reply(ticket=ticket, agent=agent, body="My long answer",
                                expected_version=conflict.value.ticket.version)
    assert ticket.messages.count() == 2


@pytest.mark.django_db
def test_sla_warning_and_breach_are_raised_once_each(office, customer_b, queue_x, agent, manager,
                                                     django_capture_on_commit_callbacks):
    queue_x.manager = manager
    queue_x.save()
    ticket = create(customer_b, queue_x, priority="urgent")  # first response due 11:00, warn 10:48
    services.ticket_update(ticket=ticket, actor=agent, assignee=agent, notify=False)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sla_check(now=MONDAY_10 + timedelta(minutes=30)) == {"warnings": 0, "breaches": 0}
        assert services.sla_check(now=MONDAY_10 + timedelta(minutes=50)) == {"warnings": 1, "breaches": 0}
        assert services.sla_check(now=MONDAY_10 + timedelta(minutes=55)) == {"warnings": 0, "breaches": 0}
        assert services.sla_check(now=MONDAY_10 + timedelta(minutes=61)) == {"warnings": 0, "breaches": 1}
        assert services.sla_check(now=MONDAY_10 + timedelta(minutes=62)) == {"warnings": 0, "breaches": 0}

    kinds = list(ticket.events.filter(kind__startswith="sla").values_list("kind", "new_value"))
    assert kinds == [("sla_warning", "first_response"), ("sla_breach", "first_response")]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([agent.email, manager.email] * 2), "assignee and queue manager, once per alert"


@pytest.mark.django_db
def test_sla_check_ignores_answered_paused_and_resolved_tickets(office, customer_b, queue_x, agent):
    answered = create(customer_b, queue_x, priority="urgent")
    services.ticket_agent_reply(ticket=answered, agent=agent, body="On it", now=MONDAY_10 + timedelta(minutes=5))
    paused = create(customer_b, queue_x, priority="urgent")
    services.ticket_agent_reply(ticket=paused, agent=agent, body="Log?", status="pending",
                                now=MONDAY_10 + timedelta(minutes=5))
    counts = services.sla_check(now=MONDAY_10 + timedelta(minutes=70))
    assert counts == {"warnings": 0, "breaches": 0}


@pytest.mark.django_db
def test_auto_close_closes_old_resolved_tickets_once(office, customer_b, queue_x, agent, settings,
                                                     django_capture_on_commit_callbacks):
    ticket = create(customer_b, queue_x)
    services.ticket_update(ticket=ticket, actor=agent, status="resolved", resolution_summary="Fixed",
                           now=MONDAY_10, notify=False)
    later = MONDAY_10 + timedelta(days=settings.TICKET_AUTO_CLOSE_DAYS, minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tickets_auto_close(now=MONDAY_10 + timedelta(days=1)) == 0
        assert services.tickets_auto_close(now=later) == 1
        assert services.tickets_auto_close(now=later) == 0
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED and ticket.closed_at == later
    assert [m.subject for m in mail.outbox] == [f"[{ticket.reference}] Closed: Cannot log in"]


@pytest.mark.django_db
def test_merge_moves_the_thread_and_tells_the_customer(office, customer_b, queue_x, agent,
                                                       django_capture_on_commit_callbacks):
    original = create(customer_b, queue_x)
    duplicate = create(customer_b, queue_x)
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_merge(source=duplicate, target=original, actor=agent)
    duplicate.refresh_from_db()
    assert duplicate.status == Ticket.Status.CLOSED and duplicate.merged_into == original
    assert original.messages.filter(is_internal=False).count() == 2
    assert original.messages.filter(is_internal=True, body__contains=duplicate.reference).exists()
    assert any(duplicate.reference in m.subject and original.reference in m.body for m in mail.outbox)
    with pytest.raises(services.TicketError):
        services.ticket_merge(source=original, target=original, actor=agent)


@pytest.mark.django_db
def test_bulk_update_is_all_or_nothing(office, customer_b, queue_x, agent):
    first, second = create(customer_b, queue_x), create(customer_b, queue_x)
    services.ticket_update(ticket=second, actor=agent, status="resolved", resolution_summary="x")
    services.ticket_update(ticket=second, actor=agent, status="closed")

    with pytest.raises(services.TicketError, match=second.reference):
        services.tickets_bulk_update(tickets=[first, second], actor=agent, status="pending")
    first.refresh_from_db()
    assert first.status == Ticket.Status.NEW and first.version == 1

    changed = services.tickets_bulk_update(tickets=[first], actor=agent, assignee=agent, add_tag="sso")
    first.refresh_from_db()
    assert changed == 1 and first.assignee == agent
    assert list(first.tags.values_list("name", flat=True)) == ["sso"]


@pytest.mark.django_db
def test_customer_resolve_reopen_and_close(office, customer_b, queue_x):
    ticket = create(customer_b, queue_x)
    services.ticket_customer_resolve(ticket=ticket, customer=customer_b)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED and ticket.resolution_summary
    services.ticket_customer_reopen(ticket=ticket, customer=customer_b, reason="Came back")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.messages.filter(body="Came back").exists()
    services.ticket_customer_resolve(ticket=ticket, customer=customer_b)
    services.ticket_customer_close(ticket=ticket, customer=customer_b)
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.CLOSED


@pytest.mark.django_db
@pytest.mark.parametrize(("impact", "urgency", "priority"), [
    ("low", "low", "low"), ("medium", "medium", "normal"), ("high", "medium", "high"), ("high", "high", "urgent"),
    # Blocked work is High even when only the customer is affected; work that can wait stays Low for a team.
    ("low", "high", "high"), ("medium", "low", "low"), ("high", "low", "normal"),
])
def test_priority_from_impact_and_urgency(impact, urgency, priority):
    assert services.priority_from_impact(impact, urgency) == priority
