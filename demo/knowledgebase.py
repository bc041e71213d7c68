"""Demo data for ``seed_demo``: categories, about forty articles in English and Chinese, readers' votes,
a few searches that found nothing and a few deflections.

Articles go through ``knowledgebase.services`` (revisions and search index included). Nothing is
e-mailed. A fixed random seed makes every demo database look the same; a second run adds nothing.
"""

import random
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from demo.articles import ARTICLES, CATEGORIES, DEFLECTIONS, NO_RESULT_QUERIES
from knowledgebase import services
from knowledgebase.models import (
    Article,
    ArticleViewDay,
    ArticleVote,
    Category,
    Deflection,
    DeflectionCandidate,
    SearchDay,
    SearchQueryLog,
)

RANDOM_SEED = 4711
READING_DAYS = 90  # views, votes and searches are spread over this many days
AUTHORS = ["agent1@example.com", "agent2@example.com", "manager@example.com"]


def seed(*, users, organizations, stdout=None):
    """Add the knowledge base demo unless articles exist already."""
    if Article.objects.exists():
        return
    started = time.monotonic()
    with transaction.atomic():
        count = _seed(users)
    if stdout is not None:
        stdout.write(f"Added {count} knowledge base articles ({time.monotonic() - started:.1f} s).")


def _seed(users) -> int:
    rng = random.Random(RANDOM_SEED)
    now = timezone.now()
    categories = {}
    for order, (slug, name, parent, description) in enumerate(CATEGORIES):
        category = Category.objects.filter(slug=slug).first()
        if category is None:
            category = services.category_save(category=Category(
                slug=slug, name=name, description=description, ordering=order,
                parent=categories[parent] if parent else None,
            ))
        categories[slug] = category

    authors = [users[email] for email in AUTHORS if email in users]
    articles = {}
    for index, (key, title, category, kind, visibility, status, product, body) in enumerate(ARTICLES):
        created = now - timedelta(days=180 - index * 4, hours=rng.randint(0, 8))
        articles[key] = services.article_create(
            author=rng.choice(authors) if authors else None, title=title, body=body, kind=kind,
            visibility=visibility, category=categories[category], product=product, status=status, now=created,
        )

    # A second revision for a few articles, as if an agent had corrected them.
    editor = authors[0] if authors else None
    for key in ("reset-password", "api-rate-limits", "zh-reset-password"):
        article = articles[key]
        services.article_update(article=article, editor=editor, body=article.body.rstrip() + "\n\n"
                                + ("最后更新：本文已根据最新版本修订。" if key.startswith("zh") else
                                   "*Updated for the current version.*") + "\n")

    _readers(rng, articles, now)
    _gaps_and_deflections(users, articles, now)
    return len(articles)


def _readers(rng, articles, now):
    """Views and helpful votes from anonymous visitors over the last months, most of them positive."""
    votes, view_days = [], []
    for key, article in articles.items():
        if article.status != Article.Status.PUBLISHED:
            continue
        popular = key in ("reset-password", "zh-reset-password", "api-rate-limits", "data-export", "two-factor",
                          "sso-azure", "invoices-download")
        views = rng.randint(400, 2400) if popular else rng.randint(15, 380)
        voters = max(1, views // rng.randint(12, 30))
        share_yes = rng.uniform(0.6, 0.95)
        for number in range(voters):
            votes.append(ArticleVote(article=article, visitor_id=f"demo-{article.pk}-{number}",
                                     helpful=rng.random() < share_yes,
                                     created_at=now - timedelta(days=rng.randint(0, READING_DAYS - 1),
                                                                minutes=rng.randint(0, 600))))
        Article.objects.filter(pk=article.pk).update(views=views)
        # The same views, spread over the last months for the reports' daily figures.
        per_day: dict = {}
        for _view in range(views):
            day = services.report_day(now - timedelta(days=rng.randint(0, READING_DAYS - 1)))
            per_day[day] = per_day.get(day, 0) + 1
        view_days.extend(ArticleViewDay(article=article, day=day, views=count) for day, count in per_day.items())
    ArticleVote.objects.bulk_create(votes, batch_size=500)
    ArticleViewDay.objects.bulk_create(view_days, batch_size=500)
    counts = ArticleVote.objects.values("article").annotate(yes=Count("pk", filter=Q(helpful=True)),
                                                            no=Count("pk", filter=Q(helpful=False)))
    for row in counts:
        Article.objects.filter(pk=row["article"]).update(helpful_yes=row["yes"], helpful_no=row["no"])


def _gaps_and_deflections(users, articles, now):
    rng = random.Random(RANDOM_SEED + 1)
    searches: dict = {}  # (day, query) -> [searches, without results]
    for days, (query, count) in enumerate(NO_RESULT_QUERIES):
        SearchQueryLog.objects.get_or_create(query=query, defaults={
            "count": count, "first_seen": now - timedelta(days=40 - days), "last_seen": now - timedelta(days=days),
        })
        for _search in range(count):
            key = (services.report_day(now - timedelta(days=rng.randint(days, 40))), query)
            figures = searches.setdefault(key, [0, 0])
            figures[0] += 1
            figures[1] += 1
    # Searches that found an answer, a few dozen a day.
    found = [article.title.lower()[:40] for article in articles.values() if article.status == Article.Status.PUBLISHED]
    for days in range(READING_DAYS):
        day = services.report_day(now - timedelta(days=days))
        for _search in range(rng.randint(20, 60)):
            searches.setdefault((day, rng.choice(found)), [0, 0])[0] += 1
    SearchDay.objects.bulk_create([SearchDay(day=day, query=query, searches=total, without_results=empty)
                                   for (day, query), (total, empty) in searches.items()], batch_size=500)
    for hours, (email, query, key) in enumerate(DEFLECTIONS):
        user = users.get(email)
        when = now - timedelta(days=hours * 3 + 1, hours=hours)
        services.deflection_candidate_open(article=articles[key], query=query, user=user, now=when)
        services.deflection_record(article=articles[key], query=query, user=user, now=when + timedelta(minutes=2))
    # Suggestions opened and not followed by a ticket: counted as deflections once 30 minutes have passed.
    for days, key in enumerate(("session-expired", "seats-pricing", "zh-data-export")):
        DeflectionCandidate.objects.create(article=articles[key], query=articles[key].title.lower()[:60],
                                           user=users.get("bob@acme.example"), opened_at=now - timedelta(days=days + 2))
    return Deflection.objects.count()
