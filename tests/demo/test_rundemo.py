"""`make run`: links use the address it serves, and Celery beat's schedule runs inside the server process."""

import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from celery.schedules import crontab
from django.core import mail
from django.utils import timezone

from demo.management.commands.rundemo import Command as RunDemo
from demo.scheduler import InProcessScheduler
from helpdesk.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def make_dry_run(*args, **env):
    """What `make run` would execute, without running it."""
    clean = {"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env}
    result = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60, check=True)
    return [line for line in result.stdout.splitlines() if "manage.py" in line]


# ---------------------------------------------------------------- SITE_URL


def test_make_run_derives_site_url_from_host_and_port():
    lines = make_dry_run("PORT=8200")
    server = next(line for line in lines if "rundemo" in line)
    assert "SITE_URL=http://127.0.0.1:8200 " in server and server.endswith("rundemo 127.0.0.1:8200")
    seed = next(line for line in lines if "seed_demo" in line)
    assert "SITE_URL=http://127.0.0.1:8200 " in seed, "e-mail written while seeding links to the same place"
    assert "SITE_URL=http://localhost:9000 " in next(
        line for line in make_dry_run("HOST=localhost", "PORT=9000") if "rundemo" in line)


def test_a_site_url_set_by_hand_is_kept():
    server = next(line for line in make_dry_run("PORT=8200", SITE_URL="https://help.example.com") if "rundemo" in line)
    assert "SITE_URL=https://help.example.com " in server and "rundemo 127.0.0.1:8200" in server


def test_make_run_sets_a_short_survey_delay():
    server = next(line for line in make_dry_run() if "rundemo" in line)
    assert "SURVEY_DELAY_SECONDS=60 " in server


# ---------------------------------------------------------------- the scheduler


class FakeTask:
    def __init__(self, log, name, fails=False):
        self.log, self.name, self.fails = log, name, fails

    def apply(self, throw=False):
        self.log.append(self.name)
        if self.fails:
            raise RuntimeError("boom")


class FakeApp:
    def __init__(self, *failing):
        self.log = []
        self.tasks = {name: FakeTask(self.log, name, name in failing)
                      for name in ("mail", "surveys", "nightly")}
        self.conf = celery_app.conf
        self.timezone = UTC

    def now(self):
        return datetime.now(UTC)


SCHEDULE = {
    "send-mail": {"task": "mail", "schedule": 60.0},
    "send-surveys": {"task": "surveys", "schedule": 600.0},
    "nightly-reports": {"task": "nightly", "schedule": crontab(hour=2, minute=0)},
}
START = datetime(2026, 12, 3, 1, 59, 50, tzinfo=UTC)


def test_due_entries_run_and_nothing_runs_at_start_up():
    app = FakeApp()
    scheduler = InProcessScheduler(SCHEDULE, app=app)
    assert scheduler.run_pending(START) == [], "the first call starts the clocks, as Celery beat does"
    assert scheduler.run_pending(START + timedelta(seconds=5)) == []
    assert scheduler.run_pending(START + timedelta(seconds=15)) == ["nightly-reports"], "02:00 has passed"
    assert scheduler.run_pending(START + timedelta(seconds=60)) == ["send-mail"]
    assert scheduler.run_pending(START + timedelta(seconds=90)) == []
    assert scheduler.run_pending(START + timedelta(seconds=600)) == ["send-mail", "send-surveys"]
    assert app.log == ["nightly", "mail", "mail", "surveys"]


def test_the_demo_runs_interval_tasks_more_often_but_keeps_clock_times():
    app = FakeApp()
    scheduler = InProcessScheduler(SCHEDULE, app=app, max_interval=15)
    scheduler.run_pending(START - timedelta(hours=1))
    assert scheduler.run_pending(START - timedelta(hours=1) + timedelta(seconds=15)) == ["send-mail", "send-surveys"]
    scheduler.run_pending(START)
    assert "nightly-reports" not in scheduler.run_pending(START + timedelta(seconds=5))
    assert "nightly-reports" in scheduler.run_pending(START + timedelta(seconds=15))


def test_a_failing_task_is_logged_and_the_others_still_run(caplog):
    app = FakeApp("mail")
    scheduler = InProcessScheduler(SCHEDULE, app=app)
    scheduler.run_pending(START - timedelta(hours=1))
    assert scheduler.run_pending(START) == ["send-mail", "send-surveys"]
    assert app.log == ["mail", "surveys"]
    assert "Periodic task send-mail (mail) failed" in caplog.text
    assert scheduler.run_pending(START + timedelta(seconds=5)) == []
    assert scheduler.run_pending(START + timedelta(seconds=60)) == ["send-mail", "nightly-reports"], \
        "and it runs at its next turn"


def test_the_thread_runs_due_tasks_and_stops_cleanly():
    app = FakeApp()
    scheduler = InProcessScheduler({"send-mail": {"task": "mail", "schedule": 0.01}}, app=app, tick=0.01)
    thread = scheduler.start()
    assert thread.name == "helpdesk-scheduler" and thread.daemon
    assert scheduler.start() is thread, "starting twice keeps one thread"
    deadline = timezone.now() + timedelta(seconds=5)
    while not app.log and timezone.now() < deadline:
        threading.Event().wait(0.01)
    assert app.log, "the thread ran the due task"
    assert scheduler.stop(timeout=5) is True
    assert not thread.is_alive()
    runs = len(app.log)
    threading.Event().wait(0.05)
    assert len(app.log) == runs, "nothing runs after stop()"


@pytest.mark.django_db
def test_the_beat_schedule_sends_a_due_survey_in_process(settings, customer_a, agent, queue_x,
                                                          django_capture_on_commit_callbacks):
    from feedback.models import Survey
    from tickets import services

    settings.SURVEY_DELAY_SECONDS = 60
    Survey.objects.create(name="CSAT", kind=Survey.Kind.CSAT, trigger=Survey.Trigger.TICKET_RESOLVED,
                          delay_hours=2, is_active=True)
    ticket = services.ticket_create(requester=customer_a, subject="VPN drops", description="x", queue=queue_x,
                                    notify=False)
    services.ticket_update(ticket=ticket, actor=agent, status="resolved", resolution_summary="Upgrade",
                           now=timezone.now() - timedelta(seconds=61), notify=False)
    scheduler = InProcessScheduler(settings.CELERY_BEAT_SCHEDULE, app=celery_app, max_interval=15)
    now = timezone.now()
    scheduler.run_pending(now)
    with django_capture_on_commit_callbacks(execute=True):
        ran = scheduler.run_pending(now + timedelta(seconds=15))
    assert "send-due-surveys" in ran and "send-queued-mail" in ran
    assert [message.to for message in mail.outbox] == [[customer_a.email]]
    assert ticket.reference in mail.outbox[0].subject and "/survey/" in mail.outbox[0].body


# ---------------------------------------------------------------- where it runs


def test_rundemo_starts_no_scheduler_when_celery_beat_has_the_job(settings, capsys):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # REDIS_URL set: a worker and beat run the tasks
    assert RunDemo().start_scheduler(15) is None
    assert not any(thread.name == InProcessScheduler.thread_name for thread in threading.enumerate())


def test_rundemo_starts_the_scheduler_on_the_embedded_default(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    command = RunDemo()
    scheduler = command.start_scheduler(15)
    try:
        assert scheduler is not None and scheduler.entries.keys() == settings.CELERY_BEAT_SCHEDULE.keys()
    finally:
        assert scheduler.stop(timeout=5)
    assert not any(thread.name == InProcessScheduler.thread_name for thread in threading.enumerate())


def test_no_scheduler_under_the_tests_gunicorn_or_the_worker():
    assert not any(thread.name == InProcessScheduler.thread_name for thread in threading.enumerate())
    probe = ("import sys, threading, helpdesk.wsgi, helpdesk.celery; "
             "print('demo.scheduler' in sys.modules, "
             "any(t.name == 'helpdesk-scheduler' for t in threading.enumerate()))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "DEBUG": "1"})
    assert result.stdout.split() == ["False", "False"], result.stderr
    assert "rundemo" not in (ROOT / "bin" / "serve").read_text(), "production serves with gunicorn and beat"


def test_rundemo_is_runserver_with_the_scheduler():
    parser = RunDemo().create_parser("manage.py", "rundemo")
    options = parser.parse_args(["127.0.0.1:8200", "--periodic-every", "5"])
    assert options.addrport == "127.0.0.1:8200" and options.periodic_every == 5 and options.use_reloader
