"""Statistics figure providers: each app registers pure functions of a scope that return
plain data; the dashboard page, the PDF/XLSX exports and the API all call the same ones.

An app registers its providers in its own ``figures.py`` (imported by ``PortalAppConfig``)::

    from ipcenter.stats.figures import Figure, Section, Series, Table, figure_provider

    @figure_provider("prescreen", _("专利预审"), order=10)
    def prescreen_figures(scope):          # scope: StatsScope
        qs = PreExamCase.objects.filter(scope.station_q("organization__league"),
                                        **scope.period.lookup("submitted_at"))
        ...
        return Section(figures=[Figure("cases_received", _("受理案件"), n, unit=_("件"), link=url)],
                       tables=[...], series=[...])

Providers compute with database aggregation (no loops over rows) and never read a request.
"""
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable

from django.utils import timezone

from ipcenter.querysets import StationScope

#: the centre's opening day: the start of the "since opening" period
OPENED_ON = dt.date(2022, 9, 28)


@dataclass(frozen=True)
class Period:
    """A closed range of local dates [start, end]."""

    start: dt.date
    end: dt.date

    def lookup(self, field_name):
        """Filter kwargs selecting a datetime (or date) field inside the period (local days)."""
        tz = timezone.get_current_timezone()
        lo = dt.datetime.combine(self.start, dt.time.min, tzinfo=tz)
        hi = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        return {f"{field_name}__gte": lo, f"{field_name}__lt": hi}

    def date_lookup(self, field_name):
        return {f"{field_name}__gte": self.start, f"{field_name}__lte": self.end}

    @property
    def days(self):
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class StatsScope:
    """Who is asking, for which period, over which part of the station network.

    ``stations`` is the ``StationScope`` of the figures (the whole centre, a league or a
    station), already checked against what ``user`` may see."""

    user: object
    period: Period
    stations: StationScope

    def station_q(self, station_field="station"):
        return self.stations.q(station_field)


@dataclass
class Figure:
    code: str
    label: str
    value: object
    unit: str = ""
    link: str = ""
    note: str = ""


@dataclass
class Table:
    code: str
    title: str
    columns: list
    rows: list  # lists of plain values, one per column


@dataclass
class Series:
    code: str
    title: str
    kind: str  # "bar", "line" or "pie"
    points: list  # (label, value)


@dataclass
class Section:
    figures: list = field(default_factory=list)
    tables: list = field(default_factory=list)
    series: list = field(default_factory=list)
    code: str = ""
    title: str = ""


@dataclass(frozen=True)
class FigureProvider:
    code: str
    title: str
    func: Callable
    order: int = 100
    permission: str = "stats.view_dashboard"


FIGURE_PROVIDERS = {}


def figure_provider(code, title, order=100, permission="stats.view_dashboard"):
    """Register ``func(scope: StatsScope) -> Section`` as the figures of section ``code``."""
    def decorator(func):
        FIGURE_PROVIDERS[code] = FigureProvider(code, title, func, order, permission)
        return func

    return decorator


def providers():
    return sorted(FIGURE_PROVIDERS.values(), key=lambda p: p.order)


def compute(code, scope):
    """The section ``code`` for ``scope``, with its code and title filled in."""
    provider = FIGURE_PROVIDERS[code]
    section = provider.func(scope)
    section.code, section.title = provider.code, str(provider.title)
    return section
