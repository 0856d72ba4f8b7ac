"""Celery task that builds a report job."""
from celery import shared_task

from . import services


@shared_task(name="ipcenter.reports.tasks.run_report_job", acks_late=True)
def run_report_job(job_id):
    job = services.run_job(job_id)
    return job.status if job else None
