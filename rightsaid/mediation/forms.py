"""Forms of people's mediation (Chinese field errors; services enforce the rules again)."""
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.files.services import MB
from ipcenter.forms import BoundedFormMixin, UploadField
from ipcenter.validators import Span, amount_yuan, event_date, past_date
from rightsaid.models import IPType

from .models import Dispute, JudicialConfirmation, Party, MediationSession


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class DisputeForm(forms.Form):
    subject = forms.CharField(label=_("纠纷事由"), max_length=200)
    ip_type = forms.ChoiceField(label=_("知识产权类型"), choices=IPType.choices)
    amount = forms.DecimalField(label=_("争议金额（元）"), required=False, max_digits=14, decimal_places=2,
                                validators=[amount_yuan])
    description = forms.CharField(label=_("纠纷简要情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    station = forms.ModelChoiceField(label=_("受理工作站"), queryset=None)
    applicant_name = forms.CharField(label=_("申请人姓名/名称"), max_length=150)
    applicant_id = forms.CharField(label=_("申请人证件号/信用代码"), max_length=30, required=False)
    applicant_contact = forms.CharField(label=_("申请人联系方式"), max_length=100, required=False)
    respondent_name = forms.CharField(label=_("被申请人姓名/名称"), max_length=150)
    respondent_id = forms.CharField(label=_("被申请人证件号/信用代码"), max_length=30, required=False)
    respondent_contact = forms.CharField(label=_("被申请人联系方式"), max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        from .services import allowed_stations

        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = allowed_stations(user).distinct().order_by("path")
        if user.station_id:
            self.initial.setdefault("station", user.station_id)

    def clean(self):
        data = super().clean()
        if data.get("applicant_name") and data.get("applicant_name").strip() == (data.get("respondent_name") or "").strip():
            self.add_error("respondent_name", _("被申请人不能与申请人相同。"))
        return data

    def parties(self):
        d = self.cleaned_data
        return [
            {"role": Party.Role.APPLICANT, "name": d["applicant_name"], "id_number": d["applicant_id"],
             "contact": d["applicant_contact"]},
            {"role": Party.Role.RESPONDENT, "name": d["respondent_name"], "id_number": d["respondent_id"],
             "contact": d["respondent_contact"]},
        ]


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["role", "name", "id_number", "contact"]


class ConsentForm(forms.Form):
    party = forms.ModelChoiceField(label=_("当事人"), queryset=Party.objects.none())
    document = UploadField(label=_("签署的同意调解书"), purpose="mediation.consent", help_text=_("PDF 或照片（PNG/JPG），不超过 20MB。"))

    def __init__(self, *args, dispute, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = dispute.parties.filter(consent_given_at__isnull=True)
        self.fields["party"].empty_label = None  # the next party still to consent is preselected


class AssignForm(forms.Form):
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=None)
    declaration = forms.CharField(label=_("利益冲突声明"), widget=forms.Textarea(attrs={"rows": 2}),
                                  initial=_("本人与本纠纷各方当事人及其代理人无亲属、雇佣、投资或其他利害关系。"))
    confirmed = forms.BooleanField(label=_("调解员确认与各方当事人不存在利益冲突"))

    def __init__(self, *args, **kwargs):
        from .services import mediator_pool

        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = mediator_pool()


class MediationSessionForm(BoundedFormMixin, forms.ModelForm):
    bounds = {"held_on": past_date}

    class Meta:
        model = MediationSession
        fields = ["held_on", "mode", "place", "attendees", "notes"]
        widgets = {"held_on": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())


class ExtendForm(forms.Form):
    new_due_date = forms.DateField(label=_("延长至"), widget=DateInput(), validators=[event_date])
    reason = forms.CharField(label=_("延长理由"), widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(forms.Form):
    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 6}),
                            help_text=_("逐条写明各方达成的权利义务、履行方式和期限。"))
    signed_on = forms.DateField(label=_("签订日期"), widget=DateInput(), validators=[past_date])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("signed_on", timezone.localdate())


class FailForm(forms.Form):
    referral = forms.ChoiceField(label=_("转办去向"), choices=[("", "---------")] + Dispute.Referral.choices)
    note = forms.CharField(label=_("调解不成说明"), widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmationForm(BoundedFormMixin, forms.Form):
    bounds = {"applied_on": past_date, "decided_on": past_date}
    spans = (Span("applied_on", "decided_on", message=_("裁定日期不能早于申请日期。")),)

    applied_on = forms.DateField(label=_("申请日期"), widget=DateInput())
    court = forms.CharField(label=_("受理法院"), max_length=150)
    result = forms.ChoiceField(label=_("结果"), choices=[("", "---------")] + JudicialConfirmation.Result.choices)
    decided_on = forms.DateField(label=_("裁定日期"), required=False, widget=DateInput())
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}))


class VerifyFileForm(forms.Form):
    file = forms.FileField(label=_("协议书 PDF"), help_text=_("上传手中的协议书文件，核对是否与登记的原件一致。"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 20 * MB:
            raise forms.ValidationError(_("文件不能超过 20MB。"))
        return f
