from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrescreenConfig(AppConfig):
    name = "prescreen"
    verbose_name = _("专利预审")
