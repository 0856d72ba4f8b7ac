"""Requesting and running report jobs.

``request_report`` stores a queued ``ReportJob`` and hands its id to Celery
after commit; ``run_job`` claims it (row lock), calls the registered builder
with a progress callback and stores the file.  A job whose worker died is
delivered again (acks_late) and simply runs again from the start.
"""
import logging

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.notify.services import notify

from .models import ReportJob
from .registry import REPORT_KINDS

log = logging.getLogger(__name__)


def request_report(kind, user, params=None, title=None):
    spec = REPORT_KINDS[kind]
    if not user.has_perm(spec.permission):
        raise PermissionDenied(_("您没有权限生成该报表。"))
    job = ReportJob.objects.create(kind=kind, title=str(title or spec.title), params=params or {}, requested_by=user)
    transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from .tasks import run_report_job

    run_report_job.delay(str(job_id))


def set_progress(job_id, percent, message=""):
    ReportJob.objects.filter(pk=job_id).update(progress=max(0, min(100, int(percent))), message=str(message)[:200])


def run_job(job_id):
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status == ReportJob.Status.DONE:
            return job
        job.status = ReportJob.Status.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.progress = 0
        job.error = ""
        job.save(update_fields=["status", "started_at", "attempts", "progress", "error"])
    spec = REPORT_KINDS.get(job.kind)
    try:
        if spec is None:
            raise ValueError(f"unknown report kind {job.kind}")
        output = spec.build(job, lambda pct, msg="": set_progress(job.pk, pct, msg))
    except Exception as exc:
        log.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error=str(exc)[:2000],
                                                    finished_at=timezone.now())
        notify(job.requested_by, title=_("报表生成失败：%(title)s") % {"title": job.title},
               url=job.get_absolute_url(), email=False)
        return job
    job.refresh_from_db()
    job.result.save("result", ContentFile(output.content), save=False)
    job.result_name = output.filename
    job.result_type = output.content_type
    job.status = ReportJob.Status.DONE
    job.progress = 100
    job.message = ""
    job.finished_at = timezone.now()
    job.save()
    notify(job.requested_by, title=_("报表已生成：%(title)s") % {"title": job.title},
           url=job.get_absolute_url(), email=False)
    return job
