"""How long a session lives: "Remember me", the idle limit per role, and the cookies' names in production."""

import secrets
import time

import pytest
from django.urls import reverse

from helpdesk.accounts.sessions import LAST_SEEN_KEY
from tests.test_settings import manage

LOGIN = reverse("accounts:login")


def sign_in(client, user, password, remember=False):
    data = {"username": user.email, "password": password}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data)
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def idle_for(client, minutes):
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - minutes * 60
    session.save()


@pytest.mark.django_db
def test_without_remember_me_the_session_ends_with_the_browser(client, customer_a, password):
    response = sign_in(client, customer_a, password)
    cookie = response.cookies["sessionid"]
    assert client.session.get_expire_at_browser_close()
    assert cookie["max-age"] == ""  # a browser-session cookie
    assert not cookie["expires"]


@pytest.mark.django_db
def test_remember_me_keeps_the_cookie_for_two_weeks(client, customer_a, password, settings):
    response = sign_in(client, customer_a, password, remember=True)
    assert not client.session.get_expire_at_browser_close()
    assert int(response.cookies[settings.SESSION_COOKIE_NAME]["max-age"]) == 14 * 24 * 60 * 60


@pytest.mark.django_db
def test_staff_are_signed_out_after_eight_idle_hours(client, agent, password):
    sign_in(client, agent, password, remember=True)
    idle_for(client, 8 * 60 - 5)
    assert client.get(reverse("desk-home")).status_code == 200  # still inside the limit; the clock restarts

    idle_for(client, 8 * 60 + 1)
    response = client.get(reverse("desk-home"), follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "_auth_user_id" not in client.session
    assert "signed out after 8 hours without activity" in response.content.decode()


@pytest.mark.django_db
def test_activity_restarts_the_idle_clock(client, agent, password):
    sign_in(client, agent, password)
    idle_for(client, 7 * 60)
    assert client.get(reverse("desk-home")).status_code == 200
    assert int(time.time()) - client.session[LAST_SEEN_KEY] < 5


@pytest.mark.django_db
def test_customers_stay_signed_in_for_days_but_not_beyond_fourteen(client, customer_a, password):
    sign_in(client, customer_a, password, remember=True)
    idle_for(client, 13 * 24 * 60)
    assert client.get(reverse("portal-home")).status_code == 200

    idle_for(client, 14 * 24 * 60 + 1)
    response = client.get(reverse("portal-home"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_the_idle_limits_are_settings(client, customer_a, password, settings):
    settings.SESSION_IDLE_MINUTES = {"staff": 30, "customer": 30}
    sign_in(client, customer_a, password)
    idle_for(client, 31)
    assert client.get(reverse("portal-home")).status_code == 302


@pytest.mark.django_db
def test_admin_sign_in_gets_the_idle_limit_too(client, admin_user, password):
    response = client.post(reverse("admin:login"), {"username": admin_user.email, "password": password})
    assert response.status_code == 302
    assert LAST_SEEN_KEY in client.session
    idle_for(client, 8 * 60 + 1)
    assert client.get(reverse("admin:index")).status_code == 302


def test_production_cookies_carry_the_host_prefix():
    script = (
        "from django.conf import settings;"
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_SECURE,"
        " settings.SESSION_COOKIE_DOMAIN, settings.CSRF_COOKIE_DOMAIN, settings.SESSION_COOKIE_PATH)"
    )
    production = manage(
        "shell", "--no-imports", "-c", script, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="x.test"
    )
    assert production.returncode == 0, production.stderr
    # __Host- cookies must be Secure, for path /, and without a Domain, or browsers drop them.
    assert production.stdout.split() == ["__Host-sessionid", "__Host-csrftoken", "True", "None", "None", "/"]

    development = manage("shell", "--no-imports", "-c", script)
    assert development.stdout.split()[:2] == ["sessionid", "csrftoken"]  # plain http cannot set __Host- cookies
