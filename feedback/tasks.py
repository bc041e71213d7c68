from celery import shared_task

from feedback import services


@shared_task(ignore_result=True)
def send_due_surveys() -> int:
    return services.send_due_surveys()
