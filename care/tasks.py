"""Celery tasks of customer care: each calls one function, nothing else (both are also management commands)."""

from celery import shared_task

from care import health, services


@shared_task(ignore_result=True)
def create_due_check_ins() -> int:
    """Daily: open the check-ins that are due and tell the account managers."""
    return services.check_ins_create_due()


@shared_task
def compute_health_scores():
    """Nightly: every organisation's (and lone customer's) health score; optional automatic churn."""
    health.compute_all()
    health.auto_churn()
