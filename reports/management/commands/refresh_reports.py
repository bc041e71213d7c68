"""Recompute today's report snapshots and every earlier day a late event changed (what beat runs every
10 minutes), e.g. from cron:

    */10 * * * * manage.py refresh_reports
"""

import time

from django.core.management.base import BaseCommand

from reports import recompute
from reports.clock import report_today
from reports.dirty import dirty_days


class Command(BaseCommand):
    help = "Recompute the report snapshots of today and of the days marked changed by a late event."

    def handle(self, *args, **options):
        started = time.monotonic()
        days = dirty_days(before=report_today())
        written = recompute.refresh()
        for table, rows in written.items():
            self.stdout.write(f"{table}: {rows} rows")
        changed = ", ".join(day.isoformat() for day in days) if days else "none"
        self.stdout.write(self.style.SUCCESS(
            f"Recomputed today and {len(days)} changed day(s) ({changed}) in {time.monotonic() - started:.1f} s."))
