"""Demo data for ``seed_demo``, played last: the customer-care story, health scores, 90 days of reports."""

import time
from datetime import timedelta

from care import health
from demo import at_risk, care
from reports import recompute
from reports.clock import report_today

DAYS = 90
CHURN_MONTHS = 12


def recompute_reports(stdout=None) -> dict[str, int]:
    """The demo's last 90 days (today included) and its last 12 churn months, recorded as a report run."""
    started = time.monotonic()
    today = report_today()
    churn_from = recompute.months_between(today - timedelta(days=366), today)[-CHURN_MONTHS]
    written = recompute.recompute_and_record(today - timedelta(days=DAYS - 1), today, churn_from=churn_from)
    if stdout is not None:
        stdout.write(f"Computed {DAYS} days of reports: {sum(written.values())} snapshot rows "
                     f"({time.monotonic() - started:.1f} s).")
    return written


def seed(*, users, organizations, stdout=None):
    care.seed_care(users=users, organizations=organizations, stdout=stdout)  # check-ins, churned organisations
    at_risk.seed(users=users, organizations=organizations, stdout=stdout)  # an at-risk VIP
    health.compute_all()
    recompute_reports(stdout=stdout)  # the last 90 days of snapshots
