"""The monthly statistics report: built on the 1st for the previous month and e-mailed to
the managers with the PDF attached — exactly once per month.

A ``MonthlyReport`` row per month is created first (unique month); the run then claims it
with ``SELECT … FOR UPDATE SKIP LOCKED`` inside one transaction and marks it sent in the
same transaction.  A second beat run at the same time finds the row locked and returns; a
later run finds it sent and returns; a worker that died mid-way rolled its transaction
back, so the next run (Celery redelivers: ``acks_late``) builds and sends it again."""
import datetime as dt
import logging

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

log = logging.getLogger(__name__)


def previous_month(today):
    first = today.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def managers():
    from ipcenter.accounts import roles
    from ipcenter.accounts.models import User

    return User.objects.filter(is_active=True, groups__name=roles.MANAGER).exclude(email="").distinct().order_by("pk")


def send_monthly_report(today=None):
    """Returns the ``MonthlyReport`` sent by this call, or None if another run has it."""
    from ipcenter.querysets import StationScope

    from .figures import Period, StatsScope
    from .models import MonthlyReport, StatsSettings
    from .reports import build_statistics_pdf

    if not StatsSettings.load().monthly_report_enabled:
        return None
    month = previous_month(today or timezone.localdate())
    try:
        with transaction.atomic():
            MonthlyReport.objects.get_or_create(month=month)
    except IntegrityError:  # created concurrently by the other run
        pass
    recipients = list(managers())
    with transaction.atomic():
        row = (MonthlyReport.objects.select_for_update(skip_locked=True)
               .filter(month=month, sent_at__isnull=True).first())
        if row is None:
            return None
        if not recipients:
            log.warning("monthly report %s: no manager with an e-mail address", month)
            return None
        period = Period.month(month.year, month.month)
        scope = StatsScope(recipients[0], period, StationScope.all())
        pdf = build_statistics_pdf(scope, max_age=0)  # the month as it is now, not a snapshot
        filename = f"统计月报-{month:%Y%m}.pdf"
        msg = EmailMessage(subject=f"统计月报：{period.label}",
                           body=f"附件为{period.label}（{period.start} 至 {period.end}）全中心统计报告。",
                           to=[u.email for u in recipients])
        msg.attach(filename, pdf, "application/pdf")
        msg.send()
        row.sent_at, row.recipients, row.filename = timezone.now(), len(recipients), filename
        row.save(update_fields=["sent_at", "recipients", "filename"])
        return row


@shared_task(name="ipcenter.stats.tasks.send_monthly_report", acks_late=True)
def send_monthly_report_task():
    row = send_monthly_report()
    return str(row) if row else None


@shared_task(name="ipcenter.stats.tasks.refresh_snapshot", acks_late=True)
def refresh_snapshot_task(snapshot_id):
    """Recompute one figure snapshot (queued by ``snapshots.request_refresh``)."""
    from .models import FigureSnapshot
    from .snapshots import refresh

    snapshot = FigureSnapshot.objects.filter(pk=snapshot_id).select_related("station").first()
    if snapshot is None:  # pruned meanwhile
        return None
    refresh(snapshot)
    return snapshot.compute_seconds


#: how often beat warms the common snapshots (seconds); the beat entry in apps.py runs it
WARM_INTERVAL = 10 * 60


@shared_task(name="ipcenter.stats.tasks.warm_snapshots")
def warm_snapshots_task():
    from .snapshots import warm

    return warm(interval=WARM_INTERVAL)
