"""A real Celery worker takes a task from Redis and runs it against the database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from helpdesk.celery import app as celery_app
from helpdesk.mail import services
from helpdesk.mail.models import OutboundEmail
from helpdesk.mail.tasks import send_email

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_worker_consumes_a_task_from_redis(monkeypatch, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis: set REDIS_URL (CI does)")
    if connection.vendor != "postgresql":
        pytest.skip("needs a database the worker process can share: set DATABASE_URL to PostgreSQL (CI does)")

    monkeypatch.setattr(services, "_enqueue", lambda email_id: None)
    email = services.email_queue(to="alice@acme.example", subject="From the worker", text="Hello")

    queue = f"test-{uuid.uuid4().hex[:8]}"  # a queue of its own, so no other worker takes the task
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path),
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "--pool=solo", "-Q", queue,
         "--without-mingle", "--without-gossip", "--loglevel=INFO"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        celery_app.conf.task_always_eager = False
        send_email.apply_async((email.pk,), queue=queue)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            email.refresh_from_db()
            if email.status == OutboundEmail.Status.SENT:
                break
            time.sleep(0.25)
    finally:
        celery_app.conf.task_always_eager = True
        worker.terminate()
        output = worker.communicate(timeout=30)[0]

    assert email.status == OutboundEmail.Status.SENT, output[-3000:]
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and "From the worker" in written[0].read_text()
    assert "Task helpdesk.mail.tasks.send_email[" in output
