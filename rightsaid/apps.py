from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsaidConfig(AppConfig):
    name = "rightsaid"
    verbose_name = _("维权援助")
