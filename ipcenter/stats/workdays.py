"""Working-day durations for the statistics, computed without a loop over rows.

The database groups the rows by their (start date, end date) pair — a few hundred distinct
pairs however many rows there are — and the working days of each pair come from a prefix
sum of the core calendar (``ipcenter.deadlines.calendar.WorkingCalendar``: statutory
holidays, 调休 makeup days and the admin override table) over the span of the dates.
"""
import datetime as dt
import math

from django.db.models import Count
from django.db.models.functions import TruncDate

from ipcenter.deadlines.calendar import WorkingCalendar


def working_day_counts(pairs, calendar=None):
    """``pairs``: iterable of (start, end, n) → list of (working days in (start, end], n)."""
    pairs = [(s, e, n) for s, e, n in pairs if s is not None and e is not None]
    if not pairs:
        return []
    calendar = calendar or WorkingCalendar()
    lo = min(s for s, _e, _n in pairs)
    hi = max(e for _s, e, _n in pairs)
    cumulative, total, day = {lo: 0}, 0, lo
    while day < hi:
        day += dt.timedelta(days=1)
        total += calendar.is_working_day(day)
        cumulative[day] = total
    return [(max(0, cumulative[e] - cumulative[s]) if e >= s else 0, n) for s, e, n in pairs]


def nearest_rank(counts, share):
    """The nearest-rank percentile of a weighted distribution [(value, n)]: the smallest
    value whose cumulative count reaches ⌈share × N⌉."""
    total = sum(n for _v, n in counts)
    if not total:
        return None
    rank, seen = max(1, math.ceil(share * total)), 0
    for value, n in sorted(counts):
        seen += n
        if seen >= rank:
            return value
    return None  # pragma: no cover


def turnaround(queryset, start_field, end_field, within):
    """Median, 90th percentile and share (%) within ``within`` working days of the working
    days from ``start_field`` to ``end_field`` (local dates; the start day not counted)."""
    rows = (queryset.filter(**{f"{start_field}__isnull": False, f"{end_field}__isnull": False})
            .annotate(_s=TruncDate(start_field), _e=TruncDate(end_field))
            .values_list("_s", "_e").annotate(n=Count("pk")).order_by())
    counts = working_day_counts(rows)
    total = sum(n for _v, n in counts)
    inside = sum(n for v, n in counts if v <= within)
    return {
        "n": total,
        "median": nearest_rank(counts, 0.5),
        "p90": nearest_rank(counts, 0.9),
        "within_share": round(inside * 100 / total, 1) if total else None,
        "within": inside,
    }


def rate(part, whole):
    return round(part * 100 / whole, 1) if whole else None
