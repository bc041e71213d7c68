"""A mail that cannot be processed is never lost: it leaves a failed record with its error and its bytes,
is tried again a bounded number of times, is then filed away but kept in admin, and fetch_email exits
non-zero while any mail fails."""

import os

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.tickets.test_inbound import load, make_maildir
from tickets.channels import email as email_channel
from tickets.intake import pipeline
from tickets.models import IntakeRecord, Ticket

pytestmark = pytest.mark.django_db
Outcome = IntakeRecord.Outcome


@pytest.fixture(autouse=True)
def _mail_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INBOUND_UNKNOWN_SENDER = "create"
    settings.INBOUND_DEFAULT_QUEUE = "technical"
    settings.INBOUND_IMAP_HOST = ""
    settings.INBOUND_MAX_ATTEMPTS = 3


@pytest.fixture
def broken_handling(monkeypatch):
    """Processing that raises half-way, after it has started to write."""
    real = pipeline._handle

    def explode(message, vouched_by):
        real(message, vouched_by)  # a ticket is written, then the error: none of it may stay
        raise RuntimeError("disk full")

    monkeypatch.setattr(pipeline, "_handle", explode)
    return lambda: monkeypatch.setattr(pipeline, "_handle", real)


def test_a_mail_that_raises_leaves_a_failed_record_and_nothing_half_done(customer_a, broken_handling):
    raw = load("new_ticket.eml")
    record = email_channel.process_message(raw)
    assert record.outcome == Outcome.FAILED and record.attempts == 1
    assert "RuntimeError: disk full" in record.reason and "disk full" in record.error
    assert bytes(record.raw) == raw
    assert Ticket.objects.count() == 0  # the half-made ticket was rolled back

    again = email_channel.process_message(raw)
    assert again.pk == record.pk and again.attempts == 2

    broken_handling()  # fixed: the next try works and the record says so
    done = email_channel.process_message(raw)
    assert done.pk == record.pk and done.outcome == Outcome.CREATED and done.ticket is not None
    assert done.error == "" and bytes(done.raw) == b""
    assert IntakeRecord.objects.count() == 1


def test_after_the_last_attempt_the_mail_is_filed_away_and_fetch_email_fails(
        settings, tmp_path, customer_a, broken_handling):
    maildir = make_maildir(tmp_path / "Maildir")
    (maildir / "new" / "1700000001.M1P1.mx").write_bytes(load("new_ticket.eml"))
    (maildir / "new" / "1700000002.M2P1.mx").write_bytes(load("html_only.eml"))
    settings.INBOUND_MAILDIR = str(maildir)

    for attempt in range(1, settings.INBOUND_MAX_ATTEMPTS + 1):
        with pytest.raises(CommandError, match="2 inbound e-mail"):
            call_command("fetch_email")
        left = sorted(os.listdir(maildir / "new"))
        if attempt < settings.INBOUND_MAX_ATTEMPTS:
            assert len(left) == 2  # tried again next run
    assert os.listdir(maildir / "new") == []  # given up: no longer retried every minute
    assert set(IntakeRecord.objects.values_list("outcome", "attempts")) == {(Outcome.FAILED, 3)}
    call_command("fetch_email")  # nothing left to fail


def test_a_failed_mail_is_shown_in_admin_and_its_message_can_be_downloaded(client, admin_user, customer_a,
                                                                            broken_handling):
    raw = load("new_ticket.eml")
    record = email_channel.process_message(raw)
    client.force_login(admin_user)
    listing = client.get(reverse("admin:tickets_intakerecord_changelist") + "?outcome=failed")
    assert record.subject in listing.content.decode()
    page = client.get(reverse("admin:tickets_intakerecord_change", args=[record.pk])).content.decode()
    assert "disk full" in page
    download = client.get(reverse("admin:tickets_intakerecord_raw", args=[record.pk]))
    assert download.status_code == 200 and download.content == raw
    assert download["Content-Type"] == "message/rfc822"
    assert "attachment" in download["Content-Disposition"]


def test_only_those_who_may_read_inbound_mail_in_admin_download_it(client, manager, agent, customer_a,
                                                                   broken_handling):
    record = email_channel.process_message(load("new_ticket.eml"))
    url = reverse("admin:tickets_intakerecord_raw", args=[record.pk])
    for user in (customer_a, agent):
        client.force_login(user)
        assert client.get(url).status_code == 302  # to the admin's sign-in
    client.force_login(manager)  # managers read tickets and inbound mail in admin
    assert client.get(url).status_code == 200
