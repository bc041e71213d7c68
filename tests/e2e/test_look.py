"""The look in a real browser: every page's stylesheets load and style it, at a phone's and a laptop's width."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import PASSWORD
from tests.knowledgebase.factories import make_article
from tickets import services

pytestmark = [pytest.mark.e2e]

PHONE, LAPTOP = 390, 1366


@pytest.fixture
def world(transactional_db, customer_a, agent, queue_x, manager, admin_user):
    ticket = services.ticket_create(
        requester=customer_a, subject="Screen flickers after the update", description="Since version 1.2.",
        queue=queue_x, files=[SimpleUploadedFile("notes.txt", b"driver 1.2")], notify=False,
    )
    make_article("Reset your password")
    return {"ticket": ticket}


def sign_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


# A rule from each feature stylesheet, checked on a page that links it: (path, selector, property, value).
STYLED = {
    "customer": [("/portal/tickets/", ".portal-status-tabs .nav-link.active", "font-weight", "600")],
    "agent": [("/desk/tickets/", ".desk-page-head", "display", "flex"),
              ("/desk/kb/", ".kb-filters", "padding-top", "12px")],
    "manager": [("/reports/support/", ".report-head", "display", "flex"),
                ("/desk/customers/", ".cust-table", "font-size", "14.4px")],
}


def stylesheets_loaded(page):
    return page.evaluate("""() => [...document.styleSheets].map(sheet => {
      try { return [sheet.href, sheet.cssRules.length]; } catch (error) { return [sheet.href, -1]; }
    })""")


@pytest.mark.parametrize("role,email", [("customer", "alice@acme.example"), ("agent", "agent1@example.com"),
                                        ("manager", "manager@example.com")])
def test_pages_are_styled_at_both_widths(live_server, world, page_at, screenshot, role, email):
    for width in (PHONE, LAPTOP):
        page = page_at(width=width, height=900)
        sign_in(page, live_server.url, email)
        for path, selector, prop, value in STYLED[role]:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state("networkidle")
            assert all(rules > 0 for _, rules in stylesheets_loaded(page)), stylesheets_loaded(page)
            style = page.locator(selector).first.evaluate(f"el => getComputedStyle(el)[{prop!r}]")
            assert style == value, (path, selector, prop, style)
            screenshot(page, f"look-{role}-{path.strip('/').replace('/', '-')}-{width}")
