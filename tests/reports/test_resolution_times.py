"""First and full resolution time on the report pages (DESIGN §4): created → first resolved and created → last
resolved, business time, pending excluded; named as in the docs, exact medians, in the tables and the CSV."""

import csv
import io
import statistics
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse

from reports.clock import report_timezone
from reports.models import SupportDaily
from reports.recompute import recompute_range
from reports.selectors import Period
from tests.reports.dashboard_data import support_row, yesterday
from tests.tickets.factories import TicketFactory
from tickets import services
from tickets.models import SLAPolicy, Ticket


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def kpi(response, key):
    return next(card for card in response.context["report"].kpis if card.key == key)


def at(day, hour):
    return datetime.combine(day, time(hour), tzinfo=report_timezone())


def resolved(queue, day, first, full, requester):
    """A ticket first resolved on ``day`` after ``first`` minutes and last resolved then after ``full``."""
    return TicketFactory(requester=requester, queue=queue, status=Ticket.Status.RESOLVED, created_at=at(day, 8),
                         first_resolved_at=at(day, 9), first_resolution_minutes=first, resolved_at=at(day, 10),
                         resolution_minutes=full)


@pytest.fixture
def reopened_yesterday(db, customer_a, agent, queue_x):
    """Created 08:00, pending 09:00–10:00, resolved 11:00, reopened 12:00, resolved again 15:00 (no SLA
    policy: wall-clock minutes)."""
    SLAPolicy.objects.filter(priority="normal").delete()
    day = yesterday()
    ticket = services.ticket_create(requester=customer_a, subject="Sync", description="Stuck", queue=queue_x,
                                    now=at(day, 8), notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Logs, please?", status=Ticket.Status.PENDING,
                                now=at(day, 9), notify=False)
    services.ticket_customer_reply(ticket=ticket, customer=customer_a, body="Here", now=at(day, 10), notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Fixed", status=Ticket.Status.RESOLVED,
                                resolution_summary="Cache", now=at(day, 11), notify=False)
    services.ticket_customer_reopen(ticket=ticket, customer=customer_a, reason="Back again", now=at(day, 12))
    ticket.refresh_from_db()
    services.ticket_update(ticket=ticket, actor=agent, status=Ticket.Status.RESOLVED, resolution_summary="Index",
                           now=at(day, 15), notify=False)
    ticket.refresh_from_db()
    return ticket


def test_a_reopened_ticket_shows_a_shorter_first_than_full_resolution(manager_client, reopened_yesterday,
                                                                       queue_x):
    ticket = reopened_yesterday
    assert (ticket.first_resolution_minutes, ticket.resolution_minutes) == (120, 360)  # the pending hour left out
    day = yesterday()

    recompute_range(day, day)

    row = SupportDaily.objects.get(day=day, queue=queue_x, priority=ticket.priority)
    assert (row.first_resolution_count, row.first_resolution_p50, row.resolution_count, row.resolution_p50) == (
        1, 120, 1, 360)
    for page in ("reports:overview", "reports:support"):
        response = manager_client.get(reverse(page))
        first, full = kpi(response, "first_resolution_p50"), kpi(response, "resolution_p50")
        assert (first.label, first.current) == ("First resolution, median", 120)
        assert (full.label, full.current) == ("Full resolution, median", 360)
        html = response.content.decode()
        assert "First resolution, median" in html and "Full resolution, median" in html
        assert "Created → first resolved, business time, pending excluded" in html
        assert "Created → last resolved, business time, pending excluded" in html
        assert "Resolution, median" not in html.replace("First resolution, median", "").replace(
            "Full resolution, median", "")


def test_both_medians_are_exact_and_in_the_queue_and_priority_tables(manager_client, queue_x, queue_y,
                                                                      customer_a):
    day = yesterday()
    support_row(day, queue_x)
    pairs = [(10, 10), (20, 95), (31, 31), (45, 400), (50, 52), (300, 301)]
    for first, full in pairs:
        resolved(queue_x, day, first, full, customer_a)
    resolved(queue_y, day - timedelta(days=2), 7000, 9000, customer_a)

    response = manager_client.get(reverse("reports:support"))

    firsts = [first for first, _full in pairs] + [7000]
    fulls = [full for _first, full in pairs] + [9000]
    assert kpi(response, "first_resolution_p50").current == statistics.median(firsts)
    assert kpi(response, "resolution_p50").current == statistics.median(fulls)
    queues = {row["queue__name"]: row for row in response.context["report"].queue_table.rows}
    assert queues["Queue X"]["first_resolution_p50"] == statistics.median(firsts[:-1])
    assert queues["Queue X"]["resolution_p50"] == statistics.median(fulls[:-1])
    priorities = response.context["report"].priority_table
    assert [column.label for column in priorities.columns if "resolution" in column.key] == [
        "First resolution p50", "Full resolution p50"]

    only_x = manager_client.get(reverse("reports:support"), {"queue": queue_x.pk})
    assert kpi(only_x, "first_resolution_p50").current == statistics.median(firsts[:-1])


def test_the_kpi_csv_has_both_figures_as_numbers(manager_client, queue_x, customer_a):
    day = yesterday()
    support_row(day, queue_x)
    resolved(queue_x, day, 30, 90, customer_a)

    response = manager_client.get(reverse("reports:csv", args=["overview", "kpis"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    figures = {row[0]: row for row in rows}
    assert float(figures["First resolution, median"][2]) == 30
    assert float(figures["Full resolution, median"][2]) == 90


def test_first_resolution_median_equals_postgresqls_percentile_cont(manager_client, queue_x, customer_a):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): compares with percentile_cont in plain SQL")
    day = yesterday()
    support_row(day, queue_x)
    for offset in range(9):
        for n in range(offset + 1):
            resolved(queue_x, day - timedelta(days=offset), offset * 7.3 + n * 1.1, offset * 9.1 + n, customer_a)
    period = Period(day - timedelta(days=6), day)
    start, end = period.bounds()
    with connection.cursor() as cursor:
        cursor.execute("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY first_resolution_minutes)"
                       " FROM tickets_ticket WHERE first_resolved_at >= %s AND first_resolved_at < %s",
                       [start, end])
        (first_p50,) = cursor.fetchone()
        cursor.execute("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_minutes)"
                       " FROM tickets_ticket WHERE resolved_at >= %s AND resolved_at < %s", [start, end])
        (full_p50,) = cursor.fetchone()

    response = manager_client.get(reverse("reports:support"), {"date_from": period.start, "date_to": period.end})
    cur = response.context["report"].support["current"]
    assert (cur["first_resolution_p50"], cur["resolution_p50"]) == (first_p50, full_p50)
