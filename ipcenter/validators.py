"""Sane bounds for dates, durations, amounts and counts, shared by forms, serializers and
models (Chinese messages).  An exhibition from 1900 to 9999 or a consultation of 99 999 999 999
minutes is a typing slip, never a record.

Declare them once per form or serializer (``ipcenter.forms.BoundedFormMixin``,
``ipcenter.api.BoundedSerializerMixin``)::

    bounds = {"start_date": event_date, "end_date": event_date, "duration_minutes": minutes_in_a_day}
    spans = (Span("start_date", "end_date", max_days=60),)
"""
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(2000, 1, 1)


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@deconstructible
class DateRange:
    """A date between ``earliest`` and today + ``years_ahead`` years (0: not after today)."""

    def __init__(self, earliest=EARLIEST, years_ahead=10, label=None):
        self.earliest = earliest
        self.years_ahead = years_ahead
        self.label = label

    def latest(self):
        return _years_after(timezone.localdate(), self.years_ahead)

    def __call__(self, value):
        if value is None:
            return
        if isinstance(value, datetime.datetime):
            value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
        latest = self.latest()
        label = self.label or _("日期")
        if value < self.earliest:
            raise ValidationError(_("%(label)s不能早于 %(earliest)s。"), code="date_too_early",
                                  params={"label": label, "earliest": self.earliest.isoformat()})
        if value > latest:
            if self.years_ahead == 0:
                raise ValidationError(_("%(label)s不能晚于今天。"), code="date_in_future", params={"label": label})
            raise ValidationError(_("%(label)s不能晚于 %(latest)s。"), code="date_too_late",
                                  params={"label": label, "latest": latest.isoformat()})

    def __eq__(self, other):
        return isinstance(other, DateRange) and (self.earliest, self.years_ahead, self.label) == (
            other.earliest, other.years_ahead, other.label)


@deconstructible
class NumberRange:
    """A number within [minimum, maximum], with a message naming the unit."""

    def __init__(self, minimum, maximum, unit=""):
        self.minimum = minimum
        self.maximum = maximum
        self.unit = unit

    def __call__(self, value):
        if value is None or value == "":
            return
        if value < self.minimum:
            raise ValidationError(_("不能小于 %(limit)s%(unit)s。"), code="too_small",
                                  params={"limit": self.minimum, "unit": self.unit})
        if value > self.maximum:
            raise ValidationError(_("不能大于 %(limit)s%(unit)s。"), code="too_large",
                                  params={"limit": self.maximum, "unit": self.unit})

    def __eq__(self, other):
        return isinstance(other, NumberRange) and (self.minimum, self.maximum, self.unit) == (
            other.minimum, other.maximum, other.unit)


#: dates of events and terms (exhibitions, due dates): 2000-01-01 … today + 10 years
event_date = DateRange()
#: dates of things that happened (a session held, an agreement signed, a filing): 2000-01-01 … today
past_date = DateRange(years_ahead=0)
#: the founding date of an organisation: 1900-01-01 … today
founding_date = DateRange(earliest=datetime.date(1900, 1, 1), years_ahead=0, label=_("成立日期"))
#: a consultation or a session: 1 minute … a day
minutes_in_a_day = NumberRange(1, 24 * 60, _("分钟"))
#: money in yuan: 0 … 100 亿
amount_yuan = NumberRange(Decimal("0"), Decimal("10000000000"), _("元"))
#: counts of staff or patents of one organisation
head_count = NumberRange(0, 1_000_000)


@dataclass(frozen=True)
class Span:
    """Two dates of one record: ``end`` not before ``start`` and at most ``max_days`` after."""

    start: str
    end: str
    max_days: int | None = None
    message: str = ""

    def errors(self, start, end):
        """``{end_field: message}`` when the pair is wrong, else ``{}``."""
        if start is None or end is None:
            return {}
        if end < start:
            return {self.end: self.message or _("结束日期不能早于开始日期。")}
        if self.max_days is not None and (end - start).days + 1 > self.max_days:
            return {self.end: _("时间跨度不能超过 %(n)s 天。") % {"n": self.max_days}}
        return {}


class MinimumLengthValidator:
    """Django's minimum password length, with its message in our catalogue: Django 5.2 changed
    the English text and its zh-hans catalogue no longer translates it (the portal showed
    “This password is too short …” in the Chinese UI)."""

    def __init__(self, min_length=8):
        from django.contrib.auth.password_validation import MinimumLengthValidator as Base

        self._base = Base(min_length)
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_error_message(), code="password_too_short",
                                  params={"min_length": self.min_length})

    def get_error_message(self):
        from django.utils.translation import ngettext

        return ngettext("密码太短，至少需要 %(min_length)d 个字符。", "密码太短，至少需要 %(min_length)d 个字符。",
                        self.min_length)

    def get_help_text(self):
        return self._base.get_help_text()
