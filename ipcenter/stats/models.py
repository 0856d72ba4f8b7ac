"""Statistics settings (reference values quoted next to the figures), the monthly report log and
the figure snapshots the dashboard and the exports are served from."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from ipcenter.querysets import ScopedQuerySet
from ipcenter.singleton import SingletonSettings


class StatsSettings(SingletonSettings):
    invention_cycle_months = models.PositiveSmallIntegerField(
        _("普通发明专利授权周期（月）"), default=16,
        help_text=_("与“受理至授权平均天数”对照的参考值（种子文章：16 个月）"))
    monthly_report_enabled = models.BooleanField(_("每月自动发送统计月报"), default=True)

    class Meta:
        verbose_name = _("统计设置")
        verbose_name_plural = _("统计设置")


class MonthlyReport(models.Model):
    """One row per month: claimed in a transaction by the first beat run, so the monthly
    report is built and e-mailed exactly once even if beat fires twice or a worker dies
    (a claimed row whose ``sent_at`` is empty is retried by the next run)."""

    month = models.DateField(_("月份"), unique=True)
    claimed_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("收件人数"), default=0)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("统计月报")
        verbose_name_plural = _("统计月报")

    def __str__(self):
        return f"{self.month:%Y-%m}"


class FigureSnapshotQuerySet(ScopedQuerySet):
    def scope(self, user):
        """Whole-centre snapshots for centre-wide users; a station's for those whose station
        scope includes it (the same rule as ``selection.resolve_scope``)."""
        if not user.has_perm("stats.view_dashboard"):
            return self.none()
        if user.is_centre_wide:
            return self.all()
        return self.filter(station__isnull=False).by_station(user, "station")


class FigureSnapshot(models.Model):
    """Every provider's section for one scope, period and language, computed in the
    background (``snapshots.refresh``) and read by the dashboard, the exports and the API.

    ``period_key`` is the period's kind, start and end (``opening:<start>`` for "since
    opening", whose end is always today: ``period_end`` says which day the data reach);
    ``queued_at`` is the pending-recompute marker that lets exactly one recompute be queued."""

    scope_key = models.CharField(_("统计范围"), max_length=40)
    station = models.ForeignKey("accounts.Station", verbose_name=_("工作站"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="+")
    period_key = models.CharField(_("统计期间"), max_length=40)
    period_start = models.DateField(_("开始日期"))
    period_end = models.DateField(_("结束日期"))
    language = models.CharField(_("语言"), max_length=10)
    data = models.JSONField(_("数据"), null=True, blank=True)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)
    compute_seconds = models.FloatField(_("计算耗时（秒）"), null=True, blank=True)
    queued_at = models.DateTimeField(_("排队时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = FigureSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("统计快照")
        verbose_name_plural = _("统计快照")
        constraints = [models.UniqueConstraint(fields=["scope_key", "period_key", "language"],
                                               name="stats_snapshot_unique_key")]

    def __str__(self):
        return f"{self.scope_key} {self.period_key} {self.language}"
