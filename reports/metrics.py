"""The report numbers from snapshot sums, one definition each (DESIGN §4).

Daily rows keep sums and counts, so any date range adds them up and divides here; per-answer
definitions (CSAT, NPS) are the ones in ``feedback.metrics``.
"""

from feedback.metrics import nps_from_counts
from reports import buckets


def ratio(part, whole, scale: float = 100.0) -> float | None:
    return scale * part / whole if whole else None


def mean(total, count) -> float | None:
    return total / count if count else None


def csat_mean(score_sum, ratings) -> float | None:
    """Σ scores / number of ratings (8 × 10 and 2 × 5 over 10 ratings give 9)."""
    return mean(score_sum, ratings)


def csat_percent(top_two, ratings) -> float | None:
    return ratio(top_two, ratings)


def nps(promoters, detractors, ratings) -> float | None:
    """% promoters − % detractors."""
    return nps_from_counts(promoters, detractors, ratings)


def churn_rate(churned, active_at_start) -> float | None:
    """Organisations churned in the period / active at its start × 100 % (50 of 1,000 → 5.0)."""
    return ratio(churned, active_at_start)


def response_time_target(mean_minutes, service_level: float) -> float | None:
    """The seed model: mean first-response time × service-level target (600 min / 100 at 0.99 → 5.94)."""
    return None if mean_minutes is None else mean_minutes * service_level


def percentile(histograms, q: float) -> float | None:
    """The q-quantile over several daily histograms (``reports.buckets``), e.g. p99 of a date range."""
    total = buckets.total(histograms)
    return buckets.percentile(total, q) if total else None


def change(current, previous) -> dict:
    """Direction and size of a KPI against the previous period, for the overview arrows."""
    if current is None or previous is None:
        return {"direction": None, "delta": None, "percent": None}
    delta = current - previous
    return {
        "direction": "up" if delta > 0 else "down" if delta < 0 else "flat",
        "delta": delta,
        "percent": ratio(delta, abs(previous)) if previous else None,
    }
