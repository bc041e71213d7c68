"""Real-world mail that used to lose or garble a customer's words: forwards, broken MIME, wrong or missing
charsets, odd file names, reused Message-IDs. Each .eml file is named after what it tests."""

import logging

import pytest

from tests.tickets.test_inbound import load
from tickets.channels import email as email_channel
from tickets.channels.email import charsets
from tickets.models import IntakeRecord, Message, Ticket

pytestmark = pytest.mark.django_db
Outcome = IntakeRecord.Outcome


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INBOUND_UNKNOWN_SENDER = "create"
    settings.INBOUND_DEFAULT_QUEUE = "technical"


def opened(name) -> Ticket:
    record = email_channel.process_message(load(name))
    assert record.outcome == Outcome.CREATED, record.reason
    return record.ticket


def files_of(ticket) -> list[tuple[str, str]]:
    return [(attachment.original_name, attachment.content_type)
            for attachment in ticket.messages.get(is_internal=False).attachments.order_by("pk")]


def test_a_forwarded_email_is_kept_as_a_quoted_message_with_its_own_attachment(customer_a):
    ticket = opened("forwarded_error.eml")

    assert ticket.description.startswith("This is the error mail our server sent last night.")
    assert "---------- Forwarded message ----------" in ticket.description
    assert "From: Backup Robot <backup@acme.example>" in ticket.description
    assert "Subject: Backup failed" in ticket.description
    assert "> Job nightly-db stopped: disk quota exceeded (error 0x80070070)." in ticket.description
    assert files_of(ticket) == [("quota.png", "image/png")]
    assert not ticket.messages.filter(is_internal=True).exists()  # nothing was refused


def test_a_forward_sent_as_a_reply_keeps_the_forward_below_the_new_text(customer_a, queue_x):
    from tickets import services

    ticket = services.ticket_create(requester=customer_a, subject="Backups", description="They fail.", queue=queue_x)
    raw = load("forwarded_error.eml").replace(b"Subject: Fwd: Backup failed",
                                              f"Subject: Fwd: [{ticket.reference}] Backup failed".encode())

    record = email_channel.process_message(raw)

    assert record.outcome == Outcome.THREADED
    reply = ticket.messages.order_by("pk").last()
    assert "> Job nightly-db stopped" in reply.body and reply.attachments.count() == 1


def test_html_beside_an_empty_text_part_is_read(customer_a):
    ticket = opened("html_beside_empty_text.eml")

    assert ticket.description == "Please send the invoice to Acme GmbH, Hauptstraße 5."


def test_an_unquoted_boundary_with_an_equals_sign_is_recovered_with_its_image(customer_a):
    ticket = opened("boundary_with_equals.eml")

    assert ticket.description == "The screen goes black after login. Photo attached."
    assert "Content-Type" not in ticket.description
    assert files_of(ticket) == [("black.png", "image/png")]


@pytest.mark.parametrize(("name", "subject", "text"), [
    ("gb2312_labelled_utf8.eml", "打印机不工作", "您好，打印机从今天早上开始不工作了。"),
    ("undeclared_gbk.eml", "登录失败", "无法登录系统，请帮忙。"),
    ("undeclared_cp1252.eml", "Rechnung", "Grüße aus München – die Rechnung über 50 € fehlt."),
])
def test_wrong_or_missing_charsets_read_correctly(db, name, subject, text):
    ticket = opened(name)

    assert (ticket.subject, ticket.description) == (subject, text)
    assert "\ufffd" not in ticket.description


def test_a_file_without_extension_is_named_after_its_bytes_and_encoded_names_are_decoded(customer_a):
    ticket = opened("extensionless_png.eml")

    assert files_of(ticket) == [("screenshot.png", "image/png"), ("报告.pdf", "application/pdf")]


def test_a_different_mail_that_reuses_a_message_id_is_kept_and_logged(customer_a, caplog):
    first = email_channel.process_message(load("html_beside_empty_text.eml"))
    other = load("html_beside_empty_text.eml").replace(b"Hauptstra&szlig;e 5", b"Ringstra&szlig;e 9")

    with caplog.at_level(logging.WARNING, logger="tickets.intake"):
        second = email_channel.process_message(other)

    assert second.pk != first.pk and second.outcome == Outcome.CREATED and second.ticket != first.ticket
    assert "Ringstraße 9" in second.ticket.description
    assert any("used before by a different message" in line for line in caplog.messages)
    # A re-delivery of either one (new Received: lines) is still a no-op.
    redelivered = b"Received: from relay.example by mx.example; Wed, 25 Nov 2026 08:06:00 +0000\r\n" + other
    assert email_channel.process_message(redelivered).pk == second.pk
    assert email_channel.process_message(load("html_beside_empty_text.eml")).pk == first.pk
    assert Ticket.objects.count() == 2


def test_a_part_that_cannot_be_decoded_becomes_a_note_not_a_lost_message(customer_a):
    raw = load("boundary_with_equals.eml").replace(b"Content-Transfer-Encoding: base64",
                                                   b"Content-Transfer-Encoding: x-unknown")
    ticket = opened_raw(raw)

    assert ticket.description == "The screen goes black after login. Photo attached."
    note = Message.objects.get(ticket=ticket, is_internal=True)
    assert "black.png" in note.body


def opened_raw(raw) -> Ticket:
    record = email_channel.process_message(raw)
    assert record.outcome == Outcome.CREATED, record.reason
    return record.ticket


@pytest.mark.parametrize(("data", "declared", "expected"), [
    (b"plain ascii", None, "plain ascii"),
    ("naïve café".encode(), "iso-8859-1", "naïve café"),  # UTF-8 under a Latin-1 label
    ("naïve café".encode("latin-1"), "iso-8859-1", "naïve café"),
    ("Größe".encode("cp1252"), None, "Größe"),
    ("中文邮件".encode("gb2312"), "gb2312", "中文邮件"),
    ("中文邮件".encode("gbk"), None, "中文邮件"),
    ("한국어".encode("euc-kr"), "ks_c_5601-1987", "한국어"),
    ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
    (b"\x81\x8d\x8f", "no-such-charset", "\ufffd\ufffd\ufffd"),  # never raises
])
def test_the_charset_chain(data, declared, expected):
    assert charsets.decode(data, declared) == expected
