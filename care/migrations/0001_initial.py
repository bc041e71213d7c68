# Customer care moves into its own app. The models were accounts.CareTask, accounts.CarePlan,
# accounts.ChurnReason and reports.HealthScore; they keep their tables (Meta.db_table), so this only tells
# Django's state that care owns them now: no table is created, copied or dropped, and every row stays.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0005_care_models_move_to_care'),
        ('reports', '0002_health_score_moves_to_care'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CarePlan',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('tier', models.CharField(choices=[('standard', 'Standard'), ('vip', 'VIP')], max_length=20, unique=True, verbose_name='tier')),
                        ('check_in_every_days', models.PositiveSmallIntegerField(default=90, validators=[django.core.validators.MinValueValidator(1)], verbose_name='check in every (days)')),
                        ('is_active', models.BooleanField(default=True, help_text='Untick to stop scheduling check-ins for this tier.', verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'care plan',
                        'verbose_name_plural': 'care plans',
                        'db_table': 'accounts_careplan',
                        'ordering': ['tier'],
                    },
                ),
                migrations.CreateModel(
                    name='ChurnReason',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True, verbose_name='name')),
                        ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                        ('is_active', models.BooleanField(default=True, verbose_name='active')),
                    ],
                    options={
                        'verbose_name': 'churn reason',
                        'verbose_name_plural': 'churn reasons',
                        'db_table': 'accounts_churnreason',
                        'ordering': ['order', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='CareTask',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('follow_up', 'Follow-up on feedback'), ('check_in', 'Check-in')], max_length=20, verbose_name='kind')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done')], default='open', max_length=10, verbose_name='status')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('due_on', models.DateField(default=django.utils.timezone.localdate, verbose_name='due')),
                        ('outcome', models.TextField(blank=True, verbose_name='outcome')),
                        ('channel', models.CharField(blank=True, choices=[('call', 'Call'), ('email', 'E-mail'), ('meeting', 'Meeting')], max_length=10, verbose_name='channel')),
                        ('notes', models.TextField(blank=True, verbose_name='notes')),
                        ('next_follow_up_on', models.DateField(blank=True, null=True, verbose_name='next follow-up')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created')),
                        ('done_at', models.DateTimeField(blank=True, null=True, verbose_name='done')),
                        ('source_id', models.CharField(blank=True, max_length=64)),
                        ('assignee', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='care_tasks', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                        ('customer', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='care_tasks_about', to=settings.AUTH_USER_MODEL, verbose_name='customer')),
                        ('organization', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='care_tasks', to='accounts.organization', verbose_name='organisation')),
                        ('source_type', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
                    ],
                    options={
                        'verbose_name': 'care task',
                        'verbose_name_plural': 'care tasks',
                        'db_table': 'accounts_caretask',
                        'ordering': ['status', 'due_on', 'pk'],
                        'indexes': [models.Index(fields=['assignee', 'status', 'due_on'], name='accounts_ca_assigne_6a21d8_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('source_id', ''), _negated=True), fields=('kind', 'source_type', 'source_id'), name='care_task_once_per_source'), models.UniqueConstraint(condition=models.Q(('kind', 'check_in')), fields=('organization', 'due_on'), name='check_in_once_per_due_date'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'check_in'), _negated=True), ('organization__isnull', False), _connector='OR'), name='check_in_has_organization')],
                    },
                ),
                migrations.CreateModel(
                    name='HealthScore',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.PositiveSmallIntegerField(verbose_name='health score')),
                        ('band', models.CharField(choices=[('healthy', 'Healthy'), ('watch', 'Watch'), ('at_risk', 'At risk')], max_length=10, verbose_name='band')),
                        ('signals', models.JSONField(default=list, verbose_name='signals')),
                        ('computed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='computed')),
                        ('customer', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='health', to=settings.AUTH_USER_MODEL, verbose_name='customer')),
                        ('organization', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='health', to='accounts.organization', verbose_name='organisation')),
                    ],
                    options={
                        'verbose_name': 'health score',
                        'verbose_name_plural': 'health scores',
                        'db_table': 'reports_healthscore',
                        'ordering': ['score'],
                        'indexes': [models.Index(fields=['band', 'score'], name='reports_hea_band_e0aacb_idx')],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('customer__isnull', True), ('organization__isnull', False)), models.Q(('customer__isnull', False), ('organization__isnull', True)), _connector='OR'), name='health_score_one_subject')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
