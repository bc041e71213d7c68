"""A forged agent e-mail in a real browser: it waits in the desk's suspended list, never on the ticket, until an
agent of the queue recovers it."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, CustomerFactory, OrganizationFactory
from tests.tickets.factories import QueueFactory
from tests.tickets.test_inbound import load
from tickets import services
from tickets.channels import email as email_channel

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def forged(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INBOUND_TRUSTED_AUTHSERV_IDS = ["mx.helpdesk.localhost"]
    organization = OrganizationFactory(name="Acme", email_domain="acme.example")
    customer = CustomerFactory(email="alice@acme.example", name="Alice Anderson", organization=organization,
                               is_primary_contact=True)
    agent = AgentFactory(email="agent1@example.com", name="Alex Agent")
    queue = QueueFactory(name="Technical", slug="technical")
    queue.members.add(agent)
    ticket = services.ticket_create(requester=customer, subject="Cannot log in", description="Error 500",
                                    queue=queue)
    record = email_channel.process_message(load("forged_agent.eml", REFERENCE=ticket.reference))
    return {"ticket": ticket, "record": record}


def test_an_agent_finds_the_forged_mail_in_the_suspended_list_and_deletes_it(live_server, page_at, forged,
                                                                             screenshot):
    base = live_server.url
    page = page_at(width=1366, height=900)
    sign_in(page, base, "agent1@example.com")

    page.get_by_role("link", name="Suspended").click()
    expect(page.get_by_role("heading", name="Suspended messages")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="agent1@example.com")
    expect(row).to_contain_text("not verified")
    screenshot(page, "desk-suspended-list")

    row.get_by_role("link").click()
    expect(page.get_by_text("Please confirm your password")).to_be_visible()
    expect(page.get_by_text("dmarc=fail").first).to_be_visible()
    screenshot(page, "desk-suspended-detail")

    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text("was deleted")).to_be_visible()
    expect(page.get_by_text("Nothing is suspended")).to_be_visible()

    page.goto(f"{base}{forged['ticket'].get_absolute_url()}")
    expect(page.get_by_text("Please confirm your password")).to_have_count(0)
