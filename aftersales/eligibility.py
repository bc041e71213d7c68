"""Warranty and refund eligibility, and the review due time: pure rules, no writes.

Whose calendar decides the day? The customer's. Warranty and refund windows are promises
made to the customer in days, so the day a request was made is the date on the requester's
own calendar (``User.timezone``) at the moment they asked. An organisation has no time zone
of its own, and its account manager may sit on another continent: judging by either would
let the same click count as "still in warranty" for one customer and "expired" for another
customer of the same organisation. The requester is the person who asked, so their calendar
is the fair one; a request made from a ticket counts from the moment the ticket was opened.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone

from aftersales.models import ServiceRequest
from tickets.models import BusinessHours, SLAPolicy
from tickets.sla import Calendar

Eligibility = ServiceRequest.Eligibility
Kind = ServiceRequest.Kind

# Reviewers decide within this many business days of the default calendar (see review_due_for).
REVIEW_BUSINESS_DAYS = 2


def customer_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(user, "timezone", "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def customer_date(user, moment: datetime | None = None) -> date:
    """The date on the customer's calendar at ``moment`` (now by default)."""
    return timezone.localtime(moment or timezone.now(), customer_zone(user)).date()


def assess(*, kind: str, purchase, on_date: date) -> str:
    """Eligibility of a request of ``kind`` made on ``on_date`` (the customer's local date).

    A refund is judged on the refund window (days from the purchase date, the last day included);
    every other kind on the warranty (until ``warranty_until``, the last day included).
    """
    if kind == Kind.REFUND:
        return Eligibility.REFUND_WINDOW if on_date <= purchase.refund_until else Eligibility.REFUND_EXPIRED
    return Eligibility.IN_WARRANTY if purchase.in_warranty_on(on_date) else Eligibility.OUT_OF_WARRANTY


def eligibility_choices_for(kind: str):
    """The eligibilities a reviewer may confirm for a request of this kind."""
    wanted = ServiceRequest.REFUND_ELIGIBILITY if kind == Kind.REFUND else ServiceRequest.WARRANTY_ELIGIBILITY
    return [(value, label) for value, label in Eligibility.choices if value in wanted]


def default_calendar() -> Calendar:
    """The calendar of the general normal-priority SLA policy, else the first one defined, else always open."""
    policy = (SLAPolicy.objects.filter(priority="normal", tier="").select_related("business_hours").first())
    hours = policy.business_hours if policy else BusinessHours.objects.order_by("pk").first()
    if hours is None:
        return Calendar.always_open()
    return Calendar.from_model(hours)


def business_day_minutes(calendar: Calendar) -> int:
    """The length of the calendar's longest open day, in minutes (24 h for an always-open calendar)."""
    longest = 0
    for spans in calendar.periods.values():
        minutes = 0
        for opens, closes in spans:
            end = 24 * 60 if closes == time.max else closes.hour * 60 + closes.minute
            minutes += end - (opens.hour * 60 + opens.minute)
        longest = max(longest, minutes)
    return longest or 24 * 60


def review_due_for(submitted_at: datetime, calendar: Calendar | None = None) -> datetime:
    """Two business days after submission, counted in the default calendar's opening hours.

    With office hours 09:00–18:00 on weekdays, a request sent on Friday at 17:00 is due on
    Tuesday at 17:00: week-ends and holidays do not count.
    """
    calendar = calendar or default_calendar()
    return calendar.add_minutes(submitted_at, REVIEW_BUSINESS_DAYS * business_day_minutes(calendar))
