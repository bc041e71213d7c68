"""Filters of the customer directory and the at-risk list."""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Organization, User
from reports.models import HealthScore

SORT_CHOICES = [
    ("name", _("Name")),
    ("health", _("Health, lowest first")),
    ("-health", _("Health, highest first")),
    ("newest", _("Newest customers")),
]


class CustomerDirectoryFilter(django_filters.FilterSet):
    """Organisations by name, e-mail domain or a contact's e-mail; tier, status, band; sorted.

    The band filter and the health sort use ``visible_score``/``visible_band`` (see
    ``reports.customers.directory``), so an agent never learns the health of an organisation they
    are not the account manager of by filtering or sorting on it.
    """

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "placeholder": _("Name, e-mail domain or a contact's e-mail")}),
    )
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=Organization.Tier.choices, empty_label=_("Any"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Organization.Status.choices,
                                         empty_label=_("Any"))
    band = django_filters.ChoiceFilter(label=_("Health"), choices=HealthScore.Band.choices, empty_label=_("Any"),
                                       field_name="visible_band")
    mine = django_filters.BooleanFilter(label=_("Only the ones I manage"), method="filter_mine",
                                        widget=forms.CheckboxInput)
    sort = django_filters.ChoiceFilter(label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort",
                                       empty_label=None)

    class Meta:
        model = Organization
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = request.user if request is not None else None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = self.filter_sort(queryset, "sort", "name")
        return queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        contact = User.objects.filter(organization=OuterRef("pk"), email__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(email_domain__icontains=value.lstrip("@"))
                               | Exists(contact))

    def filter_mine(self, queryset, name, value):
        return queryset.filter(account_manager=self.user) if value else queryset

    def filter_sort(self, queryset, name, value):
        if value == "health":
            return queryset.order_by(F("visible_score").asc(nulls_last=True), "name")
        if value == "-health":
            return queryset.order_by(F("visible_score").desc(nulls_last=True), "name")
        if value == "newest":
            return queryset.order_by("-customer_since", "name")
        return queryset.order_by("name")

    @property
    def advanced_active(self) -> bool:
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        return any(data.get(key) for key in ("tier", "status", "band"))


class PeopleFilter(django_filters.FilterSet):
    """Customers without an organisation, by name or e-mail."""

    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off",
                                      "placeholder": _("Name or e-mail")}),
    )

    class Meta:
        model = User
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))


class AtRiskFilter(django_filters.FilterSet):
    band = django_filters.ChoiceFilter(
        label=_("Band"), field_name="health__band", empty_label=_("At risk and watch"),
        choices=[(HealthScore.Band.AT_RISK, HealthScore.Band.AT_RISK.label),
                 (HealthScore.Band.WATCH, HealthScore.Band.WATCH.label)],
    )
    account_manager = django_filters.ModelChoiceFilter(label=_("Account manager"), queryset=User.objects.none(),
                                                       empty_label=_("Anyone"))
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=Organization.Tier.choices, empty_label=_("Any"))

    class Meta:
        model = Organization
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, managers=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        if managers is None:
            del self.filters["account_manager"]
        else:
            self.filters["account_manager"].queryset = managers
