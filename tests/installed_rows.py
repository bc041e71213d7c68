"""The rows a fresh install gets from its data migrations: role groups, queues, calendar, SLA policies, care
plans and churn reasons.

A transactional test empties every table when it ends, and these rows go with them; Django's post_migrate
signal brings back content types and permissions but not rows written by ``RunPython``. Tests that run after
it would otherwise see an install that no real one looks like (no care plans: no check-in is ever due).
"""

from importlib import import_module

from django.apps import apps as django_apps


def restore_installed_rows():
    """Recreate whichever migration-made rows are missing; rows that are there are left alone."""
    import_module("helpdesk.accounts.migrations.0002_role_groups").create_groups(django_apps, None)
    import_module("tickets.migrations.0002_defaults").create_defaults(django_apps, None)
    # The care plans and churn reasons were seeded while their models lived in accounts; seed the moved ones.
    from care.models import CarePlan, ChurnReason

    care_seed = import_module("helpdesk.accounts.migrations.0004_care_plans_check_ins_privacy")
    for tier, days in care_seed.CARE_PLANS:
        CarePlan.objects.get_or_create(tier=tier, defaults={"check_in_every_days": days})
    for order, name in enumerate(care_seed.CHURN_REASONS):
        ChurnReason.objects.get_or_create(name=name, defaults={"order": order})
