"""Template context shared by every page: portal name, navigation, unread count."""
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles

# (label, url name, roles that see it; None = every signed-in user)
NAVIGATION = [
    (_("工作台"), "home", None),
    (_("预审"), "prescreen:index", {roles.APPLICANT, roles.AGENCY, roles.EXAMINER, roles.QC_REVIEWER, roles.MANAGER, roles.ADMIN}),
    (_("质检"), "quality:index", {roles.EXAMINER, roles.QC_REVIEWER, roles.MANAGER, roles.ADMIN}),
    (_("维权援助"), "rightsaid:index", {roles.APPLICANT, roles.STATION_STAFF, roles.MEDIATOR, roles.MANAGER, roles.ADMIN}),
    (_("人民调解"), "mediation:index", {roles.STATION_STAFF, roles.MEDIATOR, roles.MANAGER, roles.ADMIN}),
    (_("专利导航"), "navigation:index", {roles.NAVIGATION_ANALYST, roles.MANAGER, roles.ADMIN}),
    (_("宣传培训"), "outreach:index", {roles.OUTREACH_STAFF, roles.MANAGER, roles.ADMIN}),
    (_("单位"), "accounts:organization-list", {roles.MANAGER, roles.ADMIN}),
    (_("统计"), "stats:dashboard", {roles.MANAGER, roles.ADMIN}),
]


def navigation_for(user):
    items = []
    for label, url_name, allowed in NAVIGATION:
        if allowed is not None and not (user.is_superuser or user.has_role(*allowed)):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue  # area not built yet
        items.append({"label": label, "url": url, "name": url_name})
    return items


def portal(request):
    ctx = {"PORTAL_NAME": settings.PORTAL_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from ipcenter.notify.models import Notification

        ctx["nav_items"] = navigation_for(user)
        ctx["unread_count"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return ctx
