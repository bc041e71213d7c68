"""Desk sidebar and navbar entries for the manager dashboards."""

from helpdesk.accounts.roles import is_manager
from helpdesk.desk import register_sidebar_section, register_template_hook


def _is_manager(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and is_manager(user))


def sidebar(request):
    from reports.pages import navigation

    if not _is_manager(request):
        return {"report_pages": []}
    match = getattr(request, "resolver_match", None)
    active = ""
    if match is not None and match.app_name == "reports":
        active = (match.kwargs or {}).get("slug", "")
    return {"report_pages": navigation(active), "report_active": bool(active)}


def navbar(request, context):
    return {"reports_manager": _is_manager(request)}


register_sidebar_section("reports/_sidebar.html", sidebar, order=80)
register_template_hook("navbar_links", "reports/_navbar_link.html", navbar, order=80)
