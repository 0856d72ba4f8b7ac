"""Pre-exam background work: beat sweeps and the formal pre-check (the opinion letter is a job: prescreen/jobs.py)."""
from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import services


@shared_task(name="prescreen.tasks.review_entity_risk")
def review_entity_risk():
    services.reinstate_expired_suspensions()
    return len(services.review_entity_risk())


@shared_task(name="prescreen.tasks.run_precheck", soft_time_limit=60, time_limit=90, acks_late=True)
def run_precheck(case_id, digest):
    """The formal pre-check of a draft's current documents, off the web worker; a check that
    overruns its soft limit records a timeout finding instead of holding the worker."""
    try:
        findings = services.finish_precheck(case_id, digest)
    except SoftTimeLimitExceeded:
        findings = services.finish_precheck(case_id, digest, timed_out=True)
    return None if findings is None else len(findings)
