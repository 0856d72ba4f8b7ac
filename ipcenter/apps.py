"""The project package as an app: the shell's own menu entry and the beat schedule merge."""
from django.utils.translation import gettext_lazy as _

from celery.schedules import crontab

from ipcenter.plugins import MenuItem, PortalAppConfig, UploadPurpose


class IpcenterConfig(PortalAppConfig):
    name = "ipcenter"
    verbose_name = _("平台")
    menu = (MenuItem(_("工作台"), "home", None, order=0),)
    autoload = ()
    long_tasks = ("ipcenter.reports.tasks.run_report_job",)
    # background jobs: expired results are deleted hourly; imports that name no purpose take CSV/XLSX
    beat_schedule = {"jobs-expire": {"task": "ipcenter.reports.tasks.expire_jobs", "schedule": crontab(minute=17)}}
    upload_purposes = (UploadPurpose("jobs.import", ("csv", "xlsx"), 200 * 1024 * 1024),)

    def ready(self):
        super().ready()
        from django.conf import settings

        from ipcenter.celery import app
        from ipcenter.plugins import registry

        # Every app's beat entries join the core's (``celery beat`` runs django.setup() first).
        app.conf.beat_schedule = {**settings.CELERY_BEAT_SCHEDULE, **registry().beat}
        soft = settings.CELERY_LONG_TASK_SOFT_LIMIT
        app.conf.task_routes = {name: {"queue": settings.CELERY_LONG_QUEUE} for name in registry().long_tasks}
        app.conf.task_annotations = {name: {"soft_time_limit": soft, "time_limit": soft + 60}
                                     for name in registry().long_tasks}
