"""The reports story of ``seed_demo`` computes the demo's last 90 days and its last 12 churn months."""

from datetime import date, timedelta
from io import StringIO
from unittest import mock

import pytest

from demo import reports as story
from reports import recompute
from reports.models import ChurnMonthly, ReportRun

TODAY = date(2026, 3, 10)


@pytest.mark.django_db
def test_the_demo_computes_ninety_days_and_twelve_churn_months(settings):
    settings.TIME_ZONE = "UTC"
    out = StringIO()
    with (mock.patch.object(story, "report_today", return_value=TODAY),
          mock.patch.object(recompute, "report_today", return_value=TODAY),
          mock.patch.object(recompute, "recompute_range", wraps=recompute.recompute_range) as job):
        story.recompute_reports(stdout=out)

    assert job.call_args.args == (TODAY - timedelta(days=89), TODAY)
    assert ChurnMonthly.objects.count() == 12
    assert ChurnMonthly.objects.earliest("month").month == date(2025, 4, 1)
    assert "Computed 90 days of reports" in out.getvalue()
    assert ReportRun.objects.get().status == ReportRun.Status.DONE
