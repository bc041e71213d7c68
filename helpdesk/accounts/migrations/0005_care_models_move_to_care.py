# Care tasks, care plans and churn reasons now belong to the `care` app (care/migrations/0001_initial.py).
# Only Django's idea of which app owns them changes: the tables and their rows stay where they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_care_plans_check_ins_privacy'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='CareTask'),
                migrations.DeleteModel(name='CarePlan'),
                migrations.DeleteModel(name='ChurnReason'),
            ],
            database_operations=[],
        ),
    ]
