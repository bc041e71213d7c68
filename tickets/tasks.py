from celery import shared_task

from tickets import services


@shared_task(ignore_result=True)
def check_sla() -> dict:
    return services.sla_check()


@shared_task(ignore_result=True)
def close_resolved_tickets() -> int:
    return services.tickets_auto_close()


@shared_task(ignore_result=True)
def fetch_email() -> int:
    from tickets.channels.email import sources

    return sources.fetch_all()


@shared_task(ignore_result=True)
def run_automations() -> int:
    from tickets.automation.hourly import run_automations

    return run_automations()
