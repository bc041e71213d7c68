"""Two-factor sign-in in a real browser: an agent turns it on from the QR page, signs out, and signs in again
with the password and then a code; the pages break no Content-Security-Policy rule on the way."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.test_csp_violations import sign_in

pytestmark = [pytest.mark.e2e]


def code_for(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_an_agent_turns_on_two_factor_and_signs_in_with_a_code(live_server, transactional_db, agent, watched_page,
                                                                 screenshot):
    page = watched_page()
    base = live_server.url
    sign_in(page, base, agent.email)
    page.goto(f"{base}/accounts/two-factor/")
    qr = page.get_by_alt_text("QR code for your authenticator app")
    assert qr.evaluate("img => img.naturalWidth") > 0  # the data: image is allowed and drawn
    screenshot(page, "two-factor-setup")
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Turn on").click()
    assert page.get_by_role("heading", name="Your recovery codes").is_visible()
    assert page.locator(".recovery-codes li").count() == 10
    screenshot(page, "two-factor-codes")

    page.context.clear_cookies()  # a new browser session
    sign_in(page, base, agent.email)
    assert "/accounts/two-factor/verify/" in page.url
    screenshot(page, "two-factor-verify")
    device.refresh_from_db()
    device.last_t = -1  # the code used to turn it on may still be the current one
    device.save()
    page.get_by_label("Code").fill(code_for(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{base}/desk/**")
    page.wait_for_load_state("networkidle")
    assert page.problems == []
