"""Forms of patent navigation; every field error is a Chinese message next to its field."""
import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.accounts.models import Organization

from . import parsing
from .analyses import SECTIONS
from .models import ChainLink, ChainNode, IndustryChain, NavigationProject, ProjectPhase


def team_users():
    return get_user_model().objects.filter(is_active=True, groups__name__in=[
        roles.NAVIGATION_ANALYST, roles.MANAGER]).distinct().order_by("username")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = NavigationProject
        fields = ["name", "project_type", "client_organization", "internal_client", "lead", "members", "topic",
                  "ipc_scope", "regions", "year_from", "year_to", "search_strategy", "databases", "chain", "status"]
        widgets = {"search_strategy": forms.Textarea(attrs={"rows": 4}), "members": forms.SelectMultiple(
            attrs={"size": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = team_users()
        self.fields["members"].queryset = team_users()
        self.fields["client_organization"].queryset = Organization.objects.filter(status="active").order_by("name")
        self.fields["chain"].queryset = IndustryChain.objects.order_by("name")
        if self.instance.pk is None:
            self.fields.pop("status")
            if user is not None:
                self.fields["lead"].initial = user.pk

    def clean(self):
        data = super().clean()
        a, b = data.get("year_from"), data.get("year_to")
        if a and not 1900 <= a <= 2100:
            self.add_error("year_from", _("年份应在 1900–2100 之间。"))
        if b and not 1900 <= b <= 2100:
            self.add_error("year_to", _("年份应在 1900–2100 之间。"))
        if a and b and a > b:
            self.add_error("year_to", _("截止年份不能早于起始年份。"))
        if not data.get("client_organization") and not (data.get("internal_client") or "").strip():
            self.add_error("client_organization", _("请选择委托单位，或填写内部委托方。"))
        return data


class PhaseForm(forms.ModelForm):
    class Meta:
        model = ProjectPhase
        fields = ["owner", "due_date", "note"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team_users()

    def clean_due_date(self):
        value = self.cleaned_data.get("due_date")
        if value and self.instance.done_at is None and value < timezone.localdate():
            raise ValidationError(_("计划完成日期不能早于今天。"))
        return value


class DeliverableForm(forms.Form):
    file = forms.FileField(label=_("阶段成果文件"))
    label = forms.CharField(label=_("说明"), max_length=100, required=False)


class UploadForm(forms.Form):
    file = forms.FileField(label=_("专利数据导出文件（CSV / XLSX）"),
                           help_text=_("支持 Lens.org、Google Patents 及 CNIPA/incoPat/PatSnap 等中文数据库导出，"
                                       "UTF-8 或 GB18030 编码"))
    database_name = forms.CharField(label=_("数据来源（数据库）"), max_length=100, required=False,
                                    help_text=_("留空则按识别出的格式填写"))
    cutoff_date = forms.DateField(label=_("数据截止日期"), widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"required": _("请填写数据检索的截止日期。"),
                                                  "invalid": _("请输入有效的日期。")})

    def clean_cutoff_date(self):
        value = self.cleaned_data["cutoff_date"]
        if value > timezone.localdate():
            raise ValidationError(_("数据截止日期不能晚于今天。"))
        return value


class MappingForm(forms.Form):
    """One select per column of the export: which patent field it holds."""

    def __init__(self, *args, imp, **kwargs):
        super().__init__(*args, **kwargs)
        self.imp = imp
        choices = [("", _("（不导入）"))] + [(k, v) for k, v in parsing.FIELDS]
        current = imp.mapping.get("columns") or {}
        for i, header in enumerate(imp.headers):
            self.fields[f"col_{i}"] = forms.ChoiceField(label=header or _("第 %(n)s 列") % {"n": i + 1},
                                                        choices=choices, required=False,
                                                        initial=current.get(str(i), ""))

    def mapping(self):
        return {str(i): self.cleaned_data.get(f"col_{i}") for i in range(len(self.imp.headers))
                if self.cleaned_data.get(f"col_{i}")}


class ReportForm(forms.Form):
    title = forms.CharField(label=_("报告标题"), max_length=200)
    sections = forms.MultipleChoiceField(label=_("章节"), choices=SECTIONS, widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("请至少选择一个章节。")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in SECTIONS:
            self.fields[f"conclusion_{key}"] = forms.CharField(
                label=_("%(s)s：结论与建议") % {"s": label}, required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}))

    def conclusions(self):
        return {k: self.cleaned_data.get(f"conclusion_{k}", "").strip() for k, _l in SECTIONS}


class AliasForm(forms.Form):
    alias = forms.CharField(label=_("别名（如英文名或旧名）"), max_length=300)
    canonical = forms.CharField(label=_("标准名称"), max_length=300)


# --- industry-chain taxonomy -------------------------------------------------------------

_IPC_PREFIX = re.compile(r"^[A-H](\d{2}([A-Z](\s?\d{1,4}(/\d{1,6})?)?)?)?$")


class ChainForm(forms.ModelForm):
    class Meta:
        model = IndustryChain
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"name": {"unique": _("已有同名的产业链，请换一个名称或选择已有的产业链。"),
                                   "required": _("请填写产业链名称。")}}

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("请填写产业链名称。"))
        return name


class ChainLinkForm(forms.ModelForm):
    class Meta:
        model = ChainLink
        fields = ["name", "order"]
        labels = {"name": _("环节（如上游、中游、下游）"), "order": _("顺序")}
        error_messages = {"name": {"required": _("请填写环节名称。")}}


class ChainNodeForm(forms.ModelForm):
    class Meta:
        model = ChainNode
        fields = ["name", "ipc_codes", "keywords", "order"]
        labels = {"order": _("顺序")}
        error_messages = {"name": {"required": _("请填写节点名称。")}}

    def clean_ipc_codes(self):
        raw = unicodedata.normalize("NFKC", self.cleaned_data.get("ipc_codes") or "")
        codes = [c.strip().upper() for c in re.split(r"[,;；、]", raw) if c.strip()]
        bad = [c for c in codes if not _IPC_PREFIX.match(c)]
        if bad:
            raise ValidationError(_("“%(codes)s”不是有效的 IPC 分类号前缀（例如 C10J、C07C 29、C10G 2/00）。")
                                  % {"codes": "、".join(bad[:5])})
        return ", ".join(dict.fromkeys(codes))

    def clean_keywords(self):
        raw = unicodedata.normalize("NFKC", self.cleaned_data.get("keywords") or "")
        words = [w.strip() for w in re.split(r"[,;；、]", raw) if w.strip()]
        short = [w for w in words if len(w) < 2]
        if short:
            raise ValidationError(_("关键词“%(w)s”太短（至少两个字），会命中几乎所有专利。") % {"w": "、".join(short[:5])})
        return ", ".join(dict.fromkeys(words))

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("DELETE") and data.get("name") and \
                not data.get("ipc_codes") and not data.get("keywords"):
            self.add_error("ipc_codes", _("节点至少需要一个 IPC 分类号或一个关键词，才能映射专利。"))
        return data


class _UniqueNamesFormSet(forms.BaseInlineFormSet):
    """Two rows of one formset may not carry the same name (the message is on the second)."""

    duplicate_message = _("名称重复。")

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            name = (form.cleaned_data.get("name") or "").strip()
            if name and name in seen:
                form.add_error("name", self.duplicate_message)
            seen.add(name)


ChainLinkFormSet = forms.inlineformset_factory(IndustryChain, ChainLink, form=ChainLinkForm,
                                               formset=_UniqueNamesFormSet, extra=1, can_delete=True)
ChainNodeFormSet = forms.inlineformset_factory(ChainLink, ChainNode, form=ChainNodeForm,
                                               formset=_UniqueNamesFormSet, extra=2, can_delete=True)
