"""Admin for the reports app: everything read-only.

Snapshot tables are written only by the recompute job; the run log is a record. Admins and managers
may look, filter and search, never add, edit or delete.
"""

from django.contrib import admin

from helpdesk.admin_mixins import InternalAdminMixin
from reports.models import (
    AfterSalesDaily,
    AgentDaily,
    ArticleDaily,
    ChannelDaily,
    ChurnMonthly,
    FeedbackDaily,
    ImprovementDaily,
    KnowledgeDaily,
    ReportDay,
    ReportRun,
    SatisfactionDaily,
    SearchGapDaily,
    SupportDaily,
)


class ReadOnlyAdmin(InternalAdminMixin, admin.ModelAdmin):
    """Written only by the recompute job; superusers only."""

    list_per_page = 100
    show_full_result_count = False  # snapshot tables grow by the day: no extra COUNT(*) per page


class DailyAdmin(ReadOnlyAdmin):
    date_hierarchy = "day"
    ordering = ["-day"]


@admin.register(ReportRun)
class ReportRunAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "date_from", "date_to", "requested_by", "requested_at", "started_at",
                    "finished_at"]
    list_filter = ["status", "requested_at"]
    list_select_related = ["requested_by"]
    search_fields = ["error", "requested_by__email"]
    date_hierarchy = "requested_at"


@admin.register(ReportDay)
class ReportDayAdmin(DailyAdmin):
    list_display = ["day", "computed_at", "dirty_since"]
    list_filter = [("dirty_since", admin.EmptyFieldListFilter)]


@admin.register(SupportDaily)
class SupportDailyAdmin(DailyAdmin):
    list_display = ["day", "queue", "priority", "created", "resolved", "backlog", "sla_met", "sla_breached",
                    "frt_p50", "first_resolution_p50", "resolution_p50"]
    list_filter = ["queue", "priority"]
    list_select_related = ["queue"]
    search_fields = ["queue__name"]


@admin.register(AgentDaily)
class AgentDailyAdmin(DailyAdmin):
    list_display = ["day", "agent", "replies", "resolved", "one_touch", "frt_count", "frt_p50"]
    list_select_related = ["agent"]
    search_fields = ["agent__email", "agent__name"]


@admin.register(ChannelDaily)
class ChannelDailyAdmin(DailyAdmin):
    list_display = ["day", "channel", "created", "resolved"]
    list_filter = ["channel"]


@admin.register(SatisfactionDaily)
class SatisfactionDailyAdmin(DailyAdmin):
    list_display = ["day", "kind", "product", "invitations", "responses", "ratings", "mean_score", "csat_pct", "nps"]
    list_filter = ["kind", "product"]
    list_select_related = ["product"]


@admin.register(AfterSalesDaily)
class AfterSalesDailyAdmin(DailyAdmin):
    list_display = ["day", "product", "technician", "requests", "approved", "rejected", "completed",
                    "turnaround_avg_hours", "quality_score"]
    list_filter = ["product"]
    list_select_related = ["product", "technician"]
    search_fields = ["product__name", "technician__email", "technician__name"]


@admin.register(ChurnMonthly)
class ChurnMonthlyAdmin(ReadOnlyAdmin):
    list_display = ["month", "active_at_start", "new", "churned", "reactivated", "churn_rate"]
    date_hierarchy = "month"
    ordering = ["-month"]


@admin.register(KnowledgeDaily)
class KnowledgeDailyAdmin(DailyAdmin):
    list_display = ["day", "views", "helpful_yes", "helpful_no", "helpful_pct", "searches",
                    "searches_without_results", "deflections"]


@admin.register(ArticleDaily)
class ArticleDailyAdmin(DailyAdmin):
    list_display = ["day", "article", "views", "helpful_yes", "helpful_no", "deflections"]
    list_select_related = ["article"]
    search_fields = ["article__title"]


@admin.register(SearchGapDaily)
class SearchGapDailyAdmin(DailyAdmin):
    list_display = ["day", "query", "searches"]
    search_fields = ["query"]


@admin.register(FeedbackDaily)
class FeedbackDailyAdmin(DailyAdmin):
    list_display = ["day", "area", "kind", "received"]
    list_filter = ["kind", "area"]
    list_select_related = ["area"]


@admin.register(ImprovementDaily)
class ImprovementDailyAdmin(DailyAdmin):
    list_display = ["day", "area", "shipped", "verified"]
    list_filter = ["area"]
    list_select_related = ["area"]
