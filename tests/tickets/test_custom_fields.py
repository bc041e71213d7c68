"""Custom ticket fields: checking each type, reading and writing by key, filtering, resolving."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tickets import custom_fields, services
from tickets.models import CustomField, Ticket

T = CustomField.Type


def field(key, type_, **kwargs):
    return CustomField.objects.create(key=key, label=key.title(), type=type_, **kwargs)


@pytest.mark.parametrize(
    ("type_", "raw", "cleaned"),
    [
        (T.TEXT, "  Version   7.2 ", "Version 7.2"),
        (T.NUMBER, "1,250.5", Decimal("1250.5000")),
        (T.DATE, "2026-12-03", date(2026, 12, 3)),
        (T.DROPDOWN, "Pro", "Pro"),
        (T.MULTI, ["Linux", "Windows"], ["Windows", "Linux"]),
        (T.CHECKBOX, "on", True),
        (T.CHECKBOX, "", False),
        (T.PRODUCT, "Router X200", "Router X200"),
    ],
)
def test_valid_values_are_cleaned(db, type_, raw, cleaned):
    f = field("thing", type_, choices="Basic\nPro\nWindows\nLinux")
    assert custom_fields.clean_value(f, raw) == cleaned


@pytest.mark.parametrize(
    ("type_", "raw"),
    [
        (T.TEXT, "x" * 256),
        (T.NUMBER, "twelve"),
        (T.DATE, "2026-13-45"),
        (T.DROPDOWN, "Platinum"),
        (T.MULTI, ["Windows", "Platinum"]),
        (T.CHECKBOX, "maybe"),
    ],
)
def test_invalid_values_are_refused_naming_the_value(db, type_, raw):
    f = field("thing", type_, choices="Basic\nPro\nWindows\nLinux")
    with pytest.raises(ValidationError) as error:
        custom_fields.clean_value(f, raw)
    message = " ".join(error.value.messages)
    assert "Thing" in message
    if type_ != T.TEXT:
        assert ("Platinum" if isinstance(raw, list) else raw) in message


@pytest.fixture
def ticket(queue_x, customer_b):
    return services.ticket_create(
        requester=customer_b, subject="Crash", description="It crashes", queue=queue_x, notify=False
    )


def test_set_and_get_by_key_for_every_type(ticket, agent):
    field("plan", T.DROPDOWN, choices="Basic\nPro")
    field("seats", T.NUMBER)
    field("renewal", T.DATE)
    field("os", T.MULTI, choices="Windows\nLinux")
    field("onsite", T.CHECKBOX)
    assert custom_fields.get_value(ticket, "plan") is None
    assert custom_fields.get_value(ticket, "os") == []
    assert custom_fields.get_value(ticket, "onsite") is False
    custom_fields.set_value(ticket, "plan", "Pro", actor=agent)
    custom_fields.set_value(ticket, "seats", 12)
    custom_fields.set_value(ticket, "renewal", "2027-01-31")
    custom_fields.set_value(ticket, "os", ["Linux"])
    custom_fields.set_value(ticket, "onsite", True)
    assert custom_fields.get_value(ticket, "plan") == "Pro"
    assert custom_fields.get_value(ticket, "seats") == Decimal(12)
    assert custom_fields.get_value(ticket, "renewal") == date(2027, 1, 31)
    assert custom_fields.get_value(ticket, "os") == ["Linux"]
    assert custom_fields.get_value(ticket, "onsite") is True
    assert ticket.events.filter(kind="field", new_value="Plan: Pro", actor=agent).exists()
    custom_fields.set_value(ticket, "plan", "")
    assert custom_fields.get_value(ticket, "plan") is None
    with pytest.raises(ValidationError):
        custom_fields.set_value(ticket, "plan", "Gold")
    with pytest.raises(custom_fields.UnknownField):
        custom_fields.get_value(ticket, "nope")


def test_filter_by_a_field_value(queue_x, customer_b):
    plan = field("plan", T.DROPDOWN, choices="Basic\nPro")
    os = field("os", T.MULTI, choices="Windows\nLinux")
    tickets = [
        services.ticket_create(requester=customer_b, subject=f"T{n}", description="x", queue=queue_x, notify=False)
        for n in range(3)
    ]
    custom_fields.set_value(tickets[0], "plan", "Pro")
    custom_fields.set_value(tickets[1], "plan", "Basic")
    custom_fields.set_value(tickets[1], "os", ["Windows", "Linux"])
    pro = custom_fields.filter_tickets(Ticket.objects.all(), plan, "Pro")
    assert list(pro) == [tickets[0]]
    assert list(custom_fields.filter_tickets(Ticket.objects.all(), os, "Linux")) == [tickets[1]]


def test_resolving_with_an_empty_required_before_resolve_field_is_refused(ticket, agent, queue_y):
    field("version", T.TEXT, requirement=CustomField.Requirement.BEFORE_RESOLVE)
    field("elsewhere", T.TEXT, requirement=CustomField.Requirement.BEFORE_RESOLVE, queue=queue_y)
    with pytest.raises(services.TicketError) as error:
        services.ticket_update(
            ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED, resolution_summary="Fixed", notify=False
        )
    assert "Fill in “Version” before resolving" in str(error.value)
    assert "Elsewhere" not in str(error.value)  # another queue's field
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.NEW
    with pytest.raises(services.TicketError):
        services.ticket_agent_reply(
            ticket=ticket,
            agent=agent,
            body="Done",
            status=Ticket.Status.RESOLVED,
            resolution_summary="Fixed",
            notify=False,
        )
    assert not ticket.messages.filter(body="Done").exists()  # nothing saved half-way
    custom_fields.set_value(ticket, "version", "7.2")
    ticket = services.ticket_update(
        ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED, resolution_summary="Fixed", notify=False
    )
    assert ticket.status == Ticket.Status.RESOLVED
