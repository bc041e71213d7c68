from datetime import date

import pytest

from helpdesk.accounts.models import Organization, OrganizationStatusChange, User
from helpdesk.accounts.services import AccountError, organization_create, organization_set_status


@pytest.mark.django_db
def test_churn_and_reactivation_are_kept_in_the_history(manager):
    acme = organization_create(name="Acme", email_domain="acme.example", customer_since=date(2024, 1, 1))
    organization_set_status(
        organization=acme, status="churned", by=manager, reason="Price", note="Moved to a competitor",
        effective_on=date(2026, 3, 31),
    )
    acme.refresh_from_db()
    assert acme.is_churned and acme.churned_at == date(2026, 3, 31) and acme.churn_reason == "Price"

    organization_set_status(organization=acme, status="active", by=manager, effective_on=date(2026, 6, 1))
    acme.refresh_from_db()
    assert acme.status == "active" and acme.churned_at is None and acme.churn_reason == ""

    history = list(acme.status_changes.values_list("from_status", "to_status", "effective_on", "reason"))
    assert history == [
        ("", "active", date(2024, 1, 1), ""),
        ("active", "churned", date(2026, 3, 31), "Price"),
        ("churned", "active", date(2026, 6, 1), ""),
    ]
    assert acme.status_changes.get(to_status="churned").changed_by == manager


@pytest.mark.django_db
def test_churn_needs_a_reason_and_a_real_change(manager):
    acme = organization_create(name="Acme")
    with pytest.raises(AccountError, match="Give a reason"):
        organization_set_status(organization=acme, status="churned", by=manager, reason="  ")
    with pytest.raises(AccountError, match="already has the status"):
        organization_set_status(organization=acme, status="active", by=manager)
    assert acme.status_changes.count() == 1


@pytest.mark.django_db
def test_organisation_email_domains_are_unique_regardless_of_case():
    from django.core.exceptions import ValidationError

    organization_create(name="Acme", email_domain="acme.example")
    with pytest.raises(ValidationError):
        organization_create(name="Acme Two", email_domain="ACME.example")


@pytest.mark.django_db
def test_primary_contact_needs_an_organisation():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        User.objects.create_user(email="lonely@example.com", password="x", is_primary_contact=True)


@pytest.mark.django_db
def test_admin_status_change_goes_into_the_history(client, admin_user, org_a):
    organization_create(name="Initech")
    initech = Organization.objects.get(name="Initech")
    client.force_login(admin_user)
    url = f"/admin/accounts/organization/{initech.pk}/change/"
    form = {
        "name": "Initech", "email_domain": "", "tier": "standard", "account_manager": "",
        "customer_since": "2025-01-01", "status": "churned", "churn_reason": "", "status_note": "",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    }
    refused = client.post(url, form)
    assert refused.status_code == 200
    assert "Give a reason" in refused.content.decode()
    initech.refresh_from_db()
    assert initech.status == "active"

    response = client.post(url, {**form, "churn_reason": "Budget cut", "status_note": "Call again in Q3"})
    assert response.status_code == 302, response.content.decode()[:2000]
    initech.refresh_from_db()
    assert initech.is_churned and initech.churned_at is not None
    change = OrganizationStatusChange.objects.get(organization=initech, to_status="churned")
    assert (change.reason, change.note, change.changed_by) == ("Budget cut", "Call again in Q3", admin_user)


@pytest.mark.django_db
def test_admin_creates_organisations_with_history(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/accounts/organization/add/", {
        "name": "Umbrella", "email_domain": "Umbrella.example", "tier": "vip", "account_manager": "",
        "customer_since": "2025-05-05", "status": "active", "churn_reason": "", "status_note": "",
        "members-TOTAL_FORMS": "0", "members-INITIAL_FORMS": "0",
        "status_changes-TOTAL_FORMS": "0", "status_changes-INITIAL_FORMS": "0",
    })
    assert response.status_code == 302
    umbrella = Organization.objects.get(name="Umbrella")
    assert umbrella.email_domain == "umbrella.example"
    assert umbrella.status_changes.count() == 1


@pytest.mark.django_db
def test_admin_edits_roles(client, admin_user, customer_a):
    from helpdesk.accounts.roles import is_agent, is_customer

    client.force_login(admin_user)
    page = client.get(f"/admin/accounts/user/{customer_a.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"roles": ["agent"], "organization": "", "is_primary_contact": "", "user_permissions": []})
    data = {k: v for k, v in data.items() if v not in (False,)}
    response = client.post(f"/admin/accounts/user/{customer_a.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    customer_a = User.objects.get(pk=customer_a.pk)
    assert is_agent(customer_a) and not is_customer(customer_a)
    assert not customer_a.is_staff
