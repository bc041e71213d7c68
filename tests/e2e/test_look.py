"""The look in a real browser: every page's stylesheets load and style it, at a phone's and a laptop's width."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.e2e.browser import sign_in
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


def test_the_favicon_is_served(live_server, world, page_at):
    page = page_at()
    response = page.goto(f"{live_server.url}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"
    page.goto(f"{live_server.url}/accounts/login/")
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").status == 200


@pytest.mark.parametrize("path,label", [("/desk/kb/new/", "New article"), ("/desk/service/", "Service requests")])
def test_one_sidebar_item_is_active(live_server, world, page_at, path, label):
    page = page_at(width=LAPTOP)
    sign_in(page, live_server.url, "manager@example.com")
    page.goto(f"{live_server.url}{path}")
    active = page.locator("#desk-sidebar .nav-link.active")
    assert active.count() == 1
    assert label in active.inner_text()
    assert active.get_attribute("aria-current") == "page"


def test_the_sidebar_is_off_canvas_on_a_phone(live_server, world, watched_page, screenshot):
    page = watched_page()
    page.set_viewport_size({"width": PHONE, "height": 800})
    sign_in(page, live_server.url, "agent1@example.com")
    page.goto(f"{live_server.url}/desk/tickets/")
    sidebar = page.locator("#desk-sidebar")
    assert not sidebar.is_visible()
    # The list starts near the top instead of under a block of links.
    assert page.locator("h1").first.bounding_box()["y"] < 200
    page.get_by_role("button", name="Menu").click()
    page.wait_for_selector("#desk-sidebar.show")
    page.wait_for_timeout(400)  # the slide-in transition
    assert sidebar.is_visible()
    links = sidebar.locator(".nav-link")
    assert links.count() > 5
    first, second = links.nth(0).bounding_box(), links.nth(1).bounding_box()
    assert second["y"] > first["y"]  # one link a line, not a cloud of pills
    assert sidebar.bounding_box()["width"] <= PHONE * 0.9
    screenshot(page, "look-desk-offcanvas-390")
    page.locator("#desk-sidebar .btn-close").click()
    page.wait_for_timeout(400)
    assert not sidebar.is_visible()
    assert page.problems == []


def theme(page):
    return page.locator("html").get_attribute("data-bs-theme")


def test_dark_mode_follows_the_system_and_the_choice_persists(live_server, world, browser):
    context = browser.new_context(viewport={"width": LAPTOP, "height": 900}, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        assert theme(page) == "dark"  # nothing chosen: the system's
        page.locator("#theme-menu").click()
        page.locator('[data-theme-value="light"]').click()
        assert theme(page) == "light"
        page.reload()
        assert theme(page) == "light"  # the choice outlives the page
        page.locator("#theme-menu").click()
        assert page.locator('[data-theme-value="light"]').get_attribute("aria-pressed") == "true"
        page.locator('[data-theme-value="dark"]').click()
        page.goto(f"{live_server.url}/kb/")
        assert theme(page) == "dark"
        page.emulate_media(color_scheme="light")
        assert theme(page) == "dark"  # a choice beats the system
        page.locator("#theme-menu").click()
        page.locator('[data-theme-value="auto"]').click()
        assert theme(page) == "light"
        page.reload()
        assert theme(page) == "light"
    finally:
        context.close()


def test_the_look_runs_clean_under_the_policy(live_server, world, watched_page):
    page = watched_page()
    sign_in(page, live_server.url, "manager@example.com")
    for path in ["/favicon.ico", "/desk/", "/desk/kb/new/", "/desk/service/", "/reports/sla/"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.locator("#theme-menu").click()
    page.locator('[data-theme-value="dark"]').click()
    page.reload()
    page.wait_for_load_state("networkidle")
    assert theme(page) == "dark"
    assert page.problems == []


PAGES = {
    "customer": ("alice@acme.example", ["/portal/", "/portal/tickets/", "TICKET_PORTAL"]),
    "agent": ("agent1@example.com", ["/desk/", "/desk/tickets/", "TICKET_DESK"]),
    "manager": ("manager@example.com", ["/reports/support/", "/reports/sla/", "/desk/customers/"]),
}


@pytest.mark.parametrize("role", list(PAGES))
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_screenshots_light_and_dark(live_server, world, browser, screenshot, role, mode):
    email, paths = PAGES[role]
    reference = world["ticket"].reference
    for width in (PHONE, LAPTOP):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
        try:
            page = context.new_page()
            sign_in(page, live_server.url, email)
            for path in paths:
                path = path.replace("TICKET_PORTAL", f"/portal/tickets/{reference}/")
                path = path.replace("TICKET_DESK", f"/desk/tickets/{reference}/")
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
                assert theme(page) == mode
                # Nothing wider than the window: tables scroll inside their box instead.
                assert page.evaluate("document.documentElement.scrollWidth") <= width
                name = path.strip("/").replace(reference, "ticket").replace("/", "-")
                screenshot(page, f"look-{mode}-{role}-{name}-{width}")
        finally:
            context.close()


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_chinese_pages_use_the_chinese_date_format(live_server, world, browser, screenshot, mode):
    reference = world["ticket"].reference
    for width in (PHONE, LAPTOP):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
        try:
            page = context.new_page()
            sign_in(page, live_server.url, "agent1@example.com")
            page.goto(f"{live_server.url}/desk/tickets/")
            if width == PHONE:
                page.locator(".navbar-toggler").click()
            with page.expect_navigation():
                page.locator("#language-select").select_option("zh-hans")
            for path, name in [("/desk/tickets/", "desk-tickets"), (f"/desk/tickets/{reference}/", "desk-ticket")]:
                page.goto(f"{live_server.url}{path}")
                page.wait_for_load_state("networkidle")
                assert page.locator("html").get_attribute("lang") == "zh-hans"
                exact = page.locator("main time[title]").first.get_attribute("title")
                assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", exact), exact
                screenshot(page, f"look-zh-{mode}-{name}-{width}")
        finally:
            context.close()
