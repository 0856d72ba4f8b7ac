from celery import shared_task

from . import services


@shared_task(name="prescreen.tasks.terminate_expired_corrections")
def terminate_expired_corrections():
    return services.terminate_expired_corrections()


@shared_task(name="prescreen.tasks.review_entity_risk")
def review_entity_risk():
    return len(services.review_entity_risk())
