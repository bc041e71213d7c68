import re

import pytest
from django.core import mail
from django.urls import reverse

from helpdesk.accounts.models import User
from helpdesk.accounts.roles import is_customer
from helpdesk.mail.models import OutboundEmail

SIGNUP = reverse("accounts:signup")


def signup_data(**overrides):
    data = {
        "name": "Dana Doe",
        "email": "dana@acme.example",
        "password1": "purple-otter-river-77",
        "password2": "purple-otter-river-77",
        "timezone": "Asia/Shanghai",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signup(client, django_capture_on_commit_callbacks):
    """Post the sign-up form and deliver the e-mails it queues."""

    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, signup_data(**overrides))

    return post


def verification_path():
    return re.search(r"(/accounts/verify/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body).group(1)


@pytest.mark.django_db
def test_signup_creates_an_inactive_customer_and_sends_a_link(client, org_a, signup):
    response = signup()

    assert response.status_code == 302
    assert response.url == reverse("accounts:signup-done")
    user = User.objects.get(email="dana@acme.example")
    assert not user.is_active
    assert user.organization is None, "an unverified address joins no organisation"
    assert is_customer(user)
    assert user.timezone == "Asia/Shanghai"
    assert mail.outbox[-1].to == ["dana@acme.example"]
    # Not usable before the address is verified.
    signin = client.post(reverse("accounts:login"), {"username": user.email, "password": "purple-otter-river-77"})
    assert "_auth_user_id" not in client.session
    assert "not active yet" in signin.content.decode()


@pytest.mark.django_db
def test_following_the_link_alone_verifies_nothing(client, org_a, signup):
    signup()
    page = client.get(verification_path())

    assert page.status_code == 200
    assert "Verify my address" in page.content.decode()
    assert not User.objects.get(email="dana@acme.example").is_active


@pytest.mark.django_db
def test_verification_activates_and_joins_the_organisation_by_domain(client, org_a, signup):
    signup()
    response = client.post(verification_path(), follow=True)

    user = User.objects.get(email="dana@acme.example")
    assert user.is_active and user.email_verified_at is not None
    assert user.organization == org_a
    assert not user.is_primary_contact
    assert response.redirect_chain[-1][0] == reverse("portal-home")
    assert response.context["user"] == user
    assert "joined Acme" in response.content.decode()


@pytest.mark.django_db
def test_an_address_at_an_unknown_domain_joins_no_organisation(client, org_a, signup):
    signup(email="erin@elsewhere.example")
    client.post(verification_path())
    user = User.objects.get(email="erin@elsewhere.example")
    assert user.is_active
    assert user.organization is None


@pytest.mark.django_db
def test_a_used_or_forged_link_is_refused(client, org_a, signup):
    signup()
    path = verification_path()
    client.post(path)
    client.post(reverse("accounts:logout"))

    again = client.post(path, follow=True)
    assert again.redirect_chain[-1][0] == reverse("accounts:login")  # already verified

    signup(email="frank@acme.example")
    forged = client.post(verification_path().rsplit("/", 2)[0] + "/not-a-token/")
    assert forged.status_code == 400
    assert "invalid or has expired" in forged.content.decode()
    assert not User.objects.get(email="frank@acme.example").is_active


@pytest.mark.django_db
def test_signing_up_with_a_known_address_changes_nothing_and_tells_the_owner(client, customer_a, signup):
    before = User.objects.count()
    response = signup(email="ALICE@acme.example")

    assert response.url == reverse("accounts:signup-done")  # the same answer as for a new address
    assert User.objects.count() == before
    customer_a.refresh_from_db()
    assert customer_a.name == "Alice A" and customer_a.check_password("correct-horse-battery")
    assert OutboundEmail.objects.get(to=customer_a.email).subject.startswith("Your Helpdesk account")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password2": "something-else-entirely"}, "password2", "differ"),
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"name": ""}, "name", "required"),
        ({"timezone": "Mars/Olympus"}, "timezone", "not a time zone we know"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, overrides, field, message, signup):
    response = signup(**overrides)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert not User.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
def test_the_time_zone_is_preset_from_the_browser_with_utc_as_the_fallback(client):
    page = client.get(SIGNUP).content.decode()

    # static/js/signup.js picks the browser's zone; without it the server's default stays selected.
    assert re.search(r'<select[^>]*name="timezone"[^>]*data-browser-timezone="preset"', page) or re.search(
        r'<select[^>]*data-browser-timezone="preset"[^>]*name="timezone"', page
    )
    assert '<option value="UTC" selected>' in page
    assert "/static/js/signup.js" in page
    assert "<script>" not in page, "no inline script: the Content-Security-Policy forbids it"


@pytest.mark.django_db
def test_a_time_zone_posted_by_hand_that_does_not_exist_is_refused_clearly(signup):
    response = signup(timezone="Europe/Atlantis")

    assert response.status_code == 200
    assert response.context["form"].errors["timezone"] == [
        "“Europe/Atlantis” is not a time zone we know. Choose yours from the list."
    ]
    assert not User.objects.exists()
    assert not OutboundEmail.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("posted", [{"timezone": ""}, {}])
def test_a_form_sent_without_a_time_zone_gets_utc(client, django_capture_on_commit_callbacks, posted):
    data = {key: value for key, value in signup_data(**posted).items() if key != "timezone" or posted}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, data)

    assert response.status_code == 302
    assert User.objects.get(email="dana@acme.example").timezone == "UTC"


@pytest.mark.django_db
def test_every_password_problem_is_shown_at_once(signup):
    response = signup(email="dana@acme.example", password1="12345", password2="54321")

    page = response.content.decode()
    password_errors = " ".join(response.context["form"].errors["password1"])
    assert "too short" in password_errors
    assert "too common" in password_errors
    assert "entirely numeric" in password_errors
    assert "differ" in " ".join(response.context["form"].errors["password2"])
    for shown in ("too short", "too common", "entirely numeric", "differ"):
        assert shown in page
    assert not User.objects.exists()
