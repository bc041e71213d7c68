"""Signing in and out, the public pages and the language switch, in a real browser."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in

pytestmark = [pytest.mark.e2e]


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_wrong_password_then_sign_out(live_server, customer_a, page_at, screenshot):
    page = page_at()
    sign_in(page, live_server.url, "alice@acme.example", password="wrong-one")
    assert page.get_by_text("That e-mail address and password do not match").is_visible()
    screenshot(page, "login-error")

    sign_in(page, live_server.url, "alice@acme.example")
    page.get_by_role("button", name="Alice").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/"
    assert page.get_by_role("heading", name="How can we help?").is_visible()


def test_public_pages_look_right_on_a_phone_and_a_desktop(live_server, transactional_db, page_at, screenshot):
    for width in (375, 1920):
        page = page_at(width=width)
        for path, name in [("/", "landing"), ("/accounts/login/", "login"), ("/accounts/signup/", "signup"),
                           ("/accounts/password/reset/", "password-reset")]:
            page.goto(f"{live_server.url}{path}")
            assert no_horizontal_scroll(page), f"{path} scrolls sideways at {width} px"
            screenshot(page, f"{name}-{width}")


def test_language_switcher_shows_chinese(live_server, customer_a, page_at):
    page = page_at()
    sign_in(page, live_server.url, "alice@acme.example")
    with page.expect_navigation():
        page.get_by_label("Language").select_option("zh-hans")
    expect(page.get_by_role("link", name="客户门户")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice")
    page.goto(f"{live_server.url}/portal/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
