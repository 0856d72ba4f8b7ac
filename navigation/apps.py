from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import HomePanel, MenuItem, PortalAppConfig, UploadPurpose

MB = 1024 * 1024


class NavigationConfig(PortalAppConfig):
    name = "navigation"
    verbose_name = _("专利导航")
    url_prefix = "navigation/"
    api_prefix = "navigation/"
    menu = (MenuItem(_("专利导航"), "navigation:index",
                     frozenset({roles.NAVIGATION_ANALYST, roles.MANAGER, roles.ADMIN}), order=50),)
    upload_purposes = (
        # (patent-database exports, "navigation.export", are registered in ready(): larger limits)
        UploadPurpose("navigation.deliverable", ("pdf", "docx", "xlsx", "png", "jpg"), 50 * MB),
    )
    home_panels = (HomePanel((roles.NAVIGATION_ANALYST,), "navigation.home.home_panel"),
                   HomePanel((roles.APPLICANT, roles.AGENCY), "navigation.home.client_panel"))
    state_colours = {
        "active": "primary", "delivered": "success", "suspended": "warning", "closed": "dark",
        "uploaded": "light", "queued": "info", "running": "primary", "done": "success", "failed": "danger",
        "waiting": "light",
    }

    def ready(self):
        super().ready()
        from ipcenter.files.containers import ContainerLimits
        from ipcenter.files.services import register_purpose

        # patent-database exports: 100k rows of CSV are ~60 MB; the sheet of a 100k-row XLSX
        # is ~150 MB of XML, so up to 1 GB expanded is allowed (the ratio limit still refuses
        # a bomb; the import reads the sheet streamed)
        register_purpose("navigation.export", ("csv", "xlsx"), 200 * MB,
                         limits=ContainerLimits(zip_total=1024 * MB, zip_member=1024 * MB))
