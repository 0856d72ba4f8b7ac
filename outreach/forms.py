"""Forms of outreach: events, public and account registration, walk-ins, check-in, feedback,
articles, publications and practice-base activities."""
from django import forms
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts.models import Organization, Station
from ipcenter.forms import MultipleFileField, UploadField
from ipcenter.querysets import StationScope

from .models import (EVENT_STATION_ROLES, Article, BaseActivity, Event, PracticeBase, Publication,
                     mobile_validator)
from .protection import HumanCheckMixin

DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["title", "kind", "station", "description", "venue", "online_url", "starts_at", "ends_at",
                  "hours", "capacity", "registration_opens", "registration_closes", "audience", "invite_code",
                  "requires_approval", "materials_public", "published"]
        widgets = {"starts_at": DT, "ends_at": DT, "registration_opens": DT, "registration_closes": DT,
                   "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "registration_opens", "registration_closes"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if user is not None and not user.is_superuser:
            self.fields["station"].queryset = StationScope.for_user(user, EVENT_STATION_ROLES).stations() \
                .order_by("path")


class RegistrationFields(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    organization_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator],
                             error_messages={"max_length": _("请输入有效的中国大陆手机号码（11 位，以 1 开头）。")})
    email = forms.EmailField(label=_("电子邮箱"), error_messages={"invalid": _("请输入有效的电子邮箱地址。")})
    invite_code = forms.CharField(label=_("邀请码"), max_length=40, required=False)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is None or event.audience != Event.Audience.INVITED:
            del self.fields["invite_code"]
        else:
            self.fields["invite_code"].required = True


class PublicRegistrationForm(RegistrationFields, HumanCheckMixin):
    field_order = ["name", "organization_name", "mobile", "email", "invite_code", "answer", "challenge"]


class AccountRegistrationForm(RegistrationFields):
    """A signed-in user: name and organisation come from the account, the mobile is asked once."""

    email = forms.EmailField(label=_("电子邮箱"), required=False)


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60)
    organization_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    mobile = forms.CharField(label=_("手机号码"), max_length=11, validators=[mobile_validator])
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class MaterialForm(forms.Form):
    files = MultipleFileField(label=_("资料文件"), required=True, purpose="outreach.material",
                              help_text=_("PDF、Word 或图片，单个文件不超过 50 MB。"))


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("签到码"), max_length=64)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("总体评分"), coerce=int, choices=[(i, str(i)) for i in range(5, 0, -1)],
                                    widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见建议"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 4}))


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["kind", "title", "summary", "body", "published"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class PublicationForm(forms.ModelForm):
    pdf = UploadField(label=_("PDF 文件"), required=False, purpose="outreach.publication",
                      help_text=_("期刊等作品的 PDF，公开页面提供下载；重新上传即替换。"))

    class Meta:
        model = Publication
        fields = ["kind", "title", "channel", "number", "published_on", "url", "summary", "views", "likes",
                  "shares", "published"]
        widgets = {"published_on": forms.DateInput(attrs={"type": "date"}),
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            from .services import publication_pdf

            current = publication_pdf(self.instance)
            if current:
                self.fields["pdf"].help_text = _("当前文件：%(name)s。重新上传即替换。") % {"name": current.original_name}


class PracticeBaseForm(forms.ModelForm):
    class Meta:
        model = PracticeBase
        fields = ["name", "industry_chain", "host_organization", "league", "opened_on", "firms", "published"]
        widgets = {"opened_on": forms.DateInput(attrs={"type": "date"}),
                   "firms": forms.SelectMultiple(attrs={"size": 10})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["league"].queryset = Station.objects.filter(
            kind__in=[Station.Kind.LEAGUE, Station.Kind.CENTRE]).order_by("path")
        self.fields["firms"].queryset = Organization.objects.filter(kind=Organization.Kind.COMPANY).order_by("name")
        self.fields["firms"].help_text = _("按住 Ctrl（Mac 为 ⌘）可多选。")


class BaseActivityForm(forms.ModelForm):
    class Meta:
        model = BaseActivity
        fields = ["kind", "date", "count", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
