"""Background jobs of people's mediation: the agreement PDF, made after the agreement is recorded."""
import datetime

from django.utils.translation import gettext_lazy as _

from ipcenter.reports.registry import job_kind

from . import services


@job_kind(services.AGREEMENT_JOB, _("调解协议书 PDF"), permission=None, queue="default", time_limit=120,
          target_model="mediation.Agreement", retention=datetime.timedelta(days=30), notify=False)
def agreement_pdf(ctx):
    ctx.progress(10, _("生成协议书"))
    services.store_agreement_pdf(ctx.target, ctx.user)
