"""The account manager hears of every new ticket from a VIP organisation or from a churned one."""

import pytest
from django.urls import reverse

from helpdesk.accounts.services import organization_set_status
from helpdesk.mail.models import OutboundEmail
from tests.factories import AgentFactory
from tickets import services
from tickets.channels import email as email_channel
from tickets.models import Ticket

NEW_MAIL = b"""From: "Alice A" <alice@acme.example>
To: support@support.example
Subject: VPN drops every ten minutes
Date: Mon, 23 Nov 2026 10:01:00 +0100
Message-ID: <vip-notice-0001@mail.acme.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii

The VPN client disconnects every ten minutes.
"""


def notices(manager):
    return OutboundEmail.objects.filter(to=manager.email)


@pytest.fixture
def account_manager(db):
    return AgentFactory(email="keyaccounts@example.com", name="Kim Keyaccount")


@pytest.fixture
def vip(org_a, account_manager):
    org_a.account_manager = account_manager
    org_a.save()
    return org_a


@pytest.fixture
def standard(org_b, account_manager):
    org_b.account_manager = account_manager
    org_b.save()
    return org_b


@pytest.mark.django_db
def test_a_portal_ticket_from_a_vip_organisation(client, vip, customer_a, queue_x, account_manager):
    client.force_login(customer_a)
    client.post(reverse("tickets:portal-create"), {
        "subject": "Export stops at 1,000 rows", "description": "It stops.", "category": queue_x.pk,
        "product": "", "impact": "low", "urgency": "low"})
    ticket = Ticket.objects.get()
    notice = notices(account_manager).get()
    assert notice.subject == f"[{ticket.reference}] New VIP ticket from Acme: Export stops at 1,000 rows"
    assert "Alice A of the VIP organisation Acme opened a ticket." in notice.body_text
    assert ticket.get_absolute_url() in notice.body_text
    assert OutboundEmail.objects.filter(to=customer_a.email).count() == 1, "the customer's acknowledgement too"


@pytest.mark.django_db
def test_an_emailed_ticket_from_a_vip_organisation(settings, vip, customer_a, queue_x, account_manager):
    settings.INBOUND_DEFAULT_QUEUE = queue_x.slug
    record = email_channel.process_message(NEW_MAIL)
    assert record.ticket.channel == Ticket.Channel.EMAIL
    email_channel.process_message(NEW_MAIL)  # the same message fetched twice makes no second ticket or notice
    assert Ticket.objects.count() == 1
    assert "New VIP ticket from Acme" in notices(account_manager).get().subject


@pytest.mark.django_db
def test_a_phone_ticket_opened_by_another_agent(client, vip, customer_a, queue_x, agent, account_manager):
    client.force_login(agent)
    response = client.post(reverse("tickets:desk-create"), {
        "customer_email": customer_a.email, "queue": queue_x.pk, "priority": "high",
        "subject": "Phone: printer jammed", "description": "Called at 10:02."})
    assert response.status_code == 302
    assert Ticket.objects.get().channel == Ticket.Channel.PHONE
    assert notices(account_manager).count() == 1


@pytest.mark.django_db
def test_not_when_the_account_manager_opened_it_themselves(vip, customer_a, queue_x, account_manager):
    queue_x.members.add(account_manager)
    services.ticket_create(requester=customer_a, subject="Called me", description="x", queue=queue_x,
                           channel=Ticket.Channel.PHONE, created_by=account_manager)
    assert not notices(account_manager).exists()


@pytest.mark.django_db
def test_nothing_for_a_standard_active_organisation(standard, customer_b, queue_x, account_manager):
    services.ticket_create(requester=customer_b, subject="Question", description="x", queue=queue_x)
    assert not notices(account_manager).exists()


@pytest.mark.django_db
def test_a_ticket_from_a_churned_organisation_is_flagged(standard, customer_b, queue_x, account_manager, manager):
    organization_set_status(organization=standard, status="churned", by=manager, reason="Moved to a competitor")
    ticket = services.ticket_create(requester=customer_b, subject="Data export", description="Need our data",
                                    queue=queue_x)
    notice = notices(account_manager).get()
    assert notice.subject == f"[{ticket.reference}] New ticket from churned organisation Globex: Data export"
    assert "marked as churned on" in notice.body_text and "Moved to a competitor" in notice.body_text


@pytest.mark.django_db
def test_a_churned_vip_gets_one_notice_saying_both(vip, customer_a, queue_x, account_manager, manager):
    organization_set_status(organization=vip, status="churned", by=manager, reason="Price")
    services.ticket_create(requester=customer_a, subject="Hello again", description="x", queue=queue_x)
    assert "churned VIP organisation Acme" in notices(account_manager).get().subject


@pytest.mark.django_db
def test_no_notice_without_an_account_manager_or_when_not_notifying(org_a, customer_a, queue_x, account_manager):
    services.ticket_create(requester=customer_a, subject="No manager", description="x", queue=queue_x)
    org_a.account_manager = account_manager
    org_a.save()
    customer_a.refresh_from_db()
    services.ticket_create(requester=customer_a, subject="Imported", description="x", queue=queue_x, notify=False)
    assert not notices(account_manager).exists()


@pytest.mark.django_db
def test_in_the_account_managers_language(vip, customer_a, queue_x, account_manager):
    account_manager.locale = "zh-hans"
    account_manager.save()
    services.ticket_create(requester=customer_a, subject="Hello", description="x", queue=queue_x)
    assert notices(account_manager).get().language == "zh-hans"
