from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityConfig(AppConfig):
    name = "prescreen.quality"
    label = "quality"
    verbose_name = _("四级质检")
