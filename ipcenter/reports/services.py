"""Requesting, running and expiring background jobs (exports and imports).

``request_job`` checks the kind's permission, validates the parameters with the kind's form
(field errors, nothing created), stores an import's input file, creates a queued ``Job`` and
hands its id to Celery after commit — on the long or the default queue with the kind's time
limits.  ``run_job`` runs it exactly once even when the task is delivered twice: a session
advisory lock is held while it runs (a duplicate delivery finds it taken and leaves), the job
row is locked while it is claimed, and a finished job is never run again.  A worker that dies
releases the lock with its connection; the redelivered task then runs the job from the start.
An import runs in one transaction: any row error rolls every row back and the job ends FAILED
with the list.  ``expire_jobs`` (a beat task) deletes expired results and fails jobs whose
worker was killed at the hard time limit; two sweeps at once share the rows (SKIP LOCKED).
"""
import contextlib
import datetime
import logging
import os
import uuid

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ipcenter.notify.services import notify

from .context import SHOWN_ROW_ERRORS, JobContext
from .forms import ImportForm
from .models import Job
from .registry import REPORT_KINDS, ReportOutput

log = logging.getLogger(__name__)

#: a running job whose worker is gone this long after its hard limit is failed by the sweep
STALE_GRACE = datetime.timedelta(minutes=2)


class JobFailed(Exception):
    """A job cannot run (unknown kind, parameters no longer valid for the requester)."""


class _RowErrors(Exception):
    """An import reported row errors: roll everything back."""


# --- requesting -----------------------------------------------------------------------------

def kind_form(spec, user, data=None, files=None, target=None, in_worker=False):
    """The kind's parameter form bound to ``data`` (None when the kind declares no form)."""
    cls = spec.form or (ImportForm if spec.is_import else None)
    if cls is None:
        return None
    kwargs = {"user": user, "target": target}
    if issubclass(cls, ImportForm):
        kwargs["purpose"] = spec.input_purpose
    form = cls(data, files, **kwargs) if data is not None or files is not None else cls(**kwargs)
    if in_worker:
        for name in [n for n, f in form.fields.items() if isinstance(f, forms.FileField)]:
            form.fields.pop(name)  # the input was checked and stored when the job was requested
    return form


def _check_target(spec, target):
    model = spec.get_target_model()
    if model is None:
        if target is not None:
            raise ValueError(f"job kind {spec.code!r} takes no target")
    elif not isinstance(target, model):
        raise ValueError(f"job kind {spec.code!r} needs a {model.__name__} target")


def may_request(spec, user):
    return spec.permission is None or user.has_perm(spec.permission)


def request_job(kind, user, params=None, *, files=None, target=None, input_file=None, title=None):
    """Queue a job of ``kind`` for ``user``.  Raises PermissionDenied when the user may not run
    it and ValidationError (a dict of field errors, in Chinese) when the parameters are wrong —
    in both cases nothing is stored."""
    spec = REPORT_KINDS[kind]
    if not may_request(spec, user):
        raise PermissionDenied(_("您没有权限生成该报表。"))
    _check_target(spec, target)
    params = dict(params or {})
    form = kind_form(spec, user, params, files, target)
    if form is not None:
        if input_file is not None and "file" in form.fields:
            form.fields["file"].required = False
        if not form.is_valid():
            raise ValidationError({field: list(errors) for field, errors in form.errors.items()})
        params = form.job_params()
        title = title or form.job_title()
        input_file = input_file or form.cleaned_data.get("file")
    if spec.is_import and input_file is None and target is None:
        # an import of a record's own stored file (its target) needs no upload of its own
        raise ValidationError({"file": [_("请选择要导入的文件。")]})
    with transaction.atomic():
        attachment = None
        if input_file is not None:
            from ipcenter.files.models import Attachment
            from ipcenter.files.services import store_upload

            try:
                attachment = input_file if isinstance(input_file, Attachment) else \
                    store_upload(input_file, spec.input_purpose, user)
            except ValidationError as exc:
                raise ValidationError({"file": exc.messages})
        with translation.override(settings.LANGUAGE_CODE):  # shown in each viewer's: ``display_title``
            stored_title = str(title or spec.title)[:200]
        job = Job(kind=kind, direction=spec.direction, title=stored_title, params=params,
                  requested_by=user, input_file=attachment)
        if target is not None:
            job.target = target
        job.save()
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def request_report(kind, user, params=None, title=None, **kwargs):
    """An export job (the name the report callers know)."""
    return request_job(kind, user, params, title=title, **kwargs)


def rerun(job, user):
    """A new job with the same kind, parameters and target (after the old one expired or failed)."""
    spec = REPORT_KINDS.get(job.kind)
    if spec is None or spec.is_import:
        raise ValidationError(_("导入任务不能重新生成，请重新上传文件。"))
    return request_job(job.kind, user, job.params, target=job.target if job.target_id is not None else None,
                       title=job.title)


def enqueue(job_id):
    from .tasks import run_job_task

    job = Job.objects.filter(pk=job_id).only("kind").first()
    spec = REPORT_KINDS.get(job.kind) if job is not None else None
    if spec is None:
        run_job_task.apply_async(args=[str(job_id)])
        return
    run_job_task.apply_async(args=[str(job_id)], queue=spec.queue_name, soft_time_limit=spec.soft_limit,
                             time_limit=spec.hard_limit)


# --- progress ----------------------------------------------------------------------------------

def _progress_key(job_id):
    return f"jobs:progress:{job_id}"


def cached_progress(job_id):
    value = cache.get(_progress_key(job_id))
    return tuple(value) if value else None


def set_progress(job_id, percent, message="", write_row=True):
    """Record progress where the job page reads it: the cache always (an import's own
    transaction hides its row), the job row when not inside the import's transaction."""
    percent, message = max(0, min(100, int(percent))), str(message)[:200]
    cache.set(_progress_key(job_id), (percent, message), 3600)
    if write_row:
        Job.objects.filter(pk=job_id).update(progress=percent, message=message)


# --- running -----------------------------------------------------------------------------------

def _lock_key(job_id):
    return int.from_bytes(uuid.UUID(str(job_id)).bytes[:8], "big", signed=True)


@contextlib.contextmanager
def run_lock(job_id):
    """A session advisory lock on the job while it runs: True if this process holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_lock_key(job_id)])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with contextlib.suppress(Exception), connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_lock_key(job_id)])


def _claim(job_id):
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
            return None, job
        job.status = Job.Status.RUNNING
        job.started_at = timezone.now()
        job.attempts += 1
        job.progress = 0
        job.error = ""
        job.save(update_fields=["status", "started_at", "attempts", "progress", "error"])
    return job, job


def _validated(spec, job):
    """The stored parameters validated again for the requester (who may have lost access)."""
    target = job.target if job.target_id is not None else None
    if spec.get_target_model() is not None and target is None:
        raise JobFailed(_("任务的对象已不存在。"))
    form = kind_form(spec, job.requested_by, job.params or {}, None, target, in_worker=True)
    if form is None:
        return {}
    if not form.is_valid():
        problems = "；".join(f"{form.fields[f].label or f if f in form.fields else ''}{'：' if f != '__all__' else ''}"
                            f"{' '.join(errs)}" for f, errs in form.errors.items())
        raise JobFailed(_("参数已无效：%(problems)s") % {"problems": problems})
    return form.cleaned_data


def _build(spec, ctx):
    if spec.takes_context:
        return spec.build(ctx)
    return spec.build(ctx.job, ctx.progress)


def run_job(job_id):
    """Run the job once (see the module docstring); returns the job as it ended."""
    with run_lock(job_id) as acquired:
        if not acquired:
            log.info("job %s is already running elsewhere; duplicate delivery ignored", job_id)
            return Job.objects.filter(pk=job_id).first()
        job, current = _claim(job_id)
        if job is None:
            return current
        spec = REPORT_KINDS.get(job.kind)
        depth = len(connection.atomic_blocks)
        ctx = JobContext(job, spec, lambda pct, msg="": set_progress(
            job.pk, pct, msg, write_row=len(connection.atomic_blocks) == depth))
        output = None
        try:
            if spec is None:
                raise JobFailed(_("未知的任务类型 %(kind)s。") % {"kind": job.kind})
            ctx.cleaned = _validated(spec, job)
            if spec.is_import:
                with transaction.atomic():
                    output = _build(spec, ctx)
                    if ctx.has_errors:
                        raise _RowErrors()
            else:
                output = _build(spec, ctx)
        except _RowErrors:
            ctx.discard_output()
            return _finish_failed(job, spec, ctx, _("导入未完成：%(n)s 处错误，所有行均未导入。请改正后重新上传。")
                                  % {"n": ctx.error_count})
        except Exception as exc:  # noqa: BLE001 - every failure ends the job with its reason
            ctx.discard_output()
            from celery.exceptions import SoftTimeLimitExceeded

            if isinstance(exc, SoftTimeLimitExceeded):
                message = _("超过时间限制（%(s)s 秒），任务已停止。") % {"s": spec.soft_limit}
            elif isinstance(exc, (JobFailed, PermissionDenied)):
                message = str(exc)
            elif isinstance(exc, ValidationError):
                message = "；".join(exc.messages)
            else:
                log.exception("job %s failed", job.pk)
                message = str(exc) or exc.__class__.__name__
            return _finish_failed(job, spec, ctx, message)
        return _finish_done(job, spec, ctx, output)


def _retention(spec):
    return spec.retention if spec is not None else datetime.timedelta(days=7)


def _save_file(field, path):
    with open(path, "rb") as fh:
        field.save("result", File(fh), save=False)
    os.unlink(path)


def _finish_done(job, spec, ctx, output):
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if ctx.output_file is not None:
            path, job.result_name, job.result_type = ctx.output_file
            _save_file(job.result, path)
        elif isinstance(output, ReportOutput):
            job.result.save("result", ContentFile(output.content), save=False)
            job.result_name, job.result_type = output.filename, output.content_type
        job.status = Job.Status.DONE
        job.progress, job.message = 100, ""
        _close(job, spec, ctx, now)
    _finished_hook(job, spec)
    return _announce(job, spec, gettext_lazy("导入已完成：%(title)s") if job.is_import
                     else gettext_lazy("报表已生成：%(title)s"))


def _finished_hook(job, spec):
    """The kind's ``on_finish(job)`` after the end is committed; its failure is logged, never
    undoes the job's end (the hook must be idempotent: the stale sweep may call it again)."""
    if spec is None or spec.on_finish is None:
        return
    try:
        spec.on_finish(job)
    except Exception:  # noqa: BLE001 - the job has ended either way
        log.exception("on_finish of job %s (%s) failed", job.pk, job.kind)


def _close(job, spec, ctx, now):
    """Save a finished job (locked by the caller) with its counters and expiry."""
    job.counters = ctx.counters
    job.finished_at = now
    job.expires_at = now + _retention(spec)
    job.save()


def _announce(job, spec, title):
    """After a job finished: forget its live progress and tell the requester (unless the kind
    is quiet)."""
    cache.delete(_progress_key(job.pk))
    if spec is None or spec.notify:
        notify(job.requested_by, title=title, title_params={"title": job.title_text},
               url=job.get_absolute_url(), email=False)
    return job


def _write_error_report(job, ctx):
    from .xlsx import XLSX_TYPE, write_xlsx

    with ctx.output(f"错误清单-{job.title}.xlsx", XLSX_TYPE) as fh:
        write_xlsx([(_("错误清单"), [_("行"), _("列"), _("错误")], (e[:3] for e in ctx.row_errors))], fh=fh)
    path = ctx.output_file[0]
    ctx.output_file = None
    return path


def _finish_failed(job, spec, ctx, message):
    now = timezone.now()
    report = _write_error_report(job, ctx) if ctx.row_errors else None
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if report is not None:
            _save_file(job.error_report, report)
        job.status = Job.Status.FAILED
        job.error = str(message)[:2000]
        job.row_errors = ctx.row_errors[:SHOWN_ROW_ERRORS]
        job.error_count = ctx.error_count
        _close(job, spec, ctx, now)
    _finished_hook(job, spec)
    return _announce(job, spec, gettext_lazy("导入失败：%(title)s") if job.is_import
                     else gettext_lazy("报表生成失败：%(title)s"))


# --- expiry and clean-up -----------------------------------------------------------------------

def expire_jobs(now=None, batch=200):
    """Delete the files of finished jobs whose results expired and mark them EXPIRED; fail the
    jobs still RUNNING long after their hard time limit whose worker is gone.  Safe to run twice
    at once (rows locked with SKIP LOCKED: each is handled by one sweep) and to run again."""
    now = now or timezone.now()
    expired = 0
    while True:
        with transaction.atomic():
            jobs = list(Job.objects.select_for_update(skip_locked=True, of=("self",))
                        .filter(status__in=(Job.Status.DONE, Job.Status.FAILED), expires_at__lte=now)
                        .select_related("input_file")[:batch])
            if not jobs:
                break
            for job in jobs:
                _expire(job)
            expired += len(jobs)
    return expired + fail_stale_jobs(now)


def _expire(job):
    from ipcenter.files.services import discard

    names = [(f.storage, f.name) for f in (job.result, job.error_report) if f]
    if job.input_file is not None:
        discard(job.input_file)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.EXPIRED, result="", error_report="", input_file=None)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


def fail_stale_jobs(now=None):
    """A worker killed at the hard time limit leaves its job RUNNING: fail it with the reason."""
    now = now or timezone.now()
    failed = 0
    running = Job.objects.filter(status=Job.Status.RUNNING, started_at__lt=now - STALE_GRACE).only(
        "pk", "kind", "started_at")
    for job in running.iterator():
        spec = REPORT_KINDS.get(job.kind)
        limit = datetime.timedelta(seconds=spec.hard_limit if spec else 3600)
        if job.started_at + limit + STALE_GRACE > now:
            continue
        with run_lock(job.pk) as free:
            if not free:  # a worker still runs it
                continue
            message = _("超过时间限制（%(s)s 秒），任务已停止。") % {"s": spec.soft_limit if spec else 3600}
            ended = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(
                status=Job.Status.FAILED, error=message, finished_at=now, expires_at=now + _retention(spec))
            if ended:
                failed += ended
                _finished_hook(Job.objects.get(pk=job.pk), spec)
    return failed


def job_for(kind, target, user):
    """The queued or running job of ``kind`` for ``target``, else a new one: the one call for a
    record's generated file (an opinion letter, an agreement PDF), so a double click or a
    download during the build joins the job under way instead of starting another.  The builder
    must still store its file idempotently (two jobs started at the very same moment both run;
    the second finds the file stored)."""
    from .models import Job

    pending = Job.objects.for_target(target).filter(  # scoped: the jobs of a record the caller holds
        kind=kind, status__in=(Job.Status.QUEUED, Job.Status.RUNNING)).first()
    return pending or request_job(kind, user, target=target)
