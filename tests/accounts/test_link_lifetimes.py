"""Reset links live one hour; e-mail verification links have their own, longer, lifetime."""

import re
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from helpdesk.accounts.tokens import email_verification_token
from helpdesk.mail.models import OutboundEmail
from tests.factories import CustomerFactory


class Clock:
    """Token generators read the time through ``_now``; move it forward."""

    def __init__(self, monkeypatch, generator):
        self.now = datetime.now()
        monkeypatch.setattr(generator, "_now", lambda: self.now)

    def forward(self, **delta):
        self.now += timedelta(**delta)


@pytest.mark.django_db
def test_a_reset_link_works_for_an_hour_and_then_not(monkeypatch, customer_a):
    clock = Clock(monkeypatch, default_token_generator)
    token = default_token_generator.make_token(customer_a)
    clock.forward(minutes=59)
    assert default_token_generator.check_token(customer_a, token)
    clock.forward(minutes=2)
    assert not default_token_generator.check_token(customer_a, token)


@pytest.mark.django_db
def test_the_reset_email_and_page_say_one_hour(client, customer_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("accounts:password-reset"), {"email": customer_a.email}, follow=True)
    assert "The link works for 1 hour." in done.content.decode()
    body = OutboundEmail.objects.get(to=customer_a.email).body_text
    assert "expires in 1 hour" in body and "three days" not in body


@pytest.mark.django_db
def test_a_verification_link_outlives_a_reset_link_but_not_a_day(monkeypatch):
    pending = CustomerFactory(email="new@example.com", is_active=False)
    clock = Clock(monkeypatch, email_verification_token)
    token = email_verification_token.make_token(pending)
    clock.forward(hours=23)
    assert email_verification_token.check_token(pending, token)
    clock.forward(hours=2)
    assert not email_verification_token.check_token(pending, token)


@pytest.mark.django_db
def test_a_tampered_verification_link_fails(monkeypatch):
    pending = CustomerFactory(email="new@example.com", is_active=False)
    token = email_verification_token.make_token(pending)
    timestamp, signature = token.split("-")
    assert not email_verification_token.check_token(pending, f"{timestamp}-{signature[::-1]}")
    assert not email_verification_token.check_token(pending, "garbage")
    assert not email_verification_token.check_token(pending, "")


@pytest.mark.django_db
def test_the_sign_up_email_says_how_long_its_link_works(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:signup"),
            {"name": "Nia New", "email": "nia@newco.example", "password1": "a-long-secret-42",
             "password2": "a-long-secret-42", "timezone": "UTC"},
        )
    body = OutboundEmail.objects.get(to="nia@newco.example").body_text
    assert re.search(r"The link works for 1 day\.", body), body
