"""Support days get first-resolution columns beside the (full) resolution ones.

Days written before stay as they were until recomputed (``manage.py recompute_reports``); the pages' medians
are read from the tickets themselves, so they are right at once.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0005_report_days'),
    ]

    operations = [
        migrations.AddField(
            model_name='supportdaily',
            name='first_resolution_avg',
            field=models.FloatField(null=True, verbose_name='first resolution: average minutes'),
        ),
        migrations.AddField(
            model_name='supportdaily',
            name='first_resolution_count',
            field=models.PositiveIntegerField(default=0, verbose_name='first resolution: tickets'),
        ),
        migrations.AddField(
            model_name='supportdaily',
            name='first_resolution_hist',
            field=models.JSONField(default=list, verbose_name='first resolution: histogram'),
        ),
        migrations.AddField(
            model_name='supportdaily',
            name='first_resolution_p50',
            field=models.FloatField(null=True, verbose_name='first resolution: median minutes'),
        ),
        migrations.AddField(
            model_name='supportdaily',
            name='first_resolution_p90',
            field=models.FloatField(null=True, verbose_name='first resolution: p90 minutes'),
        ),
        migrations.AddField(
            model_name='supportdaily',
            name='first_resolution_sum',
            field=models.FloatField(default=0, verbose_name='first resolution: total minutes'),
        ),
        migrations.AlterField(
            model_name='supportdaily',
            name='resolution_avg',
            field=models.FloatField(null=True, verbose_name='full resolution: average minutes'),
        ),
        migrations.AlterField(
            model_name='supportdaily',
            name='resolution_count',
            field=models.PositiveIntegerField(default=0, verbose_name='full resolution: tickets'),
        ),
        migrations.AlterField(
            model_name='supportdaily',
            name='resolution_hist',
            field=models.JSONField(default=list, verbose_name='full resolution: histogram'),
        ),
        migrations.AlterField(
            model_name='supportdaily',
            name='resolution_p50',
            field=models.FloatField(null=True, verbose_name='full resolution: median minutes'),
        ),
        migrations.AlterField(
            model_name='supportdaily',
            name='resolution_p90',
            field=models.FloatField(null=True, verbose_name='full resolution: p90 minutes'),
        ),
        migrations.AlterField(
            model_name='supportdaily',
            name='resolution_sum',
            field=models.FloatField(default=0, verbose_name='full resolution: total minutes'),
        ),
    ]
