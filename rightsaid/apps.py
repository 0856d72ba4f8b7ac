from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsaidConfig(AppConfig):
    name = "rightsaid"
    verbose_name = _("维权援助")

    def ready(self):
        from ipcenter.files.services import MB, register_purpose

        register_purpose("rightsaid.evidence", kinds=("pdf", "docx", "png", "jpg"), max_size=20 * MB)
        register_purpose("rightsaid.expert_opinion", kinds=("pdf",), max_size=20 * MB)

        from ipcenter.accounts import roles
        from ipcenter.views import register_home_panel

        from .home import home_panel

        register_home_panel([roles.STATION_STAFF, roles.MEDIATOR, roles.APPLICANT], home_panel)
