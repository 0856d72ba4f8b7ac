"""Job kinds: an app registers what its background jobs do, in one decorator for both directions.

``@job_kind(code, title, direction="export"|"import", ...)`` on a builder ``build(ctx)``
(``ctx``: ``ipcenter.reports.context.JobContext``); ``@report_kind`` is the export shortcut.
Builders written before the context take ``(job, progress)`` and return a ``ReportOutput``;
they keep working."""
import datetime
import inspect
from dataclasses import dataclass, field
from typing import Callable

from django.apps import apps
from django.conf import settings

LONG, DEFAULT = "long", "default"
#: the upload purpose of an import kind that names none (``ipcenter.files`` checks type and size)
IMPORT_PURPOSE = "jobs.import"


@dataclass
class ReportOutput:
    """A small builder's result held in memory (bigger ones write through ``ctx.output``)."""

    content: bytes
    filename: str
    content_type: str


@dataclass
class JobKind:
    code: str
    title: str
    build: Callable
    direction: str = "export"
    #: rules permission checked when the job is requested; None: the requesting service decides
    permission: str | None = "reports.run_report"
    #: a ``JobParamForm`` subclass that validates the parameters (request and worker)
    form: type | None = None
    queue: str = LONG
    #: soft limit in seconds (the hard limit is 30 s later); None: the queue's default
    time_limit: int | None = None
    retention: datetime.timedelta = field(default_factory=lambda: datetime.timedelta(days=7))
    #: the model of the job's target record ("app_label.Model" or the class); None: no target
    target_model: object = None
    #: upload purpose of an import's input file
    input_purpose: str = IMPORT_PURPOSE
    takes_context: bool = True
    #: tell the requester when the job ends (off for jobs a service starts on its own)
    notify: bool = True
    #: offered on the reports page and the API (False: only a service or a view starts it)
    listed: bool = True
    #: ``on_finish(job)``: called once the job's end (DONE or FAILED, also a failure found by the
    #: stale-job sweep) is committed, outside the import's transaction — where a record that
    #: started the job writes what the rolled-back transaction could not keep (its FAILED state)
    on_finish: Callable | None = None

    @property
    def is_import(self):
        return self.direction == "import"

    @property
    def requestable(self):
        """Started by a user from the reports page or the API (not by a service, not on a record)."""
        return self.listed and self.target_model is None

    @property
    def soft_limit(self):
        if self.time_limit is not None:
            return int(self.time_limit)
        return settings.CELERY_LONG_TASK_SOFT_LIMIT if self.queue == LONG else settings.CELERY_TASK_SOFT_TIME_LIMIT

    @property
    def hard_limit(self):
        return self.soft_limit + 30

    @property
    def queue_name(self):
        return settings.CELERY_LONG_QUEUE if self.queue == LONG else settings.CELERY_TASK_DEFAULT_QUEUE

    def get_target_model(self):
        if self.target_model is None or not isinstance(self.target_model, str):
            return self.target_model
        return apps.get_model(self.target_model)


REPORT_KINDS = {}
JOB_KINDS = REPORT_KINDS


def _takes_context(func):
    params = [p for p in inspect.signature(func).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(params) == 1


def job_kind(code, title, direction="export", permission="reports.run_report", form=None, queue=LONG,
             time_limit=None, retention=datetime.timedelta(days=7), target_model=None, input_purpose=None,
             notify=True, listed=True, on_finish=None):
    """Register the decorated builder as the job kind ``code``."""
    if direction not in ("export", "import"):
        raise ValueError(f"job kind {code!r}: direction must be 'export' or 'import'")
    if queue not in (LONG, DEFAULT):
        raise ValueError(f"job kind {code!r}: queue must be 'long' or 'default'")

    def decorator(func):
        if code in REPORT_KINDS and REPORT_KINDS[code].build is not func:
            raise ValueError(f"job kind {code!r} registered twice")
        REPORT_KINDS[code] = JobKind(code, title, func, direction, permission, form, queue, time_limit, retention,
                                     target_model, input_purpose or IMPORT_PURPOSE, _takes_context(func), notify, listed,
                                     on_finish)
        return func

    return decorator


def report_kind(code, title, permission="reports.run_report", **options):
    """An export kind (the shortcut every report uses)."""
    return job_kind(code, title, direction="export", permission=permission, **options)


def target_models():
    """The models that registered kinds take as targets (their viewers see the jobs)."""
    seen = []
    for spec in REPORT_KINDS.values():
        model = spec.get_target_model()
        if model is not None and model not in seen:
            seen.append(model)
    return seen
