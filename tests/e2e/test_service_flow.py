"""After-sales in a real browser: register a purchase, ask for a repair, approve, complete, see the timeline."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftersales.models import Product
from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, CustomerFactory, ManagerFactory, OrganizationFactory

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def people(transactional_db):
    organization = OrganizationFactory(name="Acme", email_domain="acme.example")
    Product.objects.create(name="Edge Gateway G2", sku="EG-G2", warranty_months=24, refund_window_days=30)
    return {
        "customer": CustomerFactory(email="alice@acme.example", name="Alice Anderson", organization=organization),
        "manager": ManagerFactory(email="manager@example.com", name="Morgan Manager"),
        "technician": AgentFactory(email="agent1@example.com", name="Alex Agent"),
    }


def test_customer_registers_asks_for_repair_and_follows_it_to_completion(live_server, people, page_at, screenshot):
    base = live_server.url
    bought = (timezone.localdate() - timedelta(days=200)).isoformat()

    customer = page_at(width=390, height=844)
    sign_in(customer, base, "alice@acme.example")
    customer.goto(f"{base}/portal/products/register/")
    product = customer.get_by_label("Product")
    option = product.locator("option", has_text="Edge Gateway G2").get_attribute("value")
    product.select_option(option)
    customer.get_by_label("Serial number").fill("eg2-0042-x")
    customer.get_by_label("Purchase date").fill(bought)
    customer.get_by_role("button", name="Register").click()
    customer.wait_for_load_state("networkidle")
    expect(customer.get_by_text("EG2-0042-X").first).to_be_visible()
    screenshot(customer, "service-1-customer-registered")

    customer.get_by_role("link", name="Request service").first.click()
    customer.locator("input[name=kind][value=repair]").check(force=True)
    customer.get_by_label("Describe the problem").fill("The power LED blinks red and the device reboots every hour.")
    customer.get_by_role("button", name="Send request").click()
    customer.wait_for_load_state("networkidle")
    reference = re.search(r"/portal/service/(AS-\d+)/", customer.url).group(1)
    expect(customer.get_by_text("What happens next").first).to_be_visible()
    screenshot(customer, "service-2-customer-requested")

    manager = page_at(width=1440, height=900)
    sign_in(manager, base, "manager@example.com")
    manager.goto(f"{base}/desk/service/{reference}/")
    expect(manager.get_by_text("The power LED blinks red")).to_be_visible()
    manager.get_by_role("button", name="Start review").click()
    manager.wait_for_load_state("networkidle")
    manager.get_by_role("button", name="Approve", exact=True).click()
    manager.wait_for_load_state("networkidle")
    manager.get_by_role("button", name="Start service").click()
    manager.wait_for_load_state("networkidle")
    manager.get_by_label("Work done").fill("Replaced the power supply board and ran a 2-hour burn-in test.")
    manager.get_by_label("Parts replaced").fill("PSU board rev C")
    manager.get_by_role("button", name="Complete with this report").click()
    manager.wait_for_load_state("networkidle")
    expect(manager.locator("body")).to_contain_text("Completed")
    screenshot(manager, "service-3-desk-completed")

    customer.goto(f"{base}/portal/service/{reference}/")
    timeline = customer.locator("section[aria-labelledby=timeline-title]")
    expect(timeline).to_contain_text("Replaced the power supply board")
    expect(timeline).to_contain_text("Approved")
    screenshot(customer, "service-4-customer-timeline")
