"""Badges for after-sales pages: request status, eligibility, warranty left, review due time."""

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aftersales.models import ServiceRequest

register = template.Library()

Status = ServiceRequest.Status
Eligibility = ServiceRequest.Eligibility
WARNING_DAYS = 30  # a warranty ending within this many days gets an amber badge

STATUS_CLASSES = {
    Status.SUBMITTED: "as-status-submitted",
    Status.UNDER_REVIEW: "as-status-review",
    Status.APPROVED: "as-status-approved",
    Status.REJECTED: "as-status-rejected",
    Status.IN_SERVICE: "as-status-service",
    Status.COMPLETED: "as-status-completed",
    Status.CLOSED: "as-status-closed",
}
ELIGIBILITY_CLASSES = {
    Eligibility.IN_WARRANTY: "as-elig-warranty",
    Eligibility.OUT_OF_WARRANTY: "as-elig-paid",
    Eligibility.REFUND_WINDOW: "as-elig-warranty",
    Eligibility.REFUND_EXPIRED: "as-elig-expired",
}


@register.simple_tag
def request_status_badge(service_request):
    label = service_request.get_status_display()
    if service_request.can_answer_quote():
        label = _("Quote sent")
    return format_html('<span class="badge as-badge {}">{}</span>', STATUS_CLASSES.get(service_request.status, ""),
                       label)


@register.simple_tag
def eligibility_badge(service_request):
    return format_html('<span class="badge as-badge {}" title="{}">{}</span>',
                       ELIGIBILITY_CLASSES.get(service_request.eligibility, ""), _("Eligibility"),
                       service_request.get_eligibility_display())


@register.simple_tag
def warranty_badge(purchase, today=None):
    """“In warranty · 123 days left”, amber in the last 30 days, grey once it has ended."""
    today = today or timezone.localdate()
    days = purchase.warranty_days_left(today)
    until = formats.date_format(purchase.warranty_until, "DATE_FORMAT")
    if days < 0:
        return format_html('<span class="badge as-badge as-warranty-over" title="{}">{}</span>',
                           _("Warranty ended on %(date)s") % {"date": until}, _("Out of warranty"))
    if days == 0:
        text = _("Last day of warranty")
    else:
        text = ngettext("In warranty · %(days)d day left", "In warranty · %(days)d days left", days) % {"days": days}
    css = "as-warranty-ending" if days <= WARNING_DAYS else "as-warranty-ok"
    return format_html('<span class="badge as-badge {}" title="{}">{}</span>', css,
                       _("Under warranty until %(date)s") % {"date": until}, text)


@register.simple_tag
def review_badge(service_request, now=None):
    """While a decision is awaited: “review due in 5 hours”, red once overdue."""
    if service_request.status not in ServiceRequest.REVIEW_STATUSES or not service_request.review_due:
        return ""
    if service_request.quote_pending:
        return format_html('<span class="badge as-badge as-review-waiting" title="{}">{}</span>',
                           _("The customer has not answered the quote yet"), _("waiting on customer"))
    now = now or timezone.now()
    due = service_request.review_due
    exact = timezone.localtime(due).strftime("%Y-%m-%d %H:%M")
    if due <= now:
        text, css = _("review overdue %(time)s") % {"time": timesince(due, now, depth=1)}, "as-review-overdue"
    else:
        text = _("review due in %(time)s") % {"time": timeuntil(due, now, depth=1)}
        css = "as-review-soon" if (due - now).total_seconds() <= 4 * 3600 else "as-review-ok"
    return format_html('<span class="badge as-badge {}" title="{}: {}">{}</span>', css, _("Review due"), exact, text)


@register.simple_tag
def quote_amount(service_request):
    if service_request.quote_amount is None:
        return ""
    amount = formats.number_format(service_request.quote_amount, 2, force_grouping=True)
    return f"{service_request.quote_currency} {amount}"
