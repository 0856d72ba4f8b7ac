"""Deadline sweep: every due reminder stage goes out exactly once — on re-runs, under two
concurrent sweeps, after a sweep that died mid-way, and through a real Celery worker."""
import datetime
import os
import subprocess
import tempfile
import threading
import time
import uuid

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from ipcenter.deadlines import services
from ipcenter.deadlines.models import Deadline, DeadlineReminder, ReminderStage
from ipcenter.notify.models import Notification
from tests import factories

STAGE_CODES = {"before-3", "due-day", "overdue"}


def _due_tomorrow(org, assignee, kind="sweep.clock", organization=None):
    """A calendar-day clock started now with one day: due tomorrow 23:59:59 local."""
    d = services.open_deadline(org, kind, label=f"测试期限 {kind}", rule=Deadline.Rule.CALENDAR_DAYS, amount=1,
                               assignee=assignee, organization=organization)
    assert timezone.localdate(d.due_at) == timezone.localdate() + datetime.timedelta(days=1)
    return d


def _stages(d):
    return set(DeadlineReminder.objects.filter(deadline=d).values_list("stage", flat=True))


def _deadline_notifications(d):
    return Notification.objects.filter(key__startswith=f"deadline:{d.pk}:")


@pytest.mark.django_db
def test_default_stages_exist():
    assert set(ReminderStage.objects.filter(active=True).values_list("code", flat=True)) == STAGE_CODES


@pytest.mark.django_db
def test_due_tomorrow_each_due_stage_once_and_rerun_sends_nothing(org):
    user = factories.applicant(org)
    colleague = factories.applicant(org)
    d = _due_tomorrow(org, user, organization=org)  # assignee + org users, deduplicated: 2 recipients

    # Today only "3 days before" has come due.
    assert services.sweep() == {"overdue": 0, "reminders": 1, "expired": 0}
    assert _stages(d) == {"before-3"}
    reminder = DeadlineReminder.objects.get(deadline=d)
    assert reminder.recipients == 2
    assert _deadline_notifications(d).count() == 2
    assert set(_deadline_notifications(d).values_list("recipient", flat=True)) == {user.pk, colleague.pk}

    # Second sweep: nothing new.
    assert services.sweep() == {"overdue": 0, "reminders": 0, "expired": 0}
    assert DeadlineReminder.objects.count() == 1
    assert Notification.objects.count() == 2

    # On the due day (morning) the due-day reminder goes out, once.
    due_morning = timezone.make_aware(datetime.datetime.combine(timezone.localdate(d.due_at), datetime.time(8, 0)))
    assert services.sweep(now=due_morning) == {"overdue": 0, "reminders": 1, "expired": 0}
    assert services.sweep(now=due_morning) == {"overdue": 0, "reminders": 0, "expired": 0}
    assert _stages(d) == {"before-3", "due-day"}

    # Just past due: overdue but the "overdue" stage (1 day after) is not yet due.
    just_after = d.due_at + datetime.timedelta(hours=1)
    assert services.sweep(now=just_after) == {"overdue": 1, "reminders": 0, "expired": 0}
    d.refresh_from_db()
    assert d.state == Deadline.State.OVERDUE

    # A day later the overdue reminder goes out, once.
    later = d.due_at + datetime.timedelta(days=1, hours=1)
    assert services.sweep(now=later) == {"overdue": 0, "reminders": 1, "expired": 0}
    assert services.sweep(now=later) == {"overdue": 0, "reminders": 0, "expired": 0}
    assert _stages(d) == STAGE_CODES
    assert DeadlineReminder.objects.count() == 3
    assert Notification.objects.count() == 6
    assert Notification.objects.filter(recipient=user).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once():
    org = factories.OrganizationFactory()
    user = factories.applicant(org)
    deadlines = [_due_tomorrow(org, user, kind=f"sweep.c{i}") for i in range(6)]
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.sweep())
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)
    assert not errors, errors
    assert len(results) == 2
    assert sum(r["reminders"] for r in results) == len(deadlines)
    assert DeadlineReminder.objects.count() == len(deadlines)
    for d in deadlines:
        assert _stages(d) == {"before-3"}
        assert _deadline_notifications(d).count() == 1
    assert Notification.objects.filter(recipient=user).count() == len(deadlines)
    # And a third sweep afterwards adds nothing.
    assert services.sweep()["reminders"] == 0
    assert Notification.objects.count() == len(deadlines)


@pytest.mark.django_db
def test_sweep_dying_midway_then_rerun_no_duplicate_none_missed(org, monkeypatch):
    user = factories.applicant(org)
    deadlines = [_due_tomorrow(org, user, kind=f"sweep.k{i}") for i in range(3)]
    real_notify = services.notify
    calls = {"n": 0}

    def notify_then_die(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] >= 2:
            raise RuntimeError("worker killed")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(services, "notify", notify_then_die)
    with pytest.raises(RuntimeError):
        services.sweep()
    # The first reminder committed; the one that died left nothing behind.
    assert DeadlineReminder.objects.count() == 1
    assert Notification.objects.count() == 1

    monkeypatch.setattr(services, "notify", real_notify)
    assert services.sweep()["reminders"] == 2
    assert services.sweep()["reminders"] == 0
    for d in deadlines:
        assert _stages(d) == {"before-3"}
        assert _deadline_notifications(d).count() == 1
    assert DeadlineReminder.objects.count() == 3
    assert Notification.objects.filter(recipient=user).count() == 3


@pytest.mark.django_db
def test_sweep_dying_in_send_reminder_then_rerun(org, monkeypatch):
    user = factories.applicant(org)
    deadlines = [_due_tomorrow(org, user, kind=f"sweep.s{i}") for i in range(3)]
    real = services.send_reminder
    calls = {"n": 0}

    def dying(deadline, stage):
        if calls["n"] >= 1:
            raise RuntimeError("worker killed")
        calls["n"] += 1
        return real(deadline, stage)

    monkeypatch.setattr(services, "send_reminder", dying)
    with pytest.raises(RuntimeError):
        services.sweep()
    assert DeadlineReminder.objects.count() == 1
    monkeypatch.setattr(services, "send_reminder", real)
    services.sweep()
    services.sweep()
    assert DeadlineReminder.objects.count() == 3
    assert Notification.objects.count() == 3
    assert all(_stages(d) == {"before-3"} for d in deadlines)


@pytest.mark.django_db
def test_met_deadline_gets_no_reminder_and_past_due_open_is_marked_overdue(org):
    user = factories.applicant(org)
    met = _due_tomorrow(org, user, kind="sweep.met")
    assert services.close_deadlines(org, "sweep.met") == 1
    late = services.open_deadline(org, "sweep.late", label="已过期", rule=Deadline.Rule.CALENDAR_DAYS, amount=1,
                                  assignee=user)
    Deadline.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(days=2))

    result = services.sweep()
    assert result["overdue"] == 1
    met.refresh_from_db()
    late.refresh_from_db()
    assert met.state == Deadline.State.MET
    assert late.state == Deadline.State.OVERDUE
    assert not DeadlineReminder.objects.filter(deadline=met).exists()
    assert not _deadline_notifications(met).exists()
    # The past-due one got every stage (it is 2 days late), once.
    assert _stages(late) == STAGE_CODES
    assert services.sweep() == {"overdue": 0, "reminders": 0, "expired": 0}
    late.refresh_from_db()
    assert late.state == Deadline.State.OVERDUE

    # A cancelled deadline gets nothing either, even when past due.
    gone = services.open_deadline(org, "sweep.gone", label="取消", rule=Deadline.Rule.CALENDAR_DAYS, amount=1)
    Deadline.objects.filter(pk=gone.pk).update(due_at=timezone.now() - datetime.timedelta(days=2))
    services.close_deadlines(org, "sweep.gone", state=Deadline.State.CANCELLED)
    assert services.sweep() == {"overdue": 0, "reminders": 0, "expired": 0}
    gone.refresh_from_db()
    assert gone.state == Deadline.State.CANCELLED


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_sends_the_reminder():
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    org = factories.OrganizationFactory()
    user = factories.applicant(org)
    d = _due_tomorrow(org, user, kind="sweep.worker")

    db_name = settings.DATABASES["default"]["NAME"]
    queue = f"test-sweep-{uuid.uuid4().hex[:10]}"
    env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db_name}", REDIS_URL=redis_url,
               CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=queue)
    env.pop("CELERY_BROKER_URL", None)
    log = tempfile.NamedTemporaryFile("w+", suffix=".log", prefix="celery-sweep-", delete=False)
    worker = subprocess.Popen(
        [str(settings.BASE_DIR / ".venv" / "bin" / "celery"), "-A", "ipcenter", "worker", "--pool=solo",
         "-Q", queue, "--loglevel=warning"],
        env=env, cwd=str(settings.BASE_DIR), stdout=log, stderr=subprocess.STDOUT)
    previous = current_app.conf.task_always_eager
    try:
        current_app.conf.task_always_eager = False
        try:
            with current_app.connection_for_write(url=redis_url) as conn:
                current_app.send_task("ipcenter.deadlines.tasks.sweep_deadlines", queue=queue, connection=conn)
        finally:
            current_app.conf.task_always_eager = previous

        until = time.monotonic() + 60
        while time.monotonic() < until:
            if DeadlineReminder.objects.filter(deadline=d).exists():
                break
            if worker.poll() is not None:
                break
            time.sleep(0.5)
        log.flush()
        log.seek(0)
        output = log.read()[-3000:]
        assert DeadlineReminder.objects.filter(deadline=d).exists(), f"no reminder; worker output:\n{output}"
        assert _stages(d) == {"before-3"}
        assert _deadline_notifications(d).filter(recipient=user).count() == 1
    finally:
        current_app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(5)
        log.close()
        os.unlink(log.name)
