"""Filters of customer care: the care-task list, the customer directory and the at-risk list."""

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from care import selectors
from care.models import CareTask, HealthScore
from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import is_manager

SORT_CHOICES = [
    ("name", _("Name")),
    ("health", _("Health, lowest first")),
    ("-health", _("Health, highest first")),
    ("newest", _("Newest customers")),
]


class CustomerDirectoryFilter(django_filters.FilterSet):
    """Organisations by name, e-mail domain or a contact's e-mail; tier, status, band; sorted.

    The band filter and the health sort use ``visible_score``/``visible_band`` (see
    ``care.selectors.directory``), so an agent never learns the health of an organisation they
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


# ---------------------------------------------------------------- care tasks

ASSIGNEE_ME = "me"
ASSIGNEE_ANYONE = "anyone"
ASSIGNEE_NOBODY = "nobody"


class CareTaskFilter(django_filters.FilterSet):
    assignee = django_filters.ChoiceFilter(label=_("Assigned to"), method="filter_assignee", empty_label=None)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=CareTask.Kind.choices, empty_label=_("Any kind"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CareTask.Status.choices,
                                         empty_label=_("Open and done"))
    overdue = django_filters.BooleanFilter(label=_("Overdue only"), method="filter_overdue",
                                           widget=forms.CheckboxInput)

    class Meta:
        model = CareTask
        fields = []

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # Nothing chosen yet: open tasks, an agent's own; a manager's of everyone, as a manager's own list is
        # usually empty (check-ins go to account managers) and they watch the team's work.
        self.manager = is_manager(request.user)
        self.default_assignee = ASSIGNEE_ANYONE if self.manager else ASSIGNEE_ME
        data = data.copy() if data is not None else None
        if data is not None:
            if "assignee" not in data:
                data["assignee"] = self.default_assignee
            if "status" not in data:
                data["status"] = CareTask.Status.OPEN
        super().__init__(data, queryset, request=request, prefix=prefix)
        choices = [(ASSIGNEE_ME, _("Me")), (ASSIGNEE_ANYONE, _("Anyone"))]
        if self.manager:
            choices.append((ASSIGNEE_NOBODY, _("Nobody")))
            choices += [(str(person.pk), person.get_full_name() or person.email)
                        for person in selectors.care_assignees() if person.pk != request.user.pk]
        self.filters["assignee"].extra["choices"] = choices

    def filter_assignee(self, queryset, name, value):
        if value == ASSIGNEE_ME:
            return queryset.filter(assignee=self.request.user)
        if value == ASSIGNEE_NOBODY:
            return queryset.filter(assignee__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assignee_id=int(value))
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=CareTask.Status.OPEN, due_on__lt=timezone.localdate())

    def filter_queryset(self, queryset):
        # Open tasks first, the most overdue on top; then done ones, the latest first.
        open_first = Case(When(status=CareTask.Status.OPEN, then=Value(0)), default=Value(1),
                          output_field=IntegerField())
        open_due = Case(When(status=CareTask.Status.OPEN, then=F("due_on")), default=None)
        return super().filter_queryset(queryset).alias(open_first=open_first, open_due=open_due).order_by(
            "open_first", F("open_due").asc(nulls_last=True), F("done_at").desc(nulls_last=True), "pk")

    @property
    def filtered(self) -> bool:
        """Whether the person changed anything from their default view (see ``__init__``)."""
        data = self.form.data
        return (data.get("assignee") != self.default_assignee or data.get("status") != CareTask.Status.OPEN
                or bool(data.get("kind")) or bool(data.get("overdue")))
