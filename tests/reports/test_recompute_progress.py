""""Recompute now" shows how far the run has got (days done of days total) and when it is done, polled by the
page; the progress endpoint is for managers only."""

from datetime import timedelta

import pytest
from django.urls import reverse

from reports import recompute
from reports.clock import report_today
from reports.models import ReportRun

pytestmark = pytest.mark.django_db
Status = ReportRun.Status
URL = reverse("reports:recompute-progress")


@pytest.fixture(autouse=True)
def _utc(settings):
    settings.TIME_ZONE = "UTC"


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def forty_days() -> tuple:
    end = report_today()
    return end - timedelta(days=39), end


def test_a_queued_run_shows_on_the_page_and_polls_its_progress(manager_client, django_capture_on_commit_callbacks):
    start, end = forty_days()
    with django_capture_on_commit_callbacks(execute=False):  # queued: no worker has taken it yet
        response = manager_client.post(reverse("reports:recompute"), {
            "date_from": start.isoformat(), "date_to": end.isoformat(), "next": reverse("reports:support")})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.status == Status.QUEUED

    page = manager_client.get(reverse("reports:support")).content.decode()
    assert f'hx-get="{URL}?run={run.pk}' in page
    assert 'hx-trigger="every 2s"' in page
    assert "0 of 40 days" in page

    state = manager_client.get(URL, {"run": run.pk, "format": "json"}).json()
    assert state == {"run": run.pk, "status": "queued", "days_done": 0, "days_total": 40, "finished": False,
                     "finished_at": None}


def test_progress_counts_the_days_written_month_by_month_and_then_the_end(manager_client):
    start, end = forty_days()
    seen = []
    recompute.recompute_range(start, end, on_progress=seen.append)
    first_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1) - start
    assert seen[0] == first_month.days
    assert seen[-1] == 40 and seen == sorted(seen)

    run = ReportRun.objects.create(date_from=start, date_to=end, status=Status.RUNNING, days_done=12)
    fragment = manager_client.get(URL, {"run": run.pk}).content.decode()
    assert "12 of 40 days" in fragment and '<progress max="40" value="12"' in fragment
    assert 'hx-trigger="every 2s"' in fragment

    ReportRun.objects.filter(pk=run.pk).update(status=Status.QUEUED, days_done=0)
    recompute.execute_run(run.pk)
    state = manager_client.get(URL, {"run": run.pk, "format": "json"}).json()
    assert (state["status"], state["days_done"], state["days_total"], state["finished"]) == ("done", 40, 40, True)
    fragment = manager_client.get(URL, {"run": run.pk, "next": "/reports/sla/"}).content.decode()
    assert "Recompute done: 40 days." in fragment and 'href="/reports/sla/"' in fragment
    assert "hx-trigger" not in fragment  # the polling stops


def test_a_failed_run_says_so_and_stops_polling(manager_client):
    run = ReportRun.objects.create(date_from=report_today(), date_to=report_today(), status=Status.FAILED,
                                   error="boom")
    fragment = manager_client.get(URL, {"run": run.pk}).content.decode()
    assert "Recompute failed." in fragment and "hx-trigger" not in fragment


def test_progress_in_chinese(manager_client, manager):
    manager.locale = "zh-hans"
    manager.save(update_fields=["locale"])
    run = ReportRun.objects.create(date_from=report_today() - timedelta(days=9), date_to=report_today(),
                                   status=Status.RUNNING, days_done=3)
    assert "3 / 10 天" in manager_client.get(URL, {"run": run.pk}).content.decode()


def test_bad_run_numbers_and_outside_links(manager_client):
    assert manager_client.get(URL, {"run": "abc"}).status_code == 404
    assert manager_client.get(URL, {"run": "999999"}).status_code == 404
    assert manager_client.get(URL, {"format": "json"}).json() == {"run": None}  # nothing recomputed yet
    run = ReportRun.objects.create(date_from=report_today(), date_to=report_today(), status=Status.DONE)
    fragment = manager_client.get(URL, {"run": run.pk, "next": "https://evil.example/"}).content.decode()
    assert "evil.example" not in fragment
    assert manager_client.get(URL).status_code == 200  # the latest run


@pytest.mark.parametrize("persona", ["agent", "customer_a"])
def test_only_managers_see_the_progress(client, persona, request):
    run = ReportRun.objects.create(date_from=report_today(), date_to=report_today())
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL, {"run": run.pk}).status_code == 403
