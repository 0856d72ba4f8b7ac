"""Deadlines: opening one when a clock starts, closing it when the awaited
action happens, and the sweep that marks overdue rows and sends reminders.

Reminders are exactly-once per (deadline, stage): the reminder row and its
notifications are written in one transaction guarded by a unique constraint,
so overlapping sweeps or a sweep retried after its worker died cannot send a
second one, and a sweep that died before committing leaves nothing behind.
"""
import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ipcenter.notify.services import notify

from .calendar import WorkingCalendar
from .models import Deadline, DeadlineReminder, ReminderStage

log = logging.getLogger(__name__)


def compute_due(start, rule, amount, calendar=None):
    """Due moment for a clock started at ``start`` (aware datetime).

    Day rules end at 23:59:59 local time of the last day; working days skip
    weekends, statutory holidays and count 调休 makeup days.
    """
    local = timezone.localtime(start)
    if rule == Deadline.Rule.HOURS:
        return start + datetime.timedelta(hours=amount)
    if rule == Deadline.Rule.WORKING_DAYS:
        day = (calendar or WorkingCalendar()).add_working_days(local.date(), amount)
    elif rule == Deadline.Rule.CALENDAR_DAYS:
        day = local.date() + datetime.timedelta(days=amount)
    else:
        raise ValueError(f"unknown rule {rule}")
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def open_deadline(target, kind, *, label, rule, amount, start=None, assignee=None, organization=None,
                  station=None, url="", label_params=None):
    """Start a clock on ``target``.  An earlier pending deadline of the same kind
    is cancelled first (a restarted clock replaces the old one).

    ``label`` is a translatable text (``gettext_lazy``), with ``label_params`` a template
    (``_("人民调解期限：%(n)s")``, ``{"n": number}``): it is kept in the source language and
    rendered in the viewer's language when shown (``Deadline.display_label``)."""
    start = start or timezone.now()
    label, label_params = _source_text(label, label_params)
    with transaction.atomic():
        close_deadlines(target, kind, state=Deadline.State.CANCELLED)
        return Deadline.objects.create(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk, kind=kind,
            label=label, label_params=label_params, rule=rule, amount=amount, starts_at=start,
            due_at=compute_due(start, rule, amount), assignee=assignee, organization=organization,
            station=station, url=url or (target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""),
        )


def _source_text(label, params):
    """``label`` and ``params`` in the source language (lazy texts evaluated in it)."""
    from django.conf import settings
    from django.utils import translation
    from django.utils.functional import Promise

    with translation.override(settings.LANGUAGE_CODE):
        text = str(label)
        values = {k: str(v) if isinstance(v, Promise) else v for k, v in (params or {}).items()}
    if values:
        try:
            text % values
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"deadline label {text!r} does not take {sorted(values)}") from exc
    return text, values


def close_deadlines(target, kind=None, state=Deadline.State.MET):
    """The awaited action happened (met) or the clock no longer applies (cancelled)."""
    qs = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
        state__in=[Deadline.State.OPEN, Deadline.State.OVERDUE])
    if kind is not None:
        qs = qs.filter(kind=kind)
    return qs.update(state=state, closed_at=timezone.now())


def pending_deadlines(target):
    """Every clock of ``target`` (open, overdue and closed), soonest first."""
    return deadlines_of(target).order_by("due_at")


# --- selectors: apps read deadlines through these, never by content type themselves ---------

def _ct(model_or_obj):
    return ContentType.objects.get_for_model(model_or_obj)


def deadlines_of(target, kind=None, pending=False):
    """The deadlines of one record, or of every record of a queryset/model (``target``)."""
    from django.db.models import Model, QuerySet

    if isinstance(target, Model):
        qs = Deadline.objects.filter(content_type=_ct(target), object_id=target.pk)
    elif isinstance(target, QuerySet):
        qs = Deadline.objects.filter(content_type=_ct(target.model), object_id__in=target.values("pk"))
    else:  # a model class
        qs = Deadline.objects.filter(content_type=_ct(target))
    if kind is not None:
        qs = qs.filter(kind__in=[kind] if isinstance(kind, str) else list(kind))
    if pending:
        qs = qs.pending()
    return qs


def deadlines_by_object(model, ids, kind=None):
    """``{object id: [Deadline, ...]}`` for records ``ids`` of ``model``, soonest first, one query."""
    result = {pk: [] for pk in ids}
    qs = Deadline.objects.filter(content_type=_ct(model), object_id__in=list(ids))
    if kind is not None:
        qs = qs.filter(kind=kind)
    for row in qs.order_by("due_at", "pk"):
        result[row.object_id].append(row)
    return result


def overdue_ids(model, kind=None, now=None):
    """A subquery of the ids of ``model``'s records with an overdue clock (of ``kind``)."""
    qs = Deadline.objects.filter(content_type=_ct(model), state=Deadline.State.OVERDUE)
    if kind is not None:
        qs = qs.filter(kind__in=[kind] if isinstance(kind, str) else list(kind))
    if now is not None:
        qs = qs.filter(due_at__lt=now)
    return qs.values("object_id")


def latest_clock(model, kind, field="due_at"):
    """A subquery giving, per row of ``model`` (``OuterRef("pk")``), ``field`` of its latest clock of ``kind``."""
    from django.db.models import OuterRef, Subquery

    rows = Deadline.objects.filter(content_type=_ct(model), object_id=OuterRef("pk"), kind=kind).order_by("-pk")
    return Subquery(rows.values(field)[:1])


_UNSET = object()


def reassign(target, kind=None, *, assignee=_UNSET, station=_UNSET, organization=_UNSET):
    """A record moved (another examiner, another station): its pending clocks follow it, so the
    new owner sees them and gets their reminders.  Returns the number of clocks moved."""
    changes = {}
    if assignee is not _UNSET:
        changes["assignee"] = assignee
    if station is not _UNSET:
        changes["station"] = station
    if organization is not _UNSET:
        changes["organization"] = organization
    if not changes:
        return 0
    return deadlines_of(target, kind, pending=True).update(**changes)


# --- expiry handlers: the automatic consequence of a clock running out -----------------------

EXPIRY_HANDLERS = {}


def on_expiry(kind):
    """Register ``func(deadline)`` to run once when a deadline of ``kind`` becomes overdue (the
    sweep calls it; ``Deadline.expiry_handled_at`` makes it exactly once even when two sweeps
    run at once or a worker dies after the handler's transaction committed)."""
    def decorator(func):
        EXPIRY_HANDLERS[kind] = func
        return func

    return decorator


def run_expiry_handlers(now=None):
    """Run the handler of every overdue, unhandled deadline whose kind has one."""
    now = now or timezone.now()
    done = 0
    for kind, handler in EXPIRY_HANDLERS.items():
        ids = list(Deadline.objects.filter(kind=kind, state=Deadline.State.OVERDUE, due_at__lt=now,
                                           expiry_handled_at__isnull=True).values_list("pk", flat=True)[:500])
        for pk in ids:
            with transaction.atomic():
                deadline = (Deadline.objects.select_for_update(skip_locked=True)
                            .filter(pk=pk, expiry_handled_at__isnull=True).first())
                if deadline is None:
                    continue  # another sweep has it
                handler(deadline)
                Deadline.objects.filter(pk=pk).update(expiry_handled_at=timezone.now())
                done += 1
    return done


def reminder_recipients(deadline):
    from ipcenter.accounts.models import User

    users = []
    if deadline.assignee_id:
        users.append(deadline.assignee)
    if deadline.organization_id:
        users.extend(User.objects.filter(organization_id=deadline.organization_id, is_active=True))
    if not users and deadline.station_id:
        users.extend(User.objects.filter(station_id=deadline.station_id, is_active=True))
    seen, unique = set(), []
    for u in users:
        if u.pk not in seen:
            seen.add(u.pk)
            unique.append(u)
    return unique


def _reminder_title(deadline, stage):
    """The reminder's title template and its parameters; the deadline's name goes in as its
    own template, so each reader sees both in their language."""
    due = timezone.localtime(deadline.due_at).strftime("%Y-%m-%d %H:%M" if deadline.rule == "hours" else "%Y-%m-%d")
    params = {"label": {"text": deadline.label, "params": deadline.label_params or {}}, "due": due}
    if stage.offset_days < 0:
        return gettext_lazy("期限提醒：%(label)s 将于 %(due)s 到期"), params
    if stage.offset_days == 0:
        return gettext_lazy("今日到期：%(label)s（%(due)s）"), params
    return gettext_lazy("已逾期：%(label)s（%(due)s 到期）"), params


def send_reminder(deadline, stage):
    """Send ``stage``'s reminder for ``deadline`` unless it already went out.
    Returns True if this call sent it."""
    try:
        with transaction.atomic():
            reminder = DeadlineReminder.objects.create(deadline=deadline, stage=stage.code)
            recipients = reminder_recipients(deadline)
            title, title_params = _reminder_title(deadline, stage)
            notify(recipients, title=title, title_params=title_params, url=deadline.url, target=deadline,
                   key=f"deadline:{deadline.pk}:{stage.code}")
            reminder.recipients = len(recipients)
            reminder.save(update_fields=["recipients"])
    except IntegrityError:
        return False
    return True


def sweep(now=None):
    """Mark overdue deadlines and send every reminder that has come due.

    Safe to run concurrently and to re-run after a crash.  Returns counts.
    """
    now = now or timezone.now()
    overdue = Deadline.objects.filter(state=Deadline.State.OPEN, due_at__lt=now).update(state=Deadline.State.OVERDUE)
    sent = 0
    stages = list(ReminderStage.objects.filter(active=True))
    for stage in stages:
        # A stage is due once now >= due date + offset (start of that day for day rules).
        horizon = now - datetime.timedelta(days=stage.offset_days)
        if stage.offset_days <= 0:
            horizon_day_end = timezone.make_aware(datetime.datetime.combine(
                timezone.localtime(horizon).date(), datetime.time(23, 59, 59)))
        else:
            horizon_day_end = horizon
        due = (Deadline.objects.pending().filter(due_at__lte=horizon_day_end)
               .exclude(reminders__stage=stage.code).select_related("assignee"))
        if stage.offset_days > 0:
            due = due.filter(due_at__lt=now)
        for deadline in due.iterator(chunk_size=200):
            if send_reminder(deadline, stage):
                sent += 1
    handled = run_expiry_handlers(now)
    if overdue or sent or handled:
        log.info("deadline sweep: %s newly overdue, %s reminders sent, %s expiries handled", overdue, sent, handled)
    return {"overdue": overdue, "reminders": sent, "expired": handled}
