"""Reads about recompute runs, for the "last computed" line and the "recompute now" button."""

from reports.clock import DEAD_AFTER
from reports.models import ReportRun


def last_computed():
    """When the numbers were last computed: the latest finished run's ``finished_at``, or None."""
    return (ReportRun.objects.filter(status=ReportRun.Status.DONE).order_by("-finished_at")
            .values_list("finished_at", flat=True).first())


def run_in_progress(now=None) -> ReportRun | None:
    """The queued or running recompute that is still alive, if any (the button then says it is on its way)."""
    from django.db.models import Q
    from django.utils import timezone

    cutoff = (now or timezone.now()) - DEAD_AFTER
    alive = Q(status=ReportRun.Status.QUEUED, requested_at__gte=cutoff) | Q(
        status=ReportRun.Status.RUNNING, started_at__gte=cutoff)
    return ReportRun.objects.filter(alive).select_related("requested_by").order_by("requested_at", "pk").first()
