"""The parameter form of the statistics report jobs: the period and station scope, checked by
the one parser of the dashboard (``selection.resolve_scope``) — a station outside the user's
subtree or an unknown one is a field error, and so the job is never created."""
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from ipcenter.reports.forms import JobParamForm

from .selection import resolve_scope, scope_params


class StatsScopeForm(JobParamForm):
    period = forms.CharField(label=_("统计期间"), required=False)
    year = forms.CharField(label=_("年份"), required=False)
    month = forms.CharField(label=_("月份"), required=False)
    quarter = forms.CharField(label=_("季度"), required=False)
    start = forms.CharField(label=_("开始日期"), required=False)
    end = forms.CharField(label=_("结束日期"), required=False)
    station = forms.CharField(label=_("工作站"), required=False)

    scope = None

    def clean(self):
        data = super().clean()
        try:
            self.scope = resolve_scope(self.user, data)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        except PermissionDenied as exc:
            self.add_error("station" if data.get("station") else None, str(exc))
        except Http404:
            self.add_error("station", _("没有该工作站。"))
        return data

    def job_params(self):
        return scope_params(self.scope)
