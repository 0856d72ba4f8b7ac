from celery import shared_task

from . import services


@shared_task(name="prescreen.quality.tasks.draw_monthly_samples")
def draw_monthly_samples():
    return [s.pk for s in services.draw_monthly_samples()]
