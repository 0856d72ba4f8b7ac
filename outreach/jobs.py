"""Background jobs of outreach: the reach CSV import (views, likes, shares of publications) as a
core import job — progress, the error list and workbook, and the job page come from the core;
the rule is ``services.import_reach``."""
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ipcenter.reports.forms import ImportForm
from ipcenter.reports.registry import job_kind

from . import services
from .models import is_outreach_staff


class ReachImportForm(ImportForm):
    """The reach CSV; only outreach staff may import (checked again by the worker)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("purpose", services.REACH_PURPOSE)
        super().__init__(*args, **kwargs)
        self.fields["file"].label = _("传播数据 CSV")
        self.fields["file"].help_text = _("列：id, views, likes, shares（UTF-8，首行为表头）。")

    def clean(self):
        if not is_outreach_staff(self.user):
            raise forms.ValidationError(_("您没有权限执行此操作。"))
        return super().clean()


@job_kind(services.REACH_JOB, _("导入传播数据"), direction="import", permission=None, form=ReachImportForm,
          input_purpose=services.REACH_PURPOSE, queue="default", time_limit=300,
          retention=datetime.timedelta(days=7), listed=False)
def reach_import(ctx):
    ctx.progress(5, _("导入中"))
    with ctx.open_input() as fh:
        n = services.import_reach(fh, ctx.user, ctx.row_error, progress=ctx.progress)
    if n:  # a failed run updated nothing: no counter on its page
        ctx.count("更新", n)
