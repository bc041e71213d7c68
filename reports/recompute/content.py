"""Knowledge-base, product-feedback and improvement snapshots.

The knowledge base keeps dated rows for helpful votes (``ArticleVote.created_at``, with the voter's current
answer), deflections (confirmed ``Deflection`` rows, and opened suggestions not followed by a ticket within
``DEFLECTION_WINDOW``, on the day they were opened), article views per day (``ArticleViewDay``) and
customers' searches per day and normalised text (``SearchDay``, with how many found nothing: the content gaps).
"""

from django.db.models import Count, Q, Sum

from feedback.models import Feedback, Improvement
from knowledgebase.models import ArticleViewDay, ArticleVote, Deflection, DeflectionCandidate, SearchDay
from knowledgebase.selectors import DEFLECTION_WINDOW
from reports import metrics
from reports.models import ArticleDaily, FeedbackDaily, ImprovementDaily, KnowledgeDaily, SearchGapDaily
from reports.recompute.base import grouped, rounded


def _n(table, key, name="n") -> int:
    row = table.get(key)
    return row[name] if row else 0


def _days(chunk) -> Q:
    return Q(day__gte=chunk.first, day__lte=chunk.last)


def _article_figures(chunk) -> tuple[dict, dict, dict, dict]:
    keys = ["day", "article"]
    views = grouped(ArticleViewDay.objects.filter(_days(chunk)), keys, n=Sum("views"))
    votes = grouped(ArticleVote.objects.filter(chunk.within("created_at")).annotate(day=chunk.day("created_at")),
                    keys, yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    confirmed = grouped(Deflection.objects.filter(chunk.within("created_at")).annotate(day=chunk.day("created_at")),
                        keys, n=Count("pk"))
    unconverted = grouped(
        DeflectionCandidate.objects.filter(chunk.within("opened_at"), converted_at__isnull=True, confirmed=False,
                                           opened_at__lte=chunk.now - DEFLECTION_WINDOW)
        .annotate(day=chunk.day("opened_at")), keys, n=Count("pk"))
    return views, votes, confirmed, unconverted


def article_daily(chunk, state) -> list[ArticleDaily]:
    views, votes, confirmed, unconverted = _article_figures(chunk)
    rows = []
    for key in sorted(k for k in set(views) | set(votes) | set(confirmed) | set(unconverted) if k[1] is not None):
        day, article = key
        rows.append(ArticleDaily(day=day, article_id=article, views=_n(views, key), helpful_yes=_n(votes, key, "yes"),
                                 helpful_no=_n(votes, key, "no"),
                                 deflections=_n(confirmed, key) + _n(unconverted, key)))
    return rows


def knowledge_daily(chunk, state) -> list[KnowledgeDaily]:
    views, votes, confirmed, unconverted = _article_figures(chunk)
    searches = grouped(SearchDay.objects.filter(_days(chunk)), ["day"], n=Sum("searches"),
                       empty=Sum("without_results"))
    per_day: dict = {}

    def figures_of(day):
        return per_day.setdefault(day, {"views": 0, "helpful_yes": 0, "helpful_no": 0, "deflections": 0,
                                        "searches": 0, "searches_without_results": 0})

    for table, field, name in ((views, "views", "n"), (votes, "helpful_yes", "yes"), (votes, "helpful_no", "no"),
                               (confirmed, "deflections", "n"), (unconverted, "deflections", "n")):
        for (day, _article), row in table.items():
            figures_of(day)[field] += row[name] or 0
    for (day,), row in searches.items():
        figures = figures_of(day)
        figures["searches"] += row["n"] or 0
        figures["searches_without_results"] += row["empty"] or 0
    return [KnowledgeDaily(day=day, **figures, helpful_pct=rounded(metrics.ratio(
                figures["helpful_yes"], figures["helpful_yes"] + figures["helpful_no"])))
            for day, figures in sorted(per_day.items())]


def search_gap_daily(chunk, state) -> list[SearchGapDaily]:
    gaps = SearchDay.objects.filter(_days(chunk), without_results__gt=0).order_by("day", "query")
    return [SearchGapDaily(day=day, query=query, searches=count)
            for day, query, count in gaps.values_list("day", "query", "without_results")]


def feedback_daily(chunk, state) -> list[FeedbackDaily]:
    received = grouped(Feedback.objects.filter(chunk.within("created_at")).annotate(day=chunk.day("created_at")),
                       ["day", "area", "kind"], n=Count("pk"))
    return [FeedbackDaily(day=day, area_id=area, kind=kind, received=row["n"])
            for (day, area, kind), row in sorted(received.items(), key=lambda item: (item[0][0], item[0][1] or 0,
                                                                                     item[0][2]))]


def improvement_daily(chunk, state) -> list[ImprovementDaily]:
    keys = ["day", "area"]
    improvements = Improvement.objects.all()
    shipped = grouped(improvements.filter(chunk.within("shipped_at")).annotate(day=chunk.day("shipped_at")), keys,
                      n=Count("pk"))
    verified = grouped(improvements.filter(chunk.within("verified_at")).annotate(day=chunk.day("verified_at")),
                       keys, n=Count("pk"))
    return [ImprovementDaily(day=key[0], area_id=key[1], shipped=_n(shipped, key), verified=_n(verified, key))
            for key in sorted(set(shipped) | set(verified), key=lambda key: (key[0], key[1] or 0))]

