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
Read each table once where possible: ``ipcenter.stats.aggregate.grouping_sets`` gives the
figures and every breakdown of one queryset in one scan.  ``scope.detail`` is False for the
comparison periods (previous period, same period last year): a provider may then return its
figures only, leaving out tables and series, but never a different figure.
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

    # --- the periods the dashboard offers ---------------------------------------------

    @classmethod
    def month(cls, year, month):
        start = dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return cls(start, nxt - dt.timedelta(days=1))

    @classmethod
    def quarter(cls, year, quarter):
        first = cls.month(year, 3 * quarter - 2)
        return cls(first.start, cls.month(year, 3 * quarter).end)

    @classmethod
    def year(cls, year):
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def since_opening(cls, today=None):
        return cls(OPENED_ON, today or timezone.localdate())

    @property
    def kind(self):
        """"month", "quarter", "year" or "range" (anything else)."""
        s, e = self.start, self.end
        if s.day == 1 and Period.month(s.year, s.month) == self:
            return "month"
        if s.day == 1 and s.month % 3 == 1 and Period.quarter(s.year, (s.month + 2) // 3) == self:
            return "quarter"
        if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year:
            return "year"
        return "range"

    def previous(self):
        """The period just before: the previous month/quarter/year, or a range of equal length."""
        kind = self.kind
        if kind == "month":
            before = self.start - dt.timedelta(days=1)
            return Period.month(before.year, before.month)
        if kind == "quarter":
            before = self.start - dt.timedelta(days=1)
            return Period.quarter(before.year, (before.month + 2) // 3)
        if kind == "year":
            return Period.year(self.start.year - 1)
        return Period(self.start - dt.timedelta(days=self.days), self.start - dt.timedelta(days=1))

    def last_year(self):
        """The same period one year earlier (29 February becomes the 28th)."""
        def back(day):
            try:
                return day.replace(year=day.year - 1)
            except ValueError:
                return day.replace(year=day.year - 1, day=28)
        if self.kind == "month":
            return Period.month(self.start.year - 1, self.start.month)
        return Period(back(self.start), back(self.end))

    @property
    def label(self):
        kind = self.kind
        from django.utils.translation import gettext

        kind, y = self.kind, self.start.year
        if kind == "month":
            return gettext("%(y)s年%(m)s月") % {"y": y, "m": self.start.month}
        if kind == "quarter":
            return gettext("%(y)s年第%(q)s季度") % {"y": y, "q": (self.start.month + 2) // 3}
        if kind == "year":
            return gettext("%(y)s年") % {"y": y}
        dates = {"start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}"}
        if self.start == OPENED_ON:
            return gettext("运行以来（%(start)s 至 %(end)s）") % dates
        return gettext("%(start)s 至 %(end)s") % dates

    def as_params(self):
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


@dataclass(frozen=True)
class StatsScope:
    """Who is asking, for which period, over which part of the station network.

    ``stations`` is the ``StationScope`` of the figures (the whole centre, a league or a
    station), already checked against what ``user`` may see."""

    user: object
    period: Period
    stations: StationScope
    #: the chosen station (a league/city or a workstation); None for the whole centre
    station: object = None
    #: False when only the figures are wanted (the comparison periods): providers may then
    #: leave out their tables and series, never change a figure
    detail: bool = True

    def station_q(self, station_field="station"):
        return self.stations.q(station_field)

    @property
    def is_whole_centre(self):
        return self.stations.is_all

    def with_period(self, period, detail=None):
        return StatsScope(self.user, period, self.stations, self.station,
                          self.detail if detail is None else detail)

    def list_params(self, station_param="station", station=None, **extra):
        """Query-string of a list filtered to this scope: the scope's station (its pk) plus
        ``extra``; used for the figures' ``link``."""
        from urllib.parse import urlencode

        params = {}
        if station is not None:
            params[station_param] = station.pk
        params.update({k: v for k, v in extra.items() if v not in (None, "")})
        return "?" + urlencode(params) if params else ""


@dataclass
class Figure:
    code: str
    label: str
    value: object
    unit: str = ""
    link: str = ""
    note: str = ""
    #: filled in by the dashboard's comparison: the value in the previous period / a year earlier
    previous: object = None
    last_year: object = None

    @property
    def is_number(self):
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)

    def change(self, other):
        if not self.is_number or not isinstance(other, (int, float)):
            return None
        return round(self.value - other, 1)


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
    note: str = ""
    #: the figures' definitions, for the appendix of the reports: {code: text}
    definitions: dict = field(default_factory=dict)

    def figure(self, code):
        return next((f for f in self.figures if f.code == code), None)

    def value(self, code, default=None):
        f = self.figure(code)
        return f.value if f is not None else default

    def as_dict(self):
        from dataclasses import asdict

        data = asdict(self)
        data["title"], data["note"] = str(self.title), str(self.note)
        for item in data["figures"]:
            item.update(label=str(item["label"]), unit=str(item["unit"]), note=str(item["note"]))
            if isinstance(item["value"], dt.date):
                item["value"] = item["value"].isoformat()
            elif item["value"] is not None and not isinstance(item["value"], (int, float, str)):
                item["value"] = float(item["value"])
        for t in data["tables"]:
            t["title"] = str(t["title"])
            t["columns"] = [str(c) for c in t["columns"]]
            t["rows"] = [[_plain(v) for v in row] for row in t["rows"]]
        for s in data["series"]:
            s["title"] = str(s["title"])
            s["points"] = [[str(label), _plain(v)] for label, v in s["points"]]
        data["definitions"] = {k: str(v) for k, v in self.definitions.items()}
        return data


def _plain(value):
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)


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


def providers(user=None):
    """The registered providers in order (only those ``user`` may see, if given)."""
    found = sorted(FIGURE_PROVIDERS.values(), key=lambda p: p.order)
    if user is not None:
        found = [p for p in found if user.has_perm(p.permission)]
    return found


def compute(code, scope):
    """The section ``code`` for ``scope``, with its code and title filled in."""
    provider = FIGURE_PROVIDERS[code]
    section = provider.func(scope)
    section.code, section.title = provider.code, str(provider.title)
    return section


# --- the work report's sentences -----------------------------------------------------------

@dataclass(frozen=True)
class Narrative:
    code: str
    func: Callable
    title: str = ""
    part_of: str = ""


NARRATIVES = {}


def narrative(code, title="", part_of=""):
    """Register ``func(section, sections_by_code) -> [sentence, ...]`` as the work report's
    sentences about section ``code`` (in the provider's module, next to the figures they read).
    ``title`` names its chapter (default: the provider's title); ``part_of`` adds the sentences
    to another section's chapter instead (mediation inside rights assistance).  A section
    without a narrative is written as a plain list of its figures."""
    def decorator(func):
        NARRATIVES[code] = Narrative(code, func, title, part_of)
        return func

    return decorator


def number(value, digits=None):
    """A figure as the work report writes it: ``—`` when unknown, no ``.0`` on whole numbers."""
    if value is None:
        return "—"
    if isinstance(value, float) and value.is_integer() and digits is None:
        return str(int(value))
    return f"{value:,.{digits}f}" if digits is not None else str(value)
