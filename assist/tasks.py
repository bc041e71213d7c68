from celery import shared_task


@shared_task
def train_assist():
    from assist.services import train_models

    model = train_models()
    return model.version if model else None
