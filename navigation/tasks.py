"""Celery tasks of patent navigation: thin wrappers around the services."""
from celery import shared_task

from . import services


@shared_task(name="navigation.tasks.run_import", acks_late=True)
def run_import(import_id):
    imp = services.run_import(import_id)
    return getattr(imp, "status", None)
