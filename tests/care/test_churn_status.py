"""Churning and reactivating an organisation from the desk, and what a churned organisation still may do."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from care.models import ChurnReason
from helpdesk.accounts.models import Organization, OrganizationStatusChange
from helpdesk.accounts.services import organization_create, organization_set_status
from tests.tickets.factories import TicketFactory

TODAY = timezone.localdate()


def status_url(organization, **query):
    url = reverse("care:organization-status", args=[organization.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def globex(agent_y):
    """A standard organisation created through the service, so its history starts with "active"."""
    return organization_create(name="Globex", email_domain="globex.example", account_manager=agent_y,
                               customer_since=TODAY - timedelta(days=500))


@pytest.fixture
def price():
    return ChurnReason.objects.get(name="Price")


def churn_data(churn_reason, **overrides):
    return {"action": "churn", "reason": churn_reason.pk, "note": "Found a cheaper tool.",
            "effective_on": (TODAY - timedelta(days=3)).isoformat(), **overrides}


@pytest.mark.django_db
def test_only_managers_may_use_the_page(client, globex, agent, agent_y, customer_b, price):
    for person in (agent, agent_y, customer_b):
        client.force_login(person)
        assert client.get(status_url(globex)).status_code == 403
        assert client.post(status_url(globex), churn_data(price)).status_code == 403
    client.logout()
    assert client.get(status_url(globex)).url.startswith(reverse("accounts:login"))
    globex.refresh_from_db()
    assert globex.status == Organization.Status.ACTIVE and globex.status_changes.count() == 1


@pytest.mark.django_db
def test_an_unknown_organisation_is_404(client, manager):
    client.force_login(manager)
    assert client.get(reverse("care:organization-status", args=[987654])).status_code == 404


@pytest.mark.django_db
def test_the_page_shows_the_form_with_active_reasons_and_the_history(client, manager, globex):
    ChurnReason.objects.filter(name="Other").update(is_active=False)
    client.force_login(manager)
    response = client.get(status_url(globex))
    body = response.content.decode()
    assert "Mark as churned" in body and "Status history" in body and "became a customer" in body
    assert "Moved to a competitor" in body and ">Other<" not in body
    assert response.context["form"]["effective_on"].value() == TODAY


@pytest.mark.django_db
def test_a_manager_marks_an_organisation_churned_then_reactivates_it(client, manager, globex, price):
    client.force_login(manager)
    response = client.post(status_url(globex), churn_data(price))
    assert response.status_code == 302 and response.url == status_url(globex)
    globex.refresh_from_db()
    assert (globex.status, globex.churned_at, globex.churn_reason) == (
        Organization.Status.CHURNED, TODAY - timedelta(days=3), "Price")
    change = globex.status_changes.order_by("recorded_at", "pk").last()
    assert (change.from_status, change.to_status, change.reason, change.note, change.changed_by) == (
        "active", "churned", "Price", "Found a cheaper tool.", manager)

    body = client.get(status_url(globex)).content.decode()
    assert "Reactivate" in body and "Found a cheaper tool." in body and 'name="reason"' not in body
    response = client.post(status_url(globex), {"action": "reactivate", "note": "New contract signed",
                                                "effective_on": TODAY.isoformat()})
    assert response.status_code == 302
    globex.refresh_from_db()
    assert globex.status == Organization.Status.ACTIVE and globex.churned_at is None and not globex.churn_reason
    assert list(globex.status_changes.order_by("recorded_at", "pk").values_list("to_status", "effective_on")) == [
        ("active", globex.customer_since), ("churned", TODAY - timedelta(days=3)), ("active", TODAY)]


@pytest.mark.parametrize("overrides, error", [
    ({"reason": ""}, "Choose why the organisation left."),
    ({"effective_on": (TODAY + timedelta(days=1)).isoformat()}, "cannot be in the future"),
    ({"effective_on": "not a date"}, "Enter a valid date."),
    ({"effective_on": (TODAY - timedelta(days=900)).isoformat()}, "The last status change took effect on"),
])
@pytest.mark.django_db
def test_bad_input_is_shown_on_the_form_and_nothing_saved(client, manager, globex, price, overrides, error):
    client.force_login(manager)
    response = client.post(status_url(globex), churn_data(price, **overrides))
    assert response.status_code == 200 and error in response.content.decode()
    globex.refresh_from_db()
    assert globex.status == Organization.Status.ACTIVE and globex.status_changes.count() == 1


@pytest.mark.django_db
def test_an_inactive_reason_cannot_be_chosen(client, manager, globex, price):
    price.is_active = False
    price.save()
    client.force_login(manager)
    response = client.post(status_url(globex), churn_data(price))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert globex.status_changes.count() == 1


@pytest.mark.django_db
def test_a_stale_form_is_refused_with_a_message(client, manager, globex, price):
    """Two managers had the page open: the second "churn" finds it churned already."""
    client.force_login(manager)
    client.post(status_url(globex), churn_data(price))
    response = client.post(status_url(globex), {"action": "churn", "effective_on": TODAY.isoformat()})
    assert response.status_code == 200 and "already has the status" in response.content.decode()
    assert globex.status_changes.count() == 2


@pytest.mark.django_db
def test_success_goes_back_to_next_when_it_is_a_page_of_this_site(client, manager, globex, price):
    client.force_login(manager)
    back = "/reports/customers/7/"
    assert f'value="{back}"' in client.get(status_url(globex, next=back)).content.decode()
    assert client.post(status_url(globex), churn_data(price, next=back)).url == back
    response = client.post(status_url(globex), {"action": "reactivate", "effective_on": TODAY.isoformat(),
                                                "next": "//evil.example/x"})
    assert response.url == status_url(globex)


@pytest.mark.django_db
def test_the_history_is_kept_by_the_service(manager, globex):
    organization_set_status(organization=globex, status="churned", by=manager, reason="Price",
                            effective_on=TODAY - timedelta(days=30))
    organization_set_status(organization=globex, status="active", by=manager)
    assert OrganizationStatusChange.objects.filter(organization=globex).count() == 3


# ---------------------------------------------------------------- a churned organisation's people


@pytest.mark.django_db
def test_churned_customers_still_sign_in_and_see_their_history(client, customer_b, manager, password, queue_x):
    old = TicketFactory(requester=customer_b, queue=queue_x, subject="Invoice export broken")
    organization_set_status(organization=customer_b.organization, status="churned", by=manager, reason="Price")
    response = client.post(reverse("accounts:login"), {"username": customer_b.email, "password": password},
                           follow=True)
    assert response.redirect_chain and response.wsgi_request.user == customer_b
    assert old.subject in client.get(reverse("tickets:portal-list")).content.decode()
    assert client.get(reverse("tickets:portal-detail", args=[old.reference])).status_code == 200


@pytest.mark.django_db
def test_desk_ticket_lists_and_the_side_panel_show_churned(client, agent, customer_b, manager, queue_x):
    ticket = TicketFactory(requester=customer_b, queue=queue_x)
    client.force_login(agent)
    badge = '<span class="badge text-bg-secondary">Churned</span>'
    assert badge not in client.get(reverse("tickets:desk-list")).content.decode()
    organization_set_status(organization=customer_b.organization, status="churned", by=manager,
                            reason="Support experience")
    assert badge in client.get(reverse("tickets:desk-list")).content.decode()
    side = client.get(reverse("tickets:desk-detail", args=[ticket.reference])).content.decode()
    assert ">Churned</span>" in side and "Support experience" in side
