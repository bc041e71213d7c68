"""The reports' clock: their days are days in TIME_ZONE, for the job and the pages alike."""

from datetime import UTC, date, datetime

import pytest

from reports import clock, services
from reports.services import ReportRunError


def test_today_is_the_day_in_the_report_time_zone_not_in_utc(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    late_evening_utc = datetime(2026, 12, 2, 23, 30, tzinfo=UTC)  # 00:30 on 3 December in Berlin
    assert clock.report_today(late_evening_utc) == date(2026, 12, 3)
    settings.TIME_ZONE = "America/New_York"
    assert clock.report_today(late_evening_utc) == date(2026, 12, 2)  # 18:30 on 2 December


@pytest.mark.django_db
def test_a_run_for_tomorrow_in_the_report_time_zone_is_refused(settings, manager):
    settings.TIME_ZONE = "America/New_York"
    now = datetime(2026, 12, 3, 2, 0, tzinfo=UTC)  # still 2 December in New York
    with pytest.raises(ReportRunError, match="not started yet"):
        services.report_run_request(by=manager, date_from=date(2026, 12, 3), date_to=date(2026, 12, 3), now=now)
    run = services.report_run_request(by=manager, date_from=date(2026, 12, 2), date_to=date(2026, 12, 2), now=now)
    assert run.date_to == date(2026, 12, 2)


def test_the_job_and_the_pages_share_one_clock():
    from reports import recompute, selectors, selectors_runs

    assert recompute.report_today is clock.report_today is selectors.report_today
    assert selectors_runs.DEAD_AFTER is services.DEAD_AFTER is clock.DEAD_AFTER
