from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import MenuItem, PortalAppConfig


class OutreachConfig(PortalAppConfig):
    name = "outreach"
    verbose_name = _("宣传培训")
    url_prefix = "outreach/"
    menu = (MenuItem(_("宣传培训"), "outreach:index", frozenset({roles.OUTREACH_STAFF, roles.MANAGER, roles.ADMIN}), order=60),)
