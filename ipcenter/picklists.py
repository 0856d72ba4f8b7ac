"""Pick lists of reference data (technical fields, leagues, the examiners) for the filter bars.

Every list page shows them, they change a few times a year, and reading them costs three
queries and a few dozen model instances per request.  Each process keeps the (value, label)
pairs it has read, stamped with a version number kept in the shared cache; saving or deleting
a watched record, or changing someone's groups, sets a new version (at once and again when the
transaction commits), so every process re-reads its lists within ``VERSION_REREAD`` seconds.  Entries also
expire after ``MAX_AGE`` seconds, as a backstop for changes made outside the ORM.

Only the options shown are cached: a submitted choice is still validated against the live
queryset, so a stale option can never select a record the user may not see.
"""
import threading
import time
import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "picklists:version"
MAX_AGE = 300
VERSION_REREAD = 1.0  # seconds a process trusts the version it last read (one cache read per page, not per list)

_memo = {}
_lock = threading.Lock()
_seen = {"version": None, "at": 0.0}


def version():
    now = time.monotonic()
    if _seen["version"] is not None and now - _seen["at"] < VERSION_REREAD:
        return _seen["version"]
    value = cache.get(VERSION_KEY)
    if value is None:
        value = uuid.uuid4().hex
        if not cache.add(VERSION_KEY, value, None):
            value = cache.get(VERSION_KEY) or value
    _seen.update(version=value, at=now)
    return value


def _new_version():
    value = uuid.uuid4().hex
    cache.set(VERSION_KEY, value, None)
    _seen.update(version=value, at=time.monotonic())


def invalidate():
    """A watched table changed: every process re-reads its pick lists."""
    _new_version()
    transaction.on_commit(_new_version)


def clear():
    """Forget this process's lists (tests; after a rollback)."""
    with _lock:
        _memo.clear()
        _seen.update(version=None, at=0.0)


def choices(key, read):
    """The (value, label) pairs of pick list ``key``; ``read()`` produces them on a miss."""
    current = version()
    hit = _memo.get(key)
    now = time.monotonic()
    if hit is not None and hit[0] == current and now - hit[1] < MAX_AGE:
        return hit[2]
    pairs = list(read())
    with _lock:
        _memo[key] = (current, now, pairs)
    return pairs


def model_choices(key, queryset, label=str):
    """Pick list of a queryset's records as (pk, label) pairs."""
    return choices(key, lambda: [(obj.pk, label(obj)) for obj in queryset])


def watch(*models):
    """Invalidate the pick lists when one of ``models`` is saved or deleted."""
    from django.db.models.signals import post_delete, post_save

    def changed(sender, update_fields=None, **kwargs):
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return  # a login does not change any label
        invalidate()

    for model in models:
        post_save.connect(changed, sender=model, dispatch_uid=f"picklists-save-{model._meta.label}", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"picklists-delete-{model._meta.label}", weak=False)


def watch_m2m(*throughs):
    from django.db.models.signals import m2m_changed

    def changed(sender, action, **kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            invalidate()

    for through in throughs:
        m2m_changed.connect(changed, sender=through, dispatch_uid=f"picklists-m2m-{through._meta.label}", weak=False)
