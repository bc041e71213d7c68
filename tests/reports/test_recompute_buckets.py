"""The histogram buckets: PostgreSQL's ``sql_bucket_expression`` puts every duration where ``bucket_of`` does."""

import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from reports import buckets
from reports.models import SupportDaily
from reports.recompute import recompute_range
from tests.tickets.factories import TicketFactory

DAY = date(2026, 3, 2)
AWKWARD = sorted({
    -5.0, 0.0, 1e-7, 0.5, 1.0, 1.0000001, 1.15, 1.1499999, 1.1500001, 2.0, 59.0, 60.0, 61.5, 479.0, 480.0, 1440.0,
    *buckets.EDGES, *(edge + 0.001 for edge in buckets.EDGES), *(edge - 0.001 for edge in buckets.EDGES[1:]),
    *(edge + 1e-10 for edge in buckets.EDGES),  # just above an edge: the next bucket
    buckets.EDGES[-1] * 2, 10_000_000.0,
})


@pytest.mark.django_db
def test_sql_bucket_expression_matches_bucket_of_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): the expression uses width_bucket")
    rng = random.Random(7)
    values = AWKWARD + [round(rng.uniform(0, 50_000), rng.choice([0, 1, 3])) for _ in range(2000)]
    expression = buckets.sql_bucket_expression("v")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT v, {expression} FROM unnest(%s::float8[]) AS v", [values])  # noqa: S608
        in_sql = dict(cursor.fetchall())
    assert {value: in_sql[value] for value in values} == {value: buckets.bucket_of(value) for value in values}


def test_the_snapshot_histogram_is_the_python_histogram(customer_a, queue_x, settings):
    settings.TIME_ZONE = "UTC"
    minutes = [0.0, 1.0, 1.15, 1.16, 45.0, 480.0, 480.5, 2000.0, buckets.EDGES[-1] + 1]
    for value in minutes:
        TicketFactory(requester=customer_a, queue=queue_x, created_at=datetime.combine(DAY, time(8), ZoneInfo("UTC")),
                      first_response_at=datetime.combine(DAY, time(9), ZoneInfo("UTC")), first_response_minutes=value)

    recompute_range(DAY, DAY)

    row = SupportDaily.objects.get(day=DAY, queue=queue_x)
    assert row.frt_hist == buckets.histogram(minutes)
    assert len(row.frt_hist) == buckets.BUCKETS
