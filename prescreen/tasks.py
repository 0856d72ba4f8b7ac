from celery import shared_task

from . import services


@shared_task(name="prescreen.tasks.terminate_expired_corrections")
def terminate_expired_corrections():
    return services.terminate_expired_corrections()
