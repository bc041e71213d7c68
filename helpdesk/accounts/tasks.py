from celery import shared_task

from helpdesk.accounts import services


@shared_task(ignore_result=True)
def password_reset_send(*, email: str) -> int:
    return services.password_reset_send(email=email)


@shared_task(ignore_result=True)
def verification_resend(*, email: str) -> bool:
    return services.verification_resend(email=email)
