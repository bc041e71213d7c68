"""Manager dashboards in a real browser: KPIs and a drawn chart, a 7-day range, a CSV download, the printout."""

import csv
import io
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from feedback.models import ProductArea
from reports.clock import report_today
from reports.models import SatisfactionDaily
from tests.aftersales.factories import ProductFactory
from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, ManagerFactory
from tests.knowledgebase.factories import make_article
from tests.reports.dashboard_data import fill, yesterday
from tests.tickets.factories import QueueFactory

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def snapshots(transactional_db):
    ManagerFactory(email="manager@example.com", name="Morgan Manager")
    agent = AgentFactory(email="agent1@example.com", name="Alex Agent")
    queues = [QueueFactory(name="Technical", slug="technical"), QueueFactory(name="Billing", slug="billing")]
    fill(days=40, queues=queues, agent=agent, product=ProductFactory(name="Router"),
         article=make_article("Reset your password"), area=ProductArea.objects.create(name="Reports"))
    # A CSAT day worth 9 on yesterday alone, so the 7-day range moves the figure.
    SatisfactionDaily.objects.filter(kind="csat", day=yesterday()).update(ratings=10, score_sum=90, top_two=8)


def test_manager_reads_the_overview_changes_the_range_and_downloads_a_csv(live_server, snapshots, page_at,
                                                                         screenshot):
    base = live_server.url
    page = page_at(width=1440, height=900)
    sign_in(page, base, "manager@example.com")
    page.get_by_role("navigation", name="Main navigation").get_by_role("link", name="Reports").click()
    page.wait_for_load_state("networkidle")

    expect(page.get_by_role("heading", level=1)).to_have_text("Overview")
    created = page.locator("[data-kpi=created]")
    # The presets end today, which has no snapshot yet: 29 filled days × 2 queues × 2 priorities × 4 created.
    expect(created.locator(".kpi-value")).to_have_text("464")
    expect(page.locator("[data-kpi=sla] .kpi-value")).to_have_text("75.0 %")
    canvas = page.locator("canvas#chart-volume")
    expect(canvas).to_have_attribute("data-drawn", "true")
    assert canvas.bounding_box()["height"] > 100
    screenshot(page, "reports-1-overview")

    page.get_by_label("Period").select_option("7")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_load_state("networkidle")
    expect(created.locator(".kpi-value")).to_have_text("96")  # today and the 6 filled days before it
    start = report_today() - timedelta(days=6)
    expect(page.get_by_label("From")).to_have_value(start.isoformat())
    expect(page.locator("[data-kpi=csat] .kpi-value")).not_to_have_text("—")

    with page.expect_download() as download_info:
        page.locator("details.report-kpi-table summary").click()
        page.get_by_role("link", name="Download Key figures as CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"overview-kpis-{start:%Y-%m-%d}-{report_today():%Y-%m-%d}.csv"
    with open(download.path(), encoding="utf-8-sig") as exported:
        rows = list(csv.reader(io.StringIO(exported.read())))
    assert rows[0][:3] == ["Figure", "Unit", "This period"]
    assert rows[1][:3] == ["Tickets created", "", "96"]

    page.emulate_media(media="print")
    expect(page.locator(".report-filters")).to_be_hidden()
    expect(page.locator(".desk-sidebar")).to_be_hidden()
    expect(page.locator(".report-range")).to_be_visible()
    screenshot(page, "reports-2-overview-print")

    phone = page_at(width=375, height=800)
    sign_in(phone, base, "manager@example.com")
    phone.goto(f"{base}/reports/sla/")
    expect(phone.locator("canvas#chart-sla")).to_have_attribute("data-drawn", "true")
    screenshot(phone, "reports-3-sla-phone")
