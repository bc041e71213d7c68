import pytest
from django.urls import reverse

from tests.factories import CustomerFactory

LOGIN = reverse("accounts:login")


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_email_and_password_sign_in_lands_on_the_role_home(client, customer_a, password):
    response = sign_in(client, "Alice@ACME.example", password)  # addresses are case-insensitive

    assert response.status_code == 302
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal-home")
    assert response.context["user"] == customer_a


@pytest.mark.django_db
def test_agent_lands_on_the_desk(client, agent, password):
    response = client.get(sign_in(client, agent.email, password).url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("desk-home")


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, customer_a):
    response = sign_in(client, customer_a.email, "not-the-password")

    assert response.status_code == 200
    assert "do not match" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unverified_account_is_told_to_verify(client, password):
    CustomerFactory(email="new@example.com", is_active=False)
    response = sign_in(client, "new@example.com", password)
    assert "not active yet" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_five_failures_lock_the_address_and_ip_out(client, customer_a, password):
    for _attempt in range(5):
        sign_in(client, customer_a.email, "wrong")

    response = sign_in(client, customer_a.email, password)  # even the right password is refused now

    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_four_failures_do_not_lock_and_success_resets_the_count(client, customer_a, password):
    for _attempt in range(4):
        sign_in(client, customer_a.email, "wrong")
    assert sign_in(client, customer_a.email, password).status_code == 302
    client.post(reverse("accounts:logout"))
    for _attempt in range(4):
        sign_in(client, customer_a.email, "wrong")
    assert sign_in(client, customer_a.email, password).status_code == 302


@pytest.mark.django_db
def test_lockout_is_per_address_and_ip(client, customer_a, customer_b, password):
    for _attempt in range(5):
        sign_in(client, customer_a.email, "wrong", ip="10.0.0.1")

    assert sign_in(client, customer_a.email, password, ip="10.0.0.2").status_code == 302
    client.post(reverse("accounts:logout"))
    assert sign_in(client, customer_b.email, password, ip="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_logout_only_by_post(client, customer_a):
    client.force_login(customer_a)

    assert client.get(reverse("accounts:logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_signed_in_user_visiting_login_goes_home(client, customer_a):
    client.force_login(customer_a)
    assert client.get(LOGIN).status_code == 302
