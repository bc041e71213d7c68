"""Warranty and refund eligibility, judged on the day the customer asked, on their own calendar."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from aftersales import services
from aftersales.eligibility import assess, review_due_for
from aftersales.models import ServiceRequest, add_months, warranty_end
from tests.aftersales.factories import ProductFactory, PurchaseFactory
from tickets.models import BusinessHours, OpeningPeriod, SLAPolicy
from tickets.sla import Calendar

Eligibility = ServiceRequest.Eligibility
UTC = ZoneInfo("UTC")
pytestmark = pytest.mark.django_db


def submit(purchase, requester, at, kind=ServiceRequest.Kind.REPAIR):
    return services.service_request_submit(purchase=purchase, requester=requester, kind=kind,
                                           description="Broken.", now=at, notify=False)


@pytest.fixture
def twelve_months(db):
    return ProductFactory(sku="KEY-1", warranty_months=12, refund_window_days=30)


# ---------------------------------------------------------------- the warranty end date


@pytest.mark.parametrize(("bought", "months", "until"), [
    (date(2025, 3, 10), 12, date(2026, 3, 10)),
    (date(2024, 1, 31), 1, date(2024, 2, 29)),  # a leap year's short month
    (date(2025, 1, 31), 1, date(2025, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),  # across the year end
])
def test_warranty_runs_to_the_same_day_months_later(bought, months, until):
    assert add_months(bought, months) == until
    assert warranty_end(bought, months) == until


def test_purchase_stores_its_warranty_end(customer_a, twelve_months):
    purchase = services.purchase_register(customer=customer_a, product=twelve_months, serial_number="k-1",
                                          purchase_date=date(2025, 3, 10))
    assert purchase.warranty_until == date(2026, 3, 10)
    assert purchase.serial_number == "K-1"


# ---------------------------------------------------------------- warranty edges


def test_a_request_on_the_last_day_of_warranty_is_in_warranty(customer_a, twelve_months):
    customer_a.timezone = "UTC"
    purchase = PurchaseFactory(customer=customer_a, product=twelve_months, purchase_date=date(2025, 3, 10),
                               warranty_until=date(2026, 3, 10))
    last_minute = datetime(2026, 3, 10, 23, 59, tzinfo=UTC)
    request = submit(purchase, customer_a, last_minute)
    assert request.request_date == date(2026, 3, 10)
    assert request.eligibility == request.eligibility_assessed == Eligibility.IN_WARRANTY


def test_a_request_the_day_after_is_out_of_warranty(customer_a, twelve_months):
    customer_a.timezone = "UTC"
    purchase = PurchaseFactory(customer=customer_a, product=twelve_months, purchase_date=date(2025, 3, 10),
                               warranty_until=date(2026, 3, 10))
    request = submit(purchase, customer_a, datetime(2026, 3, 11, 0, 0, tzinfo=UTC))
    assert request.eligibility == Eligibility.OUT_OF_WARRANTY


def test_the_same_instant_is_in_warranty_in_los_angeles_but_not_in_shanghai(customer_a, customer_b, twelve_months):
    # 20:00 UTC on 10 March is 13:00 that day in Los Angeles, and 04:00 the next day in Shanghai.
    instant = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)
    customer_a.timezone, customer_b.timezone = "America/Los_Angeles", "Asia/Shanghai"
    customer_a.save(update_fields=["timezone"])
    customer_b.save(update_fields=["timezone"])
    in_la = PurchaseFactory(customer=customer_a, product=twelve_months, purchase_date=date(2025, 3, 10),
                            warranty_until=date(2026, 3, 10))
    in_shanghai = PurchaseFactory(customer=customer_b, product=twelve_months, purchase_date=date(2025, 3, 10),
                                  warranty_until=date(2026, 3, 10))

    from_la = submit(in_la, customer_a, instant)
    from_shanghai = submit(in_shanghai, customer_b, instant)

    assert (from_la.request_date, from_la.eligibility) == (date(2026, 3, 10), Eligibility.IN_WARRANTY)
    assert (from_shanghai.request_date, from_shanghai.eligibility) == (date(2026, 3, 11),
                                                                       Eligibility.OUT_OF_WARRANTY)


def test_a_converted_ticket_counts_from_when_the_ticket_was_opened(customer_a, twelve_months, agent, queue_x):
    from tests.tickets.factories import TicketFactory

    customer_a.timezone = "UTC"
    purchase = PurchaseFactory(customer=customer_a, product=twelve_months, purchase_date=date(2025, 3, 10),
                               warranty_until=date(2026, 3, 10))
    ticket = TicketFactory(requester=customer_a, queue=queue_x, created_at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    request = services.service_request_from_ticket(ticket=ticket, purchase=purchase, agent=agent,
                                                   kind="repair", now=datetime(2026, 3, 12, 9, tzinfo=UTC),
                                                   notify=False)
    assert request.request_date == date(2026, 3, 10)
    assert request.eligibility == Eligibility.IN_WARRANTY


# ---------------------------------------------------------------- the refund window


@pytest.mark.parametrize(("days_after", "expected"), [
    (0, Eligibility.REFUND_WINDOW),
    (29, Eligibility.REFUND_WINDOW),
    (30, Eligibility.REFUND_WINDOW),  # the last day of a 30-day window
    (31, Eligibility.REFUND_EXPIRED),
    (400, Eligibility.REFUND_EXPIRED),
])
def test_refund_window_edges(customer_a, twelve_months, days_after, expected):
    customer_a.timezone = "UTC"
    bought = date(2026, 1, 1)
    purchase = PurchaseFactory(customer=customer_a, product=twelve_months, purchase_date=bought,
                               warranty_until=warranty_end(bought, 12))
    at = datetime.combine(bought + timedelta(days=days_after), time(15), tzinfo=UTC)
    request = submit(purchase, customer_a, at, kind=ServiceRequest.Kind.REFUND)
    assert request.eligibility == expected


def test_a_refund_is_judged_on_the_window_not_the_warranty(twelve_months):
    purchase = PurchaseFactory.build(product=twelve_months, purchase_date=date(2026, 1, 1),
                                     warranty_until=date(2027, 1, 1))
    assert assess(kind="refund", purchase=purchase, on_date=date(2026, 6, 1)) == Eligibility.REFUND_EXPIRED
    assert assess(kind="repair", purchase=purchase, on_date=date(2026, 6, 1)) == Eligibility.IN_WARRANTY


# ---------------------------------------------------------------- the review due time


@pytest.fixture
def office_hours(db):
    hours = BusinessHours.objects.create(name="Test office", timezone="UTC")
    for weekday in range(5):
        OpeningPeriod.objects.create(calendar=hours, weekday=weekday, opens=time(9), closes=time(18))
    return hours


def test_review_is_due_two_business_days_later_skipping_the_week_end(office_hours):
    friday = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    assert review_due_for(friday, Calendar.from_model(office_hours)) == datetime(2026, 11, 24, 17, 0, tzinfo=UTC)


def test_submission_uses_the_default_calendar(customer_a, purchase_a, office_hours):
    SLAPolicy.objects.filter(priority="normal", tier="").delete()
    SLAPolicy.objects.create(name="Normal", priority="normal", tier="", first_response_minutes=60,
                             resolution_minutes=600, business_hours=office_hours)
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    request = submit(purchase_a, customer_a, monday)
    assert request.review_due == datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def test_without_any_calendar_review_is_due_two_days_later(customer_a, purchase_a):
    SLAPolicy.objects.all().delete()
    BusinessHours.objects.all().delete()
    saturday = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    request = submit(purchase_a, customer_a, saturday)
    assert request.review_due == saturday + timedelta(days=2)
