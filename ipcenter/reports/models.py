"""A background job (a report to build, rows to import): status, progress, its optional target
record, its input and result files and when the result expires."""
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.files.models import private_storage
from ipcenter.querysets import ScopedQuerySet


def report_path(instance, filename):
    return f"reports/{instance.pk.hex}"


def error_report_path(instance, filename):
    return f"reports/{instance.pk.hex}-errors"


def _renderings(text):
    """``text`` in each site language, as a job would have stored it."""
    from django.utils import translation

    out = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.add(str(text)[:200])
    return out


def shown_row_problem(entry):
    """The problem of one stored row error ``[row, column, text]`` or ``[row, column, text,
    template, params]`` in the active language."""
    if len(entry) >= 5 and entry[3]:
        from django.utils.translation import gettext

        try:
            return gettext(entry[3]) % (entry[4] or {})
        except (KeyError, TypeError, ValueError):
            pass
    return entry[2]


class JobQuerySet(ScopedQuerySet):
    def scope(self, user):
        """A job is visible to who requested it and, when it has a target record, to whoever
        may see that record (through the target model's own ``visible_to``)."""
        from .registry import target_models

        q = Q(requested_by=user)
        for model in target_models():
            ct = ContentType.objects.get_for_model(model)
            q |= Q(target_type=ct, target_id__in=model._default_manager.visible_to(user).values("pk"))
        return self.filter(q)

    def for_target(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk)


class ReportJob(models.Model):
    """A background job.  The model keeps its first name (``ReportJob``; other apps' migrations
    point at it); new code says ``Job``."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期")

    class Direction(models.TextChoices):
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("任务类型"), max_length=80)
    direction = models.CharField(_("方向"), max_length=6, choices=Direction.choices, default=Direction.EXPORT)
    title = models.CharField(_("标题"), max_length=200)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.CASCADE,
                                     related_name="report_jobs")
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    input_file = models.ForeignKey("files.Attachment", verbose_name=_("导入文件"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    message = models.CharField(_("当前步骤"), max_length=200, blank=True)
    counters = models.JSONField(_("计数"), default=dict, blank=True)
    result = models.FileField(storage=private_storage, upload_to=report_path, blank=True, max_length=200)
    result_name = models.CharField(_("文件名"), max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    error = models.TextField(_("错误"), blank=True)
    #: an import's first row errors ([row, column, message]); all of them are in ``error_report``
    row_errors = models.JSONField(_("逐行错误"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("错误数"), default=0)
    error_report = models.FileField(storage=private_storage, upload_to=error_report_path, blank=True,
                                    max_length=200)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="reports_job_requester"),
            models.Index(fields=["target_type", "target_id"], name="reports_job_target"),
            models.Index(fields=["expires_at"], name="reports_job_expiry",
                         condition=Q(status__in=["done", "failed"])),
        ]

    def __str__(self):
        return self.display_title

    @property
    def title_text(self):
        """The kind's own (translatable) title when the job kept it, else the stored title: a
        notification parameter that each reader sees in their language."""
        from .registry import REPORT_KINDS

        spec = REPORT_KINDS.get(self.kind)
        if spec is not None and self.title in _renderings(spec.title):
            return spec.title
        return self.title

    @property
    def display_title(self):
        """The title in the viewer's language when it is the kind's own (it is stored in the
        source language, older rows in the requester's); a title the request form made (a
        period, a name) shows as stored."""
        return str(self.title_text)

    def get_absolute_url(self):
        return reverse("reports:job", args=[self.pk])

    @property
    def spec(self):
        from .registry import REPORT_KINDS

        return REPORT_KINDS.get(self.kind)

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.EXPIRED)

    @property
    def is_import(self):
        return self.direction == self.Direction.IMPORT

    @property
    def is_expired(self):
        return self.status == self.Status.EXPIRED or (
            self.expires_at is not None and self.expires_at <= timezone.now() and self.is_finished)

    def shown_row_errors(self):
        """(row, column, problem) of the kept row errors, a problem recorded with its parameters
        in the reader's language (older entries and plain texts as stored)."""
        return [(e[0], e[1], shown_row_problem(e)) for e in self.row_errors or ()]

    @property
    def live_progress(self):
        """The progress a running job reports (an import's progress lives outside its transaction)."""
        if self.status == self.Status.RUNNING:
            from .services import cached_progress

            cached = cached_progress(self.pk)
            if cached is not None:
                return cached
        return self.progress, self.message


#: the general job's name in new code
Job = ReportJob
