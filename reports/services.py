"""Writes of the reports app that people ask for: queueing a recompute ("recompute now")."""


from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.clock import DEAD_AFTER, report_today
from reports.models import ReportRun


class ReportRunError(Exception):
    """A recompute that cannot be queued; the message is for the person who asked."""


def _give_up_dead_runs(now) -> int:
    cutoff = now - DEAD_AFTER
    error = _("Stopped: not finished two hours after it was started or queued.")
    dead_running = ReportRun.objects.filter(status=ReportRun.Status.RUNNING, started_at__lt=cutoff)
    never_started = ReportRun.objects.filter(status=ReportRun.Status.QUEUED, requested_at__lt=cutoff)
    return (dead_running.update(status=ReportRun.Status.FAILED, finished_at=now, error=error)
            + never_started.update(status=ReportRun.Status.FAILED, finished_at=now, error=error))


def report_run_request(*, by, date_from, date_to, now=None) -> ReportRun:
    """Queue a recompute of ``date_from``–``date_to`` for a worker, unless one is already waiting or running:
    then that one is returned (its numbers are on their way). A run that died is given up first."""
    if date_from > date_to:
        raise ReportRunError(_("The first day must not be after the last day."))
    now = now or timezone.now()
    if date_to > report_today(now):  # the reports' own days
        raise ReportRunError(_("Days that have not started yet cannot be computed."))
    from reports.tasks import run_report_run

    with transaction.atomic():
        _give_up_dead_runs(now)
        pending = (ReportRun.objects.select_for_update()
                   .filter(status__in=[ReportRun.Status.QUEUED, ReportRun.Status.RUNNING])
                   .order_by("requested_at", "pk").first())
        if pending is not None:
            return pending
        run = ReportRun.objects.create(date_from=date_from, date_to=date_to, requested_by=by, requested_at=now,
                                       status=ReportRun.Status.QUEUED)
        transaction.on_commit(lambda: run_report_run.delay(run.pk))
    return run
