"""What the customer-care list can be narrowed by: whose tasks, which kind, open or done, overdue only."""

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts import selectors
from helpdesk.accounts.models import CareTask
from helpdesk.accounts.roles import is_manager

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
        # Nothing chosen yet: my open tasks.
        data = data.copy() if data is not None else None
        if data is not None:
            if "assignee" not in data:
                data["assignee"] = ASSIGNEE_ME
            if "status" not in data:
                data["status"] = CareTask.Status.OPEN
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.manager = is_manager(request.user)
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
        """Whether the person changed anything from the default view (my open tasks)."""
        data = self.form.data
        return (data.get("assignee") != ASSIGNEE_ME or data.get("status") != CareTask.Status.OPEN
                or bool(data.get("kind")) or bool(data.get("overdue")))
