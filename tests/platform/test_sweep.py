"""Reminder sweep: exactly once per (deadline, stage) under overlap, crash+retry; real Celery worker."""
import datetime
import os
import subprocess
import sys
import threading
import time
import uuid

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from ipcenter.deadlines import services
from ipcenter.deadlines.models import Deadline, DeadlineReminder
from ipcenter.notify.models import Notification
from tests import factories


def _deadline(org, user, days_ago=2, kind="test.clock"):
    d = services.open_deadline(org, kind, label="测试期限", rule=Deadline.Rule.CALENDAR_DAYS, amount=1,
                               assignee=user)
    Deadline.objects.filter(pk=d.pk).update(due_at=timezone.now() - datetime.timedelta(days=days_ago))
    return d


@pytest.mark.django_db
def test_sweep_marks_overdue_and_sends_every_stage_once(org):
    user = factories.applicant(org)
    d = _deadline(org, user)
    result = services.sweep()
    assert result["overdue"] == 1 and result["reminders"] == 3
    d.refresh_from_db()
    assert d.state == Deadline.State.OVERDUE
    assert set(DeadlineReminder.objects.filter(deadline=d).values_list("stage", flat=True)) == {
        "before-3", "due-day", "overdue"}
    assert Notification.objects.filter(recipient=user).count() == 3
    assert services.sweep()["reminders"] == 0
    assert Notification.objects.filter(recipient=user).count() == 3


@pytest.mark.django_db
def test_met_deadline_gets_no_reminder(org):
    user = factories.applicant(org)
    d = _deadline(org, user)
    services.close_deadlines(org, "test.clock")
    assert services.sweep()["reminders"] == 0
    assert not DeadlineReminder.objects.filter(deadline=d).exists()
    assert not Notification.objects.filter(recipient=user).exists()


@pytest.mark.django_db
def test_far_deadline_gets_no_reminder_yet(org):
    user = factories.applicant(org)
    d = _deadline(org, user, days_ago=-10)
    assert services.sweep() == {"overdue": 0, "reminders": 0}
    d.refresh_from_db()
    assert d.state == Deadline.State.OPEN


@pytest.mark.django_db
def test_sweep_killed_midway_then_retried_sends_each_once(org, monkeypatch):
    user = factories.applicant(org)
    deadlines = [_deadline(org, user, kind=f"test.k{i}") for i in range(3)]
    real = services.send_reminder
    calls = {"n": 0}

    def dying(deadline, stage):
        if calls["n"] == 1:
            raise RuntimeError("worker killed")
        calls["n"] += 1
        return real(deadline, stage)

    monkeypatch.setattr(services, "send_reminder", dying)
    with pytest.raises(RuntimeError):
        services.sweep()
    assert DeadlineReminder.objects.count() == 1
    monkeypatch.setattr(services, "send_reminder", real)
    services.sweep()
    assert DeadlineReminder.objects.count() == 9
    for d in deadlines:
        assert DeadlineReminder.objects.filter(deadline=d).count() == 3
    assert Notification.objects.filter(recipient=user).count() == 9


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once():
    org = factories.OrganizationFactory()
    user = factories.applicant(org)
    for i in range(5):
        _deadline(org, user, kind=f"test.c{i}")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(services.sweep())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert sum(r["reminders"] for r in results) == 15
    assert DeadlineReminder.objects.count() == 15
    assert Notification.objects.filter(recipient=user).count() == 15


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_runs_the_sweep():
    redis_url = os.environ.get("REDIS_URL") or settings.REDIS_URL
    if not redis_url:
        pytest.skip("REDIS_URL not set")
    org = factories.OrganizationFactory()
    user = factories.applicant(org)
    d = _deadline(org, user)
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, DATABASE_URL=url, CELERY_TASK_ALWAYS_EAGER="0", REDIS_URL=redis_url, CELERY_QUEUE=queue)
    celery_bin = os.path.join(os.path.dirname(sys.executable), "celery")
    worker = subprocess.Popen([celery_bin, "-A", "ipcenter", "worker", "--pool=solo", "-Q", queue, "-l", "warning"],
                              env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from ipcenter.celery import app

        from ipcenter.reports.models import ReportJob

        job = ReportJob.objects.create(kind="stats.overview.xlsx", requested_by=factories.manager(), params={})
        with app.connection_for_write(url=redis_url) as conn:
            app.send_task("ipcenter.deadlines.tasks.sweep_deadlines", queue=queue, connection=conn)
            app.send_task("ipcenter.reports.tasks.run_report_job", args=[str(job.pk)], queue=queue, connection=conn)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if DeadlineReminder.objects.filter(deadline=d).count() == 3 and job.status == "done":
                break
            time.sleep(0.5)
        assert job.status == "done" and job.progress == 100, (job.status, job.error)
        assert DeadlineReminder.objects.filter(deadline=d).count() == 3
        d.refresh_from_db()
        assert d.state == Deadline.State.OVERDUE
    finally:
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
