"""The admin side of data protection: the two user actions and the read-only log.

Only admins (superusers) see or run them; managers, who may use the admin site for users, do not.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.accounts.models import PrivacyRequest
from helpdesk.accounts.privacy import (
    PrivacyError,
    customer_data,
    customer_export,
    customer_forget,
    is_forgotten,
    is_staff_account,
    section_counts,
    subject_ref,
)
from helpdesk.accounts.roles import is_admin
from helpdesk.admin_mixins import ReadOnlyAdminMixin

# What forgetting does to each export section (the confirmation page lists them with their counts).
SECTION_EFFECTS = {
    "care_tasks": (gettext_lazy("Care tasks about them"), gettext_lazy("titles, descriptions and notes replaced")),
    "emails": (gettext_lazy("E-mails sent to them"), gettext_lazy("address, subject and text replaced")),
    "tickets": (gettext_lazy("Tickets they opened"),
                gettext_lazy("subject, description and every reply and internal note replaced; attachments "
                             "deleted")),
    "purchases": (gettext_lazy("Purchases"), gettext_lazy("proof-of-purchase files deleted; serial numbers kept")),
    "service_requests": (gettext_lazy("Service requests"),
                         gettext_lazy("description, on-site address and log texts replaced; files deleted")),
    "surveys": (gettext_lazy("Survey invitations"), gettext_lazy("comments and written answers replaced; scores "
                                                                 "kept")),
    "product_feedback": (gettext_lazy("Product feedback"), gettext_lazy("text replaced; screenshots deleted")),
    "article_deflections": (gettext_lazy("“This answered my question” clicks"),
                            gettext_lazy("what they typed removed")),
    "articles_opened": (gettext_lazy("Suggested articles opened"), gettext_lazy("what they typed removed")),
}


def privacy_permission(modeladmin, request) -> bool:
    """``has_privacy_permission`` of the user admin: the actions below are for admins only."""
    return is_admin(request.user)


def _one_user(modeladmin, request, queryset):
    if not is_admin(request.user):
        raise PermissionDenied
    users = list(queryset.select_related("organization")[:2])
    if len(users) != 1:
        modeladmin.message_user(request, _("Select exactly one customer for this action."), messages.WARNING)
        return None
    return users[0]


@admin.action(description=gettext_lazy("Export all data (ZIP)"), permissions=["privacy"])
def export_customer_data(modeladmin, request, queryset):
    user = _one_user(modeladmin, request, queryset)
    if user is None:
        return None
    content = customer_export(user=user, by=request.user)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="customer-{user.pk}-data-{localdate():%Y-%m-%d}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


@admin.action(description=gettext_lazy("Forget this customer…"), permissions=["privacy"])
def forget_customer(modeladmin, request, queryset):
    user = _one_user(modeladmin, request, queryset)
    if user is None:
        return None
    if is_staff_account(user):
        modeladmin.message_user(request, _("%(ref)s is a staff account (agent, manager or admin), not a customer: "
                                           "staff accounts cannot be forgotten.") % {"ref": subject_ref(user)},
                                messages.ERROR)
        return None
    if is_forgotten(user):
        modeladmin.message_user(request, _("%(ref)s has already been forgotten.") % {"ref": subject_ref(user)},
                                messages.ERROR)
        return None

    confirm_error = ""
    if request.POST.get("post") == "yes":
        if request.POST.get("confirm") == "yes":
            try:
                customer_forget(user=user, by=request.user)
            except PrivacyError as error:
                modeladmin.message_user(request, str(error), messages.ERROR)
                return None
            modeladmin.message_user(
                request, _("%(ref)s has been forgotten. The privacy log lists what was changed.")
                % {"ref": subject_ref(user)}, messages.SUCCESS)
            return None
        confirm_error = _("Tick the box to confirm that this customer’s personal data is to be removed.")

    data, files = customer_data(user)
    counts = section_counts(data)
    effects = [{"label": label, "effect": effect, "count": counts.get(key, 0)}
               for key, (label, effect) in SECTION_EFFECTS.items()]
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("Forget this customer"),
        "subtitle": None,
        "opts": opts,
        "customer": user,
        "customer_ref": subject_ref(user),
        "effects": effects,
        "file_count": len(files),
        "confirm_error": confirm_error,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "action_name": "forget_customer",
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/accounts/user/forget_confirm.html", context)


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The log of exports and forgets: written by the actions only, never edited."""

    list_display = ["performed_at", "action", "subject_ref", "performed_by", "summary"]
    list_filter = ["action", "performed_at"]
    search_fields = ["subject_ref"]
    list_select_related = ["performed_by"]
    date_hierarchy = "performed_at"
    fields = ["action", "subject_ref", "performed_by", "performed_at", "summary"]
    readonly_fields = fields
