"""Business-time arithmetic: week-ends, nights, holidays and time zones."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tickets.sla import Calendar

UTC = ZoneInfo("UTC")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NINE_TO_SIX = tuple((day, ((time(9), time(18)),)) for day in range(5))


def calendar(tz="UTC", holidays=()):
    return Calendar(tz=ZoneInfo(tz), periods=dict(NINE_TO_SIX), holidays=frozenset(holidays))


def test_minutes_inside_one_day():
    start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # Monday
    assert calendar().add_minutes(start, 60) == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def test_the_night_is_skipped():
    start = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)  # Monday, 30 minutes before closing
    assert calendar().add_minutes(start, 60) == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_a_ticket_opened_at_night_starts_counting_in_the_morning():
    start = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert calendar().add_minutes(start, 30) == datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_the_week_end_is_skipped():
    start = datetime(2026, 11, 27, 16, 0, tzinfo=UTC)  # Friday 16:00, four business hours target
    assert calendar().add_minutes(start, 240) == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # Monday 11:00


def test_a_ticket_opened_on_saturday_is_due_on_monday():
    start = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert calendar().add_minutes(start, 60) == datetime(2026, 11, 30, 10, 0, tzinfo=UTC)


def test_a_holiday_is_skipped():
    start = datetime(2026, 12, 24, 17, 0, tzinfo=UTC)  # Thursday; Friday 25th is a holiday
    due = calendar(holidays=[date(2026, 12, 25)]).add_minutes(start, 120)
    assert due == datetime(2026, 12, 28, 10, 0, tzinfo=UTC)  # Monday


def test_holiday_and_week_end_together_for_three_business_days():
    start = datetime(2026, 12, 23, 9, 0, tzinfo=UTC)  # Wednesday
    due = calendar(holidays=[date(2026, 12, 25)]).add_minutes(start, 3 * 9 * 60)
    # Wed, Thu, (Fri holiday), (week-end), Mon
    assert due == datetime(2026, 12, 28, 18, 0, tzinfo=UTC)


def test_the_calendars_time_zone_decides_the_opening_hours():
    # 02:00 UTC on Monday is 10:00 in Shanghai: the Shanghai office is open.
    start = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    due = calendar("Asia/Shanghai").add_minutes(start, 60)
    assert due == datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    # 11:00 UTC is 19:00 in Shanghai: closed until 09:00 Shanghai = 01:00 UTC next day.
    late = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    assert calendar("Asia/Shanghai").add_minutes(late, 60) == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def test_friday_evening_in_new_york_is_saturday_in_shanghai():
    # Friday 20:00 in New York = Saturday 09:00 in Shanghai: the Shanghai office is shut for the week-end.
    start = datetime(2026, 11, 27, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    due = calendar("Asia/Shanghai").add_minutes(start, 60)
    assert due.astimezone(SHANGHAI) == datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
    assert due.tzinfo == start.tzinfo  # answered in the caller's time zone


def test_daylight_saving_change_keeps_office_hours():
    # Europe/Berlin leaves summer time on Sunday 25 October 2026.
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 10, 23, 17, 0, tzinfo=berlin)  # Friday 17:00 CEST
    due = calendar("Europe/Berlin").add_minutes(start, 120)
    assert due.astimezone(berlin) == datetime(2026, 10, 26, 10, 0, tzinfo=berlin)  # Monday 10:00 CET


def test_minutes_between_counts_only_open_time():
    cal = calendar()
    friday_afternoon = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    monday_morning = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    assert cal.minutes_between(friday_afternoon, monday_morning) == 120
    assert cal.minutes_between(monday_morning, friday_afternoon) == 0


def test_minutes_between_and_add_minutes_agree():
    cal = calendar("Asia/Shanghai", holidays=[date(2026, 12, 1)])
    start = datetime(2026, 11, 26, 7, 13, tzinfo=UTC)
    for minutes in (1, 59, 540, 541, 2000, 5000):
        assert cal.minutes_between(start, cal.add_minutes(start, minutes)) == minutes


def test_a_calendar_without_opening_hours_is_refused():
    empty = Calendar(tz=UTC, periods={})
    with pytest.raises(ValueError, match="no opening hours"):
        empty.add_minutes(datetime(2026, 1, 1, tzinfo=UTC), 1)
