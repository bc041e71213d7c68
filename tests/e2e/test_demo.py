"""The demo in a real browser: every printed login lands on its home, and the demo's wide tables scroll with a
cue in light and dark mode, at a laptop's and a phone's width.

One test, because the demo seed is the slow part and a live server's test empties the database after it.
"""

import re

import pytest
from playwright.sync_api import expect

from demo.management.commands.seed_demo import PASSWORD as DEMO_PASSWORD
from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e]

PHONE, LAPTOP = 390, 1366

# The demo's printed logins, where each lands, its heading and the main navigation it gets.
DEMO_LOGINS = [
    ("alice@acme.example", "/portal/", "Hello, Alice", ["Portal"]),
    ("agent1@example.com", "/desk/", "Good to see you, Alex", ["Desk"]),
    ("manager@example.com", "/desk/", "Good to see you, Morgan", ["Desk", "Admin"]),
    ("admin@example.com", "/desk/", "Good to see you, Ada", ["Desk", "Admin"]),
]

CLIPPED_TABLES = """() => [...document.querySelectorAll("main table")].filter(table => {
  const box = table.closest(".table-responsive") || table.parentElement;
  const inside = table.closest(".table-responsive") !== null;
  return !inside && table.scrollWidth > box.clientWidth + 1;
}).map(table => (table.closest("[id]") || {}).id || table.className)"""


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_demo_in_a_browser(live_server, demo_data, browser, page_at, screenshot):
    each_login_lands_on_its_home(live_server, page_at, screenshot)
    wide_tables_scroll_with_a_cue(live_server, browser, screenshot)


def each_login_lands_on_its_home(live_server, page_at, screenshot):
    for email, home, heading, nav_links in DEMO_LOGINS:
        for width in (1440, 375):
            page = page_at(width=width)
            sign_in(page, live_server.url, email, DEMO_PASSWORD)
            assert page.url == f"{live_server.url}{home}", email
            assert page.get_by_role("heading", level=1).inner_text() == heading
            assert no_horizontal_scroll(page), f"{home} scrolls sideways at {width} px for {email}"
            screenshot(page, f"home-{email.split('@')[0]}-{width}")
            if width == 1440:
                nav = page.get_by_role("navigation", name="Main navigation")
                for link in nav_links:
                    assert nav.get_by_role("link", name=link, exact=True).is_visible(), (email, link)
                for link in {"Portal", "Desk", "Admin"} - set(nav_links):
                    assert nav.get_by_role("link", name=link, exact=True).count() == 0, (email, link)


def wide_tables_scroll_with_a_cue(live_server, browser, screenshot):
    for mode in ("light", "dark"):
        for width in (LAPTOP, PHONE):
            context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
            try:
                page = context.new_page()
                sign_in(page, live_server.url, "manager@example.com", DEMO_PASSWORD)
                for path in ["/desk/", "/reports/support/", "/reports/sla/", "/desk/tickets/", "/desk/service/"]:
                    page.goto(f"{live_server.url}{path}")
                    page.wait_for_load_state("networkidle")
                    assert page.evaluate(CLIPPED_TABLES) == [], (path, width)
                    assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, width)
                    screenshot(page, f"look-demo-{mode}-{path.strip('/').replace('/', '-')}-{width}")
                    if path == "/reports/support/":
                        # Some of the support tables are wider than their card even at 1366 px: they say so.
                        page.locator(".table-responsive.has-more-right:visible").first.evaluate(
                            "box => { box.id = 'wide-table'; }")
                        wide = page.locator("#wide-table")
                        expect(wide.locator("xpath=following-sibling::p[1]")).to_be_visible()
                        wide.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
                        expect(wide).to_have_class(re.compile(r"\bhas-more-left\b"))
                        expect(wide).not_to_have_class(re.compile(r"\bhas-more-right\b"))
            finally:
                context.close()
