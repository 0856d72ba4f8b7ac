"""The period and scope a request asks for, checked against what the user may see.

One parser for the page, the exports and the API: bad input is a ``ValidationError``
(form-level messages), a station outside the user's subtree is ``PermissionDenied`` and
an unknown station ``Http404`` — raised before any figure is computed."""
import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ipcenter.accounts.models import Station
from ipcenter.querysets import StationScope

from .figures import OPENED_ON, Period, StatsScope, compute, providers

PERIOD_KINDS = ("month", "quarter", "year", "range", "opening")


def _int(params, name, lo, hi, errors, label):
    raw = str(params.get(name, "")).strip()
    try:
        value = int(raw)
    except ValueError:
        errors[name] = _("请填写有效的%(label)s。") % {"label": label}
        return None
    if not lo <= value <= hi:
        errors[name] = _("%(label)s应在 %(lo)s 至 %(hi)s 之间。") % {"label": label, "lo": lo, "hi": hi}
        return None
    return value


def _date(params, name, errors, label):
    raw = str(params.get(name, "")).strip()
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("%(label)s格式应为 YYYY-MM-DD。") % {"label": label}
        return None


def parse_period(params, today=None):
    """``period`` = month (year, month) | quarter (year, quarter) | year (year) | range
    (start, end) | opening; default: the current month."""
    today = today or timezone.localdate()
    kind = str(params.get("period", "") or "month")
    errors = {}
    if kind not in PERIOD_KINDS:
        raise ValidationError({"period": _("请选择有效的统计期间。")})
    max_year = today.year + 1
    if kind == "opening":
        return Period.since_opening(today)
    if kind == "range":
        start, end = _date(params, "start", errors, _("开始日期")), _date(params, "end", errors, _("结束日期"))
        if not errors and start > end:
            errors["end"] = _("结束日期不能早于开始日期。")
        earliest, latest = dt.date(OPENED_ON.year - 10, 1, 1), dt.date(max_year, 12, 31)
        if not errors and not earliest <= start <= latest:
            errors["start"] = _("开始日期应在 %(a)s 至 %(b)s 之间。") % {"a": earliest, "b": latest}
        if not errors and not earliest <= end <= latest:
            errors["end"] = _("结束日期应在 %(a)s 至 %(b)s 之间。") % {"a": earliest, "b": latest}
        if errors:
            raise ValidationError(errors)
        return Period(start, end)
    year = _int(params, "year", OPENED_ON.year - 10, max_year, errors, _("年份")) if params.get("year") else today.year
    if kind == "month":
        month = _int(params, "month", 1, 12, errors, _("月份")) if params.get("month") else today.month
        if errors:
            raise ValidationError(errors)
        return Period.month(year, month)
    if kind == "quarter":
        quarter = (_int(params, "quarter", 1, 4, errors, _("季度")) if params.get("quarter")
                   else (today.month + 2) // 3)
        if errors:
            raise ValidationError(errors)
        return Period.quarter(year, quarter)
    if errors:
        raise ValidationError(errors)
    return Period.year(year)


def user_stations(user):
    """The stations whose figures ``user`` may see (managers: all, station staff: subtree)."""
    return StationScope.for_user(user)


def resolve_scope(user, params, today=None):
    """The ``StatsScope`` of ``params`` (``station``: a station's code; empty = the user's
    whole scope).  Raises PermissionDenied / Http404 / ValidationError before computing."""
    if not user.has_perm("stats.view_dashboard"):
        raise PermissionDenied(_("您没有查看统计的权限。"))
    mine = user_stations(user)
    if mine.is_nothing:
        raise PermissionDenied(_("您没有查看统计的权限。"))
    period = parse_period(params, today)
    code = str(params.get("station", "") or "").strip()
    station = None
    if code:
        station = Station.objects.filter(code=code).first()
        if station is None:
            raise Http404(_("没有该工作站。"))
        if not mine.includes(station):
            raise PermissionDenied(_("您只能查看本工作站及下级工作站的统计。"))
    elif not mine.is_all:
        station = Station.objects.filter(path=mine.path).first()
    if station is None:
        return StatsScope(user, period, StationScope.all())
    if station.kind == Station.Kind.CENTRE:
        return StatsScope(user, period, StationScope.all() if mine.is_all else mine, None if mine.is_all else station)
    return StatsScope(user, period, StationScope.subtree(station.path), station)


def scope_params(scope):
    """The query parameters that reproduce ``scope`` (for links, jobs and the API)."""
    p = scope.period
    kind = p.kind
    if p.start == OPENED_ON and p.end == timezone.localdate() and kind == "range":
        params = {"period": "opening"}
    elif kind == "month":
        params = {"period": "month", "year": p.start.year, "month": p.start.month}
    elif kind == "quarter":
        params = {"period": "quarter", "year": p.start.year, "quarter": (p.start.month + 2) // 3}
    elif kind == "year":
        params = {"period": "year", "year": p.start.year}
    else:
        params = {"period": "range", "start": p.start.isoformat(), "end": p.end.isoformat()}
    if scope.station is not None:
        params["station"] = scope.station.code
    return {k: str(v) for k, v in params.items()}


def scope_label(scope):
    return scope.station.name if scope.station is not None else _("全中心")


def sections(scope, compare=False, codes=None):
    """Every provider's section for ``scope`` the user may see (or those of ``codes``); with
    ``compare`` each figure gets ``previous`` and ``last_year`` (same providers, other period).
    Computed live: pages and exports read ``snapshots.figures_for`` instead."""
    chosen = [p for p in providers(scope.user) if codes is None or p.code in codes]
    result = [compute(p.code, scope) for p in chosen]
    if compare:
        previous, last_year = scope.period.previous(), scope.period.last_year()
        # the comparison periods need the figures only (providers skip their breakdowns)
        before = {s.code: s for s in (compute(p.code, scope.with_period(previous, detail=False)) for p in chosen)}
        last = before if last_year == previous else {  # a year's previous period is last year
            s.code: s for s in (compute(p.code, scope.with_period(last_year, detail=False)) for p in chosen)}
        for section in result:
            for f in section.figures:
                f.previous = before[section.code].value(f.code)
                f.last_year = last[section.code].value(f.code)
    return result


def definitions(sections_):
    """(section title, figure label, definition) for the appendix of the reports."""
    rows = []
    for s in sections_:
        for f in s.figures:
            if f.code in s.definitions:
                rows.append((s.title, f.label, str(s.definitions[f.code])))
    return rows
