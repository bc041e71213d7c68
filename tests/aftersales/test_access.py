"""Who sees what: another customer's purchases, requests, log entries and files answer 404, on every URL."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aftersales import services
from aftersales.models import ServiceFile
from tests.aftersales.conftest import PDF, PNG
from tests.aftersales.factories import PurchaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(customer_a, product, manager, agent):
    """Alice's purchase (with a proof), a request with a photo, a public and an internal log entry with files."""
    purchase = services.purchase_register(customer=customer_a, product=product, serial_number="SG2-A1",
                                          purchase_date=PurchaseFactory.build().purchase_date,
                                          proof=SimpleUploadedFile("invoice.pdf", PDF))
    request = services.service_request_submit(purchase=purchase, requester=customer_a, kind="repair",
                                              description="Dead.", files=[SimpleUploadedFile("photo.png", PNG)],
                                              notify=False)
    request = services.service_request_start_review(service_request=request, actor=manager)
    public = services.service_request_add_log(service_request=request, author=agent, text="Unit received.",
                                              files=[SimpleUploadedFile("receipt.txt", b"received")])
    internal = services.service_request_add_log(service_request=request, author=agent, internal=True,
                                                text="Supplier case SUP-77, known fan fault.",
                                                files=[SimpleUploadedFile("supplier.txt", b"internal only")])
    return {
        "purchase": purchase, "request": request,
        "photo": ServiceFile.objects.get(original_name="photo.png"),
        "public_file": ServiceFile.objects.get(log=public), "internal_file": ServiceFile.objects.get(log=internal),
    }


def customer_urls(world):
    purchase, request = world["purchase"], world["request"]
    return [
        ("get", reverse("aftersales:portal-product", args=[purchase.pk])),
        ("get", reverse("aftersales:portal-create", args=[purchase.pk])),
        ("post", reverse("aftersales:portal-create", args=[purchase.pk])),
        ("get", reverse("aftersales:proof", args=[purchase.pk])),
        ("get", reverse("aftersales:portal-detail", args=[request.reference])),
        ("post", reverse("aftersales:portal-quote-accept", args=[request.reference])),
        ("post", reverse("aftersales:portal-quote-decline", args=[request.reference])),
        ("get", reverse("aftersales:file", args=[world["photo"].pk])),
        ("get", reverse("aftersales:file", args=[world["public_file"].pk])),
        ("get", reverse("aftersales:file", args=[world["internal_file"].pk])),
    ]


def test_another_customer_gets_404_on_every_url(client, world, customer_b):
    client.force_login(customer_b)
    for method, url in customer_urls(world):
        data = {"kind": "repair", "description": "mine now"} if method == "post" else None
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
    assert world["request"].__class__.objects.count() == 1


def test_another_customer_sees_nothing_in_the_lists(client, world, customer_b):
    client.force_login(customer_b)
    products = client.get(reverse("aftersales:portal-products"))
    requests = client.get(reverse("aftersales:portal-list"))
    assert list(products.context["page"].object_list) == [] and list(requests.context["page"].object_list) == []
    assert "SG2-A1" not in products.content.decode() + requests.content.decode()


def test_the_owner_gets_their_files_but_never_the_internal_one(client, world, customer_a):
    client.force_login(customer_a)
    for key in ("photo", "public_file"):
        response = client.get(reverse("aftersales:file", args=[world[key].pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert client.get(reverse("aftersales:file", args=[world["internal_file"].pk])).status_code == 404
    proof = client.get(reverse("aftersales:proof", args=[world["purchase"].pk]))
    assert proof.status_code == 200 and b"".join(proof.streaming_content) == PDF


def test_files_are_stored_under_random_names(world):
    assert "photo" not in world["photo"].file.name and "invoice" not in world["purchase"].proof.name


def test_internal_log_entries_are_never_on_the_customer_page(client, world, customer_a):
    client.force_login(customer_a)
    body = client.get(reverse("aftersales:portal-detail", args=[world["request"].reference])).content.decode()
    assert "Unit received." in body and "receipt.txt" in body
    assert "SUP-77" not in body and "supplier.txt" not in body and "Internal" not in body


def test_the_agent_sees_internal_entries_and_their_files(client, world, agent):
    client.force_login(agent)
    body = client.get(reverse("aftersales:desk-detail", args=[world["request"].reference])).content.decode()
    assert "SUP-77" in body and "supplier.txt" in body
    assert client.get(reverse("aftersales:file", args=[world["internal_file"].pk])).status_code == 200


def test_a_colleague_who_is_not_primary_contact_gets_404(client, world, customer_a2):
    client.force_login(customer_a2)
    for method, url in customer_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"


def test_the_primary_contact_sees_the_organisations_products_and_requests(client, customer_a, customer_a2, product):
    purchase = PurchaseFactory(customer=customer_a2, product=product, serial_number="BOB-1")
    request = services.service_request_submit(purchase=purchase, requester=customer_a2, kind="repair",
                                              description="Bob's unit.", notify=False)
    client.force_login(customer_a)
    assert purchase in client.get(reverse("aftersales:portal-products")).context["page"].object_list
    assert request in client.get(reverse("aftersales:portal-list")).context["page"].object_list
    detail = client.get(reverse("aftersales:portal-detail", args=[request.reference]))
    assert detail.status_code == 200 and "Asked by Bob A" in detail.content.decode()
    assert client.get(reverse("aftersales:portal-product", args=[purchase.pk])).status_code == 200


def test_customers_cannot_open_the_desk(client, world, customer_a):
    client.force_login(customer_a)
    reference = world["request"].reference
    assert client.get(reverse("aftersales:desk-list")).status_code == 403
    assert client.get(reverse("aftersales:desk-detail", args=[reference])).status_code == 403
    assert client.post(reverse("aftersales:desk-close", args=[reference]), {"version": 1}).status_code == 403


def test_agents_are_sent_from_the_portal_to_the_desk(client, world, agent):
    client.force_login(agent)
    response = client.get(reverse("aftersales:portal-detail", args=[world["request"].reference]))
    assert response.status_code == 302
    assert response["Location"] == reverse("aftersales:desk-detail", args=[world["request"].reference])


def test_anonymous_visitors_are_asked_to_sign_in(client, world):
    for _method, url in customer_urls(world)[:5]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("reference", ["AS-999999", "nonsense", "AS-", "HD-000001"])
def test_unknown_references_answer_404(client, customer_a, reference):
    client.force_login(customer_a)
    assert client.get(f"/portal/service/{reference}/").status_code == 404
