"""Template context shared by every page: portal name, navigation, unread count."""
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext, gettext_noop

from ipcenter.plugins import registry


def navigation_for(user):
    """The menu entries the apps declared (``PortalAppConfig.menu``) that ``user`` may see."""
    items = []
    for entry in registry().menu:
        if entry.roles is not None and not (user.is_superuser or user.has_role(*entry.roles)):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # area not built yet
        items.append({"label": entry.label, "url": url, "name": entry.url_name})
    return items


#: the default portal name, in the catalogue so that English pages show it in English; a name
#: set through the PORTAL_NAME variable is shown as configured
DEFAULT_PORTAL_NAME = gettext_noop("知识产权保护中心")


def portal_name():
    name = settings.PORTAL_NAME
    return gettext(name) if name == DEFAULT_PORTAL_NAME else name


def portal(request):
    ctx = {"PORTAL_NAME": portal_name()}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from ipcenter.notify.models import Notification

        ctx["nav_items"] = navigation_for(user)
        ctx["unread_count"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return ctx
