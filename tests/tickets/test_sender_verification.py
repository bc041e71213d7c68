"""Forged senders: the From: header alone never makes an agent reply. Unverified staff mail waits in the
desk's suspended list, where an agent of its queue recovers or deletes it."""

from pathlib import Path

import pytest
from django.urls import reverse

from helpdesk.mail.models import OutboundEmail
from tests.tickets.test_inbound import load
from tickets import services
from tickets.channels import email as email_channel
from tickets.channels.email import verification
from tickets.models import IntakeRecord, Message, Ticket, Verification

pytestmark = pytest.mark.django_db
Outcome = IntakeRecord.Outcome
TRUSTED = "mx.helpdesk.localhost"


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INBOUND_UNKNOWN_SENDER = "create"
    settings.INBOUND_DEFAULT_QUEUE = "technical"
    settings.INBOUND_TRUSTED_AUTHSERV_IDS = [TRUSTED]
    settings.INBOUND_DKIM_VERIFY = False
    settings.INBOUND_UNVERIFIED = "accept"


@pytest.fixture
def ticket(customer_a, queue_x):
    return services.ticket_create(requester=customer_a, subject="Cannot log in", description="Error 500",
                                  queue=queue_x)


def with_results(raw: bytes, results: str) -> bytes:
    return f"Authentication-Results: {results}\r\n".encode() + raw


def forged(ticket) -> IntakeRecord:
    OutboundEmail.objects.all().delete()
    return email_channel.process_message(load("forged_agent.eml", REFERENCE=ticket.reference))


def test_a_forged_agent_address_is_suspended_never_a_reply(ticket, agent):
    record = forged(ticket)

    assert record.outcome == Outcome.SUSPENDED and record.ticket is None
    assert "agent1@example.com" in record.reason and "dmarc=fail" in record.reason
    assert record.queue == ticket.queue and bytes(record.raw).startswith(b"Return-Path")
    assert ticket.messages.count() == 1  # nothing was added
    assert not OutboundEmail.objects.exists()  # and the customer was sent nothing


@pytest.mark.parametrize("results", [
    f"{TRUSTED}; dkim=pass header.d=evil.example; spf=pass smtp.mailfrom=attacker@evil.example",  # not aligned
    f"{TRUSTED}; dkim=none; spf=none",
    "mx.evil.example; dkim=pass header.d=example.com; dmarc=pass header.from=example.com",  # untrusted server
])
def test_proof_that_is_not_about_the_sender_or_not_from_our_server_does_not_count(ticket, agent, results):
    raw = load("reply_agent.eml", REFERENCE=ticket.reference).split(b"\n", 3)  # drop the real verdict
    raw = with_results(raw[0] + b"\n" + raw[3], results)

    record = email_channel.process_message(raw)

    assert record.outcome == Outcome.SUSPENDED
    assert ticket.messages.count() == 1


def test_a_header_the_sender_added_below_our_servers_verdict_is_not_read(ticket, agent):
    raw = load("forged_agent.eml", REFERENCE=ticket.reference)
    # The attacker's own header sits below the receiving server's (which is added on top).
    raw = raw.replace(b"From: Alex Agent", f"Authentication-Results: {TRUSTED}; dmarc=pass header.from=example.com"
                                           f"\r\nFrom: Alex Agent".encode())

    assert email_channel.process_message(raw).outcome == Outcome.SUSPENDED


def test_a_verified_agent_reply_is_a_reply(ticket, agent):
    record = email_channel.process_message(load("reply_agent.eml", REFERENCE=ticket.reference))

    assert record.outcome == Outcome.THREADED and record.verification == Verification.VERIFIED
    assert ticket.messages.last().verification == Verification.VERIFIED


def test_without_trusted_servers_no_staff_mail_is_believed(settings, ticket, agent):
    settings.INBOUND_TRUSTED_AUTHSERV_IDS = []

    record = email_channel.process_message(load("reply_agent.eml", REFERENCE=ticket.reference))

    assert record.outcome == Outcome.SUSPENDED and "not configured" in record.reason


def test_customers_unverified_mail_is_accepted_and_flagged(ticket, customer_a):
    record = email_channel.process_message(load("reply_outlook_tag.eml", REFERENCE=ticket.reference))

    assert record.outcome == Outcome.THREADED
    reply = ticket.messages.order_by("pk").last()
    assert reply.verification == Verification.UNVERIFIED


def test_customers_unverified_mail_can_be_suspended_by_setting(settings, ticket, customer_a):
    settings.INBOUND_UNVERIFIED = "suspend"

    held = email_channel.process_message(load("reply_outlook_tag.eml", REFERENCE=ticket.reference))
    passed = email_channel.process_message(with_results(
        load("reply_outlook_tag.eml", REFERENCE=ticket.reference).replace(b"outlook-0003", b"outlook-0004"),
        f"{TRUSTED}; dkim=pass header.d=acme.example header.s=s1"))

    assert held.outcome == Outcome.SUSPENDED and "alice@acme.example" in held.reason
    assert passed.outcome == Outcome.THREADED


def test_dkim_checked_here_verifies_a_signed_agent_reply(settings, ticket, agent, monkeypatch):
    """The key pair in tests/tickets/dkim_test_key.* stands for example.com's DNS record."""
    import dkim

    settings.INBOUND_TRUSTED_AUTHSERV_IDS = []
    settings.INBOUND_DKIM_VERIFY = True
    keys = Path(__file__).parent
    record = b"v=DKIM1; k=rsa; p=" + (keys / "dkim_test_key.pub").read_bytes().strip()
    monkeypatch.setattr(verification, "DKIM_DNSFUNC",
                        lambda name, timeout=5: record if name == b"mail._domainkey.example.com." else None)
    raw = load("reply_agent.eml", REFERENCE=ticket.reference).split(b"\n", 3)
    raw = raw[0] + b"\n" + raw[3]  # without the receiving server's verdict
    signed = dkim.sign(raw, b"mail", b"example.com", (keys / "dkim_test_key.pem").read_bytes(),
                       include_headers=[b"From", b"Subject", b"Message-ID"]) + raw

    good = email_channel.process_message(signed)
    tampered = email_channel.process_message(
        signed.replace(b"restarted.", b"restarted. Send me your password.").replace(b"0007", b"0008"))

    assert (good.outcome, good.verification) == (Outcome.THREADED, Verification.VERIFIED)
    assert tampered.outcome == Outcome.SUSPENDED and "DKIM" in tampered.reason


# ---------------------------------------------------------------- the suspended list


def desk(client, user):
    client.force_login(user)
    return client


def test_the_queues_agents_see_the_suspended_message_others_do_not(client, ticket, agent, agent_y):
    record = forged(ticket)

    listing = desk(client, agent).get(reverse("tickets:desk-suspended"))
    assert listing.status_code == 200 and "Re: [" in listing.content.decode()
    page = client.get(reverse("tickets:desk-suspended-detail", args=[record.pk])).content.decode()
    assert "Please confirm your password" in page and "dmarc=fail" in page

    client.logout()
    other = desk(client, agent_y)
    assert "forged" not in other.get(reverse("tickets:desk-suspended")).content.decode()
    assert other.get(reverse("tickets:desk-suspended-detail", args=[record.pk])).status_code == 404
    assert other.post(reverse("tickets:desk-suspended-recover", args=[record.pk])).status_code == 404
    assert IntakeRecord.objects.get(pk=record.pk).outcome == Outcome.SUSPENDED


def test_recovering_makes_it_the_reply_it_would_have_been_with_a_note(client, ticket, agent):
    record = forged(ticket)

    response = desk(client, agent).post(reverse("tickets:desk-suspended-recover", args=[record.pk]))

    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()
    record.refresh_from_db()
    assert (record.outcome, record.ticket, record.reviewed_by) == (Outcome.THREADED, ticket, agent)
    assert record.raw == b"" and "Recovered by" in record.reason
    reply = ticket.messages.filter(is_internal=False).order_by("pk").last()
    assert reply.from_agent and reply.author == agent and reply.verification == Verification.FAILED
    note = ticket.messages.get(is_internal=True)
    assert "suspended" in note.body and "recovered" in note.body
    # Recovering twice does nothing more.
    again = client.post(reverse("tickets:desk-suspended-recover", args=[record.pk]))
    assert again.status_code == 404 and ticket.messages.filter(is_internal=False).count() == 2


def test_deleting_keeps_the_record_and_drops_the_message(client, ticket, agent):
    record = forged(ticket)

    desk(client, agent).post(reverse("tickets:desk-suspended-delete", args=[record.pk]))

    record.refresh_from_db()
    assert record.outcome == Outcome.IGNORED and record.raw == b"" and record.reviewed_by == agent
    assert "Deleted from the suspended list" in record.reason
    assert ticket.messages.count() == 1
    # The same mail fetched again stays deleted.
    assert email_channel.process_message(load("forged_agent.eml", REFERENCE=ticket.reference)).pk == record.pk
    assert Message.objects.filter(ticket=ticket).count() == 1


def test_customers_cannot_open_the_suspended_list(client, customer_a):
    client.force_login(customer_a)
    assert client.get(reverse("tickets:desk-suspended")).status_code == 403


def test_the_suspended_list_pages(client, agent, queue_x, settings):
    settings.INBOUND_DEFAULT_QUEUE = queue_x.slug
    for number in range(30):
        IntakeRecord.objects.create(external_key=f"<held-{number}@x>", outcome=Outcome.SUSPENDED, queue=queue_x,
                                    sender="someone@example.com", subject=f"Held {number}", raw=b"x")

    first = desk(client, agent).get(reverse("tickets:desk-suspended"))
    second = client.get(reverse("tickets:desk-suspended") + "?page=2")

    assert first.context["page"].paginator.count == 30 and len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert Ticket.objects.count() == 0
