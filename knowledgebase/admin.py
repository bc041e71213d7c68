"""Django admin for the knowledge base.

Articles and categories are saved through ``knowledgebase.services`` here too, so that an edit made
in admin keeps its revision and its search index like one made in the desk. Votes, search gaps and
deflections are records: viewed and searched, never edited.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from helpdesk.admin_mixins import InternalAdminMixin
from knowledgebase import services
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

EDITABLE_ARTICLE_FIELDS = ("title", "body", "kind", "visibility", "category", "product")
STATUS_SERVICES = {
    Article.Status.PUBLISHED: services.article_publish,
    Article.Status.ARCHIVED: services.article_archive,
    Article.Status.DRAFT: services.article_unpublish,
}


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "slug", "ordering", "article_count")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "slug", "description")
    list_editable = ("ordering",)
    prepopulated_fields = {"slug": ("name",)}
    ordering = ("parent__name", "ordering", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").annotate(num_articles=Count("articles"))

    @admin.display(description=_("articles"), ordering="num_articles")
    def article_count(self, obj):
        return obj.num_articles

    def save_model(self, request, obj, form, change):
        services.category_save(category=obj)


class RevisionInline(admin.TabularInline):
    model = ArticleRevision
    fields = ("number", "title", "author", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-number",)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "visibility", "kind", "category", "product", "views", "helpful_yes",
                    "helpful_no", "updated_at")
    list_filter = ("status", "visibility", "kind", ("category", admin.RelatedOnlyFieldListFilter), "updated_at")
    search_fields = ("title", "slug", "product", "body")
    list_select_related = ("category", "category__parent")
    date_hierarchy = "updated_at"
    fields = ("title", "slug", "status", "visibility", "kind", "category", "product", "body", "author",
              "source_ticket", "created_at", "updated_at", "published_at", "views", "helpful_yes", "helpful_no",
              "version")
    readonly_fields = ("slug", "author", "source_ticket", "created_at", "updated_at", "published_at", "views",
                       "helpful_yes", "helpful_no", "version")
    inlines = [RevisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("plain_body", "title_tokens", "body_tokens", "search_vector")

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        try:
            if not change:
                article = services.article_create(
                    author=request.user, status=data["status"],
                    **{name: data[name] for name in EDITABLE_ARTICLE_FIELDS},
                )
            else:
                article = services.article_update(
                    article=obj, editor=request.user,
                    **{name: data[name] for name in EDITABLE_ARTICLE_FIELDS if name in form.changed_data},
                )
                if "status" in form.changed_data:
                    article = STATUS_SERVICES[data["status"]](article=article, actor=request.user)
        except services.ArticleError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        obj.pk = article.pk
        obj.refresh_from_db()


@admin.register(ArticleRevision)
class ArticleRevisionAdmin(ReadOnlyAdmin):
    list_display = ("article", "number", "title", "author", "created_at")
    list_filter = ("created_at",)
    search_fields = ("title", "article__title", "author__email")
    list_select_related = ("article", "author")


@admin.register(ArticleVote)
class ArticleVoteAdmin(ReadOnlyAdmin):
    list_display = ("article", "helpful", "user", "created_at", "updated_at")
    list_filter = ("helpful", "created_at")
    search_fields = ("article__title", "user__email")
    list_select_related = ("article", "user")
    exclude = ("visitor_id",)


@admin.register(SearchQueryLog)
class SearchQueryLogAdmin(ReadOnlyAdmin):
    list_display = ("query", "count", "first_seen", "last_seen")
    list_filter = ("last_seen",)
    search_fields = ("query",)


@admin.register(SearchDay)
class SearchDayAdmin(InternalAdminMixin, admin.ModelAdmin):
    list_display = ("day", "query", "searches", "without_results")
    list_filter = ("day",)
    search_fields = ("query",)
    date_hierarchy = "day"


@admin.register(ArticleViewDay)
class ArticleViewDayAdmin(InternalAdminMixin, admin.ModelAdmin):
    list_display = ("day", "article", "views")
    list_filter = ("day",)
    search_fields = ("article__title",)
    list_select_related = ("article",)
    date_hierarchy = "day"


@admin.register(Deflection)
class DeflectionAdmin(ReadOnlyAdmin):
    list_display = ("query", "article", "user", "created_at")
    list_filter = ("created_at",)
    search_fields = ("query", "article__title", "user__email")
    list_select_related = ("article", "user")


@admin.register(DeflectionCandidate)
class DeflectionCandidateAdmin(ReadOnlyAdmin):
    list_display = ("query", "article", "user", "opened_at", "converted_ticket", "confirmed")
    list_filter = ("confirmed", "opened_at", ("converted_at", admin.EmptyFieldListFilter))
    search_fields = ("query", "article__title", "user__email")
    list_select_related = ("article", "user", "converted_ticket")
    exclude = ("visitor_id",)
