"""Reads of customer care, scoped to the viewer: care tasks, the customer directory, the customer 360 page and
the at-risk list.

Agents and managers may open any organisation's page; the tickets on it are those the viewer may see
(agents: their queues; managers: all). Health details, check-ins and the at-risk list are for the
organisation's account manager and for managers. Every page runs a fixed number of queries: each
list here is one query with its joins, bounded by a slice.
"""

from datetime import date, datetime, time

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from aftersales.models import ServiceRequest
from aftersales.selectors import desk_service_request_list, purchases_visible_to
from care.models import CareTask, ChurnReason, HealthScore
from feedback.models import Feedback, Survey, SurveyResponse
from helpdesk.accounts.models import Organization, User
from helpdesk.accounts.roles import Role, is_agent, is_manager
from tickets.filters import priority_rank_expression
from tickets.models import Ticket
from tickets.selectors import tickets_for_agent

OPEN_TICKETS_SHOWN = 10
RECENT_TICKETS_SHOWN = 10
REQUESTS_SHOWN = 10
PURCHASES_SHOWN = 10
RESPONSES_SHOWN = 10
FEEDBACK_SHOWN = 10
CONTACTS_SHOWN = 30
OPEN_TASKS_SHOWN = 10
DONE_TASKS_SHOWN = 5
CHART_MONTHS = 12
AT_RISK_BANDS = (HealthScore.Band.AT_RISK, HealthScore.Band.WATCH)


# ---------------------------------------------------------------- who may see what


def can_see_health(user, organization=None) -> bool:
    """Managers see every health score and check-in; an agent those of the organisations they manage."""
    if is_manager(user):
        return True
    return bool(organization is not None and is_agent(user) and organization.account_manager_id == user.pk)


def health_of(subject) -> HealthScore | None:
    """The subject's score, if computed (fetched with ``select_related("health")``: no query)."""
    try:
        return subject.health
    except HealthScore.DoesNotExist:
        return None


# ---------------------------------------------------------------- the directory


def directory(user):
    """Organisations with contacts, the viewer's open tickets and a health score the viewer may see."""
    open_tickets = (tickets_for_agent(user).filter(organization=OuterRef("pk"), status__in=Ticket.ACTIVE_STATUSES)
                    .order_by().values("organization").annotate(count=Count("pk")).values("count"))
    contacts = (User.objects.filter(organization=OuterRef("pk"), is_active=True).order_by()
                .values("organization").annotate(count=Count("pk")).values("count"))
    visible_score: F | Case
    visible_band: F | Case
    if is_manager(user):
        visible_score, visible_band = F("health__score"), F("health__band")
    else:
        mine = Q(account_manager=user)
        visible_score = Case(When(mine, then=F("health__score")), default=Value(None), output_field=IntegerField())
        visible_band = Case(When(mine, then=F("health__band")), default=Value(""), output_field=CharField())
    return (
        Organization.objects.select_related("account_manager", "health")
        .annotate(open_ticket_count=Coalesce(Subquery(open_tickets, output_field=IntegerField()), 0),
                  contact_count=Coalesce(Subquery(contacts, output_field=IntegerField()), 0),
                  visible_score=visible_score, visible_band=visible_band)
    )


def people_directory(user):
    """Customers without an organisation (each gets a 360 page of their own)."""
    open_tickets = (tickets_for_agent(user).filter(requester=OuterRef("pk"), status__in=Ticket.ACTIVE_STATUSES)
                    .order_by().values("requester").annotate(count=Count("pk")).values("count"))
    return (
        User.objects.filter(groups__name=Role.CUSTOMER, organization__isnull=True)
        .select_related("health")
        .annotate(open_ticket_count=Coalesce(Subquery(open_tickets, output_field=IntegerField()), 0))
        .order_by("name", "email")
    )


# ---------------------------------------------------------------- the at-risk list


def manages_any(user) -> bool:
    return Organization.objects.filter(account_manager=user).exists()


def at_risk_organizations(user):
    """Active organisations at risk or to watch, lowest score first: all for managers, their own for others."""
    organizations = Organization.objects.filter(status=Organization.Status.ACTIVE, health__band__in=AT_RISK_BANDS)
    if not is_manager(user):
        organizations = organizations.filter(account_manager=user)
    return organizations.select_related("health", "account_manager").order_by("health__score", "name")


def account_managers():
    """The people who manage at least one organisation (the at-risk list's filter)."""
    return User.objects.filter(pk__in=Organization.objects.filter(account_manager__isnull=False)
                               .values("account_manager")).order_by("name", "email")


# ---------------------------------------------------------------- the 360 page


def organization_for_360(user, pk) -> Organization:
    if not is_agent(user):
        raise Http404
    contacts = (User.objects.filter(organization=OuterRef("pk"), is_active=True).order_by()
                .values("organization").annotate(count=Count("pk")).values("count"))
    organization = (Organization.objects.select_related("account_manager", "health")
                    .annotate(contact_count=Coalesce(Subquery(contacts, output_field=IntegerField()), 0))
                    .filter(pk=pk).first())
    if organization is None:
        raise Http404
    return organization


def customer_for_360(user, pk) -> User:
    """A customer (with or without an organisation: the view sends the former to their organisation)."""
    if not is_agent(user):
        raise Http404
    customer = User.objects.filter(pk=pk, groups__name=Role.CUSTOMER).select_related("health", "organization").first()
    if customer is None:
        raise Http404
    return customer


def _on_ten():
    """A rating on a 10-point scale: NPS answers as they are (0–10), CSAT scaled (a 4 of 5 is an 8)."""
    score = Cast("score", FloatField())
    return Case(When(invitation__survey__kind=Survey.Kind.NPS, then=score),
                default=score * 10.0 / Cast("invitation__survey__scale", FloatField()), output_field=FloatField())


def _months(today: date, count: int) -> list[date]:
    first = today.replace(day=1)
    months = []
    year, month = first.year, first.month
    for _index in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def satisfaction_history(responses, today: date | None = None) -> dict:
    """Monthly means of CSAT (on a 10-point scale) and of NPS answers (0–10) over the last 12 months."""
    today = today or timezone.localdate()
    months = _months(today, CHART_MONTHS)
    start = timezone.make_aware(datetime.combine(months[0], time.min))
    rows = (responses.filter(score__isnull=False, submitted_at__gte=start,
                             invitation__survey__kind__in=[Survey.Kind.CSAT, Survey.Kind.NPS])
            .annotate(month=TruncMonth("submitted_at"), kind=F("invitation__survey__kind"))
            .order_by().values("month", "kind").annotate(mean=Avg(_on_ten()), count=Count("pk")))
    found = {}
    for row in rows:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        found[(month.replace(day=1), row["kind"])] = (round(float(row["mean"]), 1), row["count"])
    table = []
    for month in months:
        csat = found.get((month, Survey.Kind.CSAT))
        nps = found.get((month, Survey.Kind.NPS))
        table.append({"month": month, "csat": csat[0] if csat else None, "csat_count": csat[1] if csat else 0,
                      "nps": nps[0] if nps else None, "nps_count": nps[1] if nps else 0})
    return {"rows": table, "has_data": any(row["csat_count"] or row["nps_count"] for row in table)}


def _sections(user, *, tickets, requests, purchases, responses, feedback, care_tasks, may_see_health, today):
    """What both 360 pages show, each list one bounded query."""
    visible = tickets_for_agent(user).filter(tickets)
    ticket_counts = visible.aggregate(open=Count("pk", filter=Q(status__in=Ticket.ACTIVE_STATUSES)),
                                      total=Count("pk"))
    ticket_rows = visible.select_related("requester", "assignee", "queue")
    open_tickets = list(ticket_rows.filter(status__in=Ticket.ACTIVE_STATUSES)
                        .annotate(rank=priority_rank_expression()).order_by("-rank", "created_at")[:OPEN_TICKETS_SHOWN])
    recent_tickets = list(ticket_rows.exclude(status__in=Ticket.ACTIVE_STATUSES)
                          .order_by("-created_at", "-pk")[:RECENT_TICKETS_SHOWN])

    request_rows = desk_service_request_list(user).filter(requests)
    request_counts = request_rows.aggregate(active=Count("pk", filter=Q(status__in=ServiceRequest.ACTIVE_STATUSES)),
                                            total=Count("pk"))
    active_first = Case(When(status__in=ServiceRequest.ACTIVE_STATUSES, then=Value(0)), default=Value(1))
    service_requests = list(request_rows.order_by(active_first, "-created_at")[:REQUESTS_SHOWN])

    purchase_rows = purchases_visible_to(user).filter(purchases)
    purchase_counts = purchase_rows.aggregate(total=Count("pk"), in_warranty=Count("pk", filter=Q(
        warranty_until__gte=today)))
    purchase_list = list(purchase_rows.select_related("product", "customer").order_by("-purchase_date", "-pk")
                         [:PURCHASES_SHOWN])

    answers = SurveyResponse.objects.filter(responses)
    if not is_manager(user):  # ratings of tickets in other queues stay with those queues (as in feedback)
        answers = answers.filter(Q(invitation__ticket__isnull=True)
                                 | Q(invitation__ticket__in=tickets_for_agent(user).values("pk")))
    latest_answers = list(answers.select_related("invitation__survey", "invitation__recipient", "invitation__ticket",
                                                 "invitation__service_request")
                          .order_by("-submitted_at", "-pk")[:RESPONSES_SHOWN])
    feedback_items = list(Feedback.objects.filter(feedback).select_related("author", "area")
                          .order_by("-created_at", "-pk")[:FEEDBACK_SHOWN])

    context = {
        "open_tickets": open_tickets, "recent_tickets": recent_tickets, "ticket_counts": ticket_counts,
        "service_requests": service_requests, "request_counts": request_counts,
        "purchases": purchase_list, "purchase_counts": purchase_counts,
        "satisfaction": satisfaction_history(answers, today), "latest_answers": latest_answers,
        "answer_count": answers.count(),
        "feedback_items": feedback_items, "may_see_health": may_see_health,
        "open_tasks": [], "done_tasks": [], "task_counts": {},
    }
    if may_see_health and care_tasks is not None:
        tasks = CareTask.objects.filter(care_tasks).select_related("assignee", "customer")
        context["task_counts"] = tasks.aggregate(
            open=Count("pk", filter=Q(status=CareTask.Status.OPEN)),
            overdue=Count("pk", filter=Q(status=CareTask.Status.OPEN, due_on__lt=today)))
        context["open_tasks"] = list(tasks.filter(status=CareTask.Status.OPEN).order_by("due_on", "pk")
                                     [:OPEN_TASKS_SHOWN])
        context["done_tasks"] = list(tasks.filter(status=CareTask.Status.DONE).order_by("-done_at", "-pk")
                                     [:DONE_TASKS_SHOWN])
    return context


def organization_360(user, organization, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    may_see_health = can_see_health(user, organization)
    contacts = list(User.objects.filter(organization=organization, is_active=True)
                    .order_by("-is_primary_contact", "name", "email")[:CONTACTS_SHOWN])
    responses = (Q(invitation__organization=organization)
                 | Q(invitation__organization__isnull=True, invitation__recipient__organization=organization))
    context = _sections(
        user,
        tickets=Q(organization=organization),
        requests=Q(organization=organization) | Q(purchase__organization=organization),
        purchases=Q(organization=organization),
        responses=responses,
        feedback=Q(organization=organization),
        care_tasks=Q(organization=organization),
        may_see_health=may_see_health,
        today=today,
    )
    context.update({"organization": organization, "contacts": contacts, "health": health_of(organization),
                    "today": today})
    return context


def person_360(user, customer, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    may_see_health = can_see_health(user)  # no account manager without an organisation: managers only
    context = _sections(
        user,
        tickets=Q(requester=customer),
        requests=Q(requester=customer) | Q(purchase__customer=customer),
        purchases=Q(customer=customer),
        responses=Q(invitation__recipient=customer),
        feedback=Q(author=customer),
        care_tasks=Q(customer=customer),
        may_see_health=may_see_health,
        today=today,
    )
    context.update({"customer": customer, "health": health_of(customer), "today": today})
    return context


# ---------------------------------------------------------------- care tasks


def care_tasks_for_user(user):
    """Check-ins and follow-ups a person may see: managers all of them; an agent those assigned to them or of
    the organisations they are account manager of; customers none."""
    if not is_agent(user):
        return CareTask.objects.none()
    tasks = CareTask.objects.select_related("organization", "customer", "assignee")
    if is_manager(user):
        return tasks
    return tasks.filter(Q(assignee=user) | Q(organization__account_manager=user))


def care_task_for_user(user, pk):
    return get_object_or_404(care_tasks_for_user(user).select_related("organization__account_manager"), pk=pk)


def my_open_care_tasks(user):
    """Open check-ins and follow-ups assigned to the user, the most overdue first."""
    return (CareTask.objects.filter(assignee=user, status=CareTask.Status.OPEN)
            .select_related("organization", "customer").order_by("due_on", "pk"))


def my_care_counts(user, today=None) -> dict:
    """Open and overdue care tasks assigned to the user, in one query."""
    today = today or timezone.localdate()
    return CareTask.objects.filter(assignee=user, status=CareTask.Status.OPEN).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))


def care_assignees():
    """The people care tasks can be assigned to: active agents and managers."""
    return (User.objects.filter(is_active=True, groups__name__in=[Role.AGENT, Role.MANAGER])
            .distinct().order_by("name", "email"))


def previous_check_ins(organization, *, exclude=None, limit=10):
    """The organisation's logged check-ins, newest first."""
    check_ins = (CareTask.objects.filter(organization=organization, kind=CareTask.Kind.CHECK_IN,
                                         status=CareTask.Status.DONE)
                 .select_related("assignee").order_by("-done_at", "-pk"))
    if exclude is not None:
        check_ins = check_ins.exclude(pk=exclude.pk)
    return check_ins[:limit]


def active_churn_reasons():
    return ChurnReason.objects.filter(is_active=True).order_by("order", "name")
