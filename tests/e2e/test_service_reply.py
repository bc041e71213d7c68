"""After-sales in a real browser: the customer writes on a service request with a photo, and the page shows it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aftersales import services
from aftersales.models import Product, Purchase, warranty_end
from tests.e2e.browser import sign_in
from tests.factories import AgentFactory, CustomerFactory, ManagerFactory, OrganizationFactory

pytestmark = [pytest.mark.e2e]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32


@pytest.fixture
def in_service(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    organization = OrganizationFactory(name="Acme", email_domain="acme.example")
    customer = CustomerFactory(email="alice@acme.example", name="Alice Anderson", organization=organization)
    manager = ManagerFactory(email="manager@example.com", name="Morgan Manager")
    technician = AgentFactory(email="agent1@example.com", name="Alex Agent")
    product = Product.objects.create(name="Edge Gateway G2", sku="EG-G2", warranty_months=24, refund_window_days=30)
    bought = timezone.localdate() - timedelta(days=200)
    purchase = Purchase.objects.create(customer=customer, organization=organization, product=product,
                                       serial_number="EG2-0042-X", purchase_date=bought,
                                       warranty_until=warranty_end(bought, 24))
    request = services.service_request_submit(purchase=purchase, requester=customer, kind="repair",
                                              description="The power LED blinks red.", notify=False)
    request = services.service_request_start_review(service_request=request, actor=manager)
    request = services.service_request_approve(service_request=request, actor=manager, notify=False)
    request = services.service_request_assign(service_request=request, actor=manager, technician=technician)
    request = services.service_request_start(service_request=request, actor=technician, notify=False)
    services.service_request_add_log(service_request=request, author=technician,
                                     text="Could you send a photo of the LED while it blinks?")
    return request


def test_customer_replies_with_a_photo_and_the_team_reads_it(live_server, in_service, page_at, screenshot, tmp_path):
    base = live_server.url
    photo = tmp_path / "led-blinking.png"
    photo.write_bytes(PNG)

    customer = page_at(width=1366, height=900)
    sign_in(customer, base, "alice@acme.example")
    customer.goto(f"{base}{in_service.get_portal_url()}")
    customer.get_by_label("Your message").fill("Here is the photo: it blinks twice, then stays off for a second.")
    customer.get_by_label("Attach files").set_input_files(str(photo))
    customer.get_by_role("button", name="Send message").click()
    customer.wait_for_load_state("networkidle")
    expect(customer.get_by_text("Your message was added")).to_be_visible()
    timeline = customer.locator("section[aria-labelledby=timeline-title]")
    expect(timeline).to_contain_text("Your message")
    expect(timeline).to_contain_text("it blinks twice")
    expect(timeline.get_by_role("link", name="led-blinking.png")).to_be_visible()
    expect(timeline).to_contain_text("Alex · Service team")
    screenshot(customer, "service-reply-1-customer")

    phone = page_at(width=390, height=844)
    sign_in(phone, base, "alice@acme.example")
    phone.goto(f"{base}{in_service.get_portal_url()}")
    expect(phone.get_by_role("heading", name="Write to the service team")).to_be_visible()
    screenshot(phone, "service-reply-2-customer-phone")

    agent = page_at(width=1366, height=900)
    sign_in(agent, base, "agent1@example.com")
    agent.goto(f"{base}{in_service.get_absolute_url()}")
    expect(agent.locator(".as-timeline")).to_contain_text("Message from the customer")
    expect(agent.locator(".as-timeline")).to_contain_text("Alice Anderson · Customer")
    expect(agent.locator(".as-timeline").get_by_role("link", name="led-blinking.png")).to_be_visible()
    screenshot(agent, "service-reply-3-desk")
