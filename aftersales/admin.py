"""Django admin for after-sales: the product catalogue, purchases (with a CSV import), and service requests.

Products and purchases are kept here. Service requests, their log entries, files and events
are only viewed and searched: every change to a request goes through the desk, so it lands in
the audit trail and the customer is told.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat, truncatechars
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aftersales import services
from aftersales.forms import PurchaseImportForm
from aftersales.imports import ImportRefused
from aftersales.models import Product, Purchase, ServiceEvent, ServiceFile, ServiceLog, ServiceRequest
from helpdesk.accounts import selectors as account_selectors
from helpdesk.admin_mixins import InternalAdminMixin, ReadOnlyAdminMixin
from helpdesk.forms import InputLimitsMixin


class ReferenceSearchMixin:
    """A search for ``AS-000123`` or ``123`` also finds service request 123, whatever else matches."""

    reference_lookup = "service_request_id"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        pk = ServiceRequest.pk_from_reference(search_term.strip().lstrip("#"))
        if pk is not None:
            results = results | queryset.filter(**{self.reference_lookup: pk})
        return results, may_have_duplicates


def desk_link(service_request):
    if service_request is None or service_request.pk is None:
        return "—"
    return format_html('<a href="{}">{} ↗</a>', service_request.get_absolute_url(), _("Open in the desk"))


# ---------------------------------------------------------------- catalogue and purchases


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "sku", "warranty_months", "refund_window_days", "is_active", "purchase_count"]
    list_filter = ["is_active"]
    search_fields = ["name", "sku"]
    fields = ["name", "sku", "warranty_months", "refund_window_days", "service_terms", "is_active"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(purchase_total=Count("purchases"))

    @admin.display(description=_("purchases"), ordering="purchase_total")
    def purchase_count(self, product):
        return product.purchase_total


class PurchaseAdminForm(InputLimitsMixin, forms.ModelForm):
    class Meta:
        model = Purchase
        fields = ["customer", "product", "serial_number", "purchase_date", "order_reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "customer" in self.fields:
            self.fields["customer"].queryset = account_selectors.customers().order_by("email")

    def clean_serial_number(self):
        serial = services.normalize_serial(self.cleaned_data["serial_number"])
        if not serial:
            raise forms.ValidationError(_("Enter the serial number."))
        return serial

    def clean_purchase_date(self):
        purchase_date = self.cleaned_data["purchase_date"]
        if purchase_date > timezone.localdate():
            raise forms.ValidationError(_("The purchase date cannot be in the future."))
        return purchase_date


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    form = PurchaseAdminForm
    change_list_template = "aftersales/admin/purchase_change_list.html"
    list_display = ["serial_number", "product", "customer", "organization", "purchase_date", "warranty_until",
                    "warranty_state", "order_reference"]
    list_filter = ["product", "organization", "purchase_date"]
    search_fields = ["serial_number", "order_reference", "customer__email", "customer__name", "organization__name"]
    list_select_related = ["product", "customer", "organization"]
    date_hierarchy = "purchase_date"
    readonly_fields = ["organization", "warranty_until", "proof_link", "registered_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["customer", "organization", "product", "serial_number", "purchase_date",
                           "order_reference"]}),
        (_("Warranty and records"), {"fields": ["warranty_until", "proof_link", "registered_by", "created_at"]}),
    ]

    @admin.display(description=_("warranty"))
    def warranty_state(self, purchase):
        if purchase.warranty_until >= timezone.localdate():
            return format_html('<span style="color:#047857">{}</span>', _("in warranty"))
        return format_html('<span style="color:#6b7280">{}</span>', _("expired"))

    @admin.display(description=_("proof of purchase"))
    def proof_link(self, purchase):
        if not purchase.pk or not purchase.proof:
            return "—"
        return format_html('<a href="{}">{}</a> ({})', reverse("aftersales:proof", args=[purchase.pk]),
                           purchase.proof_name, filesizeformat(purchase.proof_size))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.registered_by = request.user
        services.purchase_refresh_warranty(obj)
        super().save_model(request, obj, form, change)

    # ------------------------------------------------------------ the CSV import

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="aftersales_purchase_import"),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        return request.user.has_perm("aftersales.import_purchases") and request.user.has_perm(
            "aftersales.add_purchase")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        problems = []
        if request.method == "POST":
            form = PurchaseImportForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    created = services.purchases_import(csv_file=form.cleaned_data["csv_file"], actor=request.user)
                except ImportRefused as refused:
                    problems = [str(problem) for problem in refused.problems]
                else:
                    self.message_user(request, ngettext(
                        "Imported %(count)d purchase.", "Imported %(count)d purchases.", len(created))
                        % {"count": len(created)}, messages.SUCCESS)
                    return redirect("admin:aftersales_purchase_changelist")
        else:
            form = PurchaseImportForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import purchases from a CSV file"),
            "form": form,
            "problems": problems,
            "products": Product.objects.filter(is_active=True).order_by("name"),
        }
        return TemplateResponse(request, "aftersales/admin/purchase_import.html", context,
                                status=400 if problems or form.errors else 200)


# ---------------------------------------------------------------- service requests (read-only)


class ServiceLogInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ServiceLog
    extra = 0
    fields = ["created_at", "author", "is_internal", "from_customer", "text"]


class ServiceEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ServiceEvent
    extra = 0
    fields = ["created_at", "actor", "kind", "old_value", "new_value", "version"]


@admin.register(ServiceRequest)
class ServiceRequestAdmin(ReferenceSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    reference_lookup = "pk"
    list_display = ["reference_label", "kind", "product", "requester", "status", "eligibility", "technician",
                    "created_at"]
    list_display_links = ["reference_label"]
    list_filter = ["status", "kind", "eligibility", "purchase__product"]
    search_fields = ["purchase__serial_number", "requester__email", "requester__name", "description"]
    list_select_related = ["purchase__product", "requester", "technician"]
    date_hierarchy = "created_at"
    inlines = [ServiceLogInline, ServiceEventInline]
    fieldsets = [
        (None, {"fields": ["open_in_desk", "purchase", "requester", "organization", "kind", "description",
                           "onsite_address", "status", "ticket"]}),
        (_("Review"), {"fields": ["request_date", "eligibility_assessed", "eligibility", "eligibility_confirmed_at",
                                  "review_due", "reviewer", "decided_at", "rejection_reason"]}),
        (_("Quote"), {"fields": ["quote_amount", "quote_currency", "quote_note", "quote_reason", "quote_sent_at",
                                 "quote_accepted_at", "quote_declined_at"]}),
        (_("Service"), {"fields": ["technician", "service_started_at", "work_done", "parts_replaced",
                                   "replacement_serial", "completed_at", "closed_at"]}),
        (_("Record"), {"fields": ["created_by", "created_at", "updated_at", "version"]}),
    ]

    @admin.display(description=_("reference"), ordering="pk")
    def reference_label(self, service_request):
        return service_request.reference

    @admin.display(description=_("product"), ordering="purchase__product__name")
    def product(self, service_request):
        return f"{service_request.purchase.product.name} · {service_request.purchase.serial_number}"

    @admin.display(description=_("desk"))
    def open_in_desk(self, service_request):
        return desk_link(service_request)


@admin.register(ServiceLog)
class ServiceLogAdmin(ReferenceSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "is_internal", "from_customer", "excerpt", "author", "created_at"]
    list_filter = ["is_internal", "from_customer"]
    search_fields = ["text", "author__email"]
    list_select_related = ["service_request", "author"]
    fields = ["service_request", "author", "is_internal", "from_customer", "text", "created_at"]

    @admin.display(description=_("service request"), ordering="service_request_id")
    def reference(self, log):
        return log.service_request.reference

    @admin.display(description=_("text"))
    def excerpt(self, log):
        return truncatechars(log.text, 80)


@admin.register(ServiceEvent)
class ServiceEventAdmin(ReferenceSearchMixin, InternalAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "kind", "old_value", "new_value", "actor", "version", "created_at"]
    list_filter = ["kind"]
    search_fields = ["actor__email", "old_value", "new_value"]
    list_select_related = ["service_request", "actor"]
    fields = ["service_request", "actor", "kind", "old_value", "new_value", "version", "created_at"]

    @admin.display(description=_("service request"), ordering="service_request_id")
    def reference(self, event):
        return event.service_request.reference


@admin.register(ServiceFile)
class ServiceFileAdmin(ReferenceSearchMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "reference", "visibility", "size_label", "content_type", "created_at"]
    search_fields = ["original_name"]
    list_select_related = ["service_request", "log"]
    fields = ["download", "service_request", "log", "original_name", "size", "content_type", "created_at"]

    @admin.display(description=_("service request"), ordering="service_request_id")
    def reference(self, stored):
        return stored.service_request.reference

    @admin.display(description=_("visibility"))
    def visibility(self, stored):
        return _("internal") if stored.log_id and stored.log.is_internal else _("public")

    @admin.display(description=_("size"), ordering="size")
    def size_label(self, stored):
        return filesizeformat(stored.size)

    @admin.display(description=_("file"))
    def download(self, stored):
        return format_html('<a href="{}">{}</a>', reverse("aftersales:file", args=[stored.pk]), stored.original_name)
