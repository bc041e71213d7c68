"""The after-sales story of ``seed_demo``: every status, consistent histories, added once, no e-mail."""

import io

from django.core.management import call_command
from django.db.models import Count, Max
from django.utils import timezone

from aftersales.models import Product, Purchase, ServiceEvent, ServiceLog, ServiceRequest
from helpdesk.mail.models import OutboundEmail


def test_the_demo_has_products_purchases_and_requests_in_every_status(seeded):
    assert Product.objects.count() == 5
    assert 140 <= Purchase.objects.count() <= 160
    requests = ServiceRequest.objects.all()
    assert 50 <= requests.count() <= 70
    assert "demo purchases and" in seeded["output"]
    assert set(requests.values_list("status", flat=True)) == set(ServiceRequest.Status.values)
    assert requests.filter(quote_sent_at__isnull=False, quote_accepted_at__isnull=True,
                           quote_declined_at__isnull=True).exists(), "a quote waits for its customer"
    assert requests.filter(quote_declined_at__isnull=False, status="closed").exists()
    assert requests.filter(ticket__isnull=False).count() >= 3
    assert ServiceLog.objects.filter(is_internal=True).exists() and ServiceLog.objects.filter(is_internal=False)
    oldest = requests.order_by("created_at").first().created_at
    assert (timezone.now() - oldest).days <= 90

    # alice, the demo login, has products in and out of warranty, and service requests
    today = timezone.localdate()
    alices = Purchase.objects.filter(customer__email="alice@acme.example")
    assert alices.filter(warranty_until__gte=today).count() >= 2
    assert alices.filter(warranty_until__lt=today).count() >= 2
    assert ServiceRequest.objects.filter(requester__email="alice@acme.example").exists()

    # each history agrees with its request
    now = timezone.now()
    versions = ServiceEvent.objects.values("service_request").annotate(last=Max("version"), count=Count("pk"))
    for row in versions:
        request = ServiceRequest.objects.get(pk=row["service_request"])
        assert row["last"] == request.version, request.reference
        assert request.request_date >= request.purchase.purchase_date, request.reference
    assert not ServiceEvent.objects.filter(created_at__gt=now).exists()
    for request in ServiceRequest.objects.filter(status="rejected"):
        assert request.rejection_reason


def test_the_demo_is_added_once_and_sends_no_email(seeded, django_capture_on_commit_callbacks):
    counts = (Purchase.objects.count(), ServiceRequest.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    assert (Purchase.objects.count(), ServiceRequest.objects.count()) == counts
    assert not OutboundEmail.objects.exists() and seeded["emails"] == []
