"""Business time: due dates and elapsed minutes that count only a calendar's opening hours.

A calendar is loaded once into a plain ``Calendar`` (time zone, opening periods per
weekday, holidays) so the arithmetic below runs without queries. Days are walked in
the calendar's own time zone, so a due time is right across week-ends, holidays and
daylight-saving changes, whatever the time zone of the ticket's requester or server.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# No target is longer than this; it bounds the walk over days with no opening hours.
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class Calendar:
    tz: ZoneInfo
    # weekday (0 = Monday) → sorted (opens, closes) pairs
    periods: dict[int, tuple[tuple[time, time], ...]]
    holidays: frozenset[date] = field(default_factory=frozenset)

    @classmethod
    def from_model(cls, business_hours) -> "Calendar":
        periods: dict[int, list[tuple[time, time]]] = {}
        for period in business_hours.periods.all():
            periods.setdefault(period.weekday, []).append((period.opens, period.closes))
        return cls(
            tz=ZoneInfo(business_hours.timezone),
            periods={day: tuple(sorted(spans)) for day, spans in periods.items()},
            holidays=frozenset(holiday.date for holiday in business_hours.holidays.all()),
        )

    @classmethod
    def always_open(cls) -> "Calendar":
        return cls(tz=ZoneInfo("UTC"), periods=dict.fromkeys(range(7), ((time.min, time.max),)))

    def _open_spans(self, day: date):
        """The opening intervals of a local day, as aware datetimes."""
        if day in self.holidays:
            return
        for opens, closes in self.periods.get(day.weekday(), ()):
            start = datetime.combine(day, opens, tzinfo=self.tz)
            end = datetime.combine(day, closes, tzinfo=self.tz) if closes != time.max else \
                datetime.combine(day + timedelta(days=1), time.min, tzinfo=self.tz)
            yield start, end

    def add_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` business minutes after ``start``."""
        remaining = timedelta(minutes=minutes)
        local = start.astimezone(self.tz)
        day = local.date()
        for _offset in range(MAX_DAYS):
            for span_start, span_end in self._open_spans(day):
                begin = max(span_start, local)
                if begin >= span_end:
                    continue
                available = span_end - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(start.tzinfo)
                remaining -= available
            day += timedelta(days=1)
        raise ValueError("The calendar has no opening hours in the next three years.")

    def minutes_between(self, start: datetime, end: datetime) -> int:
        """Business minutes from ``start`` to ``end`` (0 if end is not after start)."""
        if end <= start:
            return 0
        total = timedelta()
        day = start.astimezone(self.tz).date()
        last = end.astimezone(self.tz).date()
        while day <= last:
            for span_start, span_end in self._open_spans(day):
                overlap = min(span_end, end) - max(span_start, start)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return int(total.total_seconds() // 60)
