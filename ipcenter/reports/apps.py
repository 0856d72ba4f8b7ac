from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "ipcenter.reports"
    label = "reports"
    verbose_name = _("报表")

    def ready(self):
        from . import list_export  # noqa: F401  (the core's own job kind)
