from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import HomePanel, MenuItem, PortalAppConfig, UploadPurpose

MB = 1024 * 1024


class RightsaidConfig(PortalAppConfig):
    name = "rightsaid"
    verbose_name = _("维权援助")
    url_prefix = "rightsaid/"
    api_prefix = "rightsaid/"
    menu = (MenuItem(_("维权援助"), "rightsaid:index", frozenset({
        roles.APPLICANT, roles.STATION_STAFF, roles.MEDIATOR, roles.MANAGER, roles.ADMIN}), order=30),)
    upload_purposes = (
        UploadPurpose("rightsaid.evidence", ("pdf", "docx", "png", "jpg"), 20 * MB),
        UploadPurpose("rightsaid.expert_opinion", ("pdf",), 20 * MB),
    )
    home_panels = (HomePanel((roles.STATION_STAFF, roles.MEDIATOR, roles.APPLICANT), "rightsaid.home.home_panel"),)
    state_colours = {"handling": "primary", "review": "info", "declined": "danger", "closed": "secondary"}
