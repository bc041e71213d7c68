"""The 10-minute refresh: late events mark the past days they change, and the task recomputes those days and
today, so a late event counts on the day it belongs to, once."""

import secrets
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from feedback.models import Survey, SurveyInvitation, SurveyResponse
from reports import recompute
from reports.clock import report_timezone, report_today
from reports.dirty import dirty_days, mark_dirty
from reports.models import ReportDay, ReportRun, SatisfactionDaily, SupportDaily
from tickets import services
from tickets.models import Ticket
from tickets.services import TicketError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


def noon(days_ago: int) -> datetime:
    day = report_today() - timedelta(days=days_ago)
    return datetime.combine(day, time(12), tzinfo=report_timezone())


def local(moment):
    return moment.astimezone(report_timezone()).date()


def day(days_ago: int):
    return report_today() - timedelta(days=days_ago)


def support(queue, days_ago: int) -> dict:
    row = SupportDaily.objects.filter(queue=queue, day=day(days_ago)).first()
    return {"resolved": row.resolved if row else 0, "backlog": row.backlog if row else 0,
            "created": row.created if row else 0}


@pytest.fixture
def resolved_six_days_ago(customer_a, agent, queue_x):
    ticket = services.ticket_create(requester=customer_a, subject="Sync", description="Stuck", queue=queue_x,
                                    now=noon(7), notify=False)
    services.ticket_agent_reply(ticket=ticket, agent=agent, body="Restart it", status=Ticket.Status.RESOLVED,
                                resolution_summary="Restarted", now=noon(6), notify=False)
    recompute.recompute_range(day(7), day(1))  # last night's figures
    assert support(queue_x, 6)["resolved"] == 1 and support(queue_x, 6)["backlog"] == 0
    assert dirty_days(before=report_today()) == []
    ticket.refresh_from_db()
    return ticket


def test_a_reopening_six_days_later_moves_the_resolution_to_today_and_counts_it_once(
        resolved_six_days_ago, customer_a, agent, queue_x):
    now = timezone.now()
    resolution_due_before = resolved_six_days_ago.resolution_due
    services.ticket_customer_reopen(ticket=resolved_six_days_ago, customer=customer_a, reason="Stuck again", now=now)
    # The day whose resolution it takes back, and the day its resolution target was due (the target moves on).
    expected = {day(6)} | ({local(resolution_due_before)} if local(resolution_due_before) < day(0) else set())
    assert set(dirty_days(before=report_today())) == expected

    resolved_six_days_ago.refresh_from_db()
    services.ticket_agent_reply(ticket=resolved_six_days_ago, agent=agent, body="Reinstalled",
                                status=Ticket.Status.RESOLVED, resolution_summary="Reinstalled", now=now,
                                notify=False)
    recompute.refresh()

    assert support(queue_x, 6) == {"resolved": 0, "backlog": 0, "created": 0}  # resolved then, so not open then
    assert support(queue_x, 0)["resolved"] == 1
    assert sum(SupportDaily.objects.filter(queue=queue_x).values_list("resolved", flat=True)) == 1
    assert [support(queue_x, days_ago)["backlog"] for days_ago in range(7, -1, -1)] == [1, 0, 0, 0, 0, 0, 0, 0]
    assert dirty_days(before=report_today()) == []
    assert ReportDay.objects.get(day=day(6)).computed_at is not None


def test_a_reopened_ticket_still_open_is_back_in_todays_backlog_only(resolved_six_days_ago, customer_a, queue_x):
    services.ticket_customer_reopen(ticket=resolved_six_days_ago, customer=customer_a, reason="Again")
    recompute.refresh()
    assert [support(queue_x, days_ago)["backlog"] for days_ago in range(6, -1, -1)] == [0, 0, 0, 0, 0, 0, 1]
    assert support(queue_x, 6)["resolved"] == 0


def test_a_refused_reopening_marks_nothing(resolved_six_days_ago, customer_a, queue_x):
    too_late = timezone.now() + timedelta(days=django_settings.TICKET_REOPEN_DAYS)
    with pytest.raises(TicketError):
        services.ticket_customer_reopen(ticket=resolved_six_days_ago, customer=customer_a, now=too_late)
    assert dirty_days(before=report_today()) == []


def test_a_late_survey_answer_counts_for_the_day_the_invitation_went_out(customer_a):
    survey = Survey.objects.create(name="CSAT", kind=Survey.Kind.CSAT, scale=10)
    invitation = SurveyInvitation.objects.create(
        survey=survey, recipient=customer_a, subject_key="late:1", token=secrets.token_urlsafe(16),
        sent_at=noon(3), expires_at=noon(3) + timedelta(days=14))
    recompute.recompute_range(day(3), day(1))
    assert SatisfactionDaily.objects.get(day=day(3)).answered == 0

    SurveyResponse.objects.create(invitation=invitation, score=9, submitted_at=timezone.now())
    assert dirty_days(before=report_today()) == [day(3)]
    recompute.refresh()

    sent_day = SatisfactionDaily.objects.get(day=day(3))
    assert (sent_day.invitations, sent_day.answered, sent_day.responses) == (1, 1, 0)
    assert SatisfactionDaily.objects.get(day=day(0)).responses == 1


def test_only_today_when_nothing_changed():
    recompute.refresh()
    assert list(ReportRun.objects.values_list("date_from", "date_to", "status")) == [
        (day(0), day(0), ReportRun.Status.DONE)]


def test_changed_days_are_recomputed_in_runs_of_consecutive_days():
    mark_dirty([day(9), day(8), day(7), day(3)])
    recompute.refresh()
    runs = sorted(ReportRun.objects.values_list("date_from", "date_to"))
    assert runs == [(day(9), day(7)), (day(3), day(3)), (day(0), day(0))]
    assert dirty_days(before=report_today()) == []


def test_a_day_marked_while_a_run_was_computing_it_stays_marked():
    started = timezone.now()
    mark_dirty([day(2)], now=started - timedelta(minutes=1))
    recompute.recompute_range(day(2), day(2), now=started)
    assert dirty_days(before=report_today()) == []

    mark_dirty([day(2)], now=started + timedelta(seconds=5))  # a late event while the run was at work
    recompute.recompute_range(day(2), day(2), now=started)
    assert dirty_days(before=report_today()) == [day(2)]


def test_today_future_days_and_nothing_are_not_marked():
    assert mark_dirty([None, day(0), day(-1), timezone.now()]) == []
    assert not ReportDay.objects.exists()
    assert mark_dirty([noon(2), day(2)]) == [day(2)]  # a moment and its date are one day


def test_the_command_recomputes_the_changed_days_and_today():
    mark_dirty([day(4)])
    out = StringIO()
    call_command("refresh_reports", stdout=out)
    assert f"Recomputed today and 1 changed day(s) ({day(4).isoformat()})" in out.getvalue()
    assert dirty_days(before=report_today()) == []
    assert ReportDay.objects.filter(day__in=[day(4), day(0)], computed_at__isnull=False).count() == 2


def test_beat_runs_the_refresh_every_ten_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["refresh-reports"]
    assert entry["task"] == "reports.tasks.refresh_reports"
    assert entry["schedule"].minute == set(range(0, 60, 10))
