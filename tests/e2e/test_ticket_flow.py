"""A whole support conversation in a real browser: submit, reply, note, reply back, resolve."""

import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from helpdesk.accounts.models import Organization
from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, CustomerFactory, OrganizationFactory
from tests.tickets.factories import QueueFactory

pytestmark = [pytest.mark.e2e]


def tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def people(transactional_db):
    organization = OrganizationFactory(name="Acme", email_domain="acme.example", tier=Organization.Tier.VIP)
    customer = CustomerFactory(email="alice@acme.example", name="Alice Anderson", organization=organization)
    agent = AgentFactory(email="agent1@example.com", name="Alex Agent")
    queue = QueueFactory(name="Technical", slug="technical", is_public=True)
    queue.members.add(agent)
    return {"customer": customer, "agent": agent}


def test_customer_and_agent_work_a_ticket_to_resolution(live_server, people, page_at, screenshot, tmp_path):
    base = live_server.url
    screenshot_file = tmp_path / "error-screen.png"
    screenshot_file.write_bytes(tiny_png())

    # The customer submits a ticket with a screenshot.
    customer = page_at(width=390, height=844)
    sign_in(customer, base, "alice@acme.example")
    customer.goto(f"{base}/portal/tickets/new/")
    customer.get_by_label("Subject").fill("Export to CSV fails")
    customer.get_by_label("Description").fill("Clicking Export gives error 500 since this morning.")
    customer.get_by_label("Category").select_option(label="Technical")
    customer.locator("input[type=file]").set_input_files(str(screenshot_file))
    screenshot(customer, "flow-1-customer-submits")
    customer.get_by_role("button", name="Send request").click()
    customer.wait_for_load_state("networkidle")
    reference = re.search(r"/portal/tickets/(HD-\d+)/", customer.url).group(1)
    expect(customer.get_by_text("What happens next")).to_be_visible()
    expect(customer.get_by_role("link", name="error-screen.png")).to_be_visible()
    screenshot(customer, "flow-2-customer-sees-next-steps")

    # The agent replies publicly, then writes an internal note.
    agent = page_at(width=1440, height=900)
    sign_in(agent, base, "agent1@example.com")
    agent.goto(f"{base}/desk/tickets/{reference}/")
    expect(agent.get_by_role("link", name="error-screen.png")).to_be_visible()
    agent.locator("#id_body").fill("Thanks Alice, we found the cause and deployed a fix. Please try again.")
    agent.get_by_role("button", name="Send", exact=True).click()
    agent.wait_for_load_state("networkidle")
    expect(agent.get_by_text("we found the cause and deployed a fix")).to_be_visible()
    agent.locator("label", has_text="Internal note").first.click()
    agent.locator("#id_body").fill("Root cause: the export worker ran out of memory on large accounts.")
    agent.get_by_role("button", name="Send", exact=True).click()
    agent.wait_for_load_state("networkidle")
    expect(agent.get_by_text("Root cause: the export worker")).to_be_visible()
    screenshot(agent, "flow-3-agent-replied-and-noted")

    # The customer sees the reply but never the note, and answers.
    customer.goto(f"{base}/portal/tickets/{reference}/")
    expect(customer.get_by_text("we found the cause and deployed a fix")).to_be_visible()
    assert "Root cause" not in customer.content()
    customer.get_by_label("Your reply").fill("Works now, thank you!")
    customer.get_by_role("button", name="Send reply").click()
    customer.wait_for_load_state("networkidle")
    expect(customer.get_by_text("Works now, thank you!")).to_be_visible()
    screenshot(customer, "flow-4-customer-answers")

    # The agent resolves with a summary.
    agent.goto(f"{base}/desk/tickets/{reference}/")
    expect(agent.get_by_text("Works now, thank you!")).to_be_visible()
    agent.locator("label", has_text="Public reply").first.click()
    agent.locator("#id_body").fill("Great, closing this one.")
    agent.get_by_role("button", name="Send and resolve").click()
    summary = agent.locator("#id_resolution_summary")
    expect(summary).to_be_visible()
    summary.fill("Export worker memory raised; large exports stream now.")
    agent.get_by_role("button", name="Send and resolve").click()
    agent.wait_for_load_state("networkidle")
    expect(agent.locator(".badge-status").first).to_have_text("Resolved")
    screenshot(agent, "flow-5-agent-resolved")

    customer.goto(f"{base}/portal/tickets/{reference}/")
    expect(customer.locator(".badge-status").first).to_have_text("Resolved")
    expect(customer.get_by_text("Export worker memory raised")).to_be_visible()
    assert "Root cause" not in customer.content()
    screenshot(customer, "flow-6-customer-sees-resolution")
