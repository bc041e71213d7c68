# Health scores now belong to the `care` app (care/migrations/0001_initial.py). Only Django's idea of which
# app owns the model changes: the table reports_healthscore and its rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='HealthScore'),
            ],
            database_operations=[],
        ),
    ]
