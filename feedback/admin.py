from django.contrib import admin

from feedback.models import (
    Answer,
    CustomerSurveyPreference,
    Feedback,
    FeedbackTag,
    Improvement,
    ImprovementNotice,
    ProductArea,
    Question,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 1
    fields = ["order", "kind", "text_en", "text_zh_hans", "choices_en", "choices_zh_hans", "required"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "scale", "trigger", "delay_hours", "queue", "product", "is_active"]
    list_filter = ["kind", "trigger", "is_active"]
    search_fields = ["name"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text_en", "survey", "kind", "order"]
    list_filter = ["kind", "survey"]
    search_fields = ["text_en", "text_zh_hans"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ["question", "score", "choice", "text"]
    can_delete = False


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ["survey", "recipient", "subject_key", "sent_at", "responded_at", "expires_at", "unsubscribed"]
    list_filter = ["survey", "unsubscribed"]
    search_fields = ["recipient__email", "subject_key"]
    raw_id_fields = ["recipient", "ticket", "service_request", "organization"]
    exclude = ["token"]
    date_hierarchy = "created_at"


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ["invitation", "score", "submitted_at", "updated_at", "changes"]
    list_filter = ["invitation__survey"]
    search_fields = ["invitation__recipient__email", "comment"]
    raw_id_fields = ["invitation"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["response", "question", "score", "choice"]
    raw_id_fields = ["response"]


@admin.register(CustomerSurveyPreference)
class CustomerSurveyPreferenceAdmin(admin.ModelAdmin):
    list_display = ["customer", "unsubscribed_at", "last_invited_at"]
    search_fields = ["customer__email"]
    raw_id_fields = ["customer"]


@admin.register(ProductArea)
class ProductAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


@admin.register(FeedbackTag)
class FeedbackTagAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["pk", "kind", "area", "status", "author", "score", "created_at"]
    list_filter = ["kind", "status", "area", "tags"]
    search_fields = ["text", "author__email"]
    raw_id_fields = ["author", "organization", "duplicate_of"]
    date_hierarchy = "created_at"


@admin.register(Improvement)
class ImprovementAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "status", "shipped_at", "verified_at"]
    list_filter = ["status", "area"]
    search_fields = ["title", "description"]
    raw_id_fields = ["feedback", "created_by"]


@admin.register(ImprovementNotice)
class ImprovementNoticeAdmin(admin.ModelAdmin):
    list_display = ["improvement", "customer", "created_at"]
    raw_id_fields = ["improvement", "customer"]
