"""Every dashboard table downloads as CSV: the same rows and filters as the page, UTF-8 with a BOM for Excel."""

import csv
import io
import secrets
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Survey, SurveyInvitation, SurveyResponse
from reports.clock import report_today
from reports.csv import safe_cell
from reports.models import SatisfactionDaily
from reports.tables import export
from tests.reports.dashboard_data import support_row, yesterday
from tests.tickets.factories import TicketFactory


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def download(client, page, table, params=None):
    response = client.get(reverse("reports:csv", args=[page, table]), params or {})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM: Excel opens the file as UTF-8
    return response, list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_queue_table_csv_matches_the_page(manager_client, queue_x, queue_y):
    day = report_today()  # the backlog shown is the one at the end of the range, today
    support_row(day, queue_x, created=7, resolved=5, backlog=3)
    support_row(day, queue_y, created=2, resolved=2, backlog=1)
    page = manager_client.get(reverse("reports:support"))
    table = page.context["report"].queue_table

    response, rows = download(manager_client, "support", "queues")
    assert rows[0] == table.csv_header()
    assert rows[0][:4] == ["Queue", "Created", "Resolved", "Backlog"]
    assert "First response p50 (min)" in rows[0]
    assert rows[1:] == [[str(value) for value in row] for row in table.csv_rows()]
    assert [row[:4] for row in rows[1:]] == [["Queue X", "7", "5", "3"], ["Queue Y", "2", "2", "1"]]
    period = page.context["period"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="support-queues-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}.csv"')
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def test_csv_uses_the_same_range_and_filters(manager_client, queue_x, queue_y):
    day = yesterday()
    support_row(day, queue_x, created=7)
    support_row(day, queue_y, created=2)
    support_row(day - timedelta(days=20), queue_x, created=50)

    _response, rows = download(manager_client, "support", "queues", {"queue": queue_y.pk})
    assert [row[:2] for row in rows[1:]] == [["Queue Y", "2"]]

    response, rows = download(manager_client, "support", "queues", {"preset": "7"})
    assert [row[:2] for row in rows[1:]] == [["Queue X", "7"], ["Queue Y", "2"]]
    start = report_today() - timedelta(days=6)
    assert f"support-queues-{start:%Y-%m-%d}-{report_today():%Y-%m-%d}.csv" in response["Content-Disposition"]


def test_daily_csv_has_every_day_of_the_range(manager_client, queue_x):
    support_row(yesterday(), queue_x, created=4)
    _response, rows = download(manager_client, "overview", "daily", {"preset": "7"})
    assert len(rows) == 1 + 7  # the 7 days up to today
    assert rows[-2][:2] == [yesterday().isoformat(), "4"]
    assert rows[-1][:2] == [report_today().isoformat(), ""]  # no snapshot row today yet


def test_kpi_csv_has_plain_numbers(manager_client):
    SatisfactionDaily.objects.create(day=yesterday(), kind="csat", invitations=20, responses=10, ratings=10,
                                     score_sum=90, top_two=8)
    _response, rows = download(manager_client, "overview", "kpis")
    assert rows[0] == ["Figure", "Unit", "This period", "Previous period", "Change", "Direction"]
    csat = next(row for row in rows if row[0] == "CSAT")
    assert csat[2] == "9.0"
    assert csat[3] == ""  # nothing to compare with
    sla = next(row for row in rows if row[0] == "SLA compliance")
    assert sla[1] == "%"


def test_breaches_csv_has_every_breach_not_just_one_page(manager_client, queue_x, customer_a):
    when = timezone.now() - timedelta(days=1)
    for number in range(27):
        TicketFactory(requester=customer_a, queue=queue_x, subject=f"Breach {number}",
                      resolution_due=when - timedelta(minutes=number))  # still unresolved
    _response, rows = download(manager_client, "sla", "breaches")
    assert rows[0][:3] == ["Ticket", "Subject", "Queue"]
    assert len(rows) == 1 + 27
    assert rows[1][1] == "Breach 0"
    assert rows[1][0].startswith("HD-")


def test_comments_that_look_like_formulas_are_quoted(manager_client, customer_a, queue_x):
    survey = Survey.objects.create(name="Support", kind=Survey.Kind.CSAT, scale=5)
    ticket = TicketFactory(requester=customer_a, queue=queue_x)
    now = timezone.now() - timedelta(days=1)  # the range ends yesterday
    invitation = SurveyInvitation.objects.create(
        survey=survey, recipient=customer_a, ticket=ticket, subject_key=f"ticket:{ticket.pk}",
        token=secrets.token_urlsafe(16), sent_at=now, responded_at=now, expires_at=now + timedelta(days=14))
    SurveyResponse.objects.create(invitation=invitation, score=1, comment='=HYPERLINK("http://x","差")',
                                  submitted_at=now, updated_at=now)
    _response, rows = download(manager_client, "satisfaction", "comments")
    assert rows[1][-1] == "'=HYPERLINK(\"http://x\",\"差\")"


def test_negative_figures_are_numbers_not_quoted_text(manager_client):
    # NPS −50 this period (1 promoter, 3 detractors), +100 the period before: the change is −150 points.
    SatisfactionDaily.objects.create(day=yesterday(), kind="nps", invitations=4, responses=4, ratings=4,
                                     promoters=1, detractors=3)
    SatisfactionDaily.objects.create(day=yesterday() - timedelta(days=30), kind="nps", invitations=1, responses=1,
                                     ratings=1, promoters=1)
    response = manager_client.get(reverse("reports:csv", args=["satisfaction", "kpis"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    nps_line = next(line for line in body.splitlines() if line.startswith("NPS,"))
    assert nps_line == "NPS,,-50.0,100.0,-150.0,down"
    assert "'-" not in body


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_a_spreadsheet_would_run_is_guarded(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", [-50.0, -3, 0, 12.5, "", "a=b", "Queue - EMEA", "50 %"])
def test_numbers_and_harmless_text_are_written_as_they_are(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize(("value", "kind", "expected"), [
    (-50.0, "text", -50.0), (-3, "text", -3), (Decimal("-1.5"), "text", Decimal("-1.5")),
    (-49.96, "nps", -50.0), (-0.4, "int", 0), (True, "text", "True"), ("-1", "text", "-1"), (None, "text", ""),
])
def test_export_keeps_numbers_numbers_whatever_the_column(value, kind, expected):
    exported = export(value, kind)
    assert exported == expected
    assert type(exported) is type(expected)


def test_a_comment_starting_with_minus_is_still_guarded(manager_client, customer_a, queue_x):
    survey = Survey.objects.create(name="Support", kind=Survey.Kind.CSAT, scale=5)
    ticket = TicketFactory(requester=customer_a, queue=queue_x)
    now = timezone.now() - timedelta(days=1)
    invitation = SurveyInvitation.objects.create(
        survey=survey, recipient=customer_a, ticket=ticket, subject_key=f"ticket:{ticket.pk}",
        token=secrets.token_urlsafe(16), sent_at=now, responded_at=now, expires_at=now + timedelta(days=14))
    SurveyResponse.objects.create(invitation=invitation, score=1, comment="-2 stars, +cmd|' /C calc'!A0",
                                  submitted_at=now, updated_at=now)
    _response, rows = download(manager_client, "satisfaction", "comments")
    assert rows[1][-1] == "'-2 stars, +cmd|' /C calc'!A0"
