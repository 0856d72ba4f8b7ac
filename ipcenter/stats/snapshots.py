"""Figure snapshots: every provider's sections for a scope, period and language, computed in
the background and served to the dashboard, the exports and the API, so that a page view
costs the same at 1 000 rows as at 1 000 000.

``figures_for(scope)`` is the one way to read figures.  A fresh snapshot (younger than
``STATS_MAX_AGE``) is used as it is; a stale one is used at once while exactly one recompute is
queued (the conditional update of ``queued_at`` lets one caller through); a missing one is
queued and reported as not ready — or, for the exports running in a worker, computed there.
Access is checked before: the scope comes from ``selection.resolve_scope``."""
import datetime as dt
import decimal
import logging
import math
import time
from dataclasses import dataclass, fields, is_dataclass

from django.conf import settings
from django.db import IntegrityError
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.functional import Promise

from ipcenter.querysets import StationScope

from . import figures as registry
from .figures import OPENED_ON, Figure, Period, Section, Series, StatsScope, Table, providers

log = logging.getLogger(__name__)

# --- the one encoder/decoder of the snapshots' data ------------------------------------------
# JSON (PostgreSQL jsonb) keeps neither dates, Decimals, tuples nor the order of an object's
# keys: every value other than null/bool/int/str/finite float is stored as a one-key object
# {"$type": ...}, and since plain dicts are stored as "$dict" pairs, every object is such a tag.

CLASSES = {cls.__name__: cls for cls in (Section, Figure, Table, Series)}


def encode(value):
    """``value`` (sections, figures, tables and the plain values in them) as JSON data."""
    if isinstance(value, Promise):
        return str(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, decimal.Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, dt.timedelta):
        return {"$timedelta": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[encode(k), encode(v)] for k, v in value.items()]}
    if is_dataclass(value) and CLASSES.get(type(value).__name__) is type(value):
        return {f"${type(value).__name__}": {f.name: encode(getattr(value, f.name)) for f in fields(value)}}
    raise TypeError(f"a figure snapshot cannot hold a {type(value).__name__}: {value!r}")


def decode(data):
    """The inverse of ``encode``: ``decode(encode(x)) == x``."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    (tag, raw), = data.items()
    name = tag[1:]
    if name == "dict":
        return {decode(k): decode(v) for k, v in raw}
    if name == "tuple":
        return tuple(decode(v) for v in raw)
    if name == "float":
        return float(raw)
    if name == "decimal":
        return decimal.Decimal(raw)
    if name == "datetime":
        return dt.datetime.fromisoformat(raw)
    if name == "date":
        return dt.date.fromisoformat(raw)
    if name == "timedelta":
        return dt.timedelta(days=raw[0], seconds=raw[1], microseconds=raw[2])
    cls = CLASSES[name]
    return cls(**{k: decode(v) for k, v in raw.items()})


# --- keys ----------------------------------------------------------------------------------------

def scope_key(scope):
    if scope.stations.is_all:
        return "centre"
    if scope.station is None:  # resolve_scope always names the station of a subtree
        raise ValueError("a station scope without its station")
    return f"station:{scope.station.pk}"


def is_opening(period, today=None):
    return period.start == OPENED_ON and period.end == (today or timezone.localdate())


def period_key(period, today=None):
    """kind:start:end; "since opening" ends today, every day another day: ``opening:<start>``."""
    if is_opening(period, today):
        return f"opening:{period.start.isoformat()}"
    return f"{period.kind}:{period.start.isoformat()}:{period.end.isoformat()}"


def current_language():
    return translation.get_language() or settings.LANGUAGE_CODE


class CentreViewer:
    """Whom the snapshots are computed for.  A scope's figures are the same for everyone who
    may see the scope (that is checked before a snapshot is read), so they are computed as a
    centre-wide reader, never as whoever happened to ask first."""

    pk = id = None
    is_authenticated = is_active = True
    is_superuser = False
    is_centre_wide = True
    roles = frozenset()

    def has_role(self, *codes):
        return False

    def has_perm(self, perm, obj=None):
        return True


def snapshot_scope(snapshot, today=None):
    """The ``StatsScope`` a snapshot row is computed for (period "since opening" up to today)."""
    today = today or timezone.localdate()
    if snapshot.period_key.startswith("opening:"):
        period = Period.since_opening(today)
    else:
        period = Period(snapshot.period_start, snapshot.period_end)
    if snapshot.station_id is None:
        return StatsScope(CentreViewer(), period, StationScope.all())
    station = snapshot.station
    return StatsScope(CentreViewer(), period, StationScope.subtree(station.path), station)


# --- reading -------------------------------------------------------------------------------------

@dataclass
class Figures:
    """What ``figures_for`` answers: ``sections`` (None while the first computation runs), the
    time the data were computed (the oldest of the snapshots used), and whether a recompute is
    pending."""

    sections: list = None
    computed_at: dt.datetime = None
    pending: bool = False
    #: the comparison periods were asked for but one of them is not computed yet
    comparisons_pending: bool = False

    @property
    def ready(self):
        return self.sections is not None


def _max_age():
    return dt.timedelta(seconds=settings.STATS_MAX_AGE)


def _age_limit(snapshot, today, max_age=None):
    """How old ``snapshot`` may be: ``STATS_MAX_AGE`` (or ``max_age``) while its period is open;
    a period that ended before today changes only through late corrections, so its snapshot is
    recomputed after ``STATS_CLOSED_MAX_AGE`` — the comparisons (previous period, last year) are
    such periods, and recomputing them as often as the open ones tripled the beat's work."""
    age = max_age if max_age is not None else _max_age()
    if snapshot.period_end is not None and snapshot.period_end < today:
        age = max(age, dt.timedelta(seconds=settings.STATS_CLOSED_MAX_AGE))
    return age


def is_fresh(snapshot, now=None, max_age=None, today=None):
    if snapshot.data is None or snapshot.computed_at is None:
        return False
    today = today or timezone.localdate()
    if snapshot.period_key.startswith("opening:") and snapshot.period_end != today:
        return False
    return snapshot.computed_at >= (now or timezone.now()) - _age_limit(snapshot, today, max_age)


def _rows_for(scope, periods, language, today):
    """The snapshot rows of ``periods`` (created empty where missing), keyed by period key."""
    from .models import FigureSnapshot

    key = scope_key(scope)
    wanted = {period_key(p, today): p for p in periods}
    found = {s.period_key: s for s in FigureSnapshot.objects.visible_to(scope.user).filter(
        scope_key=key, language=language, period_key__in=list(wanted)).select_related("station")}
    missing = [k for k in wanted if k not in found]
    if missing:
        FigureSnapshot.objects.bulk_create(
            [FigureSnapshot(scope_key=key, station=None if scope.stations.is_all else scope.station,
                            period_key=k, period_start=wanted[k].start, period_end=wanted[k].end,
                            language=language) for k in missing],
            ignore_conflicts=True)
        found.update({s.period_key: s for s in FigureSnapshot.objects.visible_to(scope.user).filter(
            scope_key=key, language=language, period_key__in=missing).select_related("station")})
    return wanted, found


def request_refresh(snapshot, min_age=None):
    """Queue one recompute of ``snapshot`` unless one is already queued (or, with ``min_age``,
    unless it was computed less than ``min_age`` ago).  True if this call queued it: of any
    number of simultaneous callers, exactly one gets True."""
    from .models import FigureSnapshot
    from .tasks import refresh_snapshot_task

    now = timezone.now()
    claim = FigureSnapshot.objects.filter(pk=snapshot.pk).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - dt.timedelta(seconds=settings.STATS_REQUEUE_AFTER)))
    if min_age is not None:
        claim = claim.filter(Q(computed_at__isnull=True) | Q(computed_at__lt=now - min_age))
    if not claim.update(queued_at=now):
        return False
    snapshot.queued_at = now
    # queued at once: outside a transaction the marker is already committed; inside one, the
    # task's write waits for the row lock this update holds until the caller commits
    refresh_snapshot_task.apply_async(args=[snapshot.pk], queue=settings.CELERY_LONG_QUEUE,
                                      soft_time_limit=settings.CELERY_LONG_TASK_SOFT_LIMIT,
                                      time_limit=settings.CELERY_LONG_TASK_SOFT_LIMIT + 30)
    return True


def refresh(snapshot):
    """Compute every provider for the snapshot's scope, period and language and store it;
    returns the updated row."""
    from .models import FigureSnapshot

    started, clock = timezone.now(), time.perf_counter()
    scope = snapshot_scope(snapshot)
    with translation.override(snapshot.language):
        data = encode([registry.compute(p.code, scope) for p in providers()])
    seconds = time.perf_counter() - clock
    FigureSnapshot.objects.filter(pk=snapshot.pk).update(
        data=data, computed_at=started, compute_seconds=seconds, period_end=scope.period.end, queued_at=None)
    snapshot.data, snapshot.computed_at, snapshot.compute_seconds = data, started, seconds
    snapshot.period_end, snapshot.queued_at = scope.period.end, None
    log.info("stats snapshot %s computed in %.2f s", snapshot, seconds)
    return snapshot


def figures_for(scope, compare=False, codes=None, compute_missing=False, max_age=None):
    """The sections of ``scope`` the user may see (only ``codes``, if given), with
    ``previous``/``last_year`` on each figure when ``compare`` — all read from snapshots.

    Stale snapshots are used and one recompute of each is queued; missing ones are queued
    (``Figures.ready`` is False) or, with ``compute_missing`` (the exports, in a worker),
    computed here.  With ``compute_missing``, ``max_age`` (seconds) makes older snapshots count
    as missing (the monthly report computes its month as it is now)."""
    today, now, language = timezone.localdate(), timezone.now(), current_language()
    limit = dt.timedelta(seconds=max_age) if max_age is not None else None
    main = scope.period
    periods = [main] + ([main.previous(), main.last_year()] if compare else [])
    wanted, rows = _rows_for(scope, periods, language, today)
    pending = False
    queued_now = False
    for row in rows.values():
        if is_fresh(row, now, limit, today):
            continue
        if compute_missing and (row.data is None or limit is not None):
            refresh(row)
            continue
        queued_now |= request_refresh(row)
        pending = True
    if queued_now and getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        # the recompute ran inline (development, tests): read what it stored
        wanted, rows = _rows_for(scope, periods, language, today)
        pending = any(not is_fresh(r, now, today=today) for r in rows.values())
    first = rows[period_key(main, today)]
    if first.data is None:
        return Figures(pending=True)
    allowed = {p.code for p in providers(scope.user)}

    def sections_of(row):
        if row is None or row.data is None:
            return None
        return [s for s in decode(row.data) if s.code in allowed and (codes is None or s.code in codes)]

    result = sections_of(first)
    used = [first]
    if compare:
        before_row, last_row = rows[period_key(periods[1], today)], rows[period_key(periods[2], today)]
        before, last = sections_of(before_row), sections_of(last_row)
        used += [r for r in (before_row, last_row) if r.data is not None]
        before = {s.code: s for s in before or []}
        last = {s.code: s for s in last or []}
        for section in result:
            for f in section.figures:
                f.previous = before[section.code].value(f.code) if section.code in before else None
                f.last_year = last[section.code].value(f.code) if section.code in last else None
    return Figures(sections=result, computed_at=min(r.computed_at for r in used), pending=pending,
                   comparisons_pending=any(r.data is None for r in rows.values()))


def refresh_now(scope, compare=True):
    """The "立即刷新" button: queue a recompute of the scope's snapshots (and its comparison
    periods') computed more than ``STATS_REFRESH_MIN_INTERVAL`` seconds ago.  Returns the number
    queued by this call."""
    today, language = timezone.localdate(), current_language()
    main = scope.period
    periods = [main] + ([main.previous(), main.last_year()] if compare else [])
    _wanted, rows = _rows_for(scope, periods, language, today)
    gap = dt.timedelta(seconds=settings.STATS_REFRESH_MIN_INTERVAL)
    return sum(request_refresh(row, min_age=gap) for row in rows.values())


# --- keeping the common views warm (beat) -----------------------------------------------------

def warm_periods(today):
    """This month, quarter, year and "since opening", and the periods their comparisons need."""
    main = [Period.month(today.year, today.month), Period.quarter(today.year, (today.month + 2) // 3),
            Period.year(today.year), Period.since_opening(today)]
    found = []
    for p in main + [q for m in main for q in (m.previous(), m.last_year())]:
        if p not in found:
            found.append(p)
    return found


def warm(interval=5 * 60):
    """Queue a recompute of every common snapshot that would be stale before the next run
    (every ``interval`` seconds): the whole centre and each league, ``warm_periods``, each
    language of ``STATS_WARM_LANGUAGES``.  Rows nobody computed for a week are dropped.
    Returns the number queued."""
    from ipcenter.accounts.models import Station

    from .models import FigureSnapshot

    today, now = timezone.localdate(), timezone.now()
    scopes = [(None, "centre")] + [(s, f"station:{s.pk}") for s in Station.objects.leagues().order_by("path")]
    periods = {period_key(p, today): p for p in warm_periods(today)}
    languages = list(dict.fromkeys(settings.STATS_WARM_LANGUAGES))
    try:
        FigureSnapshot.objects.bulk_create(
            [FigureSnapshot(scope_key=key, station=station, period_key=pk, period_start=p.start, period_end=p.end,
                            language=lang) for station, key in scopes for pk, p in periods.items()
             for lang in languages], ignore_conflicts=True)
    except IntegrityError:  # pragma: no cover - ignore_conflicts makes this a no-op
        pass
    rows = FigureSnapshot.objects.filter(scope_key__in=[k for _s, k in scopes], period_key__in=list(periods),
                                         language__in=languages)
    ahead = _max_age() - dt.timedelta(seconds=interval)
    queued = sum(request_refresh(row) for row in rows if not is_fresh(row, now, max(ahead, dt.timedelta(0)), today))
    week = now - dt.timedelta(days=7)
    FigureSnapshot.objects.filter(Q(computed_at__lt=week) | Q(computed_at__isnull=True, created_at__lt=week)).delete()
    return queued
