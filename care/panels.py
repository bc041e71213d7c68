"""What customer care adds to the desk: "My check-ins due" and "My at-risk customers" on the home page, the
sidebar entries (care tasks, customers, at risk) and the Customer 360 link with its health on ticket pages."""

from django.db.models import Count, Q
from django.utils import timezone

from care import health, selectors
from care.models import HealthScore
from helpdesk.accounts.models import Organization
from helpdesk.accounts.roles import is_agent, is_manager
from helpdesk.desk import register_home_panel, register_sidebar_section, register_template_hook

HOME_PANEL_SIZE = 8
HOME_PANEL_ROWS = 5


# ---------------------------------------------------------------- care tasks


def _my_counts(request, today):
    """The user's open and overdue care tasks, counted once per request: the home panel and the sidebar share them."""
    if getattr(request, "_care_counts", None) is None:
        request._care_counts = selectors.my_care_counts(request.user, today)
    return request._care_counts


def care_home(request):
    today = timezone.localdate()
    tasks = list(selectors.my_open_care_tasks(request.user)[:HOME_PANEL_SIZE])
    for task in tasks:
        task.days_overdue = (today - task.due_on).days
        task.days_left = -task.days_overdue
    return {"tasks": tasks, "counts": _my_counts(request, today), "today": today}


def care_sidebar(request):
    if not is_agent(request.user):
        return {"care_counts": None}
    return {"care_counts": _my_counts(request, timezone.localdate())}


# ---------------------------------------------------------------- customers and health


def sidebar(request):
    """"Customers", and "At risk" with its count for managers and account managers (one query)."""
    user = request.user
    if is_manager(user):
        at_risk = Organization.objects.filter(status=Organization.Status.ACTIVE,
                                              health__band=HealthScore.Band.AT_RISK).count()
        return {"customers_at_risk": at_risk, "customers_show_at_risk": True}
    figures = Organization.objects.filter(account_manager=user).aggregate(
        managed=Count("pk"),
        at_risk=Count("pk", filter=Q(status=Organization.Status.ACTIVE, health__band=HealthScore.Band.AT_RISK)))
    return {"customers_at_risk": figures["at_risk"], "customers_show_at_risk": bool(figures["managed"])}


def home_at_risk(request):
    """My at-risk customers: the account manager's own organisations at risk (all of them for managers)."""
    rows = selectors.at_risk_organizations(request.user).filter(health__band=HealthScore.Band.AT_RISK)
    shown = list(rows[:HOME_PANEL_ROWS + 1])
    items = [{"organization": organization, "health": organization.health,
              "reasons": health.top_reasons(organization.health.signals, 2)}
             for organization in shown[:HOME_PANEL_ROWS]]
    return {"at_risk_rows": items, "at_risk_more": len(shown) > HOME_PANEL_ROWS,
            "at_risk_manager": is_manager(request.user)}


def desk_ticket_side(request, context):
    """A "Customer 360" link on the ticket page, with the health band if the viewer may see it."""
    ticket = context.get("ticket")
    empty = {"c360_url_org": None, "c360_url_person": None}
    if ticket is None or request is None or not is_agent(request.user):
        return empty
    organization = ticket.organization
    if organization is not None:
        score = selectors.health_of(organization) if selectors.can_see_health(request.user, organization) else None
        return {"c360_url_org": organization.pk, "c360_url_person": None, "c360_health": score,
                "c360_name": organization.name}
    requester = ticket.requester
    if requester.organization_id:
        return {"c360_url_org": requester.organization_id, "c360_url_person": None, "c360_health": None,
                "c360_name": ""}
    score = selectors.health_of(requester) if selectors.can_see_health(request.user) else None
    return {"c360_url_org": None, "c360_url_person": requester.pk, "c360_health": score,
            "c360_name": requester.get_full_name()}


register_sidebar_section("care/_sidebar.html", care_sidebar, order=25)
register_home_panel("care/_home_panel.html", care_home, order=15)
register_sidebar_section("care/customers/_sidebar.html", sidebar, order=30)
register_home_panel("care/customers/_home_at_risk.html", home_at_risk, order=12, stylesheet="css/customers.css")
register_template_hook("desk_ticket_side", "care/customers/_ticket_side.html", desk_ticket_side, order=10,
                       stylesheet="css/customers.css")
