from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import MenuItem, PortalAppConfig


class StatsConfig(PortalAppConfig):
    name = "ipcenter.stats"
    label = "stats"
    verbose_name = _("统计")
    menu = (MenuItem(_("统计"), "stats:dashboard", frozenset({roles.MANAGER, roles.ADMIN}), order=95),)
    autoload = ("reports",)  # registers the report kinds
