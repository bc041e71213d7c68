from celery import shared_task

from helpdesk.mail import services


@shared_task(ignore_result=True)
def send_email(email_id: int) -> None:
    services.email_send(email_id=email_id)


@shared_task(ignore_result=True)
def send_queued_mail() -> int:
    """Every minute: send what is due (retries, stale claims, anything whose enqueue was lost)."""
    due = services.emails_due()
    for email_id in due:
        send_email.delay(email_id)
    return len(due)
