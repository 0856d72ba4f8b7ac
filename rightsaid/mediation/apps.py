from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "rightsaid.mediation"
    label = "mediation"
    verbose_name = _("人民调解")
