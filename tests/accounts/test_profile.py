import pytest
from django.urls import reverse
from django.utils import translation

PROFILE = reverse("accounts:profile")


@pytest.mark.django_db
def test_profile_saves_name_language_and_time_zone(client, customer_a):
    client.force_login(customer_a)
    response = client.post(PROFILE, {"name": "Alice Anders", "locale": "zh-hans", "timezone": "Asia/Shanghai"})

    assert response.status_code == 302
    customer_a.refresh_from_db()
    assert (customer_a.name, customer_a.locale, customer_a.timezone) == ("Alice Anders", "zh-hans", "Asia/Shanghai")
    # The next page is in the chosen language.
    page = client.get(PROFILE)
    assert page.context["LANGUAGE_CODE"] == "zh-hans"
    translation.activate("en")


@pytest.mark.django_db
def test_bad_time_zone_is_refused_with_a_message(client, customer_a):
    client.force_login(customer_a)
    response = client.post(PROFILE, {"name": "X", "locale": "en", "timezone": "Nowhere/Atlantis"})
    assert response.status_code == 200
    assert "valid choice" in " ".join(response.context["form"].errors["timezone"])
    customer_a.refresh_from_db()
    assert customer_a.name == "Alice A", "nothing is saved half-way"


@pytest.mark.django_db
def test_password_change_needs_the_old_password(client, customer_a, password):
    client.force_login(customer_a)
    url = reverse("accounts:password-change")
    new = {"new_password1": "fresh-sea-breeze-9", "new_password2": "fresh-sea-breeze-9"}
    wrong = client.post(url, {"old_password": "nope", **new})
    assert wrong.status_code == 200 and wrong.context["form"].errors["old_password"]
    right = client.post(url, {"old_password": password, **new})
    assert right.status_code == 302
    customer_a.refresh_from_db()
    assert customer_a.check_password("fresh-sea-breeze-9")


@pytest.mark.django_db
def test_language_switcher_remembers_the_choice_of_a_signed_in_user(client, customer_a):
    client.force_login(customer_a)
    response = client.post(reverse("set-language"), {"language": "zh-hans", "next": "/portal/"})
    assert response.status_code == 302 and response.url == "/portal/"
    customer_a.refresh_from_db()
    assert customer_a.locale == "zh-hans"
    assert client.get(reverse("set-language")).status_code == 405
    translation.activate("en")


@pytest.mark.django_db
def test_language_switcher_ignores_unknown_languages_and_foreign_redirects(client, customer_a):
    client.force_login(customer_a)
    response = client.post(reverse("set-language"), {"language": "xx", "next": "https://evil.example/"})
    assert response.url == "/"
    customer_a.refresh_from_db()
    assert customer_a.locale == "en"


@pytest.mark.django_db
def test_anonymous_visitor_can_switch_language(client):
    client.post(reverse("set-language"), {"language": "zh-hans", "next": "/"})
    assert client.get("/").context["LANGUAGE_CODE"] == "zh-hans"
    translation.activate("en")
