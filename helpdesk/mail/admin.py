from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpdesk.mail.models import OutboundEmail
from helpdesk.mail.services import email_retry


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "to", "status", "attempts", "created_at", "sent_at", "short_error"]
    list_filter = ["status", "language", "created_at"]
    search_fields = ["to", "subject", "message_id"]
    date_hierarchy = "created_at"
    list_select_related = ["related_type"]
    actions = ["retry"]
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]
    fieldsets = [
        (None, {"fields": ["to", "from_email", "subject", "status", "attempts", "last_error"]}),
        (_("Timing"), {"fields": ["created_at", "next_attempt_at", "claimed_at", "sent_at"]}),
        (_("Content"), {"fields": ["body_text", "body_html", "headers", "language", "message_id"]}),
        (_("Related object"), {"fields": ["related_type", "related_id"]}),
    ]

    @admin.display(description=_("last error"))
    def short_error(self, email):
        return (email.last_error[:80] + "…") if len(email.last_error) > 80 else email.last_error

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Retry sending the selected failed e-mails"), permissions=["view"])
    def retry(self, request, queryset):
        count = email_retry(email_ids=list(queryset.values_list("pk", flat=True)))
        skipped = queryset.count() - count
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "Only failed e-mails can be retried; %(count)d e-mail was left as it is.",
                    "Only failed e-mails can be retried; %(count)d e-mails were left as they are.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
