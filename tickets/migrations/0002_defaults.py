from datetime import time

from django.conf import settings
from django.db import migrations

# Business minutes: one business day is 9 hours (09:00–18:00).
DAY = 9 * 60
POLICIES = [
    # priority, first response, resolution
    ("urgent", 60, 4 * 60),
    ("high", 4 * 60, DAY),
    ("normal", 8 * 60, 3 * DAY),
    ("low", DAY, 5 * DAY),
]
QUEUES = [("Technical", "technical", 0), ("Billing", "billing", 1), ("Account", "account", 2)]


def create_defaults(apps, schema_editor):
    BusinessHours = apps.get_model("tickets", "BusinessHours")
    OpeningPeriod = apps.get_model("tickets", "OpeningPeriod")
    SLAPolicy = apps.get_model("tickets", "SLAPolicy")
    Queue = apps.get_model("tickets", "Queue")
    calendar, created = BusinessHours.objects.get_or_create(
        name="Office hours", defaults={"timezone": settings.TIME_ZONE}
    )
    if created:
        for weekday in range(5):
            OpeningPeriod.objects.create(calendar=calendar, weekday=weekday, opens=time(9), closes=time(18))
    for priority, first_response, resolution in POLICIES:
        SLAPolicy.objects.get_or_create(
            priority=priority, tier="",
            defaults={"name": f"{priority.capitalize()} priority", "first_response_minutes": first_response,
                      "resolution_minutes": resolution, "business_hours": calendar},
        )
    for name, slug, order in QUEUES:
        Queue.objects.get_or_create(slug=slug, defaults={"name": name, "ordering": order})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
