"""Beat task: sweep deadlines every few minutes."""
from celery import shared_task

from . import services


@shared_task(name="ipcenter.deadlines.tasks.sweep_deadlines", acks_late=True)
def sweep_deadlines():
    return services.sweep()
