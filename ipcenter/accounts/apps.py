from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ipcenter.plugins import MenuItem, PortalAppConfig, UploadPurpose

from . import roles


def ensure_reference_data(sender, **kwargs):
    from .reference import ensure_reference_data as ensure

    ensure()


def sync_role_permissions(sender, **kwargs):
    """Give the admin role every permission and the manager role view rights
    (idempotent; runs after each migrate, when permissions exist)."""
    from django.contrib.auth.models import Group, Permission

    from . import roles

    admin, _created = Group.objects.get_or_create(name=roles.ADMIN)
    admin.permissions.set(Permission.objects.all())
    manager, _created = Group.objects.get_or_create(name=roles.MANAGER)
    manager.permissions.set(Permission.objects.filter(codename__startswith="view_"))


class AccountsConfig(PortalAppConfig):
    name = "ipcenter.accounts"
    label = "accounts"
    verbose_name = _("用户与单位")
    menu = (MenuItem(pgettext_lazy("菜单", "单位"), "accounts:organization-list", frozenset({roles.MANAGER, roles.ADMIN}), order=90),)
    upload_purposes = (UploadPurpose("accounts.organization_document", ("pdf", "png", "jpg"), 10 * 1024 * 1024),)
    autoload = ("actions",)

    def ready(self):
        super().ready()
        post_migrate.connect(ensure_reference_data, sender=self)
        post_migrate.connect(sync_role_permissions, sender=self)

        from ipcenter import picklists

        from .models import Station, TechnicalField, User

        picklists.watch(TechnicalField, Station, User)
        picklists.watch_m2m(User.groups.through, User.technical_fields.through)
