"""The desk's ticket list filters: what an agent can narrow the queue list by, and how it is sorted."""

import re

import django_filters
from django import forms
from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role, is_manager
from helpdesk.sorting import ColumnSort
from tickets import selectors
from tickets.models import PRIORITY_RANK, Priority, Queue, Tag, Ticket

REFERENCE_RE = re.compile(r"^\s*(?:HD-?)?0*(\d{1,9})\s*$", re.IGNORECASE)

ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"

SLA_CHOICES = [
    ("breached", _("Breached")),
    ("due_soon", _("Due within 1 h")),
    ("on_track", _("On track")),
]

# The columns an agent may sort the list by, and the direction a first click on each gives: the most
# urgent and the most recent first, the rest A to Z. Anything else in ?sort= falls back to SORT_DEFAULT.
SORT_DEFAULT = "sla"
SORT_COLUMNS = {
    "reference": (_("Number"), False),
    "subject": (_("Subject"), False),
    "requester": (_("Requester"), False),
    "status": (_("Status"), False),
    "priority": (_("Priority"), True),
    "assignee": (_("Assignee"), False),
    "updated": (_("Updated"), True),
    "sla": (_("SLA due"), False),
}


class Sort(ColumnSort):
    columns = SORT_COLUMNS
    default = SORT_DEFAULT


def status_rank_expression():
    """The statuses in the order a ticket moves through them, not alphabetically."""
    return Case(
        *[When(status=value, then=Value(rank)) for rank, value in enumerate(Ticket.Status.values)],
        default=Value(len(Ticket.Status.values)), output_field=IntegerField(),
    )


def sort_ordering(queryset, sort: Sort):
    """The queryset in the chosen order, ties broken by the ticket number so pages never overlap."""

    def by(expression):
        # Tickets with no value (no assignee, no SLA target left) come last in either direction.
        return expression.desc(nulls_last=True) if sort.descending else expression.asc(nulls_last=True)

    key = sort.key
    if key == "sla":
        queryset = queryset.alias(sla_due=sla_due_expression())
        fields = [by(F("sla_due"))]
    elif key == "priority":
        queryset = queryset.alias(priority_rank=priority_rank_expression())
        fields = [by(F("priority_rank")), F("resolution_due").asc(nulls_last=True)]
    elif key == "status":
        queryset = queryset.alias(status_rank=status_rank_expression())
        fields = [by(F("status_rank"))]
    elif key == "requester":
        fields = [by(F("requester__name")), by(F("requester__email"))]
    elif key == "assignee":
        fields = [by(F("assignee__name")), by(F("assignee__email"))]
    elif key == "subject":
        fields = [by(F("subject"))]
    elif key == "updated":
        fields = [by(F("updated_at"))]
    else:  # reference: the ticket number is its primary key
        fields = []
    return queryset.order_by(*fields, "-pk" if sort.descending else "pk")


def sla_due_expression():
    """The target still open: the first response while unanswered, else the resolution.

    A ticket waiting on its customer has its clock paused, and resolved or closed ones have no
    target left: they sort after every ticket whose clock runs.
    """
    return Case(
        When(status__in=[Ticket.Status.PENDING, Ticket.Status.RESOLVED, Ticket.Status.CLOSED], then=Value(None)),
        When(first_response_at__isnull=True, first_response_due__isnull=False, then=F("first_response_due")),
        default=F("resolution_due"),
        output_field=DateTimeField(),
    )


def priority_rank_expression():
    return Case(
        *[When(priority=value, then=Value(rank)) for value, rank in PRIORITY_RANK.items()],
        default=Value(0), output_field=IntegerField(),
    )


def agents_for(user):
    """The agents a user may pick as assignee in the list: members of the user's queues."""
    agents = User.objects.filter(is_active=True, groups__name__in=[Role.AGENT, Role.MANAGER])
    if not is_manager(user):
        agents = agents.filter(ticket_queues__in=selectors.queues_for_agent(user).values("pk"))
    return agents.distinct().order_by("name", "email")


class DeskTicketFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Subject, HD-000123, e-mail or name"),
                                      "autocomplete": "off"}),
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Ticket.Status.choices, method="filter_status",
        widget=forms.CheckboxSelectMultiple,
    )
    queue = django_filters.ModelChoiceFilter(label=_("Queue"), queryset=Queue.objects.none(), empty_label=_("Any"))
    priority = django_filters.ChoiceFilter(label=_("Priority"), choices=Priority.choices, empty_label=_("Any"))
    assignee = django_filters.ChoiceFilter(label=_("Assignee"), method="filter_assignee", empty_label=_("Anyone"))
    sla = django_filters.MultipleChoiceFilter(
        label=_("SLA"), choices=SLA_CHOICES, method="filter_sla", widget=forms.CheckboxSelectMultiple,
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Ticket.Channel.choices, empty_label=_("Any"))
    tag = django_filters.ModelChoiceFilter(
        label=_("Tag"), field_name="tags", to_field_name="name", queryset=Tag.objects.order_by("name"),
        empty_label=_("Any"),
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=Organization.objects.order_by("name"), empty_label=_("Any"),
    )
    created_after = django_filters.DateFilter(
        label=_("Created from"), field_name="created_at", lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    created_before = django_filters.DateFilter(
        label=_("Created until"), field_name="created_at", lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Ticket
        fields = []

    # Filters that live in the "more filters" panel; the list opens it when one of them is set.
    ADVANCED = ("queue", "priority", "assignee", "sla", "channel", "tag", "organization", "created_after",
                "created_before")

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        if data is not None and not any(data.getlist("status")):
            data = data.copy()  # no status chosen: the active ones, shown ticked
            data.setlist("status", list(Ticket.ACTIVE_STATUSES))
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.sort = Sort.parse(data.get("sort") if data is not None else None)
        user = request.user
        self.filters["queue"].queryset = selectors.queues_for_agent(user).order_by("ordering", "name")
        self.agents = list(agents_for(user))
        self.filters["assignee"].extra["choices"] = [
            (ASSIGNEE_ME, _("Me")), (ASSIGNEE_NONE, _("Unassigned")),
            *[(str(agent.pk), agent.get_full_name() or agent.email) for agent in self.agents if agent.pk != user.pk],
        ]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=Ticket.ACTIVE_STATUSES)
        return sort_ordering(queryset, self.sort)

    def filter_status(self, queryset, name, value):
        return queryset.filter(status__in=value) if value else queryset

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        match = Q(subject__icontains=value) | Q(requester__email__icontains=value) | Q(
            requester__name__icontains=value)
        reference = REFERENCE_RE.match(value)
        if reference:
            match |= Q(pk=int(reference.group(1)))
        return queryset.filter(match)

    def filter_assignee(self, queryset, name, value):
        if value == ASSIGNEE_ME:
            return queryset.filter(assignee=self.request.user)
        if value == ASSIGNEE_NONE:
            return queryset.filter(assignee__isnull=True)
        if value:
            return queryset.filter(assignee_id=int(value))
        return queryset

    def filter_sla(self, queryset, name, value):
        if not value:
            return queryset
        condition = Q(pk__in=[])
        for state in value:
            condition |= selectors.sla_state_filter(state)
        return queryset.filter(condition)

    @property
    def advanced_active(self) -> bool:
        return any(self.data.get(name) for name in self.ADVANCED)
