"""Days whose figures a late event changed: marked here, recomputed by the 10-minute task
(``reports.recompute.refresh``).

Today is recomputed every time anyway, so only earlier days are marked. The receivers (``reports.receivers``)
work out which days an event touches; marking is one upsert, inside the transaction of the change itself, so
a change that is rolled back marks nothing.
"""

from datetime import date, datetime

from django.utils import timezone

from reports.clock import report_timezone, report_today
from reports.models import ReportDay


def local_day(moment: datetime | None) -> date | None:
    return moment.astimezone(report_timezone()).date() if moment else None


def mark_dirty(days, *, now=None) -> list[date]:
    """Mark the given days (dates or aware datetimes, None ignored) before today as changed; returns them."""
    now = now or timezone.now()
    today = report_today(now)
    marked = sorted({day if isinstance(day, date) and not isinstance(day, datetime) else local_day(day)
                     for day in days if day is not None} - {today})
    marked = [day for day in marked if day is not None and day < today]
    if marked:
        ReportDay.objects.bulk_create([ReportDay(day=day, dirty_since=now) for day in marked],
                                      update_conflicts=True, unique_fields=["day"], update_fields=["dirty_since"])
    return marked


def dirty_days(*, before: date) -> list[date]:
    """The days marked changed, before ``before`` (today), oldest first."""
    return list(ReportDay.objects.filter(dirty_since__isnull=False, day__lt=before).order_by("day")
                .values_list("day", flat=True))
