"""Validators for identifiers used across the portal."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError as StdnumError


def normalize_uscc(value):
    return uscc.compact(value or "")


def validate_uscc(value):
    """统一社会信用代码: 18 characters with a GB 32100-2015 check digit."""
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(_("统一社会信用代码应为 18 位。"), code="length")
    except InvalidChecksum:
        raise ValidationError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), code="checksum")
    except (InvalidFormat, StdnumError):
        raise ValidationError(_("统一社会信用代码格式不正确。"), code="format")
