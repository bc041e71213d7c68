"""The desk's ticket list in a real browser: a header clicked twice turns the order round, the page size and
compact rows are chosen in place, and the address keeps all of it for a reload."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, CustomerFactory, OrganizationFactory
from tests.tickets.factories import QueueFactory, TicketFactory

pytestmark = [pytest.mark.e2e]

SUBJECTS = [f"Printer {letter} jams" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"] + ["Scanner is slow",
                                                                                  "VPN drops at noon"]


@pytest.fixture
def queue_of_tickets(transactional_db):
    organization = OrganizationFactory(name="Acme", email_domain="acme.example")
    customer = CustomerFactory(email="alice@acme.example", name="Alice Anderson", organization=organization)
    agent = AgentFactory(email="agent1@example.com", name="Alex Agent")
    queue = QueueFactory(name="Technical", slug="technical")
    queue.members.add(agent)
    for subject in SUBJECTS:
        TicketFactory(subject=subject, requester=customer, queue=queue)


def subjects(page):
    return page.locator(".ticket-subject").all_inner_texts()


def test_an_agent_sorts_by_subject_both_ways_and_picks_a_page_size(live_server, page_at, queue_of_tickets,
                                                                    screenshot):
    base = live_server.url
    page = page_at(width=1366, height=900)
    sign_in(page, base, "agent1@example.com")
    page.goto(f"{base}/desk/tickets/")
    expect(page.get_by_text("1–28 of 28")).to_be_visible()

    subject_header = page.locator("th.col-ticket-head")
    page.get_by_role("link", name="Subject", exact=True).click()
    expect(page).to_have_url(f"{base}/desk/tickets/?sort=subject")
    expect(subject_header).to_have_attribute("aria-sort", "ascending")
    assert subjects(page)[:2] == ["Printer A jams", "Printer B jams"]
    screenshot(page, "desk-list-sorted-subject-ascending-1366")

    page.get_by_role("link", name="Subject", exact=True).click()  # the same header, a second time
    expect(page).to_have_url(f"{base}/desk/tickets/?sort=-subject")
    expect(subject_header).to_have_attribute("aria-sort", "descending")
    assert subjects(page)[:2] == ["VPN drops at noon", "Scanner is slow"]

    page.get_by_role("link", name="25 tickets per page").click()
    expect(page).to_have_url(f"{base}/desk/tickets/?sort=-subject&per_page=25")
    expect(page.get_by_text("1–25 of 28")).to_be_visible()
    assert len(subjects(page)) == 25

    page.get_by_role("link", name="Next").click()
    expect(page).to_have_url(f"{base}/desk/tickets/?sort=-subject&per_page=25&page=2")
    assert subjects(page) == ["Printer C jams", "Printer B jams", "Printer A jams"]

    page.get_by_role("link", name="Compact rows").click()
    expect(page.locator("table.ticket-table.is-compact")).to_be_visible()
    expect(page).to_have_url(f"{base}/desk/tickets/?sort=-subject&per_page=25&density=compact")
    screenshot(page, "desk-list-compact-25-1366")

    # A filter changed afterwards keeps the order, size and density the agent chose.
    page.locator("label[for=id_status_4]").click()  # the "Resolved" toggle
    expect(page).to_have_url(f"{base}/desk/tickets/?sort=-subject&per_page=25&density=compact"
                             f"&status=new&status=open&status=pending&status=on_hold&status=resolved")
    expect(subject_header).to_have_attribute("aria-sort", "descending")
    assert subjects(page)[0] == "VPN drops at noon"

    page.reload()
    expect(page.locator("table.ticket-table.is-compact")).to_be_visible()
    assert subjects(page)[0] == "VPN drops at noon"
