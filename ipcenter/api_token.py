"""The API token endpoint (``/api/v1/auth/token/``): lengths are checked before anything is
authenticated, so an over-long name is a 400 field error (django-axes, which records every
attempt, never sees it)."""
from django.contrib.auth import authenticate, get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

USERNAME_MAX_LENGTH = get_user_model()._meta.get_field("username").max_length
PASSWORD_MAX_LENGTH = 4096  # no real password is longer; hashing a megabyte one would be a DoS


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(
        label=_("用户名"), write_only=True, max_length=USERNAME_MAX_LENGTH,
        error_messages={"max_length": _("用户名不能超过 {max_length} 个字符。"), "required": _("请填写用户名。"),
                        "blank": _("请填写用户名。")})
    password = serializers.CharField(
        label=_("密码"), write_only=True, trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH,
        style={"input_type": "password"},
        error_messages={"max_length": _("密码不能超过 {max_length} 个字符。"), "required": _("请填写密码。"),
                        "blank": _("请填写密码。")})
    token = serializers.CharField(label=_("令牌"), read_only=True)

    def validate(self, attrs):
        user = authenticate(request=self.context.get("request"), username=attrs["username"],
                            password=attrs["password"])
        if not user:
            raise serializers.ValidationError(_("用户名或密码不正确，或账户已被锁定。"), code="authorization")
        attrs["user"] = user
        return attrs


class TokenView(ObtainAuthToken):
    serializer_class = TokenRequestSerializer


obtain_auth_token = TokenView.as_view()
