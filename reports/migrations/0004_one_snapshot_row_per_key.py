"""One snapshot row per key in every table. Two recomputes that overlapped could each write a day's rows; the
duplicates are removed first, keeping the row written last (the highest id) of each key."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import Count, Max

# Table → its key (the same as the unique constraints below).
KEYS = {
    "SatisfactionDaily": ["day", "kind", "product"],
    "AfterSalesDaily": ["day", "product", "technician"],
    "SearchGapDaily": ["day", "query"],
    "FeedbackDaily": ["day", "kind", "area"],
    "ImprovementDaily": ["day", "area"],
}


def remove_duplicate_rows(apps, schema_editor):
    for name, key in KEYS.items():
        model = apps.get_model("reports", name)
        duplicated = (model.objects.order_by().values(*key).annotate(rows=Count("pk"), kept=Max("pk"))
                      .filter(rows__gt=1))
        for group in duplicated:
            # filter(field=None) is IS NULL, so an empty product, technician or area is a key like any other.
            model.objects.filter(**{field: group[field] for field in key}).exclude(pk=group["kept"]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('aftersales', '0001_initial'),
        ('feedback', '0001_initial'),
        ('reports', '0003_satisfaction_answered_invitations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(remove_duplicate_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='aftersalesdaily',
            constraint=models.UniqueConstraint(condition=models.Q(('technician__isnull', False)), fields=('day', 'product', 'technician'), name='aftersales_daily_unique'),
        ),
        migrations.AddConstraint(
            model_name='aftersalesdaily',
            constraint=models.UniqueConstraint(condition=models.Q(('technician__isnull', True)), fields=('day', 'product'), name='aftersales_daily_unique_without_technician'),
        ),
        migrations.AddConstraint(
            model_name='feedbackdaily',
            constraint=models.UniqueConstraint(condition=models.Q(('area__isnull', False)), fields=('day', 'kind', 'area'), name='feedback_daily_unique'),
        ),
        migrations.AddConstraint(
            model_name='feedbackdaily',
            constraint=models.UniqueConstraint(condition=models.Q(('area__isnull', True)), fields=('day', 'kind'), name='feedback_daily_unique_without_area'),
        ),
        migrations.AddConstraint(
            model_name='improvementdaily',
            constraint=models.UniqueConstraint(condition=models.Q(('area__isnull', False)), fields=('day', 'area'), name='improvement_daily_unique'),
        ),
        migrations.AddConstraint(
            model_name='improvementdaily',
            constraint=models.UniqueConstraint(condition=models.Q(('area__isnull', True)), fields=('day',), name='improvement_daily_unique_without_area'),
        ),
        migrations.AddConstraint(
            model_name='satisfactiondaily',
            constraint=models.UniqueConstraint(condition=models.Q(('product__isnull', False)), fields=('day', 'kind', 'product'), name='satisfaction_daily_unique'),
        ),
        migrations.AddConstraint(
            model_name='satisfactiondaily',
            constraint=models.UniqueConstraint(condition=models.Q(('product__isnull', True)), fields=('day', 'kind'), name='satisfaction_daily_unique_without_product'),
        ),
        migrations.AddConstraint(
            model_name='searchgapdaily',
            constraint=models.UniqueConstraint(fields=('day', 'query'), name='search_gap_daily_unique'),
        ),
    ]
