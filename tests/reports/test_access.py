"""Who may open the dashboards: managers and admins only, on every page, every CSV and the recompute button."""

import pytest
from django.urls import reverse

from reports.models import ReportRun
from reports.pages import PAGES

PAGE_URLS = [reverse(page.url_name) for page in PAGES.values()]
CSV_URLS = [reverse("reports:csv", args=[page.slug, table]) for page in PAGES.values() for table in page.tables]
EVERY_URL = PAGE_URLS + CSV_URLS


def test_every_page_is_under_reports_and_every_table_has_a_csv():
    assert PAGE_URLS == ["/reports/", "/reports/support/", "/reports/sla/", "/reports/satisfaction/",
                         "/reports/after-sales/", "/reports/churn/", "/reports/response-time/",
                         "/reports/knowledge-base/", "/reports/feedback/"]
    assert "/reports/sla/breaches.csv" in CSV_URLS
    assert len(CSV_URLS) >= 30


@pytest.mark.django_db
@pytest.mark.parametrize("url", EVERY_URL)
def test_anonymous_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("url", EVERY_URL)
@pytest.mark.parametrize("persona", ["customer_a", "agent"])
def test_customers_and_agents_are_refused(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", EVERY_URL)
@pytest.mark.parametrize("persona", ["manager", "admin_user"])
def test_managers_and_admins_get_every_page_and_csv(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.status_code == 200
    if url.endswith(".csv"):
        assert response["Content-Type"].startswith("text/csv")
        assert b"".join(response.streaming_content).startswith("\ufeff".encode())


def test_unknown_table_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get("/reports/support/nothing.csv").status_code == 404
    assert client.get("/reports/nowhere/daily.csv").status_code == 404


@pytest.mark.parametrize("persona", ["customer_a", "agent"])
def test_recompute_is_refused_to_customers_and_agents(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("reports:recompute"), {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert response.status_code == 403
    assert not ReportRun.objects.exists()


@pytest.mark.django_db
def test_recompute_needs_sign_in_and_a_post(client, manager):
    response = client.post(reverse("reports:recompute"), {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(manager)
    assert client.get(reverse("reports:recompute")).status_code == 405
    assert not ReportRun.objects.exists()


def test_reports_link_in_navbar_and_sidebar_for_managers_only(client, manager, agent):
    client.force_login(manager)
    page = client.get(reverse("desk-home")).content.decode()
    assert 'href="/reports/"' in page
    assert 'href="/reports/response-time/"' in page  # the sidebar lists every page

    client.force_login(agent)
    page = client.get(reverse("desk-home")).content.decode()
    assert "/reports/" not in page


@pytest.mark.parametrize("model", ["supportdaily", "satisfactiondaily", "churnmonthly", "reportrun"])
def test_admin_shows_report_tables_read_only_to_superusers_and_not_at_all_to_managers(client, manager, admin_user,
                                                                                      model):
    client.force_login(admin_user)
    assert client.get(f"/admin/reports/{model}/").status_code == 200
    assert client.get(f"/admin/reports/{model}/add/").status_code == 403
    client.force_login(manager)  # internal records: the reports show managers the figures
    assert client.get(f"/admin/reports/{model}/").status_code == 403
