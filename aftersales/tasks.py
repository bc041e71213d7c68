from celery import shared_task

from aftersales import services


@shared_task(ignore_result=True)
def close_completed_requests() -> int:
    return services.service_requests_auto_close()
