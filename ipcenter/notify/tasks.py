"""Celery tasks of notify: thin wrappers over services."""
from celery import shared_task

from . import services


@shared_task(name="ipcenter.notify.tasks.send_pending_emails")
def send_pending_emails():
    return services.send_pending_emails()
