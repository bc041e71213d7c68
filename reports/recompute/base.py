"""What every snapshot builder shares: the chunk of days it works on, GROUP BY helpers and duration statistics.

Aggregation is SQL: counts and sums are GROUP BYs over an index range of one chunk of days. Durations get
their exact average, median and p90 and a histogram over ``reports.buckets.EDGES``: on PostgreSQL with
``percentile_cont`` and the bucket expression in SQL; on SQLite (the embedded default, which has neither)
the same GROUP BY returns each group's values and ``percentile_cont`` is done in Python the same way
(linear interpolation), so both give the same numbers.
"""

import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Func, IntegerField, JSONField, Q, Sum
from django.db.models.functions import TruncDate

from reports import buckets

# Floats are rounded the same way on every run and backend, so a rerun writes identical rows.
DIGITS = 6


def rounded(value):
    return None if value is None else round(float(value), DIGITS)


@dataclass(frozen=True)
class Chunk:
    """Days ``first`` to ``last`` (both included) in the reports' time zone, computed in one transaction."""

    first: date
    last: date
    tz: ZoneInfo
    postgres: bool
    now: datetime

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=self.tz)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=self.tz)

    def days(self):
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)

    def within(self, field: str) -> Q:
        """``field`` falls on one of the chunk's days (an index range, not a function of the column)."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def day(self, field: str):
        """The local date of ``field`` in the reports' time zone."""
        return TruncDate(field, tzinfo=self.tz)


def month_chunks(date_from: date, date_to: date, tz, postgres: bool, now) -> list[Chunk]:
    """The range cut at month boundaries: each chunk is written (or left as it was) as a whole."""
    chunks = []
    first = date_from
    while first <= date_to:
        next_month = (first.replace(day=1) + timedelta(days=32)).replace(day=1)
        last = min(date_to, next_month - timedelta(days=1))
        chunks.append(Chunk(first, last, tz, postgres, now))
        first = last + timedelta(days=1)
    return chunks


def grouped(queryset, keys, **aggregates) -> dict:
    """{key tuple: row} for one GROUP BY ``keys``."""
    rows = queryset.order_by().values(*keys).annotate(**aggregates)
    return {tuple(row[key] for key in keys): row for row in rows}


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the q-quantile by linear interpolation between the closest values."""

    function = "percentile_cont"
    template = "%(function)s(%(quantile)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, quantile: float, **extra):
        super().__init__(expression, quantile=repr(float(quantile)), **extra)


class Bucket(Func):
    """The histogram bucket of a duration, as ``reports.buckets.bucket_of`` gives it (PostgreSQL only)."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        expression = buckets.sql_bucket_expression(f"({sql})")
        return expression, list(params) * expression.count(f"({sql})")


def percentile_cont(ordered: list[float], q: float) -> float | None:
    """The same interpolation as PostgreSQL's ``percentile_cont`` over already sorted values."""
    if not ordered:
        return None
    position = q * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def durations(chunk: Chunk, queryset, keys, value: str) -> dict:
    """{key tuple: {count, sum, avg, p50, p90, hist}} of the non-empty ``value`` durations (minutes) per group."""
    queryset = queryset.filter(**{f"{value}__isnull": False}).order_by()
    figures = {}
    if chunk.postgres:
        stats = queryset.values(*keys).annotate(
            n=Count("pk"), total=Sum(value), p50=PercentileCont(value, 0.5), p90=PercentileCont(value, 0.9))
        for row in stats:
            figures[tuple(row[key] for key in keys)] = {
                "count": row["n"], "sum": row["total"], "p50": row["p50"], "p90": row["p90"],
                "hist": [0] * buckets.BUCKETS,
            }
        for row in queryset.annotate(bucket=Bucket(value)).values(*keys, "bucket").annotate(n=Count("pk")):
            figures[tuple(row[key] for key in keys)]["hist"][row["bucket"]] = row["n"]
    else:
        values: dict[tuple, list[float]] = {}
        for row in queryset.values_list(*keys, value):
            values.setdefault(tuple(row[:-1]), []).append(float(row[-1]))
        for key, group in values.items():
            group.sort()
            figures[key] = {"count": len(group), "sum": math.fsum(group), "p50": percentile_cont(group, 0.5),
                            "p90": percentile_cont(group, 0.9), "hist": buckets.histogram(group)}
    for stats in figures.values():
        stats["sum"] = rounded(stats["sum"])
        stats["avg"] = rounded(stats["sum"] / stats["count"])
        stats["p50"], stats["p90"] = rounded(stats["p50"]), rounded(stats["p90"])
    return figures


def duration_fields(prefix: str, stats: dict | None) -> dict:
    """The ``<prefix>_count/_sum/_avg/_p50/_p90/_hist`` model fields for one group's statistics."""
    if not stats:
        return {}
    return {f"{prefix}_{name}": stats[name] for name in ("count", "sum", "avg", "p50", "p90", "hist")}


def write_rows(model, rows) -> None:
    """Insert the fresh rows: with COPY on PostgreSQL (a year has tens of thousands of rows, and the ORM's
    per-value preparation would take longer than the aggregates), with ``bulk_create`` elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=500)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    as_json = [isinstance(field, JSONField) for field in fields]
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([json.dumps(value) if is_json else value for is_json, value in
                            zip(as_json, (getattr(row, field.attname) for field in fields), strict=True)])
