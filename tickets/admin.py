"""Django admin for the tickets app.

Calendars, SLA policies, queues, tags and canned responses are configured here.
Tickets, their messages, attachments, events and inbound e-mail are only viewed and
searched: every change to a ticket goes through the desk, so it lands in the audit trail
and the customer is told.
"""

import re

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat, truncatechars
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role
from helpdesk.admin_mixins import InternalAdminMixin, ReadOnlyAdminMixin
from helpdesk.forms import InputLimitsMixin
from tickets.automation.models import Automation, Rule
from tickets.models import (
    AgentAvailability,
    Attachment,
    BusinessHours,
    CannedResponse,
    CustomField,
    Holiday,
    IntakeRecord,
    Message,
    OpeningPeriod,
    Queue,
    SLAPolicy,
    Tag,
    Ticket,
    TicketEvent,
)

CANNED_PLACEHOLDERS = ("customer_name", "reference", "agent_name", "subject")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
SHORT_WEEKDAYS = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]


def business_duration(minutes: int) -> str:
    """Business minutes as people say them: 45 min, 4 h, 8 h 30 min."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return _("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}


def staff_users():
    """People who work tickets: agents and managers (admins are superusers without a role)."""
    return User.objects.filter(
        Q(groups__name__in=[Role.AGENT, Role.MANAGER]) | Q(is_superuser=True), is_active=True
    ).distinct().order_by("name", "email")


class TicketReferenceSearchMixin:
    """A search for ``HD-000123`` or ``123`` also finds ticket 123, whatever else matches."""

    ticket_lookup = "ticket_id"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        pk = Ticket.pk_from_reference(search_term.strip().lstrip("#"))
        if pk is not None:
            results = results | queryset.filter(**{self.ticket_lookup: pk})
        return results, may_have_duplicates


def short_datetime(moment):
    """“24 Nov 18:40” in the list, the full date and time on hover."""
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    short = date_format(local, "j M H:i" if local.year == timezone.localtime().year else "j M Y")
    return format_html('<span class="nowrap" title="{}">{}</span>', date_format(local, "DATETIME_FORMAT"), short)


def message_kind(message):
    if message.is_internal:
        return _("Internal note")
    return _("Agent reply") if message.from_agent else _("Customer")


def desk_link(ticket):
    if ticket is None or ticket.pk is None:
        return "—"
    return format_html('<a href="{}">{} ↗</a>', ticket.get_absolute_url(), _("Open in the desk"))


# ---------------------------------------------------------------- calendars and SLA


class OpeningPeriodInline(admin.TabularInline):
    model = OpeningPeriod
    extra = 0
    fields = ["weekday", "opens", "closes"]


class HolidayInline(admin.TabularInline):
    model = Holiday
    extra = 0
    fields = ["date", "name"]


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone", "opening_hours", "holiday_count", "policy_count"]
    search_fields = ["name", "timezone"]
    inlines = [OpeningPeriodInline, HolidayInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request)
            .prefetch_related("periods")
            .annotate(holiday_count=Count("holidays", distinct=True), policy_count=Count("slapolicy", distinct=True))
        )

    @admin.display(description=_("opening hours"))
    def opening_hours(self, calendar):
        """Runs of weekdays with the same hours, e.g. “Mon–Fri 09:00–18:00”."""
        spans = {}
        for period in calendar.periods.all():
            spans.setdefault(period.weekday, []).append(f"{period.opens:%H:%M}–{period.closes:%H:%M}")
        if not spans:
            return _("Never open")
        runs = []  # [first weekday, last weekday, hours]
        for weekday in sorted(spans):
            hours = ", ".join(spans[weekday])
            if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == hours:
                runs[-1][1] = weekday
            else:
                runs.append([weekday, weekday, hours])
        parts = []
        for first, last, hours in runs:
            days = SHORT_WEEKDAYS[first] if first == last else f"{SHORT_WEEKDAYS[first]}–{SHORT_WEEKDAYS[last]}"
            parts.append(f"{days} {hours}")
        return "; ".join(parts)

    @admin.display(description=_("holidays"), ordering="holiday_count")
    def holiday_count(self, calendar):
        return calendar.holiday_count

    @admin.display(description=_("SLA policies"), ordering="policy_count")
    def policy_count(self, calendar):
        return calendar.policy_count


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = ["name", "priority", "tier_label", "first_response", "resolution", "business_hours"]
    list_filter = ["priority", "tier", "queue", "business_hours"]
    search_fields = ["name"]
    list_select_related = ["business_hours"]
    fieldsets = [
        (None, {"fields": ["name", "priority", "tier", "queue"]}),
        (_("Targets"), {
            "fields": ["first_response_minutes", "resolution_minutes", "business_hours"],
            "description": _("Counted in the business minutes of the calendar. A change applies to tickets opened "
                             "or re-prioritised from now on."),
        }),
    ]

    @admin.display(description=_("organisation tier"), ordering="tier")
    def tier_label(self, policy):
        return policy.get_tier_display() if policy.tier else _("Every customer")

    @admin.display(description=_("first response"), ordering="first_response_minutes")
    def first_response(self, policy):
        return business_duration(policy.first_response_minutes)

    @admin.display(description=_("resolution"), ordering="resolution_minutes")
    def resolution(self, policy):
        return business_duration(policy.resolution_minutes)


# ---------------------------------------------------------------- queues, tags, canned responses


class QueueAdminForm(InputLimitsMixin, forms.ModelForm):
    class Meta:
        model = Queue
        fields = ["name", "slug", "description", "ordering", "is_public", "email_address", "manager", "members",
                  "assignment", "assign_on_reply"]

    def clean_manager(self):
        manager = self.cleaned_data.get("manager")
        if manager is not None and not staff_users().filter(pk=manager.pk).exists():
            raise forms.ValidationError(_("The queue manager must be an active agent, manager or admin."))
        return manager


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    form = QueueAdminForm
    list_display = ["name", "email_address", "in_portal", "manager", "member_count", "active_count", "ordering"]
    list_editable = ["ordering"]
    list_filter = ["is_public"]
    search_fields = ["name", "slug", "email_address", "description"]
    list_select_related = ["manager"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
    autocomplete_fields = ["manager"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "ordering", "is_public"]}),
        (_("E-mail"), {"fields": ["email_address"]}),
        (_("People"), {"fields": ["manager", "members"]}),
        (_("Assignment"), {"fields": ["assignment", "assign_on_reply"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            member_count=Count("members", distinct=True),
            active_count=Count("tickets", filter=Q(tickets__status__in=Ticket.ACTIVE_STATUSES), distinct=True),
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "members":
            kwargs["queryset"] = staff_users()
            kwargs["help_text"] = _("Agents who work this queue's tickets. Managers see every queue anyway.")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("in portal"), boolean=True, ordering="is_public")
    def in_portal(self, queue):
        return queue.is_public

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, queue):
        return queue.member_count

    @admin.display(description=_("active tickets"), ordering="active_count")
    def active_count(self, queue):
        return queue.active_count


class TagAdminForm(InputLimitsMixin, forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name"]

    def clean_name(self):
        return self.cleaned_data["name"].strip().lower()  # the desk stores tags in lower case


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    form = TagAdminForm
    list_display = ["name", "ticket_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ticket_count=Count("tickets"))

    @admin.display(description=_("tickets"), ordering="ticket_count")
    def ticket_count(self, tag):
        return tag.ticket_count


class CannedResponseAdminForm(InputLimitsMixin, forms.ModelForm):
    class Meta:
        model = CannedResponse
        fields = ["title", "queue", "body"]

    def clean_body(self):
        body = self.cleaned_data["body"]
        unknown = sorted({name for name in PLACEHOLDER.findall(body) if name not in CANNED_PLACEHOLDERS})
        if unknown:
            raise forms.ValidationError(
                ngettext(
                    "Unknown placeholder %(names)s. Use only %(allowed)s.",
                    "Unknown placeholders %(names)s. Use only %(allowed)s.",
                    len(unknown),
                )
                % {
                    "names": ", ".join(f"{{{name}}}" for name in unknown),
                    "allowed": ", ".join(f"{{{name}}}" for name in CANNED_PLACEHOLDERS),
                }
            )
        return body


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    form = CannedResponseAdminForm
    list_display = ["title", "queue_label", "excerpt"]
    list_filter = ["queue"]
    search_fields = ["title", "body"]
    list_select_related = ["queue"]

    @admin.display(description=_("queue"), ordering="queue__name")
    def queue_label(self, response):
        return response.queue or _("Every queue")

    @admin.display(description=_("text"))
    def excerpt(self, response):
        return truncatechars(" ".join(response.body.split()), 90)


# ---------------------------------------------------------------- tickets (view only)


class MessageInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Message
    fields = ["created_at", "author", "kind", "channel", "body", "attachment_names"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    verbose_name = _("message")
    verbose_name_plural = _("thread")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author").prefetch_related("attachments")

    @admin.display(description=_("kind"))
    def kind(self, message):
        return message_kind(message)

    @admin.display(description=_("attachments"))
    def attachment_names(self, message):
        return ", ".join(attachment.original_name for attachment in message.attachments.all()) or "—"


class TicketEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TicketEvent
    fields = ["created_at", "actor", "kind", "old_value", "new_value", "version"]
    readonly_fields = fields
    extra = 0
    verbose_name_plural = _("audit trail")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Ticket)
class TicketAdmin(TicketReferenceSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    ticket_lookup = "pk"
    list_display = ["reference_label", "short_subject", "requester_and_organization", "queue", "status", "priority",
                    "assignee", "created"]
    list_display_links = ["reference_label", "short_subject"]
    list_filter = ["status", "priority", "queue", "channel", "created_at"]
    list_select_related = ["requester", "organization", "queue", "assignee"]
    search_fields = ["subject", "requester__email"]
    search_help_text = _("Subject, requester e-mail, or a reference such as HD-000123 or 123.")
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [MessageInline, TicketEventInline]
    readonly_fields = ["reference_label", "open_in_desk", "tag_list", "first_response_warn_at",
                       "first_response_warned_at", "first_response_breached_at", "resolution_warn_at",
                       "resolution_warned_at", "resolution_breached_at"]
    fieldsets = [
        (None, {"fields": ["reference_label", "open_in_desk", "subject", "description"]}),
        (_("Customer"), {"fields": ["requester", "organization", "channel", "product", "created_by"]}),
        (_("Handling"), {"fields": ["queue", "status", "priority", "assignee", "tag_list", "resolution_summary",
                                    "reopened_count", "merged_into", "follow_up_of", "version"]}),
        (_("Timestamps"), {"fields": ["created_at", "updated_at", "first_response_at", "resolved_at", "closed_at"]}),
        (_("SLA"), {
            "classes": ["collapse"],
            "fields": ["sla_policy", "first_response_due", "resolution_due", "paused_since", "sla_paused_minutes",
                       "sla_paused_seconds", "first_response_warn_at", "first_response_warned_at",
                       "first_response_breached_at", "resolution_warn_at", "resolution_warned_at",
                       "resolution_breached_at"],
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(
            "requester", "organization", "queue", "assignee", "created_by", "sla_policy", "merged_into",
            "follow_up_of",
        )

    @admin.display(description=_("reference"), ordering="pk")
    def reference_label(self, ticket):
        return format_html('<span class="nowrap">{}</span>', ticket.reference)

    @admin.display(description=_("subject"), ordering="subject")
    def short_subject(self, ticket):
        return truncatechars(ticket.subject, 70)

    @admin.display(description=_("requester"), ordering="requester__name")
    def requester_and_organization(self, ticket):
        return format_html('{}<br><span class="quiet">{}</span>', ticket.requester,
                           ticket.organization or _("no organisation"))

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, ticket):
        return short_datetime(ticket.created_at)

    @admin.display(description=_("desk"))
    def open_in_desk(self, ticket):
        return desk_link(ticket)

    @admin.display(description=_("tags"))
    def tag_list(self, ticket):
        return ", ".join(tag.name for tag in ticket.tags.all()) or "—"


@admin.register(Message)
class MessageAdmin(TicketReferenceSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["ticket_reference", "kind", "excerpt", "author", "channel", "created"]
    list_display_links = ["ticket_reference", "excerpt"]
    list_filter = ["is_internal", "from_agent", "channel", "created_at"]
    list_select_related = ["ticket", "author"]
    search_fields = ["body", "ticket__subject", "author__email", "email_message_id"]
    search_help_text = _("Text, ticket subject, author e-mail, Message-ID, or a ticket reference.")
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    fields = ["ticket", "open_in_desk", "author", "is_internal", "from_agent", "channel", "created_at",
              "email_message_id", "body"]
    readonly_fields = ["open_in_desk"]

    @admin.display(description=_("ticket"), ordering="ticket_id")
    def ticket_reference(self, message):
        return format_html('<span class="nowrap">{}</span>', message.ticket.reference)

    @admin.display(description=_("kind"), ordering="is_internal")
    def kind(self, message):
        return message_kind(message)

    @admin.display(description=_("text"))
    def excerpt(self, message):
        return truncatechars(" ".join(message.body.split()), 90)

    @admin.display(description=_("created"), ordering="created_at")
    def created(self, message):
        return short_datetime(message.created_at)

    @admin.display(description=_("desk"))
    def open_in_desk(self, message):
        return desk_link(message.ticket)


@admin.register(Attachment)
class AttachmentAdmin(TicketReferenceSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Names and sizes only: the file itself is served by the desk, to people who may see the ticket."""

    ticket_lookup = "message__ticket_id"
    list_display = ["original_name", "size_label", "content_type", "ticket_reference", "is_internal", "uploaded"]
    ordering = ["-created_at", "-pk"]
    list_filter = ["content_type", "message__is_internal", "created_at"]
    list_select_related = ["message__ticket"]
    search_fields = ["original_name", "message__ticket__subject"]
    search_help_text = _("File name, ticket subject, or a ticket reference.")
    date_hierarchy = "created_at"
    fields = ["original_name", "size_label", "content_type", "created_at", "message", "ticket_reference",
              "is_internal", "open_in_desk"]
    readonly_fields = ["size_label", "ticket_reference", "is_internal", "open_in_desk"]

    @admin.display(description=_("size"), ordering="size")
    def size_label(self, attachment):
        return filesizeformat(attachment.size)

    @admin.display(description=_("ticket"), ordering="message__ticket_id")
    def ticket_reference(self, attachment):
        return format_html('<span class="nowrap">{}</span>', attachment.message.ticket.reference)

    @admin.display(description=_("uploaded"), ordering="created_at")
    def uploaded(self, attachment):
        return short_datetime(attachment.created_at)

    @admin.display(description=_("on an internal note"), boolean=True, ordering="message__is_internal")
    def is_internal(self, attachment):
        return attachment.message.is_internal

    @admin.display(description=_("desk"))
    def open_in_desk(self, attachment):
        return desk_link(attachment.message.ticket)


@admin.register(TicketEvent)
class TicketEventAdmin(TicketReferenceSearchMixin, InternalAdminMixin, admin.ModelAdmin):
    list_display = ["when", "ticket_reference", "kind", "old_value", "new_value", "actor", "version"]
    ordering = ["-created_at", "-pk"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["ticket", "actor"]
    search_fields = ["ticket__subject", "old_value", "new_value", "actor__email"]
    search_help_text = _("Ticket subject, old or new value, actor e-mail, or a ticket reference.")
    date_hierarchy = "created_at"
    fields = ["ticket", "open_in_desk", "kind", "old_value", "new_value", "actor", "version", "created_at"]
    readonly_fields = ["open_in_desk"]

    @admin.display(description=_("when"), ordering="created_at")
    def when(self, event):
        return short_datetime(event.created_at)

    @admin.display(description=_("ticket"), ordering="ticket_id")
    def ticket_reference(self, event):
        return format_html('<span class="nowrap">{}</span>', event.ticket.reference)

    @admin.display(description=_("desk"))
    def open_in_desk(self, event):
        return desk_link(event.ticket)


@admin.register(IntakeRecord)
class IntakeRecordAdmin(TicketReferenceSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["processed", "channel", "sender", "subject", "outcome", "reason", "ticket_link"]
    list_filter = ["outcome", "channel", "verification", "received_at"]
    list_select_related = ["ticket"]
    search_fields = ["sender", "subject", "external_key", "reason"]
    search_help_text = _("Sender, subject, Message-ID, reason, or a ticket reference.")
    date_hierarchy = "received_at"
    fields = ["channel", "external_key", "sender", "verification", "subject", "outcome", "reason", "queue", "ticket",
              "open_in_desk", "received_at", "reviewed_by", "reviewed_at", "attempts", "download", "error"]
    readonly_fields = ["open_in_desk", "download"]

    def get_urls(self):
        raw = path("<int:pk>/raw/", self.admin_site.admin_view(self.raw_view), name="tickets_intakerecord_raw")
        return [raw, *super().get_urls()]

    def raw_view(self, request, pk):
        """A failed or suspended message as it arrived, to read or to hand to whoever fixes the parser."""
        record = get_object_or_404(IntakeRecord, pk=pk)
        if not self.has_view_permission(request, record):
            raise PermissionDenied
        if not record.raw:
            raise Http404
        response = HttpResponse(bytes(record.raw), content_type="message/rfc822")
        response["Content-Disposition"] = f'attachment; filename="intake-{record.pk}.eml"'
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @admin.display(description=_("message"))
    def download(self, record):
        if not record.raw:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:tickets_intakerecord_raw", args=[record.pk]),
                           _("Download the message as it arrived (.eml)"))

    @admin.display(description=_("processed"), ordering="received_at")
    def processed(self, record):
        return short_datetime(record.received_at)

    @admin.display(description=_("ticket"), ordering="ticket_id")
    def ticket_link(self, record):
        if record.ticket is None:
            return "—"
        return format_html('<a class="nowrap" href="{}">{}</a>',
                           reverse("admin:tickets_ticket_change", args=[record.ticket_id]), record.ticket.reference)

    @admin.display(description=_("desk"))
    def open_in_desk(self, record):
        return desk_link(record.ticket)


class _RuleForm(InputLimitsMixin, forms.ModelForm):
    """Conditions and actions are checked by the engine itself, so a bad one is named before it is saved."""

    def clean(self):
        cleaned = super().clean()
        from django.core.exceptions import ValidationError

        from tickets.automation import engine

        for name, validate in (("conditions", engine.validate_conditions), ("actions", engine.validate_actions)):
            try:
                validate(cleaned.get(name) or [])
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = _RuleForm
    list_display = ("name", "event", "match", "ordering", "is_active")
    list_editable = ("ordering", "is_active")
    list_filter = ("event", "is_active")
    search_fields = ("name",)


@admin.register(Automation)
class AutomationAdmin(admin.ModelAdmin):
    form = _RuleForm
    list_display = ("name", "match", "ordering", "is_active")
    list_editable = ("ordering", "is_active")
    search_fields = ("name",)


@admin.register(CustomField)
class CustomFieldAdmin(admin.ModelAdmin):
    list_display = ("label", "key", "type", "queue", "requirement", "visible_to_customers")
    list_filter = ("type", "requirement", "queue")
    search_fields = ("label", "key")


@admin.register(AgentAvailability)
class AgentAvailabilityAdmin(admin.ModelAdmin):
    list_display = ("user", "away", "away_until", "max_active_tickets")
    list_filter = ("away",)
    search_fields = ("user__email",)
    autocomplete_fields = ("user",)
