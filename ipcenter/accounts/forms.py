"""Forms of accounts: applicant sign-up and profile."""
from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Organization, Station, TechnicalField, User
from .validators import normalize_uscc, validate_uscc


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。注意密码区分大小写。"),
        "inactive": _("该账号已停用。"),
    }


class SignUpForm(forms.Form):
    """Self-sign-up of a company or agency user; the organisation waits for review."""

    org_name = forms.CharField(label=_("单位名称"), max_length=150)
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30,
                           help_text=_("18 位，含校验位，例如 91150100MA0N12345T。"))
    kind = forms.ChoiceField(label=_("单位类型"), choices=Organization.Kind.choices)
    league = forms.ModelChoiceField(label=_("所属盟市"), queryset=Station.objects.leagues(),
                                    empty_label=_("请选择盟市"))
    technical_fields = forms.ModelMultipleChoiceField(
        label=_("技术领域"), queryset=TechnicalField.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    display_name = forms.CharField(label=_("联系人姓名"), max_length=50)
    phone = forms.RegexField(label=_("手机号"), regex=r"^1[3-9]\d{9}$",
                             error_messages={"invalid": _("请输入 11 位手机号。")})
    email = forms.EmailField(label=_("邮箱"))
    username = forms.RegexField(label=_("用户名"), max_length=40, regex=r"^[A-Za-z0-9_.@+-]{3,40}$",
                                error_messages={"invalid": _("用户名为 3–40 位字母、数字或 _ . @ + -。")})
    password1 = forms.CharField(label=_("密码"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, strip=False)

    def clean_uscc(self):
        value = normalize_uscc(self.cleaned_data["uscc"]).upper()
        validate_uscc(value)
        if Organization.objects.filter(uscc=value).exists():
            raise forms.ValidationError(_("该统一社会信用代码已注册，请联系本单位已有账号的同事或中心工作人员。"))
        return value

    def clean_username(self):
        value = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=value).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return value

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif p1:
            try:
                password_validation.validate_password(
                    p1, User(username=data.get("username", ""), email=data.get("email", "")))
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "phone"]


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "address", "contact_name", "contact_phone", "contact_email", "technical_fields"]
        widgets = {"technical_fields": forms.CheckboxSelectMultiple}
