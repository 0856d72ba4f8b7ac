from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import HomePanel, MenuItem, PortalAppConfig, UploadPurpose

MB = 1024 * 1024


class MediationConfig(PortalAppConfig):
    name = "rightsaid.mediation"
    label = "mediation"
    verbose_name = _("人民调解")
    url_prefix = "rightsaid/mediation/"
    api_prefix = "rightsaid/mediation/"
    menu = (MenuItem(_("人民调解"), "mediation:index", frozenset({
        roles.STATION_STAFF, roles.MEDIATOR, roles.MANAGER, roles.ADMIN}), order=40),)
    upload_purposes = (
        # the parties' signed consent to mediation, and the generated agreement PDF
        UploadPurpose("mediation.consent", ("pdf", "png", "jpg"), 20 * MB),
        UploadPurpose("mediation.agreement", ("pdf",), 20 * MB),
    )
    home_panels = (HomePanel((roles.MEDIATOR, roles.STATION_STAFF, roles.MANAGER), "rightsaid.mediation.home.home_panel"),)
    state_colours = {"agreement": "success"}
