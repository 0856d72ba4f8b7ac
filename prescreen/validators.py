"""CNIPA application numbers (专利申请号): normalisation, format/check-digit validation and generation.

Current format (since 2003): 4-digit filing year, 1 type digit, 7-digit serial, "." and a check
character.  The check character is sum(digit_i * weight_i) mod 11 over the 12 digits with the weights
2,3,4,5,6,7,8,9,2,3,4,5; a remainder of 10 is written "X".  (Verified against published numbers such
as 201510771082.4, 202520560089.0 and 202610516233.X.)
"""
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
FIRST_YEAR = 2003  # the 12-digit format starts with applications filed in 2003

TYPE_DIGITS = {
    "1": "invention",
    "2": "utility_model",
    "3": "design",
    "8": "pct_invention",
    "9": "pct_utility_model",
}

# Separators users type or paste: spaces (incl. full-width), dots, full-width dot, hyphens.
_SEPARATORS = re.compile(r"[\s\u3000.\uff0e\u3002\-]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＸｘＣＮｃｎ", "0123456789XxCNcn")


def check_digit(first12: str) -> str:
    """Check character for the 12 leading digits."""
    remainder = sum(int(d) * w for d, w in zip(first12, WEIGHTS)) % 11
    return "X" if remainder == 10 else str(remainder)


def _split(value) -> tuple[str, str]:
    """(12 digits, check char) from any tolerated spelling, or ValidationError(code='format')."""
    raw = str(value or "").translate(_FULLWIDTH).strip().upper()
    if raw.startswith("ZL"):
        raw = raw[2:]
    if raw.startswith("CN"):
        raw = raw[2:]
    compact = _SEPARATORS.sub("", raw)
    if not re.fullmatch(r"\d{12}[\dX]", compact):
        raise ValidationError(
            _("申请号格式不正确，应为12位数字加1位校验位，例如 2024 1 0123456.0。"),
            code="format",
        )
    return compact[:12], compact[12]


def validate_application_number(value) -> str:
    """Validate a CNIPA application number and return it normalised as "YYYYTNNNNNNN.C"."""
    digits, check = _split(value)
    year = int(digits[:4])
    this_year = timezone.localdate().year
    if year < FIRST_YEAR or year > this_year:
        raise ValidationError(
            _("申请号中的申请年份 %(year)s 不在有效范围（%(first)s–%(last)s）内。")
            % {"year": digits[:4], "first": FIRST_YEAR, "last": this_year},
            code="year",
        )
    if digits[4] not in TYPE_DIGITS:
        raise ValidationError(
            _("申请号第5位的申请类型代码“%(digit)s”无效，应为1（发明）、2（实用新型）、3（外观设计）、8或9（PCT）。")
            % {"digit": digits[4]},
            code="type",
        )
    expected = check_digit(digits)
    if check != expected:
        raise ValidationError(
            _("申请号校验位错误：“%(given)s”与按前12位计算的校验位不符，请核对后重新输入。")
            % {"given": check},
            code="check_digit",
        )
    return f"{digits}.{check}"


def application_number_type(value) -> str:
    """Application type of a (valid) number: invention / utility_model / design / pct_invention / pct_utility_model."""
    normalised = validate_application_number(value)
    return TYPE_DIGITS[normalised[4]]


def make_application_number(year: int, type_digit, serial: int) -> str:
    """A valid normalised number for seeds and tests, e.g. make_application_number(2024, 1, 123456)."""
    type_digit = str(type_digit)
    if type_digit not in TYPE_DIGITS:
        raise ValueError(f"unknown type digit {type_digit!r}")
    if not 0 <= int(serial) <= 9_999_999:
        raise ValueError("serial must have at most 7 digits")
    digits = f"{int(year):04d}{type_digit}{int(serial):07d}"
    return f"{digits}.{check_digit(digits)}"
