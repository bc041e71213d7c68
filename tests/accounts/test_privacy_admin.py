"""The two data-protection actions in the user admin: for admins only, one customer at a time, logged."""

import json
import zipfile
from io import BytesIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils.timezone import localdate

from helpdesk.accounts.models import PrivacyRequest
from tests.accounts.privacy_world import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world_a(customer_a, agent, queue_x):
    return build(customer_a, tag="ALICE-SECRET", agent=agent, queue=queue_x)

CHANGELIST = reverse("admin:accounts_user_changelist")


def run_action(client, action, *users, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [user.pk for user in users], **extra}
    return client.post(CHANGELIST, data)


def messages_of(response):
    return [str(message) for message in response.wsgi_request._messages]


def test_admin_sees_both_actions_and_a_manager_neither(client, admin_user, manager, customer_a):
    client.force_login(admin_user)
    page = client.get(CHANGELIST).content.decode()
    assert 'value="export_customer_data"' in page and 'value="forget_customer"' in page

    client.force_login(manager)
    response = client.get(CHANGELIST)
    assert response.status_code == 200  # managers may manage users…
    page = response.content.decode()
    assert "export_customer_data" not in page and "forget_customer" not in page  # …but not these


def test_admin_downloads_the_zip_of_one_customer(client, admin_user, world_a):
    client.force_login(admin_user)
    alice = world_a.customer

    response = run_action(client, "export_customer_data", alice)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="customer-{alice.pk}-data-{localdate():%Y-%m-%d}.zip"')
    data = json.loads(zipfile.ZipFile(BytesIO(response.content)).read("data.json"))
    assert data["profile"]["email"] == "alice@acme.example"
    assert len(data["tickets"]) == 2
    log = PrivacyRequest.objects.get()
    assert (log.action, log.performed_by, log.subject) == ("export", admin_user, alice)


def test_export_wants_exactly_one_customer(client, admin_user, customer_a, customer_b):
    client.force_login(admin_user)

    response = run_action(client, "export_customer_data", customer_a, customer_b)

    assert response.status_code == 302
    assert "Select exactly one customer for this action." in messages_of(response)
    assert not PrivacyRequest.objects.exists()


@pytest.mark.parametrize("action", ["export_customer_data", "forget_customer"])
def test_a_manager_cannot_run_them(client, manager, customer_a, action):
    client.force_login(manager)

    response = run_action(client, action, customer_a, post="yes", confirm="yes")

    # Without any action of their own, the changelist just shows again: no file, no change.
    assert response.status_code in (200, 302)
    assert response["Content-Type"].startswith("text/html")
    assert not PrivacyRequest.objects.exists()
    customer_a.refresh_from_db()
    assert customer_a.email == "alice@acme.example"


def test_forget_asks_for_confirmation_first(client, admin_user, world_a):
    client.force_login(admin_user)
    alice = world_a.customer

    response = run_action(client, "forget_customer", alice)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Forget this customer" in page
    assert f"user #{alice.pk}" in page and "alice@acme.example" in page
    effects = {item["label"]: item["count"] for item in response.context["effects"]}
    assert effects["Tickets they opened"] == 2
    assert effects["Purchases"] == 1
    assert effects["Service requests"] == 1
    assert effects["Survey invitations"] == 2
    assert effects["Product feedback"] == 1
    assert response.context["file_count"] == 6
    assert 'name="confirm"' in page
    alice.refresh_from_db()
    assert alice.is_active and not PrivacyRequest.objects.exists()


def test_forget_without_the_tick_changes_nothing(client, admin_user, world_a):
    client.force_login(admin_user)

    response = run_action(client, "forget_customer", world_a.customer, post="yes")

    assert response.status_code == 200
    assert "Tick the box to confirm" in response.content.decode()
    world_a.customer.refresh_from_db()
    assert world_a.customer.name == "Alice A"
    assert not PrivacyRequest.objects.exists()


def test_confirmed_forget_anonymises_and_logs(client, admin_user, world_a, django_capture_on_commit_callbacks):
    client.force_login(admin_user)
    alice = world_a.customer

    with django_capture_on_commit_callbacks(execute=True):
        response = run_action(client, "forget_customer", alice, post="yes", confirm="yes")

    assert response.status_code == 302
    assert f"user #{alice.pk} has been forgotten. The privacy log lists what was changed." in messages_of(response)
    alice.refresh_from_db()
    assert alice.email == f"forgotten-{alice.pk}@invalid.example" and alice.name == ""
    log = PrivacyRequest.objects.get()
    assert (log.action, log.performed_by) == ("forget", admin_user)

    again = run_action(client, "forget_customer", alice)
    assert again.status_code == 302
    assert f"user #{alice.pk} has already been forgotten." in messages_of(again)


def test_forgetting_a_staff_account_is_refused(client, admin_user, agent):
    client.force_login(admin_user)

    response = run_action(client, "forget_customer", agent, post="yes", confirm="yes")

    assert response.status_code == 302
    assert any("staff account" in message for message in messages_of(response))
    agent.refresh_from_db()
    assert agent.email == "agent1@example.com" and agent.is_active
    assert not PrivacyRequest.objects.exists()


def test_the_privacy_log_is_read_only_for_admins(client, admin_user, manager, world_a):
    from helpdesk.accounts.privacy import customer_export

    customer_export(user=world_a.customer, by=admin_user)
    log = PrivacyRequest.objects.get()
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:accounts_privacyrequest_changelist"))
    assert changelist.status_code == 200
    assert f"user #{world_a.customer.pk}" in changelist.content.decode()
    assert client.get(reverse("admin:accounts_privacyrequest_add")).status_code == 403
    assert client.post(reverse("admin:accounts_privacyrequest_delete", args=[log.pk])).status_code == 403

    client.force_login(manager)
    assert client.get(reverse("admin:accounts_privacyrequest_changelist")).status_code == 403


@pytest.mark.parametrize("action", ["export_customer_data", "forget_customer"])
def test_the_actions_check_the_role_themselves(rf, manager, customer_a, action):
    # Even called directly (another admin class reusing them), a manager gets a 403, not the data.
    from django.contrib import admin
    from django.core.exceptions import PermissionDenied

    from helpdesk.accounts import privacy_admin
    from helpdesk.accounts.models import User

    request = rf.post(CHANGELIST)
    request.user = manager
    with pytest.raises(PermissionDenied):
        getattr(privacy_admin, action)(admin.site._registry[User], request, User.objects.filter(pk=customer_a.pk))
