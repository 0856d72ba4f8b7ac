from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import MenuItem, PortalAppConfig


class StatsConfig(PortalAppConfig):
    name = "ipcenter.stats"
    label = "stats"
    verbose_name = _("统计")
    api_prefix = "stats/"  # /api/v1/stats/ (ipcenter/stats/api/urls.py)
    menu = (MenuItem(_("统计"), "stats:dashboard", frozenset({roles.MANAGER, roles.ADMIN, roles.STATION_STAFF}),
                     order=95),)
    beat_schedule = {
        # idempotent: one MonthlyReport row per month, claimed in a transaction
        "stats-monthly-report": {
            "task": "ipcenter.stats.tasks.send_monthly_report",
            "schedule": crontab(day_of_month="1", hour=6, minute=30),
        },
        # the whole centre and each league, this month/quarter/year/since opening and the
        # periods compared with them (tasks.WARM_INTERVAL: every 10 minutes)
        "stats-warm-snapshots": {
            "task": "ipcenter.stats.tasks.warm_snapshots",
            "schedule": crontab(minute="*/10"),
        },
    }
    autoload = ("reports", "network")  # the report kinds; the network section
