"""A Celery worker killed with SIGKILL in the middle of a batch of e-mails: after a restart every
e-mail goes out once, none twice."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from helpdesk.celery import app as celery_app
from helpdesk.mail import services as mail_services
from helpdesk.mail.models import OutboundEmail
from helpdesk.mail.tasks import send_email, send_queued_mail

ROOT = Path(__file__).resolve().parent.parent


def start_worker(queue, mail_dir):
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "tests.slow_mail_backend.SlowFileBackend",
        "SLOW_MAIL_DIR": str(mail_dir),
        "SLOW_MAIL_SECONDS": "0.4",
        "CELERY_QUEUE": queue,
        # A claim older than this belongs to a dead worker; the test cannot wait the production 15 minutes.
        "OUTBOX_STALE_CLAIM_MINUTES": "0",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "--pool=solo", "-Q", queue,
         "--without-mingle", "--without-gossip", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def queue_batch(count):
    """The batch to send; subclass tests make it from survey invitations."""
    return [mail_services.email_queue(to=f"customer{n}@example.com", subject=f"Survey {n}", text="How did we do?").pk
            for n in range(count)]


def run_killed_worker_scenario(email_ids, tmp_path):
    queue = f"test-{uuid.uuid4().hex[:8]}"
    mail_dir = tmp_path / "delivered"
    mail_dir.mkdir()
    previous_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    first = start_worker(queue, mail_dir)
    second = None
    try:
        for email_id in email_ids:
            send_email.apply_async((email_id,))
        # Kill the worker while it is inside the third send: started, not delivered.
        assert wait_for(lambda: len(list(mail_dir.glob("*.sending"))) >= 3), first.stdout.read(3000)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        delivered_before = len(list(mail_dir.glob("*.eml")))
        assert delivered_before < len(email_ids), "the batch was cut in the middle"
        assert OutboundEmail.objects.filter(pk__in=email_ids, status=OutboundEmail.Status.SENDING).count() == 1

        second = start_worker(queue, mail_dir)
        send_queued_mail.apply_async()  # the every-minute sweep re-queues the dead worker's claim
        all_sent = wait_for(lambda: OutboundEmail.objects.filter(
            pk__in=email_ids, status=OutboundEmail.Status.SENT).count() == len(email_ids), seconds=90)
        send_queued_mail.apply_async()  # a second sweep finds nothing left to send
        time.sleep(1)
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.conf.task_default_queue = previous_queue
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)
    assert all_sent, (second.stdout.read() if second else "")[-3000:]
    deliveries = Counter(path.name.split(".")[0] for path in mail_dir.glob("*.eml"))
    assert len(deliveries) == len(email_ids), "every e-mail was delivered"
    assert set(deliveries.values()) == {1}, f"none twice: {deliveries.most_common(3)}"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_loses_no_email_and_sends_none_twice(monkeypatch, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    if connection.vendor != "postgresql":
        pytest.skip("needs a database the worker processes can share: set DATABASE_URL to PostgreSQL (CI does)")
    monkeypatch.setattr(mail_services, "_enqueue", lambda email_id: None)
    run_killed_worker_scenario(queue_batch(10), tmp_path)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_survey_invitations_survive_a_killed_worker(monkeypatch, tmp_path):
    """The same, for a batch of satisfaction-survey invitations made by the survey task."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    if connection.vendor != "postgresql":
        pytest.skip("needs a database the worker processes can share: set DATABASE_URL to PostgreSQL (CI does)")
    from feedback import services as feedback_services
    from feedback.models import Question, Survey, SurveyInvitation
    from tests.factories import CustomerFactory
    from tests.tickets.factories import QueueFactory, TicketFactory
    from tickets.models import Ticket

    monkeypatch.setattr(mail_services, "_enqueue", lambda email_id: None)
    monkeypatch.setattr(feedback_services, "fatigue_days", lambda: 0)
    survey = Survey.objects.create(name="After a ticket", kind=Survey.Kind.CSAT, scale=5,
                                   trigger=Survey.Trigger.TICKET_RESOLVED, delay_hours=0, expiry_days=14)
    Question.objects.create(survey=survey, order=1, kind=Question.Kind.RATING, text_en="How did we do?",
                            text_zh_hans="我们做得如何？")
    queue = QueueFactory()
    for n in range(10):
        TicketFactory(requester=CustomerFactory(email=f"rater{n}@example.com"), queue=queue,
                      status=Ticket.Status.RESOLVED, resolved_at=timezone.now() - timedelta(hours=1))
    feedback_services.send_due_surveys()
    invitations = SurveyInvitation.objects.all()
    assert invitations.count() == 10
    email_ids = list(OutboundEmail.objects.filter(to__startswith="rater").values_list("pk", flat=True))
    assert len(email_ids) == 10

    run_killed_worker_scenario(email_ids, tmp_path)
    feedback_services.send_due_surveys()  # a later run invites nobody again
    assert SurveyInvitation.objects.count() == 10
    assert OutboundEmail.objects.filter(to__startswith="rater").count() == 10
