"""Undo the eligibility a quote used to switch by itself, and say so on each request's timeline.

Sending a quote used to set the eligibility to "out of warranty (paid)" in the same step, with no
decision by anyone. Where that is still the request's eligibility, the one the reviewer had before
comes back, with an eligibility event by "Automatic" that tells the correction. No row is deleted:
the old event stays in the trail, and the request's version goes up so an open form sees the change.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

OUT_OF_WARRANTY = "out_of_warranty"


def restore_eligibility(apps, schema_editor):
    ServiceEvent = apps.get_model("aftersales", "ServiceEvent")
    ServiceRequest = apps.get_model("aftersales", "ServiceRequest")
    quotes = ServiceEvent.objects.filter(kind="quote_sent").values_list("service_request_id", "version")
    now = timezone.now()
    for request_id, version in quotes.iterator():
        switched = (ServiceEvent.objects.filter(service_request_id=request_id, kind="eligibility", version=version,
                                                new_value=OUT_OF_WARRANTY)
                    .order_by("-pk").first())
        if switched is None or not switched.old_value or switched.old_value == OUT_OF_WARRANTY:
            continue
        changed_later = ServiceEvent.objects.filter(service_request_id=request_id, kind="eligibility",
                                                    pk__gt=switched.pk).exists()
        if changed_later:
            continue  # someone decided the eligibility afterwards: that decision stands
        updated = ServiceRequest.objects.filter(pk=request_id, eligibility=OUT_OF_WARRANTY).update(
            eligibility=switched.old_value, version=F("version") + 1, updated_at=now,
        )
        if updated:
            request = ServiceRequest.objects.only("version").get(pk=request_id)
            ServiceEvent.objects.create(service_request_id=request_id, actor=None, kind="eligibility",
                                        old_value=OUT_OF_WARRANTY, new_value=switched.old_value,
                                        version=request.version, created_at=now)


class Migration(migrations.Migration):
    dependencies = [
        ("aftersales", "0002_quote_reason_customer_replies"),
    ]

    operations = [
        migrations.RunPython(restore_eligibility, migrations.RunPython.noop, elidable=True),
    ]
