"""Celery tasks of patent navigation (the import itself is the core job ``navigation.patent_import``)."""
from celery import shared_task

from . import services


@shared_task(name="navigation.tasks.refresh_patent_statistics", ignore_result=True)
def refresh_patent_statistics():
    """ANALYZE the patent tables after an import (queued by ``services.import_finished``)."""
    services.refresh_statistics()
