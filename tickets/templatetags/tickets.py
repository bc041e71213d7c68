"""Badges and times shared by the desk and the portal."""

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

from helpdesk.templatetags import dates
from tickets.models import Ticket

register = template.Library()

STATUS_CLASSES = {
    Ticket.Status.NEW: "status-new",
    Ticket.Status.OPEN: "status-open",
    Ticket.Status.PENDING: "status-pending",
    Ticket.Status.ON_HOLD: "status-on-hold",
    Ticket.Status.RESOLVED: "status-resolved",
    Ticket.Status.CLOSED: "status-closed",
}


@register.simple_tag
def status_badge(ticket):
    return format_html('<span class="badge badge-status {}">{}</span>',
                       STATUS_CLASSES.get(ticket.status, ""), ticket.get_status_display())


@register.simple_tag
def priority_badge(ticket):
    return format_html('<span class="badge badge-priority priority-{}">{}</span>',
                       ticket.priority, ticket.get_priority_display())


def sla_target(ticket):
    """The SLA target that is still open: (kind, due time), or (None, None)."""
    if ticket.status not in (Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.ON_HOLD, Ticket.Status.PENDING):
        return None, None
    if ticket.first_response_at is None and ticket.first_response_due:
        return "first_response", ticket.first_response_due
    if ticket.resolution_due:
        return "resolution", ticket.resolution_due
    return None, None


@register.simple_tag
def sla_badge(ticket, now=None):
    """“due in 42 min”, “breached 2 hours ago”, or “paused” while waiting on the customer."""
    now = now or timezone.now()
    kind, due = sla_target(ticket)
    if due is None:
        return ""
    if ticket.status == Ticket.Status.PENDING:
        return format_html('<span class="badge badge-sla sla-paused" title="{}">{}</span>',
                           _("Waiting on the customer: the resolution clock is paused"), _("SLA paused"))
    label = _("first response") if kind == "first_response" else _("resolution")
    exact = dates.exact(due)
    if due <= now:
        text = _("breached %(time)s ago") % {"time": timesince(due, now, depth=1)}
        css = "sla-breached"
    else:
        text = _("due in %(time)s") % {"time": timeuntil(due, now, depth=1)}
        css = "sla-soon" if (due - now).total_seconds() <= 3600 else "sla-ok"
    return format_html('<span class="badge badge-sla {}" title="{}: {}">{}</span>', css, label, exact, text)


@register.simple_tag
def reltime(value, now=None):
    """A relative time with the exact local time on hover (the one format: helpdesk.templatetags.dates)."""
    return dates.when(value, now)
