"""Celery tasks: each takes ids or dates, calls one function, nothing else."""

from celery import shared_task


@shared_task
def recompute_reports():
    """Nightly at 02:00: yesterday plus the backfill window."""
    from reports import recompute

    recompute.nightly()


@shared_task
def refresh_reports():
    """Every 10 minutes: today and the days a late event changed."""
    from reports import recompute

    recompute.refresh()


@shared_task
def run_report_run(run_id: int):
    """A recompute a manager queued with "recompute now" (a ``ReportRun``)."""
    from reports import recompute

    recompute.execute_run(run_id)
