"""Working days in mainland China: statutory holidays and 调休 makeup days.

Sources, in order: the admin override table, the ``chinese_calendar`` package
(years it knows), and plain Monday–Friday for years nobody has entered yet.
"""
import datetime

import chinese_calendar

from .models import CalendarOverride


def package_knows_year(year):
    try:
        chinese_calendar.is_workday(datetime.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def year_is_configured(year):
    """True if working days of ``year`` come from a real schedule, not the fallback."""
    return package_knows_year(year) or CalendarOverride.objects.filter(date__year=year).exists()


class WorkingCalendar:
    """Answers ``is_working_day`` with the overrides loaded once per instance."""

    def __init__(self, overrides=None):
        if overrides is None:
            overrides = dict(CalendarOverride.objects.values_list("date", "is_working_day"))
        self.overrides = overrides
        self._known = {}

    def is_working_day(self, day):
        if day in self.overrides:
            return self.overrides[day]
        year_known = self._known.get(day.year)
        if year_known is None:
            year_known = self._known[day.year] = package_knows_year(day.year)
        if year_known:
            return chinese_calendar.is_workday(day)
        return day.weekday() < 5

    def add_working_days(self, start, days):
        """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        day = start
        counted = 0
        while counted < days:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return day

    def working_days_between(self, start, end):
        """Working days in (start, end]."""
        n, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                n += 1
        return n


def is_working_day(day):
    return WorkingCalendar().is_working_day(day)


def add_working_days(start, days):
    return WorkingCalendar().add_working_days(start, days)
