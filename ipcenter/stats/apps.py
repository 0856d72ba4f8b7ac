from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "ipcenter.stats"
    label = "stats"
    verbose_name = _("统计")

    def ready(self):
        from . import reports  # noqa: F401 - registers report kinds
