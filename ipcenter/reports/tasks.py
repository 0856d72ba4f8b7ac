"""Celery tasks of background jobs: run one job (thin: the service does the work) and the
hourly clean-up of expired results."""
from celery import shared_task

from . import services


@shared_task(name="ipcenter.reports.tasks.run_report_job", acks_late=True)
def run_job_task(job_id):
    job = services.run_job(job_id)
    return job.status if job else None


run_report_job = run_job_task


@shared_task(name="ipcenter.reports.tasks.expire_jobs")
def expire_jobs():
    return services.expire_jobs()
