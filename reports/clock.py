"""The reports' clock: the time zone their days are in, today, and how long a recompute may take.

Both sides of the reports app read it: the recompute job (``reports.recompute``, the tasks and the
command) and the pages (selectors, forms, tables). It imports nothing of the app, so neither side has to
import the other to know what day it is.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# A run not finished this long after it started (or still waiting this long after it was queued) died with
# its worker, or its message was lost: a new one may be queued.
DEAD_AFTER = timedelta(hours=2)


def report_timezone() -> ZoneInfo:
    """Snapshot days are days in ``TIME_ZONE``, whoever looks at them."""
    return ZoneInfo(settings.TIME_ZONE)


def report_today(now: datetime | None = None) -> date:
    """Today in the reports' time zone (of ``now``, default the current time)."""
    return (now or timezone.now()).astimezone(report_timezone()).date()
