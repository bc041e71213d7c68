"""Desk keyboard shortcuts and the header search in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, CustomerFactory
from tests.tickets.factories import QueueFactory, TicketFactory

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def desk(transactional_db):
    customer = CustomerFactory(email="alice@acme.example", name="Alice Anderson")
    agent = AgentFactory(email="agent1@example.com", name="Alex Agent")
    queue = QueueFactory(name="Technical", slug="technical")
    queue.members.add(agent)
    return [TicketFactory(subject=f"Printer {letter} jams", requester=customer, queue=queue) for letter in "ABC"]


def test_keys_search_move_open_and_write(live_server, page_at, desk, screenshot):
    base = live_server.url
    page = page_at(width=1366, height=900)
    sign_in(page, base, "agent1@example.com")
    page.goto(f"{base}/desk/tickets/")

    page.keyboard.press("?")
    expect(page.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    screenshot(page, "desk-shortcuts-help")
    page.locator("#shortcuts-help .btn-close").click()
    expect(page.get_by_role("heading", name="Keyboard shortcuts")).to_be_hidden()

    page.keyboard.press("j")
    page.keyboard.press("j")
    highlighted = page.locator("tr.shortcut-row")
    expect(highlighted).to_have_count(1)
    subject = highlighted.locator(".ticket-subject").inner_text()
    page.keyboard.press("k")
    expect(page.locator("tr.shortcut-row .ticket-subject")).not_to_have_text(subject)
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page).to_have_url(re.compile(r"/desk/tickets/HD-\d+/$"))
    expect(page.get_by_text(subject).first).to_be_visible()

    page.keyboard.press("n")
    body = page.locator("#reply textarea[name=body]")
    expect(body).to_be_focused()
    expect(page.locator("#reply input[name=kind][value=note]")).to_be_checked()
    body.type("r stays text")  # typing in the field: no shortcut fires
    expect(body).to_have_value("r stays text")
    expect(page.locator("#reply input[name=kind][value=note]")).to_be_checked()
    body.evaluate("element => element.blur()")
    page.keyboard.press("e")
    expect(page.locator("#prop_status")).to_have_value("resolved")
    ticket_url = page.url
    page.wait_for_timeout(300)
    assert page.url == ticket_url  # chosen, not saved: the agent still presses "Save properties"

    page.evaluate("document.activeElement.blur()")  # e left the focus on the status field
    page.keyboard.press("/")
    expect(page.locator("#desk-search-q")).to_be_focused()
    page.keyboard.type("printer")
    page.keyboard.press("Enter")
    expect(page.locator("#search-tickets .search-result")).to_have_count(3)
    expect(page.locator("#search-tickets mark").first).to_have_text("Printer")
    screenshot(page, "desk-search-results")

    page.keyboard.press("g")
    page.keyboard.press("h")
    expect(page).to_have_url(f"{base}/desk/")
