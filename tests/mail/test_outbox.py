import smtplib
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.utils import timezone

from helpdesk.mail import services
from helpdesk.mail.models import OutboundEmail
from helpdesk.mail.tasks import send_email, send_queued_mail


def queue(**overrides):
    fields = {"to": "alice@acme.example", "subject": "Hello", "text": "Body"}
    fields.update(overrides)
    return services.email_queue(**fields)


@pytest.mark.django_db
def test_queueing_stores_the_email_and_sends_it_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = queue(html="<p>Body</p>")
    assert email.status == OutboundEmail.Status.QUEUED
    assert mail.outbox == [], "nothing leaves before the transaction commits"

    for callback in callbacks:
        callback()

    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 1 and email.sent_at
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.extra_headers["Message-ID"] == email.message_id
    assert sent.alternatives[0][1] == "text/html"


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the caller failed")
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_running_the_task_twice_sends_once():
    email = queue()
    send_email(email.pk)
    send_email(email.pk)
    send_queued_mail()
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.attempts == 1


class FlakyBackend:
    """A mail server that fails with the given error, then accepts."""

    errors: list = []
    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.errors:
            raise FlakyBackend.errors.pop(0)
        FlakyBackend.sent.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_backend(settings):
    settings.EMAIL_BACKEND = "tests.mail.test_outbox.FlakyBackend"
    FlakyBackend.errors, FlakyBackend.sent = [], []
    return FlakyBackend


@pytest.mark.django_db
def test_transient_failure_is_retried_later_with_back_off(flaky_backend):
    flaky_backend.errors = [smtplib.SMTPServerDisconnected("gone"), smtplib.SMTPResponseException(451, b"try later")]
    email = queue()

    assert services.email_send(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED
    assert "SMTPServerDisconnected" in email.last_error
    first_delay = email.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_delay <= timedelta(minutes=1)
    assert services.emails_due() == [], "not due before its back-off has passed"

    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    send_queued_mail()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED and email.attempts == 2
    assert email.next_attempt_at - timezone.now() > timedelta(minutes=4), "the second wait is longer"

    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    send_queued_mail()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT and email.attempts == 3 and email.last_error == ""
    assert len(flaky_backend.sent) == 1


@pytest.mark.django_db
def test_permanent_failure_is_marked_failed_and_can_be_retried_from_admin(flaky_backend, client, admin_user):
    flaky_backend.errors = [smtplib.SMTPRecipientsRefused({"alice@acme.example": (550, b"no such user")})]
    email = queue()
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert "550" in email.last_error

    client.force_login(admin_user)
    changelist = client.get("/admin/mail/outboundemail/?status__exact=failed")
    assert "alice@acme.example" in changelist.content.decode()
    client.post("/admin/mail/outboundemail/", {"action": "retry", "_selected_action": [email.pk]})
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.QUEUED and email.attempts == 0
    send_queued_mail()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT


@pytest.mark.django_db
def test_gives_up_after_the_last_attempt(flaky_backend, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    flaky_backend.errors = [ConnectionRefusedError("refused"), ConnectionRefusedError("refused")]
    email = queue()
    services.email_send(email_id=email.pk)
    OutboundEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED and email.attempts == 2


@pytest.mark.django_db
def test_a_claim_left_by_a_dead_worker_is_sent_again(settings):
    email = queue()
    # A worker claimed the row and died before sending.
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENDING, claimed_at=timezone.now() - timedelta(minutes=30), attempts=1
    )
    send_queued_mail()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_fresh_claim_is_left_to_its_worker():
    email = queue()
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.SENDING, claimed_at=timezone.now())
    send_queued_mail()
    assert mail.outbox == []


@pytest.mark.django_db
def test_command_sends_due_mail(capsys):
    from django.core.management import call_command

    queue()
    queue(to="bob@acme.example")
    call_command("send_queued_mail")
    assert "Sent 2 e-mail(s)." in capsys.readouterr().out
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_lost_enqueue_is_picked_up_by_the_sweep(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(send_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = queue()  # the enqueue fails, the row stays queued
    monkeypatch.undo()
    assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.QUEUED
    send_queued_mail()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_email_once(monkeypatch):
    """Two threads, each with its own database connection, race over the same rows."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): SQLite serialises every writer")
    monkeypatch.setattr(services, "_enqueue", lambda email_id: None)  # leave the rows to the two workers
    emails = [queue(to=f"user{n}@example.com").pk for n in range(30)]
    assert mail.outbox == []
    start = threading.Barrier(2)
    results = {0: 0, 1: 0}

    def worker(index):
        try:
            start.wait()
            for email_id in emails:
                results[index] += services.email_send(email_id=email_id)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results[0] + results[1] == 30
    assert len(mail.outbox) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"user{n}@example.com" for n in range(30))
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}
