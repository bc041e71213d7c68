"""The desk's service-request queue filters: what an agent can narrow the list by, and how it is sorted."""

import re

import django_filters
from django import forms
from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from aftersales import selectors
from aftersales.models import Product, ServiceRequest
from helpdesk.sorting import ColumnSort

REFERENCE_RE = re.compile(r"^\s*(?:AS-?)?0*(\d{1,9})\s*$", re.IGNORECASE)
TECHNICIAN_ME = "me"
TECHNICIAN_NONE = "none"
# The columns an agent may sort the queue by, and the direction a first click on each gives: the most recent
# first for dates, the rest A to Z. The default is the review queue: requests waiting for a decision first, by
# review due time. Anything else in ?sort= falls back to it (the old "newest" and "updated" still work).
SORT_DEFAULT = "review"
SORT_COLUMNS = {
    "reference": (_("Request"), False),
    "status": (_("Status"), False),
    "eligibility": (_("Eligibility"), False),
    "review": (_("Review"), False),
    "technician": (_("Technician"), False),
    "submitted": (_("Submitted"), True),
    "updated": (_("Updated"), True),
}
SORT_ALIASES = {"newest": "-submitted", "review_due": "review", "updated": "-updated"}  # old menu choices


class Sort(ColumnSort):
    columns = SORT_COLUMNS
    default = SORT_DEFAULT
    aliases = SORT_ALIASES


def sort_ordering(queryset, sort: Sort):
    """The queryset in the chosen order, ties broken by the request number so pages never overlap."""

    def by(expression):
        # Requests with no value (no technician, no review due) come last in either direction.
        return expression.desc(nulls_last=True) if sort.descending else expression.asc(nulls_last=True)

    key = sort.key
    tie = "-pk" if sort.descending else "pk"
    if key == "review":
        # Requests waiting for a decision first, by review due time; then the rest (a quote waiting on the
        # customer included), newest first.
        review_due = Case(When(selectors.awaiting_review_q(), then=F("review_due")), default=None,
                          output_field=DateTimeField())
        return queryset.alias(review_order=review_due).order_by(by(F("review_order")), "-created_at", "-pk")
    if key == "status":
        rank = Case(*[When(status=value, then=Value(index))
                      for index, value in enumerate(ServiceRequest.Status.values)],
                    default=Value(len(ServiceRequest.Status.values)), output_field=IntegerField())
        return queryset.alias(status_rank=rank).order_by(by(F("status_rank")), tie)
    if key == "eligibility":
        return queryset.order_by(by(F("eligibility")), tie)
    if key == "technician":
        return queryset.order_by(by(F("technician__name")), by(F("technician__email")), tie)
    if key == "submitted":
        return queryset.order_by(by(F("created_at")), tie)
    if key == "updated":
        return queryset.order_by(by(F("updated_at")), tie)
    return queryset.order_by(tie)  # reference: the request number is its primary key


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

    class Meta:
        model = ServiceRequest
        fields = []

    ADVANCED = ("kind", "product", "eligibility", "technician")

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and not any(data.getlist("status")):
            data = data.copy()  # no status chosen: the active ones, shown ticked
            data.setlist("status", list(ServiceRequest.ACTIVE_STATUSES))
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.sort = Sort.parse((data or {}).get("sort"))
        user = request.user
        self.filters["technician"].extra["choices"] = [
            (TECHNICIAN_ME, _("Me")), (TECHNICIAN_NONE, _("Nobody")),
            *[(str(person.pk), person.get_full_name() or person.email)
              for person in selectors.technicians() if person.pk != user.pk],
        ]

    def filter_queryset(self, queryset):
        return sort_ordering(super().filter_queryset(queryset), self.sort)

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

    @property
    def advanced_active(self) -> bool:
        return any(self.data.get(name) for name in self.ADVANCED)
