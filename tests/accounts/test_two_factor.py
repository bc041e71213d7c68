"""Two-factor sign-in: setting up an authenticator, the code after the password (admin's sign-in included),
recovery codes that work once, wrong codes that count towards the lock-out, and staff who must have it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from helpdesk.accounts import two_factor
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETUP = "/accounts/two-factor/"
VERIFY = "/accounts/two-factor/verify/"


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def enable(user):
    device = two_factor.authenticator_start(user=user)
    codes = two_factor.authenticator_confirm(device=device, token=code_for(device))
    device.refresh_from_db()
    device.last_t = -1  # the set-up code may be given again in these tests
    device.save()
    return device, codes


def sign_in(client, user, **extra):
    return client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD, **extra})


def test_setting_up_shows_a_qr_code_and_turns_on_with_a_right_code(client, agent):
    client.force_login(agent)
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'src="data:image/svg+xml' in html and "Turn on" in html
    device = TOTPDevice.objects.get(user=agent, confirmed=False)

    wrong = client.post(SETUP, {"action": "confirm", "code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 400 and "not right" in wrong.content.decode()
    assert not two_factor.has_two_factor(agent)
    device.refresh_from_db()
    device.throttle_reset()  # after a wrong code the app waits a moment before it checks another

    done = client.post(SETUP, {"action": "confirm", "code": code_for(device)})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT and codes[0] in done.content.decode()
    assert two_factor.has_two_factor(agent)
    assert client.get("/desk/").status_code == 200  # the session that set it up counts as verified


def test_after_the_password_nothing_opens_until_the_code(client, agent):
    device, _codes = enable(agent)
    response = sign_in(client, agent, remember="on")
    assert response.status_code == 302
    for page in ("/desk/", "/desk/tickets/", "/admin/", reverse("accounts:profile")):
        blocked = client.get(page)
        assert blocked.status_code == 302 and blocked["Location"].startswith(VERIFY), page
    answer = client.post(VERIFY + "?next=/desk/tickets/", {"code": code_for(device), "next": "/desk/tickets/"})
    assert answer.status_code == 302 and answer["Location"] == "/desk/tickets/"
    assert client.get("/desk/").status_code == 200
    assert client.session.get_expire_at_browser_close() is False  # "Remember me" carried through


def test_the_admin_sign_in_page_does_not_skip_the_code(client, manager):
    enable(manager)
    response = client.post("/admin/login/?next=/admin/", {"username": manager.email, "password": PASSWORD,
                                                           "next": "/admin/"})
    assert response.status_code == 302
    blocked = client.get("/admin/accounts/user/")
    assert blocked.status_code == 302 and blocked["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once(client, agent):
    _device, codes = enable(agent)
    sign_in(client, agent)
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    client.post(reverse("accounts:logout"))
    sign_in(client, agent)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 400
    assert client.get("/desk/")["Location"].startswith(VERIFY)


def test_wrong_codes_count_as_failed_sign_ins_and_end_the_attempt(client, agent, settings):
    device, _codes = enable(agent)
    sign_in(client, agent)
    wrong = "123456" if code_for(device) != "123456" else "654321"
    for _ in range(settings.TWO_FACTOR_MAX_FAILURES - 1):
        assert client.post(VERIFY, {"code": wrong}).status_code == 400
    assert sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=agent.email)) >= 4
    last = client.post(VERIFY, {"code": wrong})
    # The lock-out page when these failures reach its limit, else back to the password.
    assert last.status_code == 429 or (last.status_code == 302 and last["Location"] == reverse("accounts:login"))
    assert "_auth_user_id" not in client.session  # signed out: the password is asked again
    assert client.get("/desk/").status_code == 302


def test_staff_must_set_it_up_when_the_setting_says_so(client, agent, customer_a, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    client.force_login(agent)
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)
    assert "must use two-factor" in client.get(response["Location"]).content.decode()
    client.force_login(customer_a)
    assert client.get("/portal/").status_code == 200  # customers may choose


def test_a_person_may_turn_it_off_but_staff_may_not_when_it_is_required(client, customer_a, agent, settings):
    device, _codes = enable(customer_a)
    client.force_login(customer_a)
    client.post(VERIFY, {"code": code_for(device)})
    client.post(SETUP, {"action": "disable"})
    assert not two_factor.has_two_factor(customer_a)

    settings.TWO_FACTOR_REQUIRED_FOR_STAFF = True
    device, _codes = enable(agent)
    client.force_login(agent)
    client.post(VERIFY, {"code": code_for(device)})
    client.post(SETUP, {"action": "disable"})
    assert two_factor.has_two_factor(agent)


def test_the_code_page_only_sends_back_to_this_site(client, agent):
    device, _codes = enable(agent)
    sign_in(client, agent)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"
