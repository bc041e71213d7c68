"""Signing up in a real browser: the time zone comes from the browser, and the lost e-mail can be sent again."""

import pytest

from helpdesk.accounts.models import User

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def page_in(browser):
    """A page whose browser believes it is in the given time zone."""
    contexts = []

    def open_page(timezone_id):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=timezone_id)
        contexts.append(context)
        page = context.new_page()
        page.problems = []
        page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


def test_the_time_zone_is_the_browsers_and_the_account_keeps_it(live_server, page_in, screenshot):
    page = page_in("Asia/Shanghai")
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.get_by_label("Time zone").input_value() == "Asia/Shanghai"
    screenshot(page, "signup-time-zone")

    page.get_by_label("Your name").fill("Dana Doe")
    page.get_by_label("Work e-mail address").fill("dana@acme.example")
    page.locator("#id_password1").fill("purple-otter-river-77")
    page.locator("#id_password2").fill("purple-otter-river-77")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("networkidle")

    assert page.url.endswith("/accounts/signup/done/")
    assert User.objects.get(email="dana@acme.example").timezone == "Asia/Shanghai"
    assert page.problems == [], "the script runs under the Content-Security-Policy"


def test_a_choice_sent_back_after_an_error_is_not_overwritten(live_server, page_in):
    page = page_in("Asia/Shanghai")
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Time zone").select_option("Europe/Paris")
    page.get_by_label("Your name").fill("Dana Doe")
    page.get_by_label("Work e-mail address").fill("dana@acme.example")
    page.locator("#id_password1").fill("12345")
    page.locator("#id_password2").fill("54321")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state("networkidle")

    for problem in ("too short", "too common", "entirely numeric", "The two passwords differ"):
        assert page.get_by_text(problem).count() >= 1, problem
    assert page.get_by_label("Time zone").input_value() == "Europe/Paris"
    assert not User.objects.exists()


def test_the_lost_e_mail_is_asked_for_again_from_the_sign_in_page(live_server, page_in):
    page = page_in("UTC")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Did not get the verification e-mail?").click()
    page.get_by_label("E-mail address").fill("nobody@acme.example")
    page.get_by_role("button", name="Send a new link").click()
    page.wait_for_load_state("networkidle")

    assert page.get_by_text("a new link is on its way").is_visible()
