"""Admin for customer care: care tasks, the care plans that schedule check-ins, churn reasons, health scores."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from care.models import CarePlan, CareTask, ChurnReason, HealthScore
from helpdesk.admin_mixins import InternalAdminMixin


@admin.register(CareTask)
class CareTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "assignee", "organization", "customer", "due_on", "channel", "done_at"]
    list_filter = ["kind", "status", "channel", "due_on"]
    search_fields = ["title", "description", "outcome", "notes", "organization__name", "customer__email"]
    list_select_related = ["assignee", "organization", "customer"]
    autocomplete_fields = ["assignee", "organization", "customer"]
    readonly_fields = ["created_at", "done_at", "source_type", "source_id"]
    date_hierarchy = "due_on"
    fieldsets = [
        (None, {"fields": ["kind", "status", "title", "description", "organization", "customer", "assignee",
                           "due_on"]}),
        (_("Outcome"), {"fields": ["channel", "outcome", "notes", "next_follow_up_on", "done_at"]}),
        (_("Origin"), {"fields": ["created_at", "source_type", "source_id"]}),
    ]


@admin.register(CarePlan)
class CarePlanAdmin(admin.ModelAdmin):
    list_display = ["tier", "check_in_every_days", "is_active"]
    list_editable = ["check_in_every_days", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["tier"]


@admin.register(ChurnReason)
class ChurnReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(HealthScore)
class HealthScoreAdmin(InternalAdminMixin, admin.ModelAdmin):
    """Written only by the nightly health task."""

    list_per_page = 100
    list_display = ["__str__", "organization", "customer", "score", "band", "computed_at"]
    list_filter = ["band", "organization__tier"]
    list_select_related = ["organization", "customer"]
    search_fields = ["organization__name", "customer__email", "customer__name"]
    ordering = ["score"]
