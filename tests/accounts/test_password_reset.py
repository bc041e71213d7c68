import re

import pytest
from django.core import mail
from django.urls import reverse

from helpdesk.mail.models import OutboundEmail

RESET = reverse("accounts:password-reset")


def without_csrf(html: str) -> str:
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


@pytest.mark.django_db
def test_reset_page_answers_the_same_for_known_and_unknown_addresses(
    client, customer_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(RESET, {"email": customer_a.email}, follow=True)
        unknown = client.post(RESET, {"email": "nobody@nowhere.example"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain == [(reverse("accounts:password-reset-done"), 302)]
    assert without_csrf(known.content.decode()) == without_csrf(unknown.content.decode())
    assert OutboundEmail.objects.filter(to=customer_a.email).count() == 1
    assert OutboundEmail.objects.count() == 1


@pytest.mark.django_db
def test_reset_link_sets_a_new_password(client, customer_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": customer_a.email})
    assert len(mail.outbox) == 1, "the outbox task sends the e-mail once the request commits"
    path = re.search(r"http://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-much-better-secret-42", "new_password2": "a-much-better-secret-42"},
    )

    assert response.status_code == 302
    customer_a.refresh_from_db()
    assert customer_a.check_password("a-much-better-secret-42")
    # The link works once.
    assert client.get(path, follow=True).context["validlink"] is False


@pytest.mark.django_db
def test_reset_email_goes_out_in_the_users_language(client, customer_b, django_capture_on_commit_callbacks):
    customer_b.locale = "zh-hans"
    customer_b.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(RESET, {"email": customer_b.email})
    email = OutboundEmail.objects.get(to=customer_b.email)
    assert email.language == "zh-hans"
