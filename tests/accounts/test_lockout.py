"""Sign-in lock-out counted three ways: address + IP, one IP across addresses, one address across IPs."""

import pytest
from django.urls import reverse

from tests.factories import CustomerFactory

LOGIN = reverse("accounts:login")


def sign_in(client, email, password, ip):
    client.logout()
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def limits(settings):
    settings.LOGIN_FAILURE_LIMITS = {"address_and_ip": 5, "ip": 8, "address": 6}
    settings.AXES_FAILURE_LIMIT = 5
    return settings.LOGIN_FAILURE_LIMITS


@pytest.mark.django_db
def test_one_password_tried_on_many_accounts_from_one_ip_locks_that_ip(client, limits, customer_b, password):
    accounts = [CustomerFactory(email=f"victim{n}@example.com") for n in range(limits["ip"])]
    for account in accounts[:-1]:  # one wrong try each: never five on one address
        assert sign_in(client, account.email, "Summer2026!", ip="10.1.1.1").status_code == 200

    assert sign_in(client, accounts[-1].email, "Summer2026!", ip="10.1.1.1").status_code == 429  # the 8th failure
    locked = sign_in(client, customer_b.email, password, ip="10.1.1.1")  # even a right password, any account
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another network is not affected.
    assert sign_in(client, customer_b.email, password, ip="10.9.9.9").status_code == 302


@pytest.mark.django_db
def test_one_account_attacked_from_many_ips_locks_that_account(client, limits, customer_a, customer_b, password):
    for n in range(limits["address"] - 1):  # one wrong try from each of five networks
        assert sign_in(client, customer_a.email, "wrong", ip=f"10.2.0.{n}").status_code == 200
    assert sign_in(client, customer_a.email, "wrong", ip="10.2.0.9").status_code == 429  # the 6th failure

    assert sign_in(client, customer_a.email, password, ip="10.3.3.3").status_code == 429
    # Other accounts from those networks still sign in.
    assert sign_in(client, customer_b.email, password, ip="10.2.0.1").status_code == 302


@pytest.mark.django_db
def test_below_every_limit_nobody_is_locked(client, limits, customer_a, password):
    for n in range(limits["address"] - 1):
        sign_in(client, customer_a.email, "wrong", ip=f"10.4.0.{n}")
    assert sign_in(client, customer_a.email, password, ip="10.4.0.1").status_code == 302


@pytest.mark.django_db
def test_signing_in_to_ones_own_account_does_not_clear_the_ip_count(client, limits, customer_b, password):
    """An attacker with an account of their own cannot wipe the per-IP count between guesses."""
    targets = [CustomerFactory(email=f"target{n}@example.com") for n in range(limits["ip"])]
    for n, target in enumerate(targets):
        sign_in(client, target.email, "guess", ip="10.5.5.5")
        if n < 4:
            assert sign_in(client, customer_b.email, password, ip="10.5.5.5").status_code == 302

    assert sign_in(client, customer_b.email, password, ip="10.5.5.5").status_code == 429


@pytest.mark.django_db
def test_success_still_clears_its_own_address_and_ip(client, limits, customer_a, password):
    for _attempt in range(4):
        sign_in(client, customer_a.email, "wrong", ip="10.6.6.6")
    assert sign_in(client, customer_a.email, password, ip="10.6.6.6").status_code == 302
    for _attempt in range(4):
        sign_in(client, customer_a.email, "wrong", ip="10.6.6.6")
    assert sign_in(client, customer_a.email, password, ip="10.6.6.6").status_code == 302
