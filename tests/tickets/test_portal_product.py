"""The product on a new portal request: the organisation's registered products, or free text."""

import pytest
from django.urls import reverse

from tests.aftersales.factories import ProductFactory, PurchaseFactory
from tests.tickets.test_portal import create_data
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(customer_a, customer_a2, customer_b):
    """Acme registered a router (by Alice) and a NAS (by Bob); Globex registered a camera."""
    router = ProductFactory(name="Router X200", sku="RX200")
    nas = ProductFactory(name="NAS 4-bay", sku="NAS4")
    camera = ProductFactory(name="Camera C9", sku="CAM9")
    PurchaseFactory(customer=customer_a, product=router)
    PurchaseFactory(customer=customer_a2, product=nas)
    PurchaseFactory(customer=customer_b, product=camera)
    return {"router": router, "nas": nas, "camera": camera}


def offered(client):
    form = client.get(reverse("tickets:portal-create")).context["form"]
    if "registered_product" not in form.fields:
        return None
    return [label for value, label in form.fields["registered_product"].choices if value]


def test_the_form_offers_the_organisations_registered_products_only(client, customer_a, customer_a2, registered):
    client.force_login(customer_a)
    assert offered(client) == ["NAS 4-bay", "Router X200"]
    client.force_login(customer_a2)
    assert offered(client) == ["NAS 4-bay", "Router X200"], "a colleague's registered product is offered too"
    page = client.get(reverse("tickets:portal-create")).content.decode()
    assert "Camera C9" not in page
    assert "Version, or another product" in page


def test_choosing_a_registered_product_records_its_name_and_the_version(client, customer_a, queue_x, registered):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"), create_data(
        queue_x, registered_product=registered["router"].pk, product="firmware 2.1"))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert ticket.product == "Router X200 · firmware 2.1"
    assert "Router X200 · firmware 2.1" in client.get(ticket.get_portal_url()).content.decode()


def test_a_registered_product_alone_records_its_name(client, customer_a, queue_x, registered):
    client.force_login(customer_a)
    client.post(reverse("tickets:portal-create"),
                create_data(queue_x, registered_product=registered["nas"].pk, product=""))
    assert Ticket.objects.get().product == "NAS 4-bay"


def test_free_text_stays_possible_beside_the_list(client, customer_a, queue_x, registered):
    client.force_login(customer_a)
    client.post(reverse("tickets:portal-create"),
                create_data(queue_x, registered_product="", product="Ledger Pro 4.2"))
    assert Ticket.objects.get().product == "Ledger Pro 4.2"


def test_another_organisations_product_posted_by_hand_is_refused(client, customer_a, queue_x, registered):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"),
                           create_data(queue_x, registered_product=registered["camera"].pk))
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert response.context["form"].errors["registered_product"] == [
        "Choose one of your organisation's registered products, or leave the list empty and write the "
        "product's name below."]
    page = response.content.decode()
    assert "Your request was not sent yet." in page
    assert "Camera C9" not in page


def test_a_made_up_product_id_is_refused(client, customer_a, queue_x, registered):
    client.force_login(customer_a)
    response = client.post(reverse("tickets:portal-create"), create_data(queue_x, registered_product="999999"))
    assert "registered_product" in response.context["form"].errors
    assert not Ticket.objects.exists()


def test_without_registered_products_the_product_is_written_by_hand(client, customer_b, queue_x):
    client.force_login(customer_b)
    assert offered(client) is None
    client.post(reverse("tickets:portal-create"), create_data(queue_x, product="Camera C9"))
    assert Ticket.objects.get().product == "Camera C9"


def test_a_customer_without_organisation_is_offered_their_own_purchases(client, queue_x):
    from tests.factories import CustomerFactory

    loner = CustomerFactory(email="solo@example.net", organization=None)
    other = CustomerFactory(email="other@example.net", organization=None)
    PurchaseFactory(customer=loner, product=ProductFactory(name="Kiosk K1", sku="K1"))
    PurchaseFactory(customer=other, product=ProductFactory(name="Kiosk K2", sku="K2"))
    client.force_login(loner)
    assert offered(client) == ["Kiosk K1"]
