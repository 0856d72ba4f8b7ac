"""CNIPA application number validation: normalisation, type, year, check digit (incl. X)."""
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from prescreen.validators import (
    application_number_type,
    check_digit,
    make_application_number,
    validate_application_number,
)

# Real, published application numbers (the check digits were issued by CNIPA).
REAL_NUMBERS = [
    "201510771082.4",
    "201510305992.3",
    "202520560089.0",
    "202610386399.4",
    "202511963728.9",
    "2023211609569",  # utility model, no dot
    "2017101580440",
]


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_published_numbers_are_valid(number, settings):
    digits = number.replace(".", "")
    if int(digits[:4]) > timezone.localdate().year:
        pytest.skip("number filed after today's year")
    assert validate_application_number(number) == f"{digits[:12]}.{digits[12]}"


def test_check_digit_ten_is_written_x():
    # 202610516233.X is a published number whose remainder is 10.
    assert check_digit("202610516233") == "X"
    if timezone.localdate().year >= 2026:
        assert validate_application_number("202610516233X") == "202610516233.X"
        assert validate_application_number("2026 1 0516233.x") == "202610516233.X"


@pytest.mark.parametrize(
    "spelling",
    ["2015 1 0771082.4", "201510771082.4", "CN201510771082.4", "cn 2015 1077 1082 4",
     "ZL201510771082.4", "２０１５１０７７１０８２．４", " 2015-1-0771082.4 "],
)
def test_tolerated_spellings_normalise(spelling):
    assert validate_application_number(spelling) == "201510771082.4"


def _error(value):
    with pytest.raises(ValidationError) as exc:
        validate_application_number(value)
    return exc.value


@pytest.mark.parametrize("value", ["", None, "20151077108.4", "2015107710824.4",
                                   "2015A0771082.4", "201510771082.Y", "申请号201510771082"])
def test_bad_format_rejected_with_chinese_message(value):
    err = _error(value)
    assert err.code == "format"
    assert "申请号格式不正确" in err.messages[0]


def test_year_out_of_range_rejected():
    err = _error(make_number_unchecked("2002", "1", "0123456"))
    assert err.code == "year"
    assert "申请年份 2002" in err.messages[0]
    future = str(timezone.localdate().year + 1)
    err = _error(make_number_unchecked(future, "1", "0000001"))
    assert err.code == "year"


@pytest.mark.parametrize("digit", ["0", "4", "5", "6", "7"])
def test_unknown_type_digit_rejected(digit):
    err = _error(make_number_unchecked("2020", digit, "0123456"))
    assert err.code == "type"
    assert f"“{digit}”" in err.messages[0] and "申请类型代码" in err.messages[0]


def test_wrong_check_digit_rejected():
    err = _error("201510771082.5")
    assert err.code == "check_digit"
    assert "校验位错误" in err.messages[0]
    # the contract's format example 2024 1 0123456.7 has check digit 0, not 7
    assert validate_application_number("2024 1 0123456.0") == "202410123456.0"
    assert _error("2024 1 0123456.7").code == "check_digit"


@pytest.mark.parametrize(
    "digit,kind",
    [("1", "invention"), ("2", "utility_model"), ("3", "design"), ("8", "pct_invention"),
     ("9", "pct_utility_model")],
)
def test_application_number_type(digit, kind):
    assert application_number_type(make_application_number(2021, digit, 42)) == kind


def test_make_application_number_round_trips_and_rejects_bad_input():
    for serial in range(0, 5000, 37):
        number = make_application_number(2024, 1, serial)
        assert validate_application_number(number) == number
    with pytest.raises(ValueError):
        make_application_number(2024, 4, 1)
    with pytest.raises(ValueError):
        make_application_number(2024, 1, 10_000_000)


def make_number_unchecked(year, type_digit, serial):
    digits = f"{year}{type_digit}{serial}"
    return f"{digits}.{check_digit(digits)}"
