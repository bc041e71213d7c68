"""The portal in a real browser: the landing page's search, open requests first, and the product choice."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.aftersales.factories import ProductFactory, PurchaseFactory
from tests.e2e.browser import sign_in
from tests.factories import CustomerFactory, OrganizationFactory
from tests.tickets.factories import QueueFactory, TicketFactory
from tickets.models import Ticket

pytestmark = [pytest.mark.e2e]
Status = Ticket.Status


@pytest.fixture
def portal_world(transactional_db):
    acme = OrganizationFactory(name="Acme", email_domain="acme.example")
    globex = OrganizationFactory(name="Globex", email_domain="globex.example")
    alice = CustomerFactory(email="alice@acme.example", name="Alice Anderson", organization=acme,
                            is_primary_contact=True)
    carol = CustomerFactory(email="carol@globex.example", name="Carol Chen", organization=globex)
    queue = QueueFactory(name="Technical", slug="technical", is_public=True)
    PurchaseFactory(customer=alice, product=ProductFactory(name="Router X200", sku="RX200"))
    PurchaseFactory(customer=carol, product=ProductFactory(name="Camera C9", sku="CAM9"))
    now = timezone.now()
    for subject, status, hours_ago in [("Invoice PDF is blank", Status.RESOLVED, 1),
                                       ("Old quote question", Status.CLOSED, 2),
                                       ("VPN drops every hour", Status.OPEN, 48),
                                       ("Cannot add a user", Status.NEW, 5)]:
        ticket = TicketFactory(requester=alice, queue=queue, subject=subject, status=status)
        Ticket.objects.filter(pk=ticket.pk).update(updated_at=now - timedelta(hours=hours_ago))
    return alice


@pytest.mark.parametrize("width", [390, 1366])
def test_portal_home_order_and_the_product_choice(live_server, portal_world, page_at, screenshot, width):
    base = live_server.url
    page = page_at(width=width, height=900)

    # Anonymous: "How can we help?" comes with a knowledge-base search.
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="How can we help?")).to_be_visible()
    search = page.get_by_role("searchbox", name="Search the knowledge base")
    expect(search).to_be_visible()
    screenshot(page, f"portal-landing-{width}")
    search.fill("password")
    search.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{base}/kb/search/?q=password")

    # The portal home: open requests first, then the most recent.
    sign_in(page, base, "alice@acme.example")
    page.goto(f"{base}/portal/")
    subjects = page.locator("[aria-labelledby=portal-requests-title] .portal-recent-subject").all_inner_texts()
    assert subjects == ["Cannot add a user", "VPN drops every hour", "Invoice PDF is blank", "Old quote question"]
    screenshot(page, f"portal-home-{width}")

    # A new request offers Acme's registered product, never Globex's.
    page.goto(f"{base}/portal/tickets/new/")
    product = page.get_by_label("Product", exact=True)
    options = product.locator("option").all_inner_texts()
    assert "Router X200" in options and "Camera C9" not in options
    page.get_by_label("Subject").fill("Router reboots at night")
    page.get_by_label("Description").fill("Every night at 03:00 the router restarts and the VPN drops.")
    page.get_by_label("Category").select_option(label="Technical")
    product.select_option(label="Router X200")
    page.get_by_label("Version, or another product").fill("firmware 2.1")
    page.get_by_label("Only me").check()
    page.get_by_label("Now: our work is blocked").check()
    expect(page.get_by_text("blocked work is High")).to_be_visible()
    screenshot(page, f"portal-new-request-{width}")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Thank you, we have your request")).to_be_visible()
    expect(page.locator(".portal-facts")).to_contain_text("Router X200 · firmware 2.1")
    expect(page.locator(".portal-created")).to_contain_text("we gave it High priority")
    screenshot(page, f"portal-request-sent-{width}")
