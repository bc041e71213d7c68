"""Privilege boundaries in Django admin: a manager runs the desk's people, but cannot make anyone (themselves
included) a manager or an admin, cannot set a password, and cannot touch a manager's or an admin's account,
whatever they post."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from helpdesk.accounts.admin import ADMIN_ONLY_FIELDS
from helpdesk.accounts.models import User
from helpdesk.accounts.roles import Role, is_agent, is_manager, role_names
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_manager(db):
    return ManagerFactory(email="mona@helpdesk.example", name="Mona Manager")


def change_url(user):
    return reverse("admin:accounts_user_change", args=[user.pk])


def change_data(user, **overrides):
    """The change form as the page would post it, plus whatever a hostile manager adds."""
    data = {
        "email": user.email, "name": user.name, "locale": user.locale, "timezone": user.timezone,
        "organization": user.organization_id or "", "roles": sorted(role_names(user)),
        "is_active": "on" if user.is_active else "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def reload(user):
    fresh = User.objects.get(pk=user.pk)
    fresh._role_names = None
    return fresh


# ---------------------------------------------------------------------------------------------- the form


def test_a_manager_sees_no_superuser_permission_or_password_fields(client, manager, customer_a):
    client.force_login(manager)
    response = client.get(change_url(customer_a))
    assert response.status_code == 200
    form = response.context["adminform"].form
    for name in ADMIN_ONLY_FIELDS:
        # The password summary is a disabled field the form always declares; it is not shown.
        assert name not in form.fields or form.fields[name].disabled, name
    offered = [value for value, _label in form.fields["roles"].choices]
    assert offered == [Role.CUSTOMER, Role.AGENT]
    page = response.content.decode()
    assert "password/" not in page and "Superuser status" not in page


def test_an_admin_still_sees_every_field(client, admin_user, customer_a):
    client.force_login(admin_user)
    form = client.get(change_url(customer_a)).context["adminform"].form
    assert {"is_superuser", "user_permissions", "password"} <= set(form.fields)
    assert Role.MANAGER in [value for value, _label in form.fields["roles"].choices]


def test_a_manager_who_posts_superuser_and_permissions_changes_neither(client, manager, customer_a):
    permission = Permission.objects.get(codename="delete_user")
    client.force_login(manager)
    response = client.post(change_url(customer_a), change_data(
        customer_a, name="Alice A.", is_superuser="on", is_staff="on", user_permissions=[permission.pk],
        groups=[1, 2, 3]))
    assert response.status_code == 302  # the fields a manager may change were saved
    alice = reload(customer_a)
    assert alice.name == "Alice A."
    assert not alice.is_superuser and not alice.is_staff
    assert not alice.user_permissions.exists()
    assert role_names(alice) == {Role.CUSTOMER}


def test_a_manager_cannot_grant_the_manager_role(client, manager, customer_a):
    client.force_login(manager)
    response = client.post(change_url(customer_a), change_data(customer_a, roles=[Role.MANAGER]))
    assert response.status_code == 200
    assert "roles" in response.context["adminform"].form.errors
    alice = reload(customer_a)
    assert not is_manager(alice) and not alice.is_staff


def test_a_manager_may_make_a_customer_an_agent(client, manager, customer_a):
    client.force_login(manager)
    response = client.post(change_url(customer_a), change_data(customer_a, roles=[Role.AGENT]))
    assert response.status_code == 302
    assert is_agent(reload(customer_a)) and not reload(customer_a).is_staff


def test_a_manager_cannot_create_a_manager(client, manager):
    client.force_login(manager)
    response = client.post(reverse("admin:accounts_user_add"), {
        "email": "eve@helpdesk.example", "name": "Eve", "password1": "Long-enough-pass-42",
        "password2": "Long-enough-pass-42", "usable_password": "true", "roles": [Role.MANAGER]})
    assert response.status_code == 403  # managers do not add accounts in the admin at all
    assert not User.objects.filter(email="eve@helpdesk.example").exists()


# ---------------------------------------------------------------------------------------------- whose account


@pytest.mark.parametrize("target_name", ["admin_user", "other_manager", "manager"])
def test_a_manager_cannot_change_an_admin_another_manager_or_themselves(client, request, manager, target_name):
    target = request.getfixturevalue(target_name)
    client.force_login(manager)
    page = client.get(change_url(target))
    assert page.status_code == 200  # they may look
    assert "Save" not in page.content.decode() or not page.context["has_change_permission"]
    response = client.post(change_url(target), change_data(target, name="Taken over", is_active="",
                                                           roles=[Role.CUSTOMER]))
    assert response.status_code == 403
    fresh = reload(target)
    assert fresh.name != "Taken over" and fresh.is_active
    assert role_names(fresh) == role_names(target)


@pytest.mark.parametrize("target_name", ["admin_user", "other_manager", "customer_a", "agent", "manager"])
def test_only_an_admin_may_set_a_password(client, request, manager, admin_user, target_name):
    target = request.getfixturevalue(target_name)
    url = reverse("admin:auth_user_password_change", args=[target.pk])
    before = reload(target).password
    client.force_login(manager)
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "Owned-by-manager-1", "password2": "Owned-by-manager-1",
                                 "usable_password": "true"})
    assert response.status_code == 403
    assert reload(target).password == before
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_the_roles_offered_to_an_admin_are_not_narrowed_by_a_managers_visit(client, manager, admin_user, customer_a):
    client.force_login(manager)
    client.get(change_url(customer_a))
    client.force_login(admin_user)
    form = client.get(change_url(customer_a)).context["adminform"].form
    assert Role.MANAGER in [value for value, _label in form.fields["roles"].choices]


# ---------------------------------------------------------------------------------------------- every admin


@pytest.mark.parametrize("persona", ["manager", "agent", "customer_a"])
def test_no_admin_page_lets_anyone_but_an_admin_edit_privileges(request, persona, admin_user):
    """Every registered admin, as each persona: no form they may use holds a privilege field."""
    user = request.getfixturevalue(persona)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        rf = RequestFactory().get("/admin/")
        rf.user = user
        if not model_admin.has_module_permission(rf) and persona != "manager":
            continue
        may_change = model_admin.has_change_permission(rf) or model_admin.has_add_permission(rf)
        if persona != "manager":
            assert not may_change, f"{persona} may change {model.__name__}"
            continue
        if model._meta.label_lower in ("auth.group", "auth.permission"):
            assert not may_change, f"a manager may change {model.__name__}"
        if not may_change:
            continue
        fields = {name for _name, options in model_admin.get_fieldsets(rf, None) for name in options["fields"]}
        assert not fields & {"is_superuser", "user_permissions", "groups", "permissions"}, model.__name__
        checked += 1
    if persona == "manager":
        assert checked >= 5  # managers really change some models
