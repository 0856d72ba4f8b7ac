"""Statistics settings (reference values quoted next to the figures) and the monthly report log."""
from django.db import models
from django.utils.translation import gettext_lazy as _

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
