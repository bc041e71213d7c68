"""Sign-up and password reset do the same work whether or not the address has an account.

Timing differences come from differing work, so the tests count the work itself: password hashes for
sign-up (hashing is nearly all of a sign-up's time), and queries about accounts for a reset, whose
lookup and e-mail happen after the response.
"""

import pytest
from django.contrib.auth.hashers import get_hasher
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helpdesk.mail.models import OutboundEmail


@pytest.fixture
def hashes(monkeypatch):
    """Counts every password hash computed."""
    counted = []
    hasher_class = type(get_hasher())
    encode = hasher_class.encode

    def counting(self, password, salt, *args, **kwargs):
        counted.append(password)
        return encode(self, password, salt, *args, **kwargs)

    monkeypatch.setattr(hasher_class, "encode", counting)
    return counted


def sign_up(client, email):
    data = {"name": "Dana Doe", "email": email, "password1": "purple-otter-river-77",
            "password2": "purple-otter-river-77", "timezone": "UTC"}
    return client.post(reverse("accounts:signup"), data)


@pytest.mark.django_db
def test_sign_up_hashes_the_password_once_for_a_known_and_an_unknown_address(client, customer_a, hashes):
    known = sign_up(client, customer_a.email)
    assert hashes == ["purple-otter-river-77"]
    hashes.clear()
    unknown = sign_up(client, "dana@newco.example")
    assert hashes == ["purple-otter-river-77"]
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url


@pytest.mark.django_db
def test_sign_up_with_a_known_address_still_changes_nothing(client, customer_a, hashes):
    before = customer_a.password
    sign_up(client, customer_a.email)
    customer_a.refresh_from_db()
    assert customer_a.password == before


@pytest.mark.django_db
def test_the_account_made_by_sign_up_signs_in_with_its_password(client, django_capture_on_commit_callbacks):
    from helpdesk.accounts.models import User

    sign_up(client, "dana@newco.example")
    user = User.objects.get(email="dana@newco.example")
    assert user.check_password("purple-otter-river-77") and not user.is_active


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["alice@acme.example", "nobody@nowhere.example"])
def test_the_reset_request_does_not_look_the_address_up_before_answering(
    client, customer_a, address, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("accounts:password-reset"), {"email": address})
    assert response.status_code == 302
    assert not [q["sql"] for q in queries if "accounts_user" in q["sql"]]
    assert OutboundEmail.objects.count() == 0
    assert len(callbacks) == 1  # the lookup and the e-mail, after the response

    callbacks[0]()
    assert OutboundEmail.objects.count() == (1 if address == customer_a.email else 0)


@pytest.mark.django_db
def test_reset_skips_inactive_accounts_and_accounts_without_a_password(django_capture_on_commit_callbacks):
    from helpdesk.accounts.services import password_reset_send
    from tests.factories import CustomerFactory

    CustomerFactory(email="asleep@example.com", is_active=False)
    no_password = CustomerFactory(email="mailonly@example.com")
    no_password.set_unusable_password()
    no_password.save()
    assert password_reset_send(email="asleep@example.com") == 0
    assert password_reset_send(email="MailOnly@Example.com") == 0
    assert OutboundEmail.objects.count() == 0
