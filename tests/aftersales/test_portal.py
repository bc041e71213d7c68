"""The customer's side: registering purchases, asking for service, following it, answering a quote."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from aftersales import services
from aftersales.models import Purchase, ServiceRequest
from tests.aftersales.conftest import PDF
from tests.aftersales.factories import ProductFactory, PurchaseFactory, ServiceRequestFactory
from tests.tickets.factories import QueueFactory, TicketFactory

pytestmark = pytest.mark.django_db
REGISTER = reverse("aftersales:portal-register")


@pytest.fixture
def alice(client, customer_a):
    client.force_login(customer_a)
    return client


def register(client, product, **fields):
    data = {"product": product.pk, "serial_number": "sg2-7788", "purchase_date": "2026-01-15",
            "order_reference": "SO-1", **fields}
    return client.post(REGISTER, data)


# ---------------------------------------------------------------- registering a purchase


def test_register_a_purchase_and_see_its_warranty(alice, customer_a, product):
    response = register(alice, product, proof=SimpleUploadedFile("invoice.pdf", PDF))
    purchase = Purchase.objects.get()
    assert response.status_code == 302 and response["Location"] == purchase.get_portal_url()
    assert (purchase.customer, purchase.organization, purchase.serial_number) == (customer_a, customer_a.organization,
                                                                                  "SG2-7788")
    assert purchase.proof_name == "invoice.pdf" and purchase.proof_content_type == "application/pdf"
    page = alice.get(reverse("aftersales:portal-products")).content.decode()
    assert "SG2-7788" in page and "In warranty" in page and "days left" in page


def test_a_future_purchase_date_is_refused_next_to_the_field(alice, product):
    tomorrow = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = register(alice, product, purchase_date=tomorrow)
    assert response.status_code == 400
    assert response.context["form"].errors["purchase_date"] == ["The purchase date cannot be in the future."]
    assert not Purchase.objects.exists()


def test_a_duplicate_serial_for_the_product_is_refused_with_a_clear_message(alice, customer_b, product):
    PurchaseFactory(customer=customer_b, product=product, serial_number="SG2-7788")
    response = register(alice, product, serial_number=" sg2-7788 ")
    assert response.status_code == 400
    [error] = response.context["form"].errors["serial_number"]
    assert "SG2-7788" in error and "already registered" in error
    assert "Carol" not in error, "the message does not tell whose it is"
    assert Purchase.objects.count() == 1


def test_the_same_serial_of_another_product_is_fine(alice, customer_b, product):
    PurchaseFactory(customer=customer_b, product=ProductFactory(sku="OTHER"), serial_number="SG2-7788")
    assert register(alice, product).status_code == 302


def test_a_proof_that_is_not_what_it_claims_is_refused(alice, product):
    response = register(alice, product, proof=SimpleUploadedFile("invoice.pdf", b"<script>alert(1)</script>"))
    assert response.status_code == 400 and "proof" in response.context["form"].errors
    assert not Purchase.objects.exists()


def test_inactive_products_are_not_offered(alice, product):
    retired = ProductFactory(sku="OLD-1", name="Retired box", is_active=False)
    assert "Retired box" not in alice.get(REGISTER).content.decode()
    assert register(alice, retired).status_code == 400


def test_serial_numbers_and_names_render_inert(alice, customer_a):
    product = ProductFactory(sku="X-1", name="<script>alert('p')</script>")
    PurchaseFactory(customer=customer_a, product=product, serial_number="<img src=x onerror=alert(1)>")
    body = alice.get(reverse("aftersales:portal-products")).content.decode()
    assert "<script>alert('p')</script>" not in body and "<img src=x" not in body
    assert "&lt;script&gt;" in body


# ---------------------------------------------------------------- asking for service


def test_request_service_then_see_what_happens_next_once(alice, customer_a, purchase_a):
    url = reverse("aftersales:portal-create", args=[purchase_a.pk])
    assert "What happens next" in alice.get(url).content.decode()
    response = alice.post(url, {"kind": "repair", "description": "The fan is loud.\nSince Monday.",
                                "attachments": [SimpleUploadedFile("noise.txt", b"whirr")]})
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request.get_portal_url()
    assert (request.requester, request.purchase, request.status) == (customer_a, purchase_a, "submitted")
    assert request.eligibility == "in_warranty" and request.files.get().original_name == "noise.txt"
    first = alice.get(request.get_portal_url()).content.decode()
    assert "Thank you, we have your service request" in first and request.reference in first
    assert "Since Monday." in first
    assert "Thank you, we have your service request" not in alice.get(request.get_portal_url()).content.decode()


def test_onsite_service_needs_the_address(alice, purchase_a):
    url = reverse("aftersales:portal-create", args=[purchase_a.pk])
    response = alice.post(url, {"kind": "onsite", "description": "Please come."})
    assert response.status_code == 400
    assert response.context["form"].errors["onsite_address"] == ["Give the address where the technician should come."]
    assert not ServiceRequest.objects.exists()
    response = alice.post(url, {"kind": "onsite", "description": "Please come.", "onsite_address": "Rack B14"})
    assert response.status_code == 302 and ServiceRequest.objects.get().onsite_address == "Rack B14"


def test_a_request_without_description_or_kind_saves_nothing(alice, purchase_a):
    response = alice.post(reverse("aftersales:portal-create", args=[purchase_a.pk]), {"description": "  "})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"kind", "description"}
    assert not ServiceRequest.objects.exists()


def test_a_refused_file_is_reported_and_nothing_is_saved(alice, purchase_a):
    response = alice.post(reverse("aftersales:portal-create", args=[purchase_a.pk]), {
        "kind": "repair", "description": "Look.", "attachments": [SimpleUploadedFile("x.exe", b"MZ\x00\x00")]})
    assert response.status_code == 400 and "attachments" in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_the_description_renders_inert(alice, customer_a, purchase_a):
    request = services.service_request_submit(purchase=purchase_a, requester=customer_a, kind="repair",
                                              description='<script>alert(1)</script> <a href="javascript:x">y</a>',
                                              notify=False)
    body = alice.get(request.get_portal_url()).content.decode()
    assert "<script>alert(1)</script>" not in body and 'href="javascript:x"' not in body


# ---------------------------------------------------------------- the quote


@pytest.fixture
def quoted(customer_a, product, manager):
    purchase = PurchaseFactory(customer=customer_a, product=product, age_days=1000)
    request = ServiceRequestFactory(purchase=purchase, status="under_review", eligibility_assessed="out_of_warranty")
    return services.service_request_send_quote(service_request=request, actor=manager, amount="240", currency="EUR",
                                               note="New power supply.", notify=False)


def test_the_customer_sees_the_quote_and_accepts_it(alice, quoted):
    page = alice.get(quoted.get_portal_url()).content.decode()
    assert "Your quote is waiting for your answer" in page and "EUR 240.00" in page and "New power supply." in page
    response = alice.post(reverse("aftersales:portal-quote-accept", args=[quoted.reference]))
    assert response.status_code == 302
    quoted.refresh_from_db()
    assert quoted.status == "approved" and quoted.quote_accepted_at is not None
    assert "Your quote is waiting" not in alice.get(quoted.get_portal_url()).content.decode()


def test_declining_the_quote_in_the_portal_closes_the_request(alice, quoted):
    alice.post(reverse("aftersales:portal-quote-decline", args=[quoted.reference]))
    quoted.refresh_from_db()
    assert quoted.status == "closed" and quoted.quote_declined_at is not None
    page = alice.get(quoted.get_portal_url()).content.decode()
    assert "You declined the quote" in page and "Quote declined" in page


def test_answering_a_quote_is_post_only_and_only_once(alice, quoted):
    url = reverse("aftersales:portal-quote-accept", args=[quoted.reference])
    assert alice.get(url).status_code == 405
    alice.post(url)
    response = alice.post(reverse("aftersales:portal-quote-decline", args=[quoted.reference]), follow=True)
    assert "There is no quote waiting for your answer" in response.content.decode()
    quoted.refresh_from_db()
    assert quoted.status == "approved"


# ---------------------------------------------------------------- lists, home and links


def test_the_list_filters_open_and_finished(alice, customer_a, purchase_a):
    open_request = ServiceRequestFactory(purchase=purchase_a, status="in_service")
    done = ServiceRequestFactory(purchase=purchase_a, status="closed")
    url = reverse("aftersales:portal-list")
    assert set(alice.get(url + "?status=open").context["page"].object_list) == {open_request}
    assert set(alice.get(url + "?status=done").context["page"].object_list) == {done}
    assert alice.get(url).context["counts"] == {"all": 2, "open": 1, "done": 1}


def test_portal_home_shows_products_and_open_requests_and_the_navbar_link(alice, purchase_a):
    request = ServiceRequestFactory(purchase=purchase_a, status="submitted")
    body = alice.get(reverse("portal-home")).content.decode()
    assert "Your products" in body and purchase_a.serial_number in body and request.reference in body
    assert reverse("aftersales:portal-products") in body and "My products" in body


def test_agents_get_no_my_products_link(client, agent):
    client.force_login(agent)
    assert reverse("aftersales:portal-products") not in client.get(reverse("desk-home")).content.decode()


def test_the_portal_ticket_page_links_to_the_service_request(alice, customer_a, purchase_a):
    ticket = TicketFactory(requester=customer_a, queue=QueueFactory(name="Technical"))
    request = ServiceRequestFactory(purchase=purchase_a, ticket=ticket)
    body = alice.get(ticket.get_portal_url()).content.decode()
    assert request.get_portal_url() in body
    assert ticket.get_portal_url() in alice.get(request.get_portal_url()).content.decode()


def test_empty_states_say_what_to_do(client, customer_b):
    client.force_login(customer_b)
    assert "Register a product" in client.get(reverse("aftersales:portal-products")).content.decode()
    assert "Go to My products" in client.get(reverse("aftersales:portal-list")).content.decode()


@pytest.mark.django_db
def test_agents_opening_portal_pages_are_sent_to_the_desk(client, agent, customer_a):
    request = ServiceRequestFactory(purchase=PurchaseFactory(customer=customer_a))
    client.force_login(agent)
    assert client.get("/portal/service/").url == "/desk/service/"
    assert client.get(f"/portal/service/{request.reference}/").url == f"/desk/service/{request.reference}/"
