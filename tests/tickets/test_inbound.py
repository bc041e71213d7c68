"""Inbound e-mail: real messages (tests/tickets/emails/*.eml) become tickets, replies or recorded refusals."""

import logging
import mailbox
import os
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import is_customer
from helpdesk.mail.models import OutboundEmail
from tests.tickets.factories import QueueFactory
from tickets import services, tasks
from tickets.channels import email as email_channel
from tickets.channels.email import sources
from tickets.channels.email.quotes import strip_quoted
from tickets.intake import pipeline
from tickets.models import IntakeRecord, Message, Queue, Ticket
from tickets.selectors import thread_for

EMAILS = Path(__file__).parent / "emails"
Outcome = IntakeRecord.Outcome


def load(name, **values) -> bytes:
    raw = (EMAILS / name).read_bytes()
    for placeholder, value in values.items():
        raw = raw.replace(b"{{" + placeholder.encode() + b"}}", value.encode())
    assert b"{{" not in raw, f"{name} still has a placeholder"
    return raw


def process(name, **values) -> IntakeRecord:
    return email_channel.process_message(load(name, **values))


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INBOUND_UNKNOWN_SENDER = "create"
    settings.INBOUND_DEFAULT_QUEUE = "technical"
    settings.INBOUND_MAILDIR = ""
    settings.INBOUND_IMAP_HOST = ""
    settings.INBOUND_TRUSTED_AUTHSERV_IDS = ["mx.helpdesk.localhost"]  # reply_agent.eml carries its verdict


@pytest.fixture
def printers(db):
    return QueueFactory(name="Printers", slug="printers", email_address="Printers@Support.example")


@pytest.fixture
def ticket(customer_a, queue_x):
    """Alice's ticket, opened in the portal: its acknowledgement e-mail is in the outbox."""
    return services.ticket_create(requester=customer_a, subject="Cannot log in", description="Error 500 at login",
                                  queue=queue_x)


# ---------------------------------------------------------------- new tickets


@pytest.mark.django_db
def test_a_new_message_opens_a_ticket_in_the_queue_it_was_sent_to(customer_a, printers):
    record = process("new_ticket.eml")

    assert record.outcome == Outcome.CREATED
    ticket = record.ticket
    assert ticket.requester == customer_a and ticket.organization == customer_a.organization
    assert ticket.queue == printers
    assert ticket.channel == Ticket.Channel.EMAIL
    assert ticket.subject == "Printer on floor 3 prints blank pages"
    assert ticket.description == (
        "Hello,\n\nsince this morning the printer on floor 3 prints only blank pages.\n"
        "A screenshot of the printer queue is attached.\n\nAlice"
    )
    message = ticket.messages.get()
    assert message.email_message_id == "<CAF3x9-new-ticket-0001@mail.acme.example>"
    assert message.channel == Ticket.Channel.EMAIL and message.author == customer_a
    attachment = message.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("queue-screenshot.png", "image/png")
    assert attachment.file.read().startswith(b"\x89PNG")
    # The acknowledgement answers the customer's e-mail, so their mail program threads it.
    ack = OutboundEmail.objects.get(to="alice@acme.example")
    assert ack.headers["In-Reply-To"] == "<CAF3x9-new-ticket-0001@mail.acme.example>"
    assert ticket.reference in ack.subject
    assert (record.sender, record.external_key) == ("alice@acme.example", message.email_message_id)


@pytest.mark.django_db
@pytest.mark.parametrize("default_slug", ["technical", "billing"])
def test_a_message_to_another_address_goes_to_the_default_queue(settings, customer_a, printers, default_slug):
    settings.INBOUND_DEFAULT_QUEUE = default_slug

    ticket = process("no_subject_default_queue.eml").ticket

    assert ticket.queue == Queue.objects.get(slug=default_slug)
    assert ticket.subject == "(no subject)"
    assert ticket.description == "The VPN client disconnects every ten minutes."


@pytest.mark.django_db
def test_an_unknown_sender_gets_a_customer_account_in_the_organisation_of_their_domain(customer_a):
    record = process("unknown_sender.eml")

    assert record.outcome == Outcome.CREATED
    user = User.objects.get(email="dana@acme.example")
    assert record.ticket.requester == user
    assert user.name == "Dana Newcomer" and user.is_active and is_customer(user)
    assert user.organization == customer_a.organization and not user.is_primary_contact
    assert user.email_verified_at is None and not user.has_usable_password()
    assert record.ticket.organization == customer_a.organization


@pytest.mark.django_db
def test_an_unknown_sender_of_no_known_domain_gets_an_account_of_their_own(db):
    record = process("unknown_domain.eml")

    user = record.ticket.requester
    assert (user.email, user.name, user.organization) == ("erin@nowhere.example", "Erin Östlund", None)


@pytest.mark.django_db
def test_the_reject_policy_refuses_unknown_senders(settings, customer_a):
    settings.INBOUND_UNKNOWN_SENDER = "reject"

    record = process("unknown_sender.eml")

    assert record.outcome == Outcome.IGNORED and record.ticket is None
    assert "Unknown sender" in record.reason
    assert not User.objects.filter(email="dana@acme.example").exists()
    assert not Ticket.objects.exists()
    # Known customers still get through.
    assert process("no_subject_default_queue.eml").outcome == Outcome.CREATED


@pytest.mark.django_db
def test_the_known_domains_policy_accepts_only_customer_organisations(settings, customer_a):
    settings.INBOUND_UNKNOWN_SENDER = "known_domains"

    accepted = process("unknown_sender.eml")
    refused = process("unknown_domain.eml")

    assert accepted.outcome == Outcome.CREATED
    assert accepted.ticket.requester.organization == customer_a.organization
    assert refused.outcome == Outcome.IGNORED and refused.ticket is None
    assert not User.objects.filter(email="erin@nowhere.example").exists()


@pytest.mark.django_db
def test_an_html_only_message_becomes_plain_text_without_scripts(customer_a):
    description = process("html_only.eml").ticket.description

    assert description == (
        "Hello team,\n\n"
        "the CSV export fails with:\nError 42: disk full\non the reports page.\n\n"
        "- Browser: Firefox 140\n- Since: yesterday\n\n"
        "See our status page (https://status.acme.example/incidents/7) and this link.\n\n"
        "Thanks,\nAlice & the team"
    )
    for unwanted in ("<", "alert", "script", "javascript", "document.cookie", "steal", "color: red", "Message"):
        assert unwanted not in description


@pytest.mark.django_db
def test_a_refused_attachment_is_skipped_with_an_internal_note_and_the_rest_is_kept(customer_a):
    ticket = process("refused_attachment.eml").ticket

    opening = ticket.messages.get(is_internal=False)
    assert opening.body == "Invoice 2026-118 shows 19 % VAT instead of 7 %. The invoice and our log are attached."
    kept = {attachment.original_name: attachment.content_type for attachment in opening.attachments.all()}
    assert kept == {"billing.log": "text/plain", "attachment-4.png": "image/png"}  # the inline logo too
    note = ticket.messages.get(is_internal=True)
    assert note.author is None and not note.from_agent
    assert "invoice.png" in note.body and "not a file type we accept" in note.body
    assert list(thread_for(ticket, include_internal=False)) == [opening]  # the customer never sees the note


# ---------------------------------------------------------------- replies


@pytest.mark.django_db
def test_a_reply_lands_on_its_ticket_by_in_reply_to_with_the_quoted_history_stripped(ticket, customer_a):
    acknowledgement = OutboundEmail.objects.get(to=customer_a.email)

    record = process("reply_in_reply_to.eml", IN_REPLY_TO=acknowledgement.message_id)

    assert (record.outcome, record.ticket) == (Outcome.THREADED, ticket)
    reply = ticket.messages.last()
    assert reply.body == "It happens only in Firefox; Chrome works."
    assert reply.author == customer_a and not reply.from_agent and not reply.is_internal
    assert reply.channel == Ticket.Channel.EMAIL
    assert reply.email_message_id == "<CAF3x9-reply-0002@mail.acme.example>"
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_a_reply_lands_on_its_ticket_by_the_reference_in_the_subject(ticket, customer_a):
    record = process("reply_outlook_tag.eml", REFERENCE=ticket.reference)

    assert (record.outcome, record.ticket) == (Outcome.THREADED, ticket)
    assert ticket.messages.last().body == "Thanks, clearing the browser cache fixed it.\n\nAlice"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "expected"), [
    ("reply_chinese.eml", "打印机已经修好了，谢谢！"),
    ("reply_chinese_outlook.eml", "还是不行，报错 500。"),
])
def test_quoted_history_of_chinese_mail_programs_is_stripped(ticket, name, expected):
    record = process(name, REFERENCE=ticket.reference)

    assert record.ticket == ticket
    assert ticket.messages.last().body == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Fixed, thanks.\n\n-----Original Message-----\nFrom: Helpdesk\nSent: Monday\n\nOld text", "Fixed, thanks."),
    ("> Which version?\n3.2.1\n> And the browser?\nFirefox\n", "3.2.1\nFirefox"),
    ("Yes.\n\nOn 23/11/2026 10:00, Helpdesk wrote:\n> old", "Yes."),
    ("Ja.\n\nAm 23.11.2026 um 10:00 schrieb Helpdesk <support@helpdesk.localhost>:\n> alt", "Ja."),
    ("好的\n\n------------------ 原始邮件 ------------------\n发件人: Helpdesk", "好的"),
    ("From: my manager I heard the export is slow.\nIs it?", "From: my manager I heard the export is slow.\nIs it?"),
])
def test_strip_quoted_keeps_only_the_new_text(text, expected):
    assert strip_quoted(text) == expected


@pytest.mark.django_db
def test_the_organisations_primary_contact_may_reply_on_a_colleagues_ticket(customer_a, customer_a2, queue_x):
    bobs = services.ticket_create(requester=customer_a2, subject="Cannot log in", description="Error 500",
                                  queue=queue_x)

    record = process("reply_outlook_tag.eml", REFERENCE=bobs.reference)

    assert (record.outcome, record.ticket) == (Outcome.THREADED, bobs)
    assert bobs.messages.last().author == customer_a


@pytest.mark.django_db
def test_a_colleague_who_is_not_the_primary_contact_opens_a_ticket_of_their_own(ticket, customer_a2):
    """Bob cannot see Alice's ticket in the portal, so his e-mail may not land on it either, nor learn of it."""
    raw = load("reply_colleague.eml", REFERENCE=ticket.reference).replace(
        b"Subject: Re: [" + ticket.reference.encode() + b"] Cannot log in", b"Subject: Re: [" +
        ticket.reference.encode() + b"] also broken here")

    record = email_channel.process_message(raw)

    own = record.ticket
    assert record.outcome == Outcome.CREATED and own != ticket and own.requester == customer_a2
    assert own.subject == "Re: also broken here"
    assert ticket.messages.count() == 1
    ack = OutboundEmail.objects.get(to=customer_a2.email)
    assert ticket.reference not in ack.subject + ack.body_text and "Cannot log in" not in ack.subject + ack.body_text


@pytest.mark.django_db
def test_an_agent_of_the_queue_replying_by_email_answers_the_customer(ticket, agent):
    record = process("reply_agent.eml", REFERENCE=ticket.reference)

    assert (record.outcome, record.ticket) == (Outcome.THREADED, ticket)
    reply = ticket.messages.last()
    assert (reply.author, reply.from_agent, reply.is_internal) == (agent, True, False)
    assert reply.body == "Please try again now, the login server was restarted."
    assert reply.channel == Ticket.Channel.EMAIL
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.first_response_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("sender", ["customer_b", "agent_y"])
def test_a_stranger_with_the_tag_of_a_ticket_opens_a_new_ticket_instead(request, ticket, sender):
    """Another organisation's customer, or an agent of another queue, adds nothing to Alice's ticket."""
    stranger = request.getfixturevalue(sender)
    name = "reply_stranger.eml" if sender == "customer_b" else "reply_agent.eml"
    raw = load(name, REFERENCE=ticket.reference).replace(b"agent1@example.com", stranger.email.encode())

    record = email_channel.process_message(raw)

    assert record.outcome == Outcome.CREATED and record.ticket != ticket
    assert record.ticket.requester == stranger
    assert ticket.reference in record.reason
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_a_brand_new_address_with_the_tag_of_a_ticket_opens_a_new_ticket(ticket):
    raw = load("reply_colleague.eml", REFERENCE=ticket.reference).replace(b"bob@acme.example", b"eve@acme.example")

    record = email_channel.process_message(raw)

    assert record.outcome == Outcome.CREATED and record.ticket != ticket
    assert record.ticket.requester.email == "eve@acme.example"
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_a_reply_to_a_closed_ticket_opens_a_follow_up(ticket, customer_a):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED, closed_at=timezone.now())

    record = process("reply_outlook_tag.eml", REFERENCE=ticket.reference)

    assert record.outcome == Outcome.FOLLOW_UP
    follow_up = record.ticket
    assert follow_up != ticket and follow_up.follow_up_of == ticket
    assert (follow_up.requester, follow_up.queue, follow_up.subject) == (customer_a, ticket.queue, ticket.subject)
    assert follow_up.description == "Thanks, clearing the browser cache fixed it.\n\nAlice"
    assert ticket.messages.count() == 1


@pytest.mark.django_db
def test_a_reply_to_a_merged_ticket_opens_a_follow_up(ticket, customer_a, queue_x, agent):
    target = services.ticket_create(requester=customer_a, subject="Login broken", description="Same", queue=queue_x)
    services.ticket_merge(source=ticket, target=target, actor=agent)

    record = process("reply_outlook_tag.eml", REFERENCE=ticket.reference)

    assert record.outcome == Outcome.FOLLOW_UP and record.ticket.follow_up_of == ticket


@pytest.mark.django_db
def test_a_reply_to_a_recently_resolved_ticket_reopens_it_and_a_late_one_follows_up(settings, ticket, agent):
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Cleared the cache.", status=Ticket.Status.RESOLVED,
                                resolution_summary="Cache cleared.")

    record = process("reply_outlook_tag.eml", REFERENCE=ticket.reference)
    ticket.refresh_from_db()
    assert (record.outcome, ticket.status) == (Outcome.THREADED, Ticket.Status.OPEN)

    long_ago = timezone.now() - timedelta(days=settings.TICKET_REOPEN_DAYS + 1)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.RESOLVED, resolved_at=long_ago)
    late = email_channel.process_message(load("reply_outlook_tag.eml", REFERENCE=ticket.reference).replace(
        b"Message-ID: <", b"Message-ID: <late-"))
    assert late.outcome == Outcome.FOLLOW_UP and late.ticket.follow_up_of == ticket


# ---------------------------------------------------------------- ignored


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "reason"), [
    ("auto_reply.eml", "Auto-reply"),
    ("bounce.eml", "Bounce"),
    ("bounce_plain.eml", "Bounce"),
    ("loop.eml", "Mail loop"),
    ("from_queue_address.eml", "Mail loop"),
])
def test_auto_replies_bounces_and_loops_are_ignored(settings, customer_a, printers, name, reason):
    settings.SITE_URL = "https://support.example.com"  # our Message-IDs end in @support.example.com

    record = process(name)

    assert record.outcome == Outcome.IGNORED and reason in record.reason
    assert record.ticket is None
    assert not Ticket.objects.exists()
    assert not OutboundEmail.objects.exists()  # nobody is answered: no ping-pong


@pytest.mark.django_db
def test_mail_from_our_own_sender_address_is_ignored(customer_a):
    raw = load("no_subject_default_queue.eml").replace(b'"Alice A" <alice@acme.example>',
                                                         b"Helpdesk <support@helpdesk.localhost>")

    record = email_channel.process_message(raw)

    assert record.outcome == Outcome.IGNORED and "Mail loop" in record.reason


# ---------------------------------------------------------------- exactly once


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["new_ticket.eml", "no_message_id.eml"])
def test_the_same_message_twice_gives_one_ticket(customer_a, name):
    first = process(name)
    second = process(name)

    assert second.pk == first.pk
    assert IntakeRecord.objects.count() == 1
    assert Ticket.objects.count() == 1 and Message.objects.count() == 1
    if name == "no_message_id.eml":
        assert first.external_key.startswith("sha256:")


@pytest.mark.django_db
def test_a_second_worker_that_loses_the_race_changes_nothing(monkeypatch, ticket):
    raw = load("reply_outlook_tag.eml", REFERENCE=ticket.reference)
    first = email_channel.process_message(raw)
    # The second worker looked before the first committed, so only the unique key stops it.
    real_lookup = pipeline.earlier_record
    lookups = []

    def lookup_too_early(message):
        lookups.append(message.external_key)
        return None if len(lookups) == 1 else real_lookup(message)

    monkeypatch.setattr(pipeline, "earlier_record", lookup_too_early)

    second = email_channel.process_message(raw)

    assert second.pk == first.pk and len(lookups) == 2
    assert ticket.messages.count() == 2  # the opening message and one reply


# ---------------------------------------------------------------- sources


def make_maildir(path: Path) -> Path:
    mailbox.Maildir(path, create=True)
    return path


@pytest.mark.django_db
def test_the_maildir_is_read_once_and_nothing_is_deleted(settings, tmp_path, customer_a):
    maildir = make_maildir(tmp_path / "Maildir")
    (maildir / "new" / "1700000001.M1P1.mx").write_bytes(load("new_ticket.eml"))
    (maildir / "new" / "1700000002.M2P1.mx").write_bytes(load("new_ticket.eml"))  # delivered twice
    (maildir / "cur" / "1700000003.M3P1.mx:2,F").write_bytes(load("html_only.eml"))  # flagged, not yet seen
    (maildir / "cur" / "1700000004.M4P1.mx:2,S").write_bytes(load("unknown_sender.eml"))  # already handled
    settings.INBOUND_MAILDIR = str(maildir)

    assert sources.fetch_all() == 3
    assert sources.fetch_all() == 0

    assert Ticket.objects.count() == 2  # one for the message delivered twice, one for the HTML message
    assert Message.objects.filter(email_message_id="<CAF3x9-new-ticket-0001@mail.acme.example>").count() == 1
    assert not User.objects.filter(email="dana@acme.example").exists()
    assert os.listdir(maildir / "new") == []
    assert sorted(os.listdir(maildir / "cur")) == [
        "1700000001.M1P1.mx:2,S", "1700000002.M2P1.mx:2,S", "1700000003.M3P1.mx:2,FS", "1700000004.M4P1.mx:2,S",
    ]
    assert (maildir / "cur" / "1700000001.M1P1.mx:2,S").read_bytes() == load("new_ticket.eml")


@pytest.mark.django_db
def test_a_maildir_message_that_fails_stays_new_for_the_next_run(settings, tmp_path, monkeypatch, customer_a, caplog):
    maildir = make_maildir(tmp_path / "Maildir")
    (maildir / "new" / "1700000001.M1P1.mx").write_bytes(load("new_ticket.eml"))
    settings.INBOUND_MAILDIR = str(maildir)
    real = email_channel.process_message
    monkeypatch.setattr(sources, "process_message", lambda raw: (_ for _ in ()).throw(RuntimeError("database down")))

    with caplog.at_level(logging.ERROR, logger="tickets"), pytest.raises(sources.InboundFailures) as failed:
        sources.fetch_all()
    assert (failed.value.failed, failed.value.processed) == (1, 0)
    assert "database down" in caplog.text
    assert os.listdir(maildir / "new") == ["1700000001.M1P1.mx"]

    monkeypatch.setattr(sources, "process_message", real)
    assert sources.fetch_all() == 1
    assert Ticket.objects.count() == 1


class FakeIMAPClient:
    """Just enough of imapclient.IMAPClient: one folder of messages with flags."""

    messages = {}  # uid -> raw bytes
    flags = {}  # uid -> set of flags
    calls = []

    def __init__(self, host, port=None, ssl=True, timeout=None):
        self.calls.append(("connect", host, port, ssl))

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.calls.append(("logout",))

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def select_folder(self, folder):
        self.calls.append(("select", folder))

    def search(self, criteria):
        assert criteria == ["UNSEEN"]
        return [uid for uid in sorted(self.messages) if b"\\Seen" not in self.flags[uid]]

    def fetch(self, uids, items):
        assert items == ["BODY.PEEK[]"]  # peeking: a failed message is not marked read
        return {uid: {b"SEQ": uid, b"BODY[]": self.messages[uid]} for uid in uids}

    def add_flags(self, uids, flags):
        for uid in uids:
            self.flags[uid] |= set(flags)


@pytest.fixture
def imap(settings, monkeypatch):
    settings.INBOUND_IMAP_HOST = "imap.support.example"
    settings.INBOUND_IMAP_USER = "helpdesk"
    settings.INBOUND_IMAP_PASSWORD = "secret"
    settings.INBOUND_IMAP_FOLDER = "INBOX"
    FakeIMAPClient.messages = {
        11: load("new_ticket.eml"), 12: load("unknown_sender.eml"), 13: load("auto_reply.eml"),
    }
    FakeIMAPClient.flags = {uid: set() for uid in FakeIMAPClient.messages}
    FakeIMAPClient.calls = []
    monkeypatch.setattr(sources, "IMAPClient", FakeIMAPClient)
    return FakeIMAPClient


@pytest.mark.django_db
def test_imap_messages_are_marked_seen_once_processed_and_a_failing_one_stays_unseen(imap, monkeypatch, customer_a,
                                                                                    caplog):
    real = email_channel.process_message

    def flaky(raw):
        if b"unknown-sender" in raw:
            raise RuntimeError("database down")
        return real(raw)

    monkeypatch.setattr(sources, "process_message", flaky)

    with caplog.at_level(logging.ERROR, logger="tickets"), pytest.raises(sources.InboundFailures) as failed:
        sources.fetch_all()
    assert (failed.value.failed, failed.value.processed) == (1, 2)
    assert "IMAP message 12" in caplog.text
    assert imap.flags == {11: {b"\\Seen"}, 12: set(), 13: {b"\\Seen"}}
    assert imap.calls[:3] == [("connect", "imap.support.example", 993, True), ("login", "helpdesk", "secret"),
                              ("select", "INBOX")]
    assert imap.calls[-1] == ("logout",)
    assert IntakeRecord.objects.get(external_key="<oof-0009@mail.acme.example>").outcome == Outcome.IGNORED

    monkeypatch.setattr(sources, "process_message", real)
    assert sources.fetch_all() == 1  # only the one left unseen
    assert imap.flags[12] == {b"\\Seen"}
    assert Ticket.objects.count() == 2


@pytest.mark.django_db
def test_the_fetch_email_command_and_task_process_the_maildir(settings, tmp_path, customer_a):
    maildir = make_maildir(tmp_path / "Maildir")
    (maildir / "new" / "1700000001.M1P1.mx").write_bytes(load("new_ticket.eml"))
    (maildir / "new" / "1700000002.M2P1.mx").write_bytes(load("html_only.eml"))
    settings.INBOUND_MAILDIR = str(maildir)

    out = StringIO()
    call_command("fetch_email", stdout=out)
    assert out.getvalue().strip() == "Processed 2 message(s)."
    assert Ticket.objects.count() == 2

    (maildir / "new" / "1700000003.M3P1.mx").write_bytes(load("no_subject_default_queue.eml"))
    assert tasks.fetch_email() == 1
