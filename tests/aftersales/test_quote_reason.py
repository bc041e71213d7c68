"""A quote never changes the eligibility; a paid quote on a product under warranty says why to the customer."""

import pytest
from django.urls import reverse

from aftersales import services
from aftersales.models import ServiceEvent, ServiceRequest
from aftersales.services import ServiceRequestError
from helpdesk.mail.models import OutboundEmail
from tests.aftersales.factories import PurchaseFactory, ServiceRequestFactory

pytestmark = pytest.mark.django_db
Eligibility = ServiceRequest.Eligibility


@pytest.fixture
def in_warranty(customer_a, product):
    """Alice's appliance, bought 60 days ago (two years of warranty), under review."""
    purchase = PurchaseFactory(customer=customer_a, product=product, age_days=60)
    return ServiceRequestFactory(purchase=purchase, status="under_review")


def quote_form(request, **fields):
    return {"version": request.version, "amount": "180.00", "currency": "EUR", "note": "New housing.", **fields}


def test_a_paid_quote_on_a_product_under_warranty_without_a_reason_is_refused(client, manager, in_warranty):
    client.force_login(manager)
    response = client.post(reverse("aftersales:desk-quote", args=[in_warranty.reference]), quote_form(in_warranty))
    assert response.status_code == 400
    assert "under warranty: say why this service is paid" in " ".join(response.context["quote_form"].errors["reason"])
    in_warranty.refresh_from_db()
    assert in_warranty.quote_sent_at is None and in_warranty.eligibility == Eligibility.IN_WARRANTY
    assert not ServiceEvent.objects.filter(service_request=in_warranty).exists()
    with pytest.raises(ServiceRequestError) as refused:
        services.service_request_send_quote(service_request=in_warranty, actor=manager, amount="180", currency="EUR",
                                            reason="   ", notify=False)
    assert refused.value.field == "reason"


def test_a_quote_with_a_reason_keeps_the_warranty_and_the_customer_reads_why(client, manager, customer_a,
                                                                           in_warranty):
    client.force_login(manager)
    response = client.post(reverse("aftersales:desk-quote", args=[in_warranty.reference]),
                           quote_form(in_warranty, reason="The housing was cracked by a fall: not covered."))
    assert response.status_code == 302
    in_warranty.refresh_from_db()
    assert in_warranty.quote_pending and in_warranty.eligibility == Eligibility.IN_WARRANTY
    assert not ServiceEvent.objects.filter(service_request=in_warranty, kind=ServiceEvent.Kind.ELIGIBILITY).exists()

    client.force_login(customer_a)
    page = client.get(in_warranty.get_portal_url()).content.decode()
    assert "The housing was cracked by a fall: not covered." in page
    assert "the warranty does not cover this service" in page
    assert "The warranty of this product has ended" not in page
    assert "Out of warranty (paid)" not in page and "In warranty" in page
    [email] = OutboundEmail.objects.filter(to=customer_a.email)
    assert "cracked by a fall" in email.body_text and "has ended" not in email.body_text


def test_accepting_such_a_quote_lets_the_paid_service_start(manager, agent, customer_a, in_warranty):
    request = services.service_request_send_quote(service_request=in_warranty, actor=manager, amount="180",
                                                  currency="EUR", reason="Not covered.", notify=False)
    assert request.is_paid
    with pytest.raises(ServiceRequestError):
        services.service_request_start(service_request=request, actor=agent, notify=False)
    request = services.service_request_accept_quote(service_request=request, customer=customer_a, notify=False)
    request = services.service_request_start(service_request=request, actor=agent, notify=False)
    assert request.status == ServiceRequest.Status.IN_SERVICE and request.eligibility == Eligibility.IN_WARRANTY


def test_out_of_warranty_needs_no_reason_and_the_page_says_the_warranty_ended(client, manager, customer_a, product):
    purchase = PurchaseFactory(customer=customer_a, product=product, age_days=1000)
    request = ServiceRequestFactory(purchase=purchase, status="under_review", eligibility_assessed="out_of_warranty")
    services.service_request_send_quote(service_request=request, actor=manager, amount="90", currency="EUR",
                                        notify=False)
    client.force_login(customer_a)
    assert "The warranty of this product has ended" in client.get(request.get_portal_url()).content.decode()


def test_a_reason_on_an_out_of_warranty_quote_is_shown_without_claiming_a_warranty(client, manager, customer_a,
                                                                                   product):
    purchase = PurchaseFactory(customer=customer_a, product=product, age_days=1000)
    request = ServiceRequestFactory(purchase=purchase, status="under_review", eligibility_assessed="out_of_warranty")
    services.service_request_send_quote(service_request=request, actor=manager, amount="90", currency="EUR",
                                        reason="Water damage.")
    client.force_login(customer_a)
    page = client.get(request.get_portal_url()).content.decode()
    assert "The warranty of this product has ended" in page and "Water damage." in page
    assert "Your product is under warranty" not in page
    [email] = OutboundEmail.objects.filter(to=customer_a.email)
    assert "has ended" in email.body_text and "Why it is paid: Water damage." in email.body_text
