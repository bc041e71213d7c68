"""Someone whose verification e-mail got lost asks for a new one; the page never tells who has an account."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from helpdesk.accounts.models import User

RESEND = reverse("accounts:verification-resend")
SAME_ANSWER = "belongs to an account that is waiting to be verified, a new link is on its way"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def resend(client, django_capture_on_commit_callbacks):
    def post(email, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(RESEND, {"email": email}, **extra)

    return post


@pytest.fixture
def waiting(client, django_capture_on_commit_callbacks):
    """A sign-up whose first e-mail never arrived."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:signup"), {
            "name": "Dana Doe", "email": "dana@acme.example", "password1": "purple-otter-river-77",
            "password2": "purple-otter-river-77", "timezone": "UTC",
        })
    mail.outbox.clear()
    return User.objects.get(email="dana@acme.example")


def _page(response):
    """The page as the visitor reads it, without the parts that differ on every request."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    page = re.sub(r"\"X-CSRFToken\": \"[^\"]*\"", "", page)
    return re.sub(r'nonce="[^"]*"', "", page)


def _link(message):
    return re.search(r"(/accounts/verify/[^/\s]+/[^/\s]+/)", message.body).group(1)


@pytest.mark.django_db
def test_the_page_is_linked_from_sign_in_check_your_inbox_and_a_dead_link(client, waiting):
    assert RESEND in client.get(reverse("accounts:login")).content.decode()
    assert RESEND in client.get(reverse("accounts:signup-done")).content.decode()
    dead = client.get(reverse("accounts:verify-email", args=["MQ", "not-a-token"]))
    assert dead.status_code == 400 and RESEND in dead.content.decode()


@pytest.mark.django_db
def test_a_waiting_sign_up_gets_a_new_link_that_activates_the_account(client, waiting, resend):
    response = resend("Dana@ACME.example")

    assert response.status_code == 200
    assert SAME_ANSWER in response.content.decode()
    assert [message.to for message in mail.outbox] == [["dana@acme.example"]]
    client.post(_link(mail.outbox[0]))
    waiting.refresh_from_db()
    assert waiting.is_active and waiting.email_verified_at is not None


@pytest.mark.django_db
def test_an_unknown_address_gets_the_same_answer_and_nothing_is_sent(waiting, resend):
    known = resend("dana@acme.example")
    mail.outbox.clear()
    unknown = resend("nobody@acme.example")

    assert unknown.status_code == known.status_code == 200
    assert _page(unknown).replace("nobody@acme.example", "dana@acme.example") == _page(known)
    assert SAME_ANSWER in _page(unknown)
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_already_verified_account_is_sent_nothing(customer_a, resend):
    response = resend(customer_a.email)

    assert SAME_ANSWER in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
@override_settings(VERIFICATION_RESEND_LIMITS={"address": 2, "ip": 10})
def test_one_address_is_limited_whether_or_not_it_has_an_account(waiting, resend):
    for email in ("dana@acme.example", "nobody@acme.example"):
        mail.outbox.clear()
        assert SAME_ANSWER in resend(email).content.decode()
        assert SAME_ANSWER in resend(email).content.decode()
        refused = resend(email)
        assert refused.status_code == 429
        assert "Too many requests" in refused.content.decode()
        assert len(mail.outbox) == (2 if email == "dana@acme.example" else 0)


@pytest.mark.django_db
@override_settings(VERIFICATION_RESEND_LIMITS={"address": 5, "ip": 3})
def test_one_ip_is_limited_across_addresses(waiting, resend):
    for number in range(3):
        assert resend(f"someone{number}@acme.example").status_code == 200
    assert resend("dana@acme.example").status_code == 429
    assert mail.outbox == []
    assert resend("dana@acme.example", REMOTE_ADDR="198.51.100.7").status_code == 200
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_address_that_is_not_one_is_explained(resend):
    response = resend("not-an-address")

    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert mail.outbox == []
