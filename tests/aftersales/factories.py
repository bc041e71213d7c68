from datetime import date, timedelta

import factory
from django.utils import timezone

from aftersales.models import Product, Purchase, ServiceRequest, warranty_end
from tests.factories import CustomerFactory


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product
        django_get_or_create = ["sku"]

    name = factory.Sequence(lambda n: f"Appliance {n}")
    sku = factory.Sequence(lambda n: f"APP-{n}")
    warranty_months = 12
    refund_window_days = 30


class PurchaseFactory(factory.django.DjangoModelFactory):
    """A purchase bought ``age_days`` ago (100 by default: in warranty, past the refund window)."""

    class Meta:
        model = Purchase
        exclude = ["age_days"]

    age_days = 100
    customer = factory.SubFactory(CustomerFactory)
    organization = factory.LazyAttribute(lambda o: o.customer.organization)
    product = factory.SubFactory(ProductFactory)
    serial_number = factory.Sequence(lambda n: f"SN-{n:06d}")
    purchase_date = factory.LazyAttribute(lambda o: timezone.localdate() - timedelta(days=o.age_days))
    warranty_until = factory.LazyAttribute(lambda o: warranty_end(o.purchase_date, o.product.warranty_months))


class ServiceRequestFactory(factory.django.DjangoModelFactory):
    """A request put straight into a status, without services (no events, no e-mail)."""

    class Meta:
        model = ServiceRequest

    purchase = factory.SubFactory(PurchaseFactory)
    requester = factory.LazyAttribute(lambda o: o.purchase.customer)
    organization = factory.LazyAttribute(lambda o: o.requester.organization)
    kind = ServiceRequest.Kind.REPAIR
    description = "It stopped working."
    status = ServiceRequest.Status.SUBMITTED
    request_date = factory.LazyFunction(date.today)
    eligibility_assessed = ServiceRequest.Eligibility.IN_WARRANTY
    eligibility = factory.LazyAttribute(lambda o: o.eligibility_assessed)
    review_due = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    rejection_reason = factory.LazyAttribute(
        lambda o: "Not covered." if o.status == ServiceRequest.Status.REJECTED else "")
