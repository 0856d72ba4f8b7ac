"""Forms of rights assistance (field errors in Chinese)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts.models import Station
from ipcenter.forms import BoundedFormMixin, MultipleFileField, UploadField  # noqa: F401  (re-exported)
from ipcenter.validators import Span, amount_yuan, event_date, minutes_in_a_day

from .models import AssistanceCase, Consultation, Exhibition, ExhibitionComplaint, Referral

FILE_HELP = _("可上传 PDF、Word、PNG、JPG，单个文件不超过 20MB。")


def _station_choices(user):
    """The stations of the user's scope (none for a user without a station)."""
    return user.station_scope.stations().exclude(kind="overseas").order_by("path")


class ConsultationForm(BoundedFormMixin, forms.ModelForm):
    bounds = {"duration_minutes": minutes_in_a_day}

    class Meta:
        model = Consultation
        fields = ["channel", "topic", "ip_type", "requester_name", "requester_contact", "requester_org_name",
                  "question", "answer", "duration_minutes", "station"]
        widgets = {"question": forms.Textarea(attrs={"rows": 3}), "answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _station_choices(user)
        if user is not None and user.station_id and not self.initial.get("station"):
            self.initial["station"] = user.station_id


class CaseIntakeForm(BoundedFormMixin, forms.ModelForm):
    """Staff intake of any kind of case."""

    bounds = {"amount_claimed": amount_yuan}

    evidence_files = MultipleFileField(label=_("证据材料"), help_text=FILE_HELP, purpose="rightsaid.evidence")

    class Meta:
        model = AssistanceCase
        fields = ["kind", "case_type", "channel", "title", "description", "respondent", "requester_name",
                  "station", "country", "overseas_station", "requesting_authority", "amount_claimed"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _station_choices(user)
        self.fields["overseas_station"].queryset = Station.objects.filter(kind="overseas").order_by("path")
        if user is not None and user.station_id:
            self.initial.setdefault("station", user.station_id)


class OnlineRequestForm(forms.ModelForm):
    """A company user's own request for assistance."""

    evidence_files = MultipleFileField(label=_("证据材料"), help_text=FILE_HELP, purpose="rightsaid.evidence")

    class Meta:
        model = AssistanceCase
        fields = ["kind", "case_type", "title", "description", "respondent", "requester_name", "station"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in AssistanceCase.Kind.choices if c[0] in ("assistance", "complaint")]
        self.fields["station"].queryset = Station.objects.filter(kind__in=["centre", "league"]).order_by("path")
        self.fields["station"].label = _("受理机构")
        org = getattr(user, "organization", None)
        if org is not None and org.league_id:
            self.initial.setdefault("station", org.league_id)


class ConvertForm(forms.Form):
    kind = forms.ChoiceField(label=_("案件类别"), choices=AssistanceCase.Kind.choices)
    case_type = forms.ChoiceField(label=_("案件类型"), choices=AssistanceCase.CaseType.choices)
    title = forms.CharField(label=_("案由"), max_length=200, required=False)


class ReferralForm(forms.Form):
    authority = forms.ChoiceField(label=_("移交机关"), choices=Referral.Authority.choices)
    authority_name = forms.CharField(label=_("机关名称"), max_length=200, required=False)
    note = forms.CharField(label=_("移交说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FeedbackForm(forms.Form):
    feedback = forms.CharField(label=_("反馈情况"), widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结案结果"), choices=AssistanceCase.Outcome.choices)
    outcome_note = forms.CharField(label=_("结案说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    amount_claimed = forms.DecimalField(label=_("请求金额（元）"), required=False, max_digits=14, decimal_places=2,
                                        validators=[amount_yuan])
    amount_recovered = forms.DecimalField(label=_("挽回损失（元）"), required=False, max_digits=14, decimal_places=2,
                                          validators=[amount_yuan])


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("证据名称"), max_length=200)
    source = forms.CharField(label=_("来源"), max_length=200, required=False)
    file = UploadField(label=_("文件"), required=False, help_text=FILE_HELP, purpose="rightsaid.evidence")


class ExpertOpinionForm(forms.Form):
    summary = forms.CharField(label=_("专家意见摘要"), widget=forms.Textarea(attrs={"rows": 2}))
    file = UploadField(label=_("专家意见（PDF）"), required=False, purpose="rightsaid.expert_opinion")


class TransferForm(forms.Form):
    station = forms.ModelChoiceField(label=_("移送至"), queryset=Station.objects.exclude(kind="overseas")
                                     .order_by("path"))
    reason = forms.CharField(label=_("移送理由"), max_length=500, required=False)


class ExhibitionForm(BoundedFormMixin, forms.ModelForm):
    """An exhibition lasts at most 60 days, within 2000 … ten years ahead."""

    bounds = {"start_date": event_date, "end_date": event_date}
    spans = (Span("start_date", "end_date", max_days=60),)

    class Meta:
        model = Exhibition
        fields = ["name", "venue", "start_date", "end_date", "station"]
        widgets = {"start_date": forms.DateInput(attrs={"type": "date"}),
                   "end_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = _station_choices(user)


class ExhibitionComplaintForm(forms.ModelForm):
    evidence_files = MultipleFileField(label=_("证据材料"), help_text=FILE_HELP, purpose="rightsaid.evidence")

    class Meta:
        model = ExhibitionComplaint
        fields = ["complainant", "respondent", "booth", "ip_type", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答辩内容"), widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=ExhibitionComplaint.Outcome.choices)
    comment = forms.CharField(label=_("说明"), required=False)
