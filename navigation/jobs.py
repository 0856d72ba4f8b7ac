"""The patent import as a core job (``navigation.patent_import``): the target is the
``PatentImport`` whose stored export, detected headers and confirmed mapping the job reads."""
import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from ipcenter.reports.forms import JobParamForm
from ipcenter.reports.registry import job_kind

from . import services
from .models import PatentImport


class ImportJobForm(JobParamForm):
    """No parameters: the import record holds them.  The requester must still see it (checked
    again by the worker: someone taken off the project's team gets a failed job)."""

    def clean(self):
        target = self.target
        if target is None or not PatentImport.objects.visible_to(self.user).filter(pk=target.pk).exists():
            raise forms.ValidationError(_("您已无权访问该导入所在的项目。"))
        return super().clean()


@job_kind(services.IMPORT_JOB, _("专利数据导入"), direction="import", permission=None, form=ImportJobForm,
          queue="long", time_limit=1800, retention=datetime.timedelta(days=30), target_model="navigation.PatentImport",
          listed=False, on_finish=services.import_finished)
def patent_import(ctx):
    services.import_rows(ctx)
