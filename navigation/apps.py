from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import MenuItem, PortalAppConfig


class NavigationConfig(PortalAppConfig):
    name = "navigation"
    verbose_name = _("专利导航")
    url_prefix = "navigation/"
    menu = (MenuItem(_("专利导航"), "navigation:index", frozenset({roles.NAVIGATION_ANALYST, roles.MANAGER, roles.ADMIN}), order=50),)
