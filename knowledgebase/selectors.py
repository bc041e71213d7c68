"""Reads for views and reports, scoped to what the user may see.

Customers and anonymous visitors see published public articles only; agents (and managers) also
see published internal ones. Drafts and archived articles are seen in the desk only. Anything
else answers 404, whether it does not exist or is not theirs to see.
"""

from datetime import timedelta

from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from helpdesk.accounts.roles import is_agent
from knowledgebase import search
from knowledgebase.models import Article, ArticleRevision, Category, Deflection, DeflectionCandidate, SearchQueryLog

# A suggested article opened and followed by no ticket within this time counts as a deflection.
DEFLECTION_WINDOW = timedelta(minutes=30)
# Columns that lists never show: left in the database.
LIST_DEFER = ("body", "title_tokens", "body_tokens", "search_vector")


def articles_visible_to(user):
    """Published articles this visitor may read: public ones, and internal ones for agents."""
    articles = Article.objects.filter(status=Article.Status.PUBLISHED)
    if not is_agent(user):
        articles = articles.filter(visibility=Article.Visibility.PUBLIC)
    return articles


def public_articles():
    """What a customer may be shown whoever asks (suggestions on the ticket form, links sent in replies)."""
    return Article.objects.filter(status=Article.Status.PUBLISHED, visibility=Article.Visibility.PUBLIC)


def article_list_for(user):
    return articles_visible_to(user).select_related("category", "category__parent").defer(*LIST_DEFER)


def article_for_user(user, slug) -> Article:
    article = (
        articles_visible_to(user).select_related("category", "category__parent", "author")
        .defer("title_tokens", "body_tokens", "search_vector").filter(slug=slug).first()
    )
    if article is None:
        raise Http404
    return article


def categories_with_counts(user):
    """Every category with the number of articles this visitor may read in it, in one query."""
    visible = Q(articles__status=Article.Status.PUBLISHED)
    if not is_agent(user):
        visible &= Q(articles__visibility=Article.Visibility.PUBLIC)
    return Category.objects.annotate(article_count=Count("articles", filter=visible)).order_by(
        "ordering", "name"
    )


def category_tree(user) -> list[Category]:
    """Top-level categories, each with ``.subcategories`` and ``.total`` (its articles and its children's)."""
    categories = list(categories_with_counts(user))
    top = [category for category in categories if category.parent_id is None]
    by_pk = {category.pk: category for category in top}
    for category in top:
        category.subcategories = []
        category.total = category.article_count
    for category in categories:
        parent = by_pk.get(category.parent_id)
        if parent is not None:
            parent.subcategories.append(category)
            parent.total += category.article_count
    return top


def category_for_user(user, slug) -> Category:
    """A category page: any category exists for everyone; only its articles are filtered per visitor."""
    category = Category.objects.select_related("parent").filter(slug=slug).first()
    if category is None:
        raise Http404
    return category


def category_articles(user, category):
    return article_list_for(user).filter(Q(category=category) | Q(category__parent=category)).order_by(
        "category__ordering", "-views", "title"
    )


def popular_articles(user, limit=8):
    return article_list_for(user).order_by("-views", "-pk")[:limit]


def recent_articles(user, limit=5):
    return article_list_for(user).order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]


def related_articles(user, article, limit=5):
    """Other articles of the same category or for the same product, the most read first."""
    condition = Q()
    if article.category_id:
        condition |= Q(category_id=article.category_id)
    if article.product:
        condition |= Q(product__iexact=article.product)
    if not condition:
        return Article.objects.none()
    same_category = Case(When(category_id=article.category_id, then=Value(1)), default=Value(0),
                         output_field=IntegerField())
    return (
        article_list_for(user).filter(condition).exclude(pk=article.pk)
        .annotate(same_category=same_category).order_by("-same_category", "-views", "-pk")[:limit]
    )


def search_results(user, query):
    return search.search_articles(article_list_for(user), query, with_headline=True)


def suggestions(query, limit=5):
    """Public articles for what a customer is typing as a ticket subject (never internal, never drafts).

    Articles with every word come first, then those with any of them. On PostgreSQL both are one
    ``UNION ALL`` whose second part runs only when the first found fewer than ``limit``: matching
    any word of a common pair ranks thousands of rows, matching all of them a few hundred.
    """
    articles = public_articles().defer(*LIST_DEFER).select_related("category")
    every_word = search.search_articles(articles, query)
    if every_word.query.is_empty():
        return []
    rest = search.search_articles(articles, query, match_any=True).exclude(pk__in=every_word.values("pk"))
    if not connection.features.supports_slicing_ordering_in_compound:  # SQLite: two small queries
        first = list(every_word[:limit])
        return (first + list(rest[:limit]))[:limit]
    every_word, rest = every_word.annotate(tier=Value(0)), rest.annotate(tier=Value(1))
    found = list(every_word[:limit].union(rest[:limit], all=True)[:limit])
    return sorted(found, key=lambda article: (article.tier, -article.rank))


# ---------------------------------------------------------------------------------------- desk

def desk_articles(user):
    return (
        Article.objects.select_related("category", "category__parent", "author")
        .defer(*LIST_DEFER, "plain_body")
        .order_by("-updated_at", "-pk")
    )


def desk_article_for_user(user, pk) -> Article:
    """Any article, whatever its status, for an agent; 404 if it does not exist."""
    if not is_agent(user):
        raise Http404
    article = Article.objects.select_related("category", "author", "source_ticket").filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def revisions_of(article):
    return ArticleRevision.objects.filter(article=article).select_related("author").order_by("-number")


def revision_of(article, number) -> ArticleRevision:
    revision = revisions_of(article).filter(number=number).first()
    if revision is None:
        raise Http404
    return revision


def link_candidates(query, limit=8):
    """Public articles an agent may link in a reply to a customer."""
    articles = public_articles().defer(*LIST_DEFER).select_related("category")
    if query.strip():
        return list(search.search_articles(articles, query, match_any=True)[:limit])
    return list(articles.order_by("-views", "-pk")[:limit])


def no_result_queries():
    return SearchQueryLog.objects.order_by("-count", "-last_seen")


def deflection_counts(since=None, now=None) -> dict:
    """Confirmed deflections, and suggested articles opened with no ticket within ``DEFLECTION_WINDOW``.

    The second number is worked out when read: a candidate counts once its window has passed, the
    visitor has not submitted a ticket in it (``converted_at`` stays empty) and it was not confirmed
    with the button (which is already a deflection of its own).
    """
    now = now or timezone.now()
    confirmed = Deflection.objects.all()
    candidates = DeflectionCandidate.objects.all()
    if since is not None:
        confirmed = confirmed.filter(created_at__gte=since)
        candidates = candidates.filter(opened_at__gte=since)
    counts = candidates.aggregate(
        opened=Count("pk"),
        converted=Count("pk", filter=Q(converted_at__isnull=False)),
        implicit=Count("pk", filter=Q(converted_at__isnull=True, confirmed=False,
                                      opened_at__lte=now - DEFLECTION_WINDOW)),
    )
    counts["confirmed"] = confirmed.count()
    counts["total"] = counts["confirmed"] + counts["implicit"]
    return counts


def recent_deflections(limit=10):
    return Deflection.objects.select_related("article").order_by("-created_at")[:limit]
