"""Mailers that put unencoded 8-bit text in headers: the sender's name, the subject and file names are read
as the words they are, and the mail becomes a ticket instead of an error that comes back every minute."""

import pytest

from tickets.channels import email as email_channel
from tickets.channels.email import charsets
from tickets.models import IntakeRecord

pytestmark = pytest.mark.django_db


def raw_mail(from_header: bytes, *, subject: bytes = b"Drucker", key: str) -> bytes:
    return (
        b"From: " + from_header + b"\r\nTo: help@support.example\r\nSubject: " + subject + b"\r\n"
        b"Date: Mon, 23 Nov 2026 11:05:00 +0000\r\nMessage-ID: <" + key.encode() + b"@mail.example>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + b"Der Drucker druckt nicht.\r\n"
    )


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path, queue_x):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INBOUND_UNKNOWN_SENDER = "create"
    settings.INBOUND_DEFAULT_QUEUE = queue_x.slug


@pytest.mark.parametrize("from_header", [
    "Jürgen Müller <juergen@example.de>".encode(),  # raw UTF-8
    '"Jürgen Müller" <juergen@example.de>'.encode(),
    b"=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.de>",  # encoded, as it should be
    "Jürgen Müller <juergen@example.de>".encode("cp1252"),  # raw Latin-1
], ids=["raw-utf8", "raw-utf8-quoted", "rfc2047", "raw-latin1"])
def test_a_new_customer_with_an_accented_name_gets_a_ticket(from_header):
    record = email_channel.process_message(raw_mail(from_header, key=str(abs(hash(from_header)))))
    assert record.outcome == IntakeRecord.Outcome.CREATED
    assert record.ticket.requester.name == "Jürgen Müller"
    assert record.ticket.requester.email == "juergen@example.de"


def test_a_raw_utf8_chinese_subject_and_name_are_kept():
    record = email_channel.process_message(
        raw_mail("王小明 <wang@example.cn>".encode(), subject="打印机无法打印".encode(), key="cn-raw"))
    assert record.ticket.subject == "打印机无法打印"
    assert record.ticket.requester.name == "王小明"


def test_repair_leaves_proper_text_alone_and_never_returns_surrogates():
    assert charsets.repair("Erin Östlund") == "Erin Östlund"
    for broken in ["J\udcc3\udcbcrgen", "\ud800 lone", "M\udcfcller"]:
        repaired = charsets.repair(broken)
        assert not any("\ud800" <= char <= "\udfff" for char in repaired)
        repaired.encode("utf-8")  # storable


def test_a_raw_gbk_name_is_read_as_chinese_and_a_raw_latin1_one_as_latin():
    assert charsets.repair("王小明".encode("gbk").decode("utf-8", "surrogateescape")) == "王小明"
    assert charsets.repair("Ångström Café".encode("cp1252").decode("utf-8", "surrogateescape")) == "Ångström Café"
