"""The knowledge base: categories, articles and their revisions, helpful votes, search gaps and deflections."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Category(models.Model):
    """A shelf of articles. Categories nest one level deep: a child cannot have children of its own."""

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=255, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent category"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="children", limit_choices_to={"parent__isnull": True},
        help_text=_("Leave empty for a top-level category. Only top-level categories can hold sub-categories."),
    )
    ordering = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["ordering", "name"]

    def __str__(self):
        if self.parent_id and "parent" in self._state.fields_cache:
            return f"{self.parent.name} › {self.name}"
        return self.name

    def get_absolute_url(self):
        return reverse("knowledgebase:category", args=[self.slug])

    def nesting_error(self) -> str | None:
        """Why this category cannot sit under its parent, or None when it can."""
        if self.parent_id is None:
            return None
        if self.pk and self.parent_id == self.pk:
            return str(_("A category cannot be its own parent."))
        if self.parent.parent_id is not None:
            return str(_("“%(parent)s” is itself a sub-category; categories nest one level only.")
                       % {"parent": self.parent.name})
        if self.pk and Category.objects.filter(parent_id=self.pk).exists():
            return str(_("This category has sub-categories, so it cannot become a sub-category itself."))
        return None

    def clean(self):
        error = self.nesting_error()
        if error:
            raise ValidationError({"parent": error})


class Article(models.Model):
    class Kind(models.TextChoices):
        FAQ = "faq", _("FAQ")
        GUIDE = "guide", _("Guide")
        TUTORIAL = "tutorial", _("Tutorial")
        VIDEO = "video", _("Video")
        RELEASE_NOTE = "release_note", _("Release note")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        INTERNAL = "internal", _("Internal (agents only)")

    # The moves an article may make; services refuse any other.
    TRANSITIONS = {
        Status.DRAFT: {Status.PUBLISHED, Status.ARCHIVED},
        Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED},
        Status.ARCHIVED: {Status.DRAFT, Status.PUBLISHED},
    }

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, editable=False)
    body = models.TextField(_("text"), help_text=_("Markdown. Images must be https:// links."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FAQ)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.SET_NULL, null=True,
                                 blank=True, related_name="articles")
    product = models.CharField(_("product"), max_length=200, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="kb_articles")
    source_ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("written from ticket"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="kb_articles",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), default=0)
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1, help_text=_("Raised on every change."))

    # Kept by knowledgebase.search on every save: the body as plain text (snippets, English stems),
    # the Chinese words of title and body cut by jieba (space-separated), and the PostgreSQL vector.
    plain_body = models.TextField(editable=False, blank=True)
    title_tokens = models.TextField(editable=False, blank=True)
    body_tokens = models.TextField(editable=False, blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-updated_at"]
        indexes = [
            GinIndex(fields=["search_vector"], name="kb_article_search_gin"),
            models.Index(fields=["status", "visibility"], name="kb_article_status_vis"),
            models.Index(fields=["category", "status"], name="kb_article_category_status"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("knowledgebase:article", args=[self.slug])

    def get_desk_url(self):
        return reverse("knowledgebase:desk-edit", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.visibility == self.Visibility.PUBLIC

    def can_move_to(self, status) -> bool:
        return status in self.TRANSITIONS.get(self.status, set())

    @property
    def helpful_total(self) -> int:
        return self.helpful_yes + self.helpful_no

    @property
    def helpful_percent(self) -> int | None:
        total = self.helpful_total
        return round(100 * self.helpful_yes / total) if total else None


class ArticleRevision(models.Model):
    """The title and text as saved at one moment, and by whom: every save that changes them adds one."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("article revision")
        verbose_name_plural = _("article revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="kb_revision_unique_number")]

    def __str__(self):
        return f"{self.article_id} r{self.number}"


class ArticleVote(models.Model):
    """One “was this helpful?” answer per visitor and article: a signed-in user, or an anonymous visitor id."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                             null=True, blank=True, related_name="kb_votes")
    visitor_id = models.CharField(_("visitor id"), max_length=64, blank=True)
    helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], condition=Q(user__isnull=False),
                                    name="kb_vote_one_per_user"),
            models.UniqueConstraint(fields=["article", "visitor_id"], condition=Q(user__isnull=True),
                                    name="kb_vote_one_per_visitor"),
            models.CheckConstraint(condition=Q(user__isnull=False) | ~Q(visitor_id=""), name="kb_vote_has_voter"),
        ]

    def __str__(self):
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class SearchQueryLog(models.Model):
    """A search that found nothing, normalised and counted: the content gaps. Nothing about who searched."""

    query = models.CharField(_("search"), max_length=200, unique=True)
    count = models.PositiveIntegerField(_("times"), default=1)
    first_seen = models.DateTimeField(_("first seen"), default=timezone.now)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)

    class Meta:
        verbose_name = _("search without results")
        verbose_name_plural = _("searches without results")
        ordering = ["-count", "-last_seen"]

    def __str__(self):
        return f"{self.query} ({self.count})"


class ArticleViewDay(models.Model):
    """Readers of an article per day (in ``TIME_ZONE``), so the reports can give each day its views."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views per day")
        verbose_name_plural = _("article views per day")
        ordering = ["-day", "article"]
        constraints = [models.UniqueConstraint(fields=["article", "day"], name="article_view_day_unique")]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.article_id} {self.day}: {self.views}"


class SearchDay(models.Model):
    """Customers' searches per day and normalised text, and how many found nothing. Nothing about who searched."""

    day = models.DateField(_("day"))
    query = models.CharField(_("search"), max_length=200)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    without_results = models.PositiveIntegerField(_("without results"), default=0)

    class Meta:
        verbose_name = _("searches per day")
        verbose_name_plural = _("searches per day")
        ordering = ["-day", "-searches"]
        constraints = [models.UniqueConstraint(fields=["day", "query"], name="search_day_unique")]

    def __str__(self):
        return f"{self.day} {self.query}: {self.searches}"


class Deflection(models.Model):
    """A customer said a suggested article answered the question, and did not submit the ticket."""

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.SET_NULL, null=True,
                                related_name="deflections")
    query = models.CharField(_("what they typed"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("deflection")
        verbose_name_plural = _("deflections")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.query} → {self.article_id}"


class DeflectionCandidate(models.Model):
    """A suggested article opened from the new-ticket form.

    It counts as a deflection, computed when read (``selectors.deflection_counts``), once
    ``DEFLECTION_WINDOW`` has passed without the visitor submitting a ticket. A ticket the same
    signed-in user submits within the window marks it converted (``receivers.ticket_created``);
    a "This answered my question" click marks it confirmed, so it is not counted twice.
    """

    article = models.ForeignKey(Article, verbose_name=_("article"), on_delete=models.CASCADE,
                                related_name="deflection_candidates")
    query = models.CharField(_("what they typed"), max_length=200, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    visitor_id = models.CharField(_("visitor id"), max_length=64, blank=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    converted_ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("ticket submitted after"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    converted_at = models.DateTimeField(_("ticket submitted at"), null=True, blank=True)
    confirmed = models.BooleanField(_("confirmed by the customer"), default=False)

    class Meta:
        verbose_name = _("opened suggestion")
        verbose_name_plural = _("opened suggestions")
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["user", "opened_at"], name="kb_candidate_user_opened")]

    def __str__(self):
        return f"{self.article_id} opened {self.opened_at:%Y-%m-%d %H:%M}"
