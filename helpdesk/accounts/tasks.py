from celery import shared_task

from helpdesk.accounts import services


@shared_task(ignore_result=True)
def create_due_check_ins() -> int:
    return services.check_ins_create_due()


@shared_task(ignore_result=True)
def password_reset_send(*, email: str) -> int:
    return services.password_reset_send(email=email)
