"""The survey numbers, one definition each (DESIGN §4): pure functions for lists, SQL aggregates for querysets.

Unanswered invitations never enter a mean; the response rate is reported beside it.
"""

from django.db.models import Avg, Count, Q


def csat_mean(scores) -> float | None:
    """Σ scores / number of ratings: 8 × 10 and 2 × 5 give 9.0."""
    scores = [s for s in scores if s is not None]
    return sum(scores) / len(scores) if scores else None


def csat_percent(scores, scale: int) -> float | None:
    """Share of ratings in the top two points of the scale, in per cent."""
    scores = [s for s in scores if s is not None]
    if not scores:
        return None
    return 100.0 * sum(1 for s in scores if s >= scale - 1) / len(scores)


def nps(scores) -> float | None:
    """% promoters (9–10) − % detractors (0–6)."""
    scores = [s for s in scores if s is not None]
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return nps_from_counts(promoters, detractors, len(scores))


def nps_from_counts(promoters, detractors, ratings) -> float | None:
    """The same NPS from counts summed in SQL (snapshots, health scores)."""
    return 100.0 * (promoters - detractors) / ratings if ratings else None


def response_rate(sent: int, responded: int) -> float | None:
    return 100.0 * responded / sent if sent else None


def csat_summary(responses, scale: int) -> dict:
    """One query over SurveyResponse rows: ratings, mean and CSAT %."""
    figures = responses.filter(score__isnull=False).aggregate(
        ratings=Count("pk"), mean=Avg("score"), top=Count("pk", filter=Q(score__gte=scale - 1)))
    ratings = figures["ratings"]
    return {"ratings": ratings, "mean": float(figures["mean"]) if ratings else None,
            "percent": 100.0 * figures["top"] / ratings if ratings else None}


def nps_summary(responses) -> dict:
    figures = responses.filter(score__isnull=False).aggregate(
        ratings=Count("pk"), promoters=Count("pk", filter=Q(score__gte=9)),
        detractors=Count("pk", filter=Q(score__lte=6)))
    ratings = figures["ratings"]
    return {"ratings": ratings,
            "nps": 100.0 * (figures["promoters"] - figures["detractors"]) / ratings if ratings else None}


def response_rate_summary(invitations) -> dict:
    figures = invitations.filter(sent_at__isnull=False).aggregate(
        sent=Count("pk"), responded=Count("pk", filter=Q(responded_at__isnull=False)))
    return {**figures, "rate": response_rate(figures["sent"], figures["responded"])}
