"""The project package as an app: the shell's own menu entry and the beat schedule merge."""
from django.utils.translation import gettext_lazy as _

from ipcenter.plugins import MenuItem, PortalAppConfig


class IpcenterConfig(PortalAppConfig):
    name = "ipcenter"
    verbose_name = _("平台")
    menu = (MenuItem(_("工作台"), "home", None, order=0),)
    autoload = ()

    def ready(self):
        super().ready()
        from django.conf import settings

        from ipcenter.celery import app
        from ipcenter.plugins import registry

        # Every app's beat entries join the core's (``celery beat`` runs django.setup() first).
        app.conf.beat_schedule = {**settings.CELERY_BEAT_SCHEDULE, **registry().beat}
