"""Background jobs of pre-examination: the opinion letter, made after the opinion is issued."""
import datetime

from django.utils.translation import gettext_lazy as _

from ipcenter.reports.registry import job_kind

from . import services


@job_kind(services.LETTER_JOB, _("预审意见通知书 PDF"), permission=None, queue="default", time_limit=120,
          target_model="prescreen.Opinion", retention=datetime.timedelta(days=30), notify=False)
def opinion_letter(ctx):
    ctx.progress(10, _("生成意见通知书"))
    services.opinion_letter(ctx.target)
