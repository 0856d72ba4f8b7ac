from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "rightsaid.mediation"
    label = "mediation"
    verbose_name = _("人民调解")

    def ready(self):
        from ipcenter.files.services import MB, register_purpose

        # the parties' signed consent to mediation, and the generated agreement PDF
        register_purpose("mediation.consent", kinds=("pdf", "png", "jpg"), max_size=20 * MB)
        register_purpose("mediation.agreement", kinds=("pdf",), max_size=20 * MB)

        from ipcenter.accounts import roles
        from ipcenter.views import register_home_panel

        from .home import home_panel

        register_home_panel([roles.MEDIATOR, roles.STATION_STAFF, roles.MANAGER], home_panel)
