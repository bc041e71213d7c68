"""One way to show a date or a time, in the format of the reader's language.

``{% when value %}`` shows a moment as a relative time ("3 hours ago", "in 2 days") with the exact local date
and time on hover; ``{% day value %}`` shows a calendar date (a purchase, a warranty's end, a report's range).
Both render ``<time datetime=…>``, so the machine-readable value is always there.
"""

import datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import gettext as _

register = template.Library()


def exact(value: datetime.datetime) -> str:
    """The moment in the reader's time zone and locale: "Nov. 2, 2026, 10:30 a.m.", "2026年11月2日 10:30"."""
    return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")


def relative(value: datetime.datetime, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if abs((now - value).total_seconds()) < 60:
        return _("just now")
    if value <= now:
        return _("%(time)s ago") % {"time": timesince(value, now, depth=1)}
    return _("in %(time)s") % {"time": timeuntil(value, now, depth=1)}


@register.simple_tag
def when(value, now=None):
    """A moment as a relative time, with the exact time on hover."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return day(value)
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact(value),
                       relative(value, now))


def day_text(value) -> str:
    """The calendar date as ``{% day %}`` shows it, as plain text: "Nov. 2, 2026", "2026年11月2日"."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATE_FORMAT")


@register.simple_tag
def day(value):
    """A calendar date in the locale's format: "Nov. 2, 2026", "2026年11月2日"."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), exact(value),
                           day_text(local))
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), day_text(value))
