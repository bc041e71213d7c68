"""More events that change past days: a customer forgotten, an edited SLA calendar, a ticket moved to another
queue. Each marks the days whose figures it moves, and the 10-minute task puts them right."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from helpdesk.accounts.privacy import customer_forget
from reports import recompute
from reports.clock import report_timezone, report_today
from reports.dirty import dirty_days
from reports.models import SupportDaily
from tests.tickets.factories import QueueFactory
from tickets import services
from tickets.models import BusinessHours, Holiday, OpeningPeriod, SLAPolicy, Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


def day(days_ago: int) -> date:
    return report_today() - timedelta(days=days_ago)


def noon(days_ago: int) -> datetime:
    return datetime.combine(day(days_ago), time(12), tzinfo=report_timezone())


def marked() -> set[date]:
    return set(dirty_days(before=report_today()))


def open_ticket(customer, queue, days_ago, **kwargs):
    return services.ticket_create(requester=customer, subject="Printer", description="Jammed", queue=queue,
                                  now=noon(days_ago), notify=False, **kwargs)


def test_moving_a_ticket_to_another_queue_marks_every_day_it_was_open_and_moves_its_backlog(
        customer_a, agent, manager, queue_x):
    queue_y = QueueFactory(name="Queue Y", slug="queue-y")
    ticket = open_ticket(customer_a, queue_x, 5)
    recompute.recompute_range(day(5), day(1))
    backlog = lambda queue: [SupportDaily.objects.filter(queue=queue, day=day(n)).first() for n in range(5, 0, -1)]  # noqa: E731
    assert [row.backlog for row in backlog(queue_x)] == [1, 1, 1, 1, 1]
    assert marked() == set()

    services.ticket_update(ticket=ticket, actor=manager, queue=queue_y, notify=False)
    assert marked() >= {day(n) for n in range(5, 0, -1)}
    recompute.refresh()

    assert [row.backlog if row else 0 for row in backlog(queue_x)] == [0, 0, 0, 0, 0]
    assert [row.backlog for row in backlog(queue_y)] == [1, 1, 1, 1, 1]
    assert SupportDaily.objects.get(queue=queue_y, day=day(5)).created == 1
    assert marked() == set()


def test_changing_only_the_assignee_marks_nothing(customer_a, agent, manager, queue_x):
    ticket = open_ticket(customer_a, queue_x, 5)
    services.ticket_update(ticket=ticket, actor=manager, assignee=agent, notify=False)
    assert marked() == set()


def test_forgetting_a_customer_marks_the_days_of_their_tickets_only(customer_a, customer_b, agent, manager, queue_x):
    mine = open_ticket(customer_a, queue_x, 8)
    services.ticket_agent_reply(ticket=mine, agent=agent, body="Done", status=Ticket.Status.RESOLVED,
                                resolution_summary="Fixed", now=noon(4), notify=False)
    open_ticket(customer_b, queue_x, 6)  # someone else's: not theirs to mark
    assert marked() == set()

    customer_forget(user=customer_a, by=manager)
    assert {day(8), day(4)} <= marked()
    assert day(6) not in marked()
    recompute.refresh()
    assert marked() == set()
    assert SupportDaily.objects.get(queue=queue_x, day=day(4)).resolved == 1  # the figures stay, anonymised


@pytest.fixture
def calendar_policy():
    calendar = BusinessHours.objects.create(name="Office", timezone="UTC")
    for weekday in range(7):
        OpeningPeriod.objects.create(calendar=calendar, weekday=weekday, opens=time(0), closes=time(23, 59))
    SLAPolicy.objects.update_or_create(priority="normal", tier="", defaults={
        "name": "Normal", "first_response_minutes": 600000, "resolution_minutes": 600000,
        "business_hours": calendar})
    return calendar


def test_a_holiday_added_marks_the_days_of_the_tickets_open_on_it(calendar_policy, customer_a, agent, queue_x):
    still_open = open_ticket(customer_a, queue_x, 6, priority="normal")
    other_calendar = BusinessHours.objects.create(name="Elsewhere", timezone="UTC")
    assert still_open.sla_policy.business_hours == calendar_policy
    assert marked() == set()

    Holiday.objects.create(calendar=other_calendar, date=day(20), name="Not ours")
    assert marked() == {day(20)}  # the holiday's day only: no ticket on that calendar

    Holiday.objects.create(calendar=calendar_policy, date=day(3), name="Founders' day")
    assert {day(n) for n in range(6, 0, -1)} <= marked()


def test_editing_opening_hours_or_removing_a_holiday_marks_the_open_tickets_days(calendar_policy, customer_a,
                                                                                 queue_x):
    holiday = Holiday.objects.create(calendar=calendar_policy, date=day(10))
    recompute.refresh()
    assert marked() == set()
    open_ticket(customer_a, queue_x, 4, priority="normal")
    period = calendar_policy.periods.first()
    period.closes = time(18)
    period.save()
    assert {day(n) for n in range(4, 0, -1)} <= marked()

    recompute.refresh()
    holiday.delete()
    assert day(10) in marked() and day(4) in marked()


def test_a_calendar_nobody_uses_marks_only_a_holiday_day(customer_a, queue_x):
    unused = BusinessHours.objects.create(name="Unused", timezone="UTC")
    open_ticket(customer_a, queue_x, 4)
    unused.timezone = "Asia/Shanghai"
    unused.save()
    assert marked() == set()
    Holiday.objects.create(calendar=unused, date=report_today() + timedelta(days=3))  # in the future: no past day
    assert marked() == set()
    assert timezone.now()
