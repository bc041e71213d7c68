"""Fixed duration buckets, so percentiles over any date range come from the daily snapshot rows.

Each daily row keeps the exact average and percentiles of that day and a histogram of the
durations (in minutes) over ``EDGES``. A range of days adds the histograms up and reads the
percentile off the sum, interpolating inside a bucket: geometric buckets keep that within a
few per cent of the exact value whatever the range.
"""

import bisect
import math

# Upper edges in minutes: 0, then ×1.15 steps from 1 minute up to a year; the last bucket is open.
EDGES: list[float] = [0.0] + [round(1.15**i, 3) for i in range(0, 95)]
BUCKETS = len(EDGES) + 1


def bucket_of(minutes: float) -> int:
    """The index of the bucket holding ``minutes``: bucket i holds (EDGES[i-1], EDGES[i]]."""
    return bisect.bisect_left(EDGES, max(minutes, 0.0))


def histogram(values) -> list[int]:
    counts = [0] * BUCKETS
    for value in values:
        counts[bucket_of(value)] += 1
    return counts


def total(histograms) -> list[int] | None:
    """Several histograms added up bucket by bucket (None when there are none); one pass, column-wise."""
    rows = [histogram for histogram in histograms if histogram]
    if not rows:
        return None
    return [sum(column) for column in zip(*rows, strict=True)]


def percentile(counts: list[int] | None, q: float) -> float | None:
    """The q-quantile (0 < q ≤ 1) of the durations counted in ``counts``, or None for no data."""
    total = sum(counts or [])
    if not total:
        return None
    rank = q * total
    seen = 0
    for index, count in enumerate(counts):
        if not count:
            continue
        if seen + count >= rank:
            low = EDGES[index - 1] if index > 0 else 0.0
            high = EDGES[index] if index < len(EDGES) else EDGES[-1] * 1.15
            share = (rank - seen) / count
            return low + (high - low) * min(max(share, 0.0), 1.0)
        seen += count
    return EDGES[-1]


def sql_bucket_expression(column: str) -> str:
    """A PostgreSQL expression giving the bucket index of ``column`` (minutes), same as ``bucket_of``."""
    # bucket_of counts the edges strictly below the value. width_bucket counts the thresholds <= its operand,
    # so it is asked, on the negated value over the negated edges, how many edges are >= the value: the rest
    # are below it. (Subtracting an epsilon instead misplaces values within it above an edge.)
    negated = ",".join(repr(-edge) for edge in reversed(EDGES))
    return (f"(CASE WHEN {column} <= 0 THEN 0 ELSE {len(EDGES)} - "
            f"width_bucket(-({column})::float8, ARRAY[{negated}]::float8[]) END)")


assert math.isclose(EDGES[1], 1.0)
