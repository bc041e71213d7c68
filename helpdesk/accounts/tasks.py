from celery import shared_task

from helpdesk.accounts import services


@shared_task(ignore_result=True)
def password_reset_send(*, email: str) -> int:
    return services.password_reset_send(email=email)
