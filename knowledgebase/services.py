"""Every write of the knowledge base: articles and their revisions, categories, votes, search gaps, deflections."""

import secrets
import zoneinfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from knowledgebase import search
from knowledgebase.models import (
    Article,
    ArticleRevision,
    ArticleViewDay,
    ArticleVote,
    Category,
    Deflection,
    DeflectionCandidate,
    SearchDay,
    SearchQueryLog,
)
from knowledgebase.selectors import DEFLECTION_WINDOW

SLUG_MAX_LENGTH = 80


class ArticleError(Exception):
    """A change to the knowledge base that cannot be made; the message is for the person who asked."""


class ArticleConflict(ArticleError):
    """Someone saved the article while it was being edited."""


# ---------------------------------------------------------------------------------------- categories

def category_save(*, category: Category) -> Category:
    """Create or update a category; categories nest one level only."""
    with transaction.atomic():
        if category.parent_id:
            # Lock the parent so that nobody makes it a child while it gains this one.
            category.parent = Category.objects.select_for_update().get(pk=category.parent_id)
        error = category.nesting_error()
        if error:
            raise ArticleError(error)
        if not category.slug:
            category.slug = (_unique_slug(Category, category.name, exclude_pk=category.pk)
                             or f"category-{secrets.token_hex(4)}")
        category.save()
    return category


# ---------------------------------------------------------------------------------------- articles

def slug_base(title: str) -> str:
    """The readable part of a slug: Chinese characters as their pinyin syllables, e.g. 重置密码 → chong-zhi-mi-ma."""
    if search.CJK_RUN.search(title):
        title = " ".join(lazy_pinyin(title, errors="default"))
    return slugify(title)[:SLUG_MAX_LENGTH].strip("-")


def _unique_slug(model, title: str, *, exclude_pk=None) -> str:
    base = slug_base(title)
    if not base:
        return ""  # a title of nothing a slug can hold (only symbols): named after its pk once saved
    taken = set(model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _reindex(article: Article) -> None:
    search.update_search_vectors(Article.objects.filter(pk=article.pk))


def _add_revision(article: Article, author) -> ArticleRevision:
    number = (article.revisions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return ArticleRevision.objects.create(article=article, number=number, title=article.title, body=article.body,
                                          author=author)


def article_create(*, author, title: str, body: str, kind=Article.Kind.FAQ, visibility=Article.Visibility.PUBLIC,
                   category=None, product: str = "", source_ticket=None, status=Article.Status.DRAFT,
                   now=None) -> Article:
    """A new article (a draft unless said otherwise), its first revision, and its search index."""
    now = now or timezone.now()
    title = " ".join(title.split())
    if not title or not body.strip():
        raise ArticleError(_("An article needs a title and a text."))
    for _attempt in range(3):
        try:
            with transaction.atomic():
                article = Article(
                    title=title, body=body, kind=kind, visibility=visibility, category=category, product=product,
                    author=author, source_ticket=source_ticket, status=status, created_at=now, updated_at=now,
                    published_at=now if status == Article.Status.PUBLISHED else None,
                    slug=_unique_slug(Article, title) or f"new-{secrets.token_hex(8)}",
                )
                search.index_fields(article)
                article.save()
                if article.slug.startswith("new-"):
                    article.slug = f"article-{article.pk}"
                    article.save(update_fields=["slug"])
                _add_revision(article, author)
                _reindex(article)
                return article
        except IntegrityError:
            continue  # two people chose the same slug at once: pick again
    raise ArticleError(_("This article could not be saved; try again."))


def article_update(*, article: Article, editor, expected_version: int | None = None, **changes) -> Article:
    """Save the editor's changes; a change of title or text keeps the earlier version as a revision."""
    allowed = {"title", "body", "kind", "visibility", "category", "product"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))}")
    if "title" in changes:
        changes["title"] = " ".join(changes["title"].split())
        if not changes["title"]:
            raise ArticleError(_("An article needs a title."))
    if "body" in changes and not changes["body"].strip():
        raise ArticleError(_("An article needs a text."))
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ArticleConflict(_("This article was changed by someone else while you were editing it. "
                                    "Your text is below: compare it with the current version and save again."))
        changed = [name for name, value in changes.items() if getattr(locked, name) != value]
        if not changed:
            return locked
        for name in changed:
            setattr(locked, name, changes[name])
        fields = changed + ["updated_at", "version"]
        locked.updated_at = timezone.now()
        locked.version = F("version") + 1
        text_changed = "title" in changed or "body" in changed
        if text_changed:
            fields += search.index_fields(locked)
        locked.save(update_fields=fields)
        locked.refresh_from_db(fields=["version"])
        if text_changed:
            _add_revision(locked, editor)
            _reindex(locked)
    return locked


def _move(article: Article, status: str, actor) -> Article:
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status == status:
            return locked
        if not locked.can_move_to(status):
            raise ArticleError(_("A %(old)s article cannot become %(new)s.") % {
                "old": locked.get_status_display().lower(), "new": Article.Status(status).label.lower()})
        locked.status = status
        fields = ["status", "updated_at", "version"]
        if status == Article.Status.PUBLISHED and locked.published_at is None:
            locked.published_at = timezone.now()
            fields.append("published_at")
        locked.updated_at = timezone.now()
        locked.version = F("version") + 1
        locked.save(update_fields=fields)
        locked.refresh_from_db(fields=["version"])
    return locked


def article_publish(*, article: Article, actor) -> Article:
    return _move(article, Article.Status.PUBLISHED, actor)


def article_archive(*, article: Article, actor) -> Article:
    return _move(article, Article.Status.ARCHIVED, actor)


def article_unpublish(*, article: Article, actor) -> Article:
    """Back to draft: the article leaves the public knowledge base until published again."""
    return _move(article, Article.Status.DRAFT, actor)


def report_day(now=None):
    """The day an event counts on in the reports: the date in ``TIME_ZONE``, whatever the reader's own zone."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def _count_up(model, keys: dict, **increments) -> None:
    """Add to a per-day counter row, creating it on first use; concurrent callers are all counted."""
    changes = {field: F(field) + amount for field, amount in increments.items()}
    if model.objects.filter(**keys).update(**changes):
        return
    try:
        with transaction.atomic():
            model.objects.create(**keys, **increments)
    except IntegrityError:  # created a moment ago by someone else
        model.objects.filter(**keys).update(**changes)


def article_record_view(*, article: Article, now=None) -> None:
    """One more reader, in the running total and in the day's count; single UPDATEs, so no reader is lost."""
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)
    _count_up(ArticleViewDay, {"article": article, "day": report_day(now)}, views=1)


def search_record(*, query: str, found: bool, now=None) -> str:
    """Count a customer's search for the reports (per day and normalised text); one that found nothing is also
    logged as a content gap. Returns the normalised text."""
    text = search.normalise_query(query)
    if not text:
        return ""
    _count_up(SearchDay, {"day": report_day(now), "query": text}, searches=1, without_results=0 if found else 1)
    if not found:
        search_log_no_results(query=query, now=now)
    return text


# ---------------------------------------------------------------------------------------- votes

def new_visitor_id() -> str:
    return secrets.token_urlsafe(24)


def article_vote(*, article: Article, helpful: bool, user=None, visitor_id: str = "") -> ArticleVote:
    """Record "was this helpful?": one vote per visitor and article; voting again changes it and the counts."""
    signed_in = user is not None and user.is_authenticated
    if not signed_in and not visitor_id:
        raise ArticleError(_("Your vote could not be recorded; allow cookies and try again."))
    voter = {"user": user} if signed_in else {"user": None, "visitor_id": visitor_id}
    with transaction.atomic():
        Article.objects.select_for_update().filter(pk=article.pk).values_list("pk", flat=True).first()
        vote = ArticleVote.objects.select_for_update().filter(article=article, **voter).first()
        if vote is None:
            vote = ArticleVote.objects.create(article=article, helpful=helpful, **voter)
            counter = "helpful_yes" if helpful else "helpful_no"
            Article.objects.filter(pk=article.pk).update(**{counter: F(counter) + 1})
        elif vote.helpful != helpful:
            vote.helpful = helpful
            vote.updated_at = timezone.now()
            vote.save(update_fields=["helpful", "updated_at"])
            added, removed = ("helpful_yes", "helpful_no") if helpful else ("helpful_no", "helpful_yes")
            Article.objects.filter(pk=article.pk).update(**{added: F(added) + 1, removed: F(removed) - 1})
    return vote


# ---------------------------------------------------------------------------------------- search gaps

def search_log_no_results(*, query: str, now=None) -> str:
    """Count a search that found nothing, under its normalised text (returned); nothing about who searched."""
    text = search.normalise_query(query)
    if not text:
        return ""
    now = now or timezone.now()
    if SearchQueryLog.objects.filter(query=text).update(count=F("count") + 1, last_seen=now):
        return text
    try:
        with transaction.atomic():
            SearchQueryLog.objects.create(query=text, count=1, first_seen=now, last_seen=now)
    except IntegrityError:  # someone else logged the same search a moment ago
        SearchQueryLog.objects.filter(query=text).update(count=F("count") + 1, last_seen=now)
    return text


# ---------------------------------------------------------------------------------------- deflection

def deflection_candidate_open(*, article: Article, query: str, user=None, visitor_id: str = "",
                              now=None) -> DeflectionCandidate:
    """A suggested article was opened from the new-ticket form (see ``DeflectionCandidate``)."""
    now = now or timezone.now()
    signed_in = user is not None and user.is_authenticated
    voter = {"user": user} if signed_in else {"user": None, "visitor_id": visitor_id}
    if signed_in or visitor_id:
        # Opening the same suggestion again (a reload, a second tab) is the same visit.
        earlier = DeflectionCandidate.objects.filter(
            article=article, converted_at__isnull=True, opened_at__gte=now - DEFLECTION_WINDOW, **voter
        ).first()
        if earlier is not None:
            return earlier
    return DeflectionCandidate.objects.create(article=article, query=search.normalise_query(query),
                                              opened_at=now, **voter)


def deflection_record(*, article: Article, query: str, user=None, visitor_id: str = "", now=None) -> Deflection:
    """"This answered my question": the customer leaves without submitting the ticket."""
    now = now or timezone.now()
    signed_in = user is not None and user.is_authenticated
    with transaction.atomic():
        deflection = Deflection.objects.create(article=article, query=search.normalise_query(query),
                                               user=user if signed_in else None, created_at=now)
        open_candidates = DeflectionCandidate.objects.filter(article=article, converted_at__isnull=True,
                                                             opened_at__gte=now - DEFLECTION_WINDOW)
        if signed_in:
            open_candidates = open_candidates.filter(user=user)
        elif visitor_id:
            open_candidates = open_candidates.filter(user__isnull=True, visitor_id=visitor_id)
        else:
            open_candidates = open_candidates.none()
        open_candidates.update(confirmed=True)
    return deflection


def deflection_candidates_convert(*, ticket, now=None) -> int:
    """The requester submitted a ticket: suggestions they opened in the window before it did not deflect it."""
    now = now or timezone.now()
    return DeflectionCandidate.objects.filter(
        user_id=ticket.requester_id, converted_at__isnull=True, confirmed=False,
        opened_at__gte=ticket.created_at - DEFLECTION_WINDOW, opened_at__lte=ticket.created_at,
    ).update(converted_at=now, converted_ticket=ticket)
