"""The recompute job: every snapshot table from SQL aggregates, a month of days at a time.

``refresh()`` (Celery beat, every 10 minutes) recomputes today and every earlier day a late event marked dirty
(``reports.dirty``: a reopening, a late survey answer, a merge), so figures are at most 10 minutes old and a
late event is counted on the days it belongs to, once. ``nightly()`` (02:00 in ``TIME_ZONE``) recomputes
yesterday and the ``REPORTS_BACKFILL_DAYS`` before it, as a safety net, and the churn months those days touch.
``execute_run()`` runs a recompute a manager queued (``reports.services.report_run_request``).

Two runs at once (a "recompute now" still running when beat starts one) take turns per month: each month's
transaction first takes a PostgreSQL advisory lock of that month (``lock_month``), so the second run waits,
then deletes the first's rows and writes its own, and every key has exactly one row. (SQLite lets one writer
in at a time anyway.) The unique constraints on every table's key are the backstop.

It is idempotent: each month of days is rewritten in one transaction (its rows of every table deleted and
inserted afresh, in a fixed order, floats rounded alike), so running it twice gives the same rows, and a run
killed half-way leaves each month either as it was or as it is now, never empty. Days without events have no
rows (pages read a missing row as zero), except the backlog, kept for every day it is not zero.
"""

import logging
import time
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from reports.clock import report_timezone, report_today
from reports.dirty import dirty_days
from reports.models import (
    AfterSalesDaily,
    AgentDaily,
    ArticleDaily,
    ChannelDaily,
    ChurnMonthly,
    FeedbackDaily,
    ImprovementDaily,
    KnowledgeDaily,
    ReportDay,
    ReportRun,
    SatisfactionDaily,
    SearchGapDaily,
    SupportDaily,
)
from reports.recompute import content, customers, support
from reports.recompute.base import month_chunks, write_rows

logger = logging.getLogger(__name__)

# Each daily table and the function that builds its rows for a chunk of days, in the order they are written.
TABLES = [
    (SupportDaily, support.support_daily),
    (AgentDaily, support.agent_daily),
    (ChannelDaily, support.channel_daily),
    (SatisfactionDaily, customers.satisfaction_daily),
    (AfterSalesDaily, customers.after_sales_daily),
    (KnowledgeDaily, content.knowledge_daily),
    (ArticleDaily, content.article_daily),
    (SearchGapDaily, content.search_gap_daily),
    (FeedbackDaily, content.feedback_daily),
    (ImprovementDaily, content.improvement_daily),
]


def nightly_window(today: date | None = None) -> tuple[date, date]:
    """Yesterday and the backfill days before it."""
    yesterday = (today or report_today()) - timedelta(days=1)
    return yesterday - timedelta(days=settings.REPORTS_BACKFILL_DAYS), yesterday


def months_between(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s to ``last``'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


# The first key of the two-number advisory locks this job takes ("RPRT"); the second is the month (2026 × 12 + 11).
LOCK_NAMESPACE = 0x52505254


def lock_month(month: date) -> None:
    """Wait until no other run is writing ``month``, and hold it until this transaction ends (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, month.year * 12 + month.month - 1])


def _record_days(chunk, started) -> None:
    """The chunk's days were computed now; a day marked dirty after this run started stays dirty."""
    days = list(chunk.days())
    ReportDay.objects.bulk_create([ReportDay(day=day) for day in days], ignore_conflicts=True)
    ReportDay.objects.filter(day__in=days).update(computed_at=started)
    ReportDay.objects.filter(day__in=days, dirty_since__lte=started).update(dirty_since=None)


def _write_churn(month: date) -> int:
    row = customers.churn_monthly(month)
    ChurnMonthly.objects.filter(month=month).delete()
    row.save()
    return 1


def recompute_range(date_from: date, date_to: date, *, churn_from: date | None = None, now=None,
                    on_progress=None) -> dict[str, int]:
    """Rewrite the snapshots of the days ``date_from``–``date_to`` and the churn months from ``churn_from``'s
    (default: ``date_from``'s) to ``date_to``'s; returns the rows written per table. ``on_progress(days)`` is
    called with the number of days written so far after each month's chunk is committed."""
    if date_from > date_to:
        raise ValueError(f"The range starts ({date_from}) after it ends ({date_to}).")
    now = now or timezone.now()
    written = {model.__name__: 0 for model, _build in TABLES} | {ChurnMonthly.__name__: 0}
    churn_months = months_between(churn_from or date_from, date_to)
    state: dict = {}  # handed from one chunk to the next (the running backlog)
    days_done = 0
    for chunk in month_chunks(date_from, date_to, report_timezone(), connection.vendor == "postgresql", now):
        with transaction.atomic():
            lock_month(chunk.first.replace(day=1))  # before reading, so this run sees what the other one wrote
            if chunk.postgres:  # room for the month's sorts (GROUP BY, percentiles) in memory, this transaction only
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL work_mem = '64MB'")
            for model, build in TABLES:
                rows = build(chunk, state)
                model.objects.filter(day__gte=chunk.first, day__lte=chunk.last).delete()
                write_rows(model, rows)
                written[model.__name__] += len(rows)
            _record_days(chunk, now)
            month = chunk.first.replace(day=1)
            if month in churn_months:
                churn_months.remove(month)
                written[ChurnMonthly.__name__] += _write_churn(month)
        days_done += (chunk.last - chunk.first).days + 1
        if on_progress is not None:
            on_progress(days_done)
    for month in churn_months:
        with transaction.atomic():
            lock_month(month)
            written[ChurnMonthly.__name__] += _write_churn(month)
    return written


def _execute(run: ReportRun, *, churn_from: date | None = None, reraise: bool = True) -> dict[str, int] | None:
    """Recompute a claimed run's days and record how it ended."""
    started = time.monotonic()
    try:
        written = recompute_range(
            run.date_from, run.date_to, churn_from=churn_from,
            on_progress=lambda days: ReportRun.objects.filter(pk=run.pk).update(days_done=days))
    except Exception as error:
        logger.exception("Report run %s (%s – %s) failed", run.pk, run.date_from, run.date_to)
        ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.FAILED, finished_at=timezone.now(),
                                                   error=f"{type(error).__name__}: {error}"[:2000])
        if reraise:
            raise
        return None
    ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.DONE, finished_at=timezone.now(), error="")
    logger.info("Report run %s (%s – %s) done in %.1f s: %s", run.pk, run.date_from, run.date_to,
                time.monotonic() - started, written)
    return written


def recompute_and_record(date_from: date, date_to: date, *, churn_from: date | None = None, by=None):
    """Recompute now, in this process, recorded as a ``ReportRun`` (beat, the command, the seed data)."""
    run = ReportRun.objects.create(date_from=date_from, date_to=date_to, status=ReportRun.Status.RUNNING,
                                   requested_by=by, started_at=timezone.now())
    return _execute(run, churn_from=churn_from)


def contiguous(days: list[date]) -> list[tuple[date, date]]:
    """Sorted days as (first, last) runs of consecutive days: [1, 2, 3, 7] → [(1, 3), (7, 7)]."""
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def refresh(now=None) -> dict[str, int]:
    """Every 10 minutes: today and the days marked dirty, each run of consecutive days as one recorded run."""
    today = report_today(now)
    written: dict[str, int] = {}
    for first, last in contiguous(sorted({*dirty_days(before=today), today})):
        for table, rows in (recompute_and_record(first, last) or {}).items():
            written[table] = written.get(table, 0) + rows
    return written


def nightly() -> dict[str, int]:
    date_from, date_to = nightly_window()
    return recompute_and_record(date_from, date_to)


def execute_run(run_id: int) -> dict[str, int] | None:
    """Run a queued ``ReportRun`` once: the conditional UPDATE lets exactly one worker claim it."""
    claimed = ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).update(
        status=ReportRun.Status.RUNNING, started_at=timezone.now())
    if claimed != 1:
        return None  # another worker has it, or it already ran
    return _execute(ReportRun.objects.get(pk=run_id), reraise=False)
