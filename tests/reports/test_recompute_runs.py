"""Running the recompute: beat at 02:00, the nightly window, queued runs claimed once, "recompute now", the
command, and when the numbers were last computed."""

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest
from celery.schedules import crontab
from django.core.management import CommandError, call_command
from django.utils import timezone

from reports import recompute, tasks
from reports.models import ChurnMonthly, ReportRun
from reports.selectors_runs import last_computed, run_in_progress
from reports.services import ReportRunError, report_run_request

Status = ReportRun.Status
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def today():
    with mock.patch.object(recompute, "report_today", return_value=TODAY):
        yield TODAY


def queued_run(**fields):
    return ReportRun.objects.create(date_from=date(2026, 3, 1), date_to=date(2026, 3, 2), **fields)


def test_beat_recomputes_at_two_in_the_morning_in_the_configured_time_zone(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["recompute-reports"]
    assert entry["task"] == "reports.tasks.recompute_reports"
    assert entry["schedule"] == crontab(hour=2, minute=0)
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE


@pytest.mark.django_db
def test_nightly_recomputes_yesterday_and_the_backfill_days(settings, today):
    settings.REPORTS_BACKFILL_DAYS = 3
    with mock.patch.object(recompute, "recompute_range", return_value={"SupportDaily": 0}) as job:
        tasks.recompute_reports.delay()

    assert job.call_args.args == (date(2026, 3, 6), date(2026, 3, 9))
    run = ReportRun.objects.get()
    assert (run.status, run.date_from, run.date_to) == (Status.DONE, date(2026, 3, 6), date(2026, 3, 9))
    assert run.started_at <= run.finished_at


@pytest.mark.django_db
def test_nightly_writes_the_churn_months_its_days_touch(settings, today):
    settings.REPORTS_BACKFILL_DAYS = 12  # 25 February – 9 March

    recompute.nightly()

    assert list(ChurnMonthly.objects.values_list("month", flat=True)) == [date(2026, 2, 1), date(2026, 3, 1)]


@pytest.mark.django_db
def test_a_queued_run_is_claimed_once():
    run = queued_run()
    with mock.patch.object(recompute, "recompute_range", return_value={"SupportDaily": 3}) as job:
        first = recompute.execute_run(run.pk)
        second = recompute.execute_run(run.pk)  # a second worker got the same message

    assert (first, second) == ({"SupportDaily": 3}, None)
    assert job.call_count == 1
    run.refresh_from_db()
    assert run.status == Status.DONE and run.finished_at is not None


@pytest.mark.django_db
def test_a_run_another_worker_is_running_is_left_alone():
    run = queued_run(status=Status.RUNNING, started_at=timezone.now())
    with mock.patch.object(recompute, "recompute_range") as job:
        assert recompute.execute_run(run.pk) is None
    job.assert_not_called()


@pytest.mark.django_db
def test_a_failed_run_records_the_error():
    run = queued_run()
    with mock.patch.object(recompute, "recompute_range", side_effect=RuntimeError("disk full")):
        assert recompute.execute_run(run.pk) is None

    run.refresh_from_db()
    assert run.status == Status.FAILED
    assert run.error == "RuntimeError: disk full"
    assert last_computed() is None


def test_recompute_now_queues_a_run_that_a_worker_then_runs(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        run = report_run_request(by=manager, date_from=date(2026, 3, 1), date_to=date(2026, 3, 2))

    assert len(callbacks) == 1
    run.refresh_from_db()
    assert (run.status, run.requested_by) == (Status.DONE, manager)  # Celery is eager in tests
    assert last_computed() == run.finished_at


def test_recompute_now_twice_gives_the_run_already_waiting(manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = report_run_request(by=manager, date_from=date(2026, 3, 1), date_to=date(2026, 3, 2))
        second = report_run_request(by=manager, date_from=date(2026, 2, 1), date_to=date(2026, 3, 2))

    assert second == first
    assert ReportRun.objects.count() == 1 and len(callbacks) == 1
    assert run_in_progress() == first


def test_a_run_running_for_over_two_hours_is_dead_and_a_new_one_may_be_queued(manager):
    dead = queued_run(status=Status.RUNNING, started_at=timezone.now() - timedelta(hours=2, minutes=1))
    live = queued_run(status=Status.RUNNING, started_at=timezone.now() - timedelta(hours=1))
    assert run_in_progress() == live
    live.delete()
    assert run_in_progress() is None

    run = report_run_request(by=manager, date_from=date(2026, 3, 1), date_to=date(2026, 3, 2))

    dead.refresh_from_db()
    assert dead.status == Status.FAILED and "two hours" in dead.error
    assert run.pk != dead.pk and run.status == Status.QUEUED


def test_recompute_now_refuses_a_range_that_ends_before_it_starts(manager):
    with pytest.raises(ReportRunError, match="must not be after"):
        report_run_request(by=manager, date_from=date(2026, 3, 2), date_to=date(2026, 3, 1))
    with pytest.raises(ReportRunError, match="not started"):
        report_run_request(by=manager, date_from=date(2026, 3, 1), date_to=timezone.localdate() + timedelta(days=1))
    assert not ReportRun.objects.exists()


@pytest.mark.django_db
def test_last_computed_is_the_latest_finished_run():
    now = timezone.now()
    queued_run(status=Status.DONE, finished_at=now - timedelta(days=1))
    latest = queued_run(status=Status.DONE, finished_at=now - timedelta(hours=1))
    queued_run(status=Status.FAILED, finished_at=now)

    assert last_computed() == latest.finished_at


@pytest.mark.django_db
def test_the_command_recomputes_a_range_and_says_what_it_wrote():
    out = StringIO()
    call_command("recompute_reports", "--from", "2026-01-30", "--to", "2026-02-02", stdout=out)

    assert "SupportDaily: 0 rows" in out.getvalue()
    assert "ChurnMonthly: 2 rows" in out.getvalue()
    assert "Recomputed 2026-01-30 – 2026-02-02 (4 days)" in out.getvalue()
    run = ReportRun.objects.get()
    assert (run.status, run.date_from, run.date_to) == (Status.DONE, date(2026, 1, 30), date(2026, 2, 2))


@pytest.mark.django_db
def test_the_command_defaults_to_the_nightly_window(settings, today):
    settings.REPORTS_BACKFILL_DAYS = 1
    call_command("recompute_reports", stdout=StringIO())
    run = ReportRun.objects.get()
    assert (run.date_from, run.date_to) == (date(2026, 3, 8), date(2026, 3, 9))


@pytest.mark.django_db
@pytest.mark.parametrize(("arguments", "message"), [
    (["--from", "2026-02-30"], "--from must be a date written YYYY-MM-DD"),
    (["--from", "yesterday"], "--from must be a date written YYYY-MM-DD"),
    (["--from", "2026-03-05", "--to", "2026-03-01"], "--from (2026-03-05) is after --to (2026-03-01)"),
    (["--from", "2026-03-01", "--to", "2026-03-11"], "--to (2026-03-11) is in the future"),
])
def test_the_command_refuses_bad_dates(today, arguments, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("recompute_reports", *arguments, stdout=StringIO())
    assert not ReportRun.objects.exists()
