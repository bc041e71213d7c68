"""The desk's service-request queue filters: what an agent can narrow the list by, and how it is sorted."""

import re

import django_filters
from django import forms
from django.db.models import Case, DateTimeField, F, Q, When
from django.utils.translation import gettext_lazy as _

from aftersales import selectors
from aftersales.models import Product, ServiceRequest

REFERENCE_RE = re.compile(r"^\s*(?:AS-?)?0*(\d{1,9})\s*$", re.IGNORECASE)
TECHNICIAN_ME = "me"
TECHNICIAN_NONE = "none"
SORT_CHOICES = [
    ("review_due", _("Review due first")),
    ("newest", _("Newest first")),
    ("updated", _("Recently updated")),
]


class ServiceRequestFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("AS-000123, serial number, e-mail or name"),
                                      "autocomplete": "off"}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=ServiceRequest.Status.choices, method="filter_status",
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ServiceRequest.Kind.choices, empty_label=_("Any"))
    product = django_filters.ModelChoiceFilter(label=_("Product"), field_name="purchase__product",
                                               queryset=Product.objects.order_by("name"), empty_label=_("Any"))
    eligibility = django_filters.ChoiceFilter(label=_("Eligibility"), choices=ServiceRequest.Eligibility.choices,
                                              empty_label=_("Any"))
    technician = django_filters.ChoiceFilter(label=_("Technician"), method="filter_technician",
                                             empty_label=_("Anyone"))
    overdue = django_filters.BooleanFilter(
        label=_("Review overdue only"), method="filter_overdue",
        widget=forms.CheckboxInput,
    )
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort",
                                       empty_label=None)

    class Meta:
        model = ServiceRequest
        fields = []

    ADVANCED = ("kind", "product", "eligibility", "technician")

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and not any(data.getlist("status")):
            data = data.copy()  # no status chosen: the active ones, shown ticked
            data.setlist("status", list(ServiceRequest.ACTIVE_STATUSES))
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = request.user
        self.filters["technician"].extra["choices"] = [
            (TECHNICIAN_ME, _("Me")), (TECHNICIAN_NONE, _("Nobody")),
            *[(str(person.pk), person.get_full_name() or person.email)
              for person in selectors.technicians() if person.pk != user.pk],
        ]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.filter_sort(queryset, "sort", "review_due")
        return queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=value) if value else queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = (Q(purchase__serial_number__icontains=value) | Q(requester__email__icontains=value)
                 | Q(requester__name__icontains=value) | Q(purchase__order_reference__iexact=value))
        reference = REFERENCE_RE.match(value)
        if reference:
            match |= Q(pk=int(reference.group(1)))
        return queryset.filter(match)

    def filter_technician(self, queryset, name, value):
        if value == TECHNICIAN_ME:
            return queryset.filter(technician=self.request.user)
        if value == TECHNICIAN_NONE:
            return queryset.filter(technician__isnull=True)
        if value and value.isdigit():
            return queryset.filter(technician_id=int(value))
        return queryset

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(selectors.overdue_review_q()) if value else queryset

    def filter_sort(self, queryset, name, value):
        if value == "newest":
            return queryset.order_by("-created_at", "-pk")
        if value == "updated":
            return queryset.order_by("-updated_at", "-pk")
        # Requests waiting for a decision first, by review due time; then the rest (a quote waiting on the
        # customer included), newest first.
        review_due = Case(When(selectors.awaiting_review_q(), then=F("review_due")), default=None,
                          output_field=DateTimeField())
        return queryset.alias(review_order=review_due).order_by(
            F("review_order").asc(nulls_last=True), "-created_at", "-pk")

    @property
    def advanced_active(self) -> bool:
        return any(self.data.get(name) for name in self.ADVANCED)
