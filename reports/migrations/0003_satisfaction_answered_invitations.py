"""Satisfaction days count the invitations sent that day that were answered (at any later time), for a response
rate that never passes 100 %. Existing rows get the figure from the invitations as they are now."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, F
from django.db.models.functions import TruncDate


def count_answered_invitations(apps, schema_editor):
    SatisfactionDaily = apps.get_model("reports", "SatisfactionDaily")
    SurveyInvitation = apps.get_model("feedback", "SurveyInvitation")
    zone = ZoneInfo(settings.TIME_ZONE)
    answered = (SurveyInvitation.objects.filter(sent_at__isnull=False, response__isnull=False)
                .annotate(day=TruncDate("sent_at", tzinfo=zone), kind=F("survey__kind"),
                          product=F("service_request__purchase__product"))
                .order_by().values("day", "kind", "product").annotate(n=Count("pk")))
    for row in answered:
        SatisfactionDaily.objects.filter(day=row["day"], kind=row["kind"], product_id=row["product"]).update(
            answered=row["n"])


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_health_score_moves_to_care"),
        ("feedback", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="satisfactiondaily",
            name="answered",
            field=models.PositiveIntegerField(default=0, help_text="Of the invitations sent that day, those answered by the time of the recompute, on any later day. The response rate is answered ÷ invitations sent.", verbose_name="invitations answered"),
        ),
        migrations.RunPython(count_answered_invitations, migrations.RunPython.noop),
    ]
