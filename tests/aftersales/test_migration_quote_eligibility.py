"""The data migration puts back the eligibility an old quote switched by itself, and keeps every row."""

import importlib

import pytest
from django.apps import apps

from aftersales.models import ServiceEvent, ServiceRequest
from tests.aftersales.factories import ServiceRequestFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("aftersales.migrations.0003_quotes_keep_eligibility")


def old_style_quote(request, manager, *, version=2):
    """What sending a quote used to write: the eligibility switched to paid, in the quote's own step."""
    ServiceEvent.objects.create(service_request=request, actor=manager, kind="eligibility", old_value="in_warranty",
                                new_value="out_of_warranty", version=version)
    ServiceEvent.objects.create(service_request=request, actor=manager, kind="quote_sent", new_value="EUR 90",
                                version=version)
    ServiceRequest.objects.filter(pk=request.pk).update(eligibility="out_of_warranty", version=version)


def test_a_switched_eligibility_comes_back_with_an_event_that_says_so(manager):
    switched = ServiceRequestFactory(status="under_review", quote_sent_at="2026-11-01T10:00Z")
    old_style_quote(switched, manager)
    really_paid = ServiceRequestFactory(status="under_review", eligibility_assessed="out_of_warranty")
    ServiceEvent.objects.create(service_request=really_paid, actor=manager, kind="quote_sent", version=2)
    events_before = ServiceEvent.objects.count()

    migration.restore_eligibility(apps, None)

    switched.refresh_from_db()
    really_paid.refresh_from_db()
    assert switched.eligibility == "in_warranty" and switched.version == 3
    assert really_paid.eligibility == "out_of_warranty"
    assert ServiceRequest.objects.count() == 2 and ServiceEvent.objects.count() == events_before + 1
    correction = ServiceEvent.objects.order_by("pk").last()
    assert (correction.kind, correction.actor, correction.old_value, correction.new_value, correction.version) == (
        "eligibility", None, "out_of_warranty", "in_warranty", 3)
    migration.restore_eligibility(apps, None)  # a second run changes nothing
    assert ServiceEvent.objects.count() == events_before + 1


def test_a_later_decision_on_the_eligibility_stands(manager):
    request = ServiceRequestFactory(status="under_review")
    old_style_quote(request, manager)
    ServiceEvent.objects.create(service_request=request, actor=manager, kind="eligibility", old_value="in_warranty",
                                new_value="out_of_warranty", version=3)
    migration.restore_eligibility(apps, None)
    request.refresh_from_db()
    assert request.eligibility == "out_of_warranty"
