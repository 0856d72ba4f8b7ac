"""Forms of the pre-exam pages.  They check shape and obvious mistakes (field errors in
Chinese); the rules themselves are enforced again by ``prescreen.services``."""
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization, TechnicalField, User
from ipcenter.forms import BoundedFormMixin, MultipleFileField, UploadField
from ipcenter.validators import event_date, founding_date, head_count, past_date

from .models import DefectType, Opinion, PreExamCase, PrescreenSettings, Registration

DOC_HELP = _("PDF、Word（DOCX）或 PNG/JPG 图片，单个文件不超过 20MB；按文件内容校验类型。")
DOCUMENT_LABELS = {
    "request": _("请求书"),
    "description": _("说明书"),
    "claims": _("权利要求书"),
    "abstract": _("说明书摘要"),
    "drawings": _("说明书附图"),
}
IPC_RE = re.compile(r"^[A-H]\d{2}[A-Z]\s?\d{1,4}/\d{2,6}$")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


class RegistrationForm(BoundedFormMixin, forms.ModelForm):
    bounds = {"established_on": founding_date, "abnormal_finding_on": past_date, "insured_staff": head_count,
              "invention_patents": head_count, "utility_design_patents": head_count}
    documents = MultipleFileField(label=_("证明材料"), purpose="prescreen.document", help_text=_("营业执照、参保证明、专利证书等；") + DOC_HELP)

    class Meta:
        model = Registration
        fields = ["technical_fields", "registered_in_region", "established_on", "insured_staff",
                  "invention_patents", "utility_design_patents", "abnormal_finding_on", "contact_name",
                  "contact_phone"]
        widgets = {"technical_fields": forms.CheckboxSelectMultiple, "established_on": DateInput(),
                   "abnormal_finding_on": DateInput()}
        help_texts = {"abnormal_finding_on": _("没有被认定过非正常申请的请留空。")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technical_fields"].queryset = TechnicalField.objects.order_by("sort_order", "pk")
        self.fields["technical_fields"].label = _("主营业务所属技术领域")

    def clean_established_on(self):
        value = self.cleaned_data["established_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("成立日期不能晚于今天。"))
        return value

    def clean_abnormal_finding_on(self):
        value = self.cleaned_data.get("abnormal_finding_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("认定日期不能晚于今天。"))
        return value

    def clean_contact_phone(self):
        value = self.cleaned_data["contact_phone"].strip()
        if not re.fullmatch(r"[0-9+\-() ]{7,20}", value):
            raise forms.ValidationError(_("请输入有效的电话号码。"))
        return value


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(ReasonForm):
    until = forms.DateField(label=_("暂停至"), widget=DateInput(), validators=[event_date])

    def clean_until(self):
        value = self.cleaned_data["until"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("暂停截止日期应晚于今天。"))
        return value


class CaseForm(forms.ModelForm):
    """Step 1 of filing: what is being filed and by whom."""

    class Meta:
        model = PreExamCase
        fields = ["organization", "title", "patent_type", "technical_field", "ipc", "applicants", "inventors",
                  "agency", "is_pct_national_phase", "is_divisional"]
        help_texts = {
            "ipc": _("例如 A23C 9/12；多个分类号用分号隔开。"),
            "applicants": _("多个申请人用顿号或分号隔开。"),
            "is_pct_national_phase": _("PCT 国家阶段申请不属于预审范围。"),
            "is_divisional": _("分案申请不属于预审范围。"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        cfg = PrescreenSettings.load()
        own = [user.organization_id] if user.organization_id else []
        if user.has_role(roles.AGENCY):
            orgs = Organization.objects.filter(pk__in=user.client_organization_ids)
        else:
            orgs = Organization.objects.filter(pk__in=own)
        self.fields["organization"].queryset = orgs.order_by("name")
        self.fields["organization"].label = _("申请人单位（已备案）")
        if not self.instance.pk and orgs.count() == 1:
            self.initial.setdefault("organization", orgs.first().pk)
        self.fields["technical_field"].queryset = TechnicalField.objects.filter(
            prescreen_enabled=True).order_by("sort_order", "pk")
        types = PreExamCase.PatentType.choices
        if not cfg.design_enabled:
            types = [c for c in types if c[0] != PreExamCase.PatentType.DESIGN]
        self.fields["patent_type"].choices = types
        if user.has_role(roles.AGENCY):
            del self.fields["agency"]  # the filing agency is the user's own
        else:
            self.fields["agency"].queryset = Organization.objects.filter(
                kind=Organization.Kind.AGENCY, clients__in=own).distinct().order_by("name")
            self.fields["agency"].help_text = _("委托代理机构办理的请选择；只列出已与本单位建立代理关系的机构。")

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        limit = PrescreenSettings.load().title_limit
        if len(title) > limit * 2:
            raise forms.ValidationError(_("发明名称过长（%(n)s 字），一般不超过 %(limit)s 字。")
                                        % {"n": len(title), "limit": limit})
        return title

    def clean_ipc(self):
        raw = self.cleaned_data.get("ipc", "").strip().upper()
        if not raw:
            return ""
        parts = [p.strip() for p in re.split(r"[;；,，]", raw) if p.strip()]
        bad = [p for p in parts if not IPC_RE.match(p)]
        if bad:
            raise forms.ValidationError(_("IPC 分类号格式不正确：%(bad)s（示例：A23C 9/12）。") % {"bad": "、".join(bad)})
        return "; ".join(parts)

    def clean_is_pct_national_phase(self):
        if self.cleaned_data.get("is_pct_national_phase"):
            raise forms.ValidationError(_("PCT 国际申请进入中国国家阶段的申请不属于预审受理范围，请直接向国家知识产权局提交。"))
        return False

    def clean_is_divisional(self):
        if self.cleaned_data.get("is_divisional"):
            raise forms.ValidationError(_("分案申请不属于预审受理范围，请直接向国家知识产权局提交。"))
        return False


class DocumentsForm(forms.Form):
    """Step 2: the application documents, one current version per role."""

    request = UploadField(label=DOCUMENT_LABELS["request"], required=False, help_text=DOC_HELP,
                          purpose="prescreen.document")
    description = UploadField(label=DOCUMENT_LABELS["description"], required=False, purpose="prescreen.document")
    claims = UploadField(label=DOCUMENT_LABELS["claims"], required=False, purpose="prescreen.document")
    abstract = UploadField(label=DOCUMENT_LABELS["abstract"], required=False, purpose="prescreen.document")
    drawings = MultipleFileField(label=DOCUMENT_LABELS["drawings"], purpose="prescreen.document",
                                 help_text=_("一个 PDF，或每幅图一张图片（文件名如“图1.png”）。"))

    def __init__(self, *args, require_any=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_any = require_any

    def clean(self):
        data = super().clean()
        if self.require_any and not any(data.get(role) for role in DOCUMENT_LABELS):
            raise forms.ValidationError(_("请至少选择一个文件。"))
        return data


class CorrectionForm(DocumentsForm):
    note = forms.CharField(label=_("答复说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("逐条说明对预审意见的修改情况。"))
    field_order = ["note", "request", "description", "claims", "abstract", "drawings"]


class AssignForm(forms.Form):
    examiner = forms.ModelChoiceField(label=_("预审员"), queryset=User.objects.none())

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["examiner"].queryset = (User.objects.filter(groups__name=roles.EXAMINER, is_active=True,
                                                                technical_fields=case.technical_field_id)
                                            .distinct().order_by("username"))
        self.fields["examiner"].label_from_instance = str


class DefectItemForm(forms.Form):
    defect_type = forms.ModelChoiceField(label=_("缺陷类型"), queryset=DefectType.objects.filter(active=True))
    location = forms.CharField(label=_("位置"), max_length=60, help_text=_("例如：权利要求 3；说明书 第[0012]段；附图 图2"))
    text = forms.CharField(label=_("缺陷说明"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    suggestion = forms.CharField(label=_("修改建议"), max_length=5000, required=False,
                                 widget=forms.Textarea(attrs={"rows": 2}))


class SubmitOpinionForm(forms.Form):
    conclusion = forms.ChoiceField(label=_("预审结论"), choices=[("", "---------")] + Opinion.Conclusion.choices)
    reasons = forms.CharField(label=_("结论理由"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("结论为“不合格”时必填。"))


class CnipaFilingForm(forms.Form):
    application_number = forms.CharField(label=_("国家知识产权局申请号"), max_length=24,
                                         help_text=_("例如 2025 1 0123456.7（含校验位）"))
    filed_on = forms.DateField(label=_("正式递交日期"), widget=DateInput(), validators=[past_date])


class CnipaOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("实审结果"), choices=[("", "---------")] + PreExamCase.CnipaOutcome.choices)
    outcome_date = forms.DateField(label=_("结果日期"), widget=DateInput(), validators=[past_date])
    reasons = forms.CharField(label=_("理由"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}), help_text=_("驳回时必填，例如“不具备新颖性”。"))
