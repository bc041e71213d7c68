"""Intake is channel-neutral: any channel's message gets the same rules, one record per arrival, and steps
that may shape a new ticket (before its SLA is computed) or hold it back."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tickets import intake, services
from tickets.intake import IncomingMessage, Sender
from tickets.models import IntakeRecord, Priority, Ticket, Verification

pytestmark = pytest.mark.django_db
Outcome = IntakeRecord.Outcome
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INBOUND_UNKNOWN_SENDER = "create"


@pytest.fixture
def step():
    """Register a step for one test; it is gone afterwards."""
    names = []

    def add(function, order=100):
        names.append(f"test-{len(names)}")
        intake.register_step(function, order=order, name=names[-1])

    yield add
    for name in names:
        intake.unregister_step(name)


def arrival(key="api-1", *, sender="alice@acme.example", verified=True, subject="Export fails", text="It times out.",
            **extra) -> IncomingMessage:
    return IncomingMessage(
        channel=Ticket.Channel.API, external_key=key, subject=subject, text=text,
        sender=Sender(address=sender, verification=Verification.VERIFIED if verified else Verification.UNVERIFIED),
        **extra)


def test_a_message_of_any_channel_opens_a_ticket_once(customer_a, queue_x):
    first = intake.receive(arrival(queue=queue_x))
    again = intake.receive(arrival(queue=queue_x))

    assert first.outcome == Outcome.CREATED and again.pk == first.pk
    ticket = first.ticket
    assert (ticket.channel, ticket.requester, ticket.queue) == (Ticket.Channel.API, customer_a, queue_x)
    assert first.channel == Ticket.Channel.API and Ticket.objects.count() == 1


def test_steps_shape_the_ticket_before_its_sla_is_computed(customer_a, queue_x, queue_y, step):
    def triage(draft):
        draft.queue, draft.priority, draft.tags = queue_y, Priority.URGENT, ["export"]

    step(triage)
    ticket = intake.receive(arrival(queue=queue_x)).ticket

    assert (ticket.queue, ticket.priority) == (queue_y, Priority.URGENT)
    assert list(ticket.tags.values_list("name", flat=True)) == ["export"]
    assert ticket.sla_policy == services.policy_for(Priority.URGENT, customer_a.organization)


def test_steps_run_in_order_and_can_suspend_or_ignore(customer_a, queue_x, step):
    seen = []
    step(lambda draft: seen.append("second"), order=20)
    step(lambda draft: seen.append("first"), order=10)

    def spam_check(draft):
        if "viagra" in draft.message.text:
            raise intake.Suspend("Looks like spam")
        if draft.message.text == "ping":
            raise intake.Ignore("A test message")

    step(spam_check, order=30)

    assert intake.receive(arrival("k1")).outcome == Outcome.CREATED and seen == ["first", "second"]
    held = intake.receive(arrival("k2", text="cheap viagra"))
    dropped = intake.receive(arrival("k3", text="ping"))
    assert (held.outcome, held.reason) == (Outcome.SUSPENDED, "Looks like spam")
    assert (dropped.outcome, dropped.reason) == (Outcome.IGNORED, "A test message")
    assert Ticket.objects.count() == 1


def test_a_step_that_raises_leaves_a_failed_record_and_nothing_else(customer_a, step):
    step(lambda draft: 1 / 0)

    record = intake.receive(arrival(raw=b'{"subject": "Export fails"}'))

    assert record.outcome == Outcome.FAILED and "ZeroDivisionError" in record.reason
    assert bytes(record.raw) == b'{"subject": "Export fails"}' and Ticket.objects.count() == 0


def test_an_unknown_sender_suspended_by_a_step_gets_no_account(step, db):
    from helpdesk.accounts.models import User

    step(lambda draft: (_ for _ in ()).throw(intake.Suspend("held")))

    assert intake.receive(arrival(sender="new@nowhere.example")).outcome == Outcome.SUSPENDED
    assert not User.objects.filter(email="new@nowhere.example").exists()


def test_every_arrival_leaves_a_record_with_its_outcome(settings, customer_a, queue_x, agent):
    settings.INBOUND_UNKNOWN_SENDER = "reject"
    ticket = services.ticket_create(requester=customer_a, subject="Old", description="x", queue=queue_x)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Done", status=Ticket.Status.RESOLVED,
                                resolution_summary="Fixed.")
    services.ticket_customer_close(ticket=ticket, customer=customer_a)

    outcomes = [
        intake.receive(arrival("new")).outcome,
        intake.receive(arrival("reply", references=[ticket.reference])).outcome,
        intake.receive(arrival("robot", ignore_reason="Auto-reply")).outcome,
        intake.receive(arrival("stranger", sender="nobody@nowhere.example")).outcome,
        intake.receive(arrival("forged", sender=agent.email, verified=False)).outcome,
    ]

    assert outcomes == [Outcome.CREATED, Outcome.FOLLOW_UP, Outcome.IGNORED, Outcome.IGNORED, Outcome.SUSPENDED]
    assert IntakeRecord.objects.count() == 5


def test_files_are_checked_once_for_every_channel(customer_a):
    png = (ROOT / "tests/tickets/emails/new_ticket.eml").read_bytes()  # any bytes that are no allowed file type
    record = intake.receive(arrival(files=[
        SimpleUploadedFile("setup.exe", b"MZ\x90\x00" + png[:200], content_type="application/octet-stream"),
        SimpleUploadedFile("notes", b"plain words\n", content_type="text/plain"),
    ]))

    message = record.ticket.messages.get(is_internal=False)
    assert [attachment.original_name for attachment in message.attachments.all()] == ["notes.txt"]
    note = record.ticket.messages.get(is_internal=True)
    assert "setup.exe" in note.body


def test_intake_imports_no_email_package_and_no_channel():
    for path in (ROOT / "tickets/intake").glob("*.py"):
        source = path.read_text()
        assert "import email" not in source and "from email" not in source, path
        assert "tickets.channels" not in source.replace('"tickets.channels.email.read_kept"', ""), path
