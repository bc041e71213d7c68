"""Recompute the report snapshots for a range of days (by default the nightly window), e.g. to backfill:

    manage.py recompute_reports --from 2026-01-01 --to 2026-03-31
"""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reports import recompute


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{option} must be a date written YYYY-MM-DD, e.g. 2026-01-31 (got “{value}”).") from None


class Command(BaseCommand):
    help = "Recompute the report snapshot tables for a range of days (default: yesterday and the backfill days)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD",
                            help="First day (default: yesterday less REPORTS_BACKFILL_DAYS).")
        parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="Last day (default: yesterday).")

    def handle(self, *args, date_from=None, date_to=None, **options):
        default_from, default_to = recompute.nightly_window()
        first = _date(date_from, "--from") if date_from else default_from
        last = _date(date_to, "--to") if date_to else default_to
        if first > last:
            raise CommandError(f"--from ({first}) is after --to ({last}).")
        today = recompute.report_today()
        if last > today:
            raise CommandError(f"--to ({last}) is in the future: the last day that can be computed is today ({today}).")
        started = time.monotonic()
        written = recompute.recompute_and_record(first, last)
        for table, rows in written.items():
            self.stdout.write(f"{table}: {rows} rows")
        self.stdout.write(self.style.SUCCESS(
            f"Recomputed {first} – {last} ({(last - first).days + 1} days) in {time.monotonic() - started:.1f} s."))
