"""Forms of the quality pages (field errors in Chinese; services enforce the rules again)."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.accounts.models import User
from ipcenter.forms import BoundedFormMixin
from ipcenter.validators import Span, event_date, past_date
from prescreen.forms import DateInput
from prescreen.models import DefectItem

from .models import QualityCheck, ErrorType, Level


class ErrorForm(forms.Form):
    error_type = forms.ModelChoiceField(label=_("差错类型"), queryset=ErrorType.objects.filter(active=True))
    defect_item = forms.ModelChoiceField(label=_("对应缺陷条目"), queryset=DefectItem.objects.none(), required=False,
                                         help_text=_("针对意见中某一条目的差错请选择；遗漏的问题留空。"))
    comment = forms.CharField(label=_("说明"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defect_item"].queryset = DefectItem.objects.filter(opinion_id=check.opinion_id)
        self.fields["defect_item"].label_from_instance = lambda it: f"{it.order}. {it.location}：{it.text[:30]}"


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("质检结论"), choices=[("", "---------")] + QualityCheck.Outcome.choices)
    score = forms.IntegerField(label=_("评分（0–100）"), min_value=0, max_value=100, required=False)
    comment = forms.CharField(label=_("检查意见"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("退回或附意见通过时必填；退回时写明整改要求。"))

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, **kwargs)
        if check.level != Level.PEER:
            self.fields["score"].required = True
        else:
            self.fields["score"].help_text = _("互检可不评分。")


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("申诉理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class FixForm(forms.Form):
    fix_note = forms.CharField(label=_("整改说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class SampleForm(BoundedFormMixin, forms.Form):
    bounds = {"period_start": past_date, "period_end": event_date}
    spans = (Span("period_start", "period_end"),)

    level = forms.ChoiceField(label=_("质检层级"), choices=[(Level.DEPARTMENT, Level.DEPARTMENT.label),
                                                         (Level.CENTRE, Level.CENTRE.label)])
    period_start = forms.DateField(label=_("意见签发日期自"), widget=DateInput())
    period_end = forms.DateField(label=_("至"), widget=DateInput())
    share = forms.DecimalField(label=_("抽检比例"), min_value=0.01, max_value=1, decimal_places=2, required=False,
                               help_text=_("留空按质检参数中的比例。"))
    seed = forms.IntegerField(label=_("随机种子"), min_value=1, max_value=2**53, required=False,
                              help_text=_("留空自动生成；相同种子与总体可重现同一抽样结果。"))
    reviewer = forms.ModelChoiceField(label=_("检查人"), queryset=User.objects.none(), required=False,
                                      help_text=_("留空由本人检查。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("period_start", today.replace(day=1))
        self.initial.setdefault("period_end", today)
        self.fields["reviewer"].queryset = User.objects.filter(
            groups__name__in=[roles.QC_REVIEWER, roles.MANAGER], is_active=True).distinct().order_by("username")
        self.fields["reviewer"].label_from_instance = str


class StatsFilterForm(BoundedFormMixin, forms.Form):
    bounds = {"date_from": event_date, "date_to": event_date}
    spans = (Span("date_from", "date_to"),)

    date_from = forms.DateField(label=_("完成日期自"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("至"), required=False, widget=DateInput())
