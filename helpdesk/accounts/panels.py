"""What customer care adds to the desk: the "My check-ins due" home panel and a sidebar entry."""

from django.utils import timezone

from helpdesk.accounts import selectors
from helpdesk.accounts.roles import is_agent
from helpdesk.desk import register_home_panel, register_sidebar_section

HOME_PANEL_SIZE = 8


def home(request):
    today = timezone.localdate()
    tasks = list(selectors.my_open_care_tasks(request.user)[:HOME_PANEL_SIZE])
    for task in tasks:
        task.days_overdue = (today - task.due_on).days
        task.days_left = -task.days_overdue
    return {"tasks": tasks, "counts": selectors.my_care_counts(request.user, today), "today": today}


def sidebar(request):
    if not is_agent(request.user):
        return {"care_counts": None}
    return {"care_counts": selectors.my_care_counts(request.user)}


register_sidebar_section("accounts/care/_sidebar.html", sidebar, order=25)
register_home_panel("accounts/care/_home_panel.html", home, order=15)
