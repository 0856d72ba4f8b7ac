from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_defaults(sender, **kwargs):
    """The default defect catalogue and the settings row (idempotent; admins edit them)."""
    from .models import DEFAULT_DEFECT_TYPES, DefectType, PrescreenSettings

    for order, (code, name, category) in enumerate(DEFAULT_DEFECT_TYPES):
        DefectType.objects.get_or_create(code=code, defaults={"name": name, "category": category,
                                                              "sort_order": order})
    PrescreenSettings.load()


class PrescreenConfig(AppConfig):
    name = "prescreen"
    verbose_name = _("专利预审")

    def ready(self):
        post_migrate.connect(ensure_defaults, sender=self)
        from ipcenter.files.services import MB, register_purpose

        # Case documents (request, description, claims, abstract, drawings); label = role.
        register_purpose("prescreen.document", kinds=("pdf", "docx", "png", "jpg"), max_size=20 * MB)
        register_purpose("prescreen.opinion_letter", kinds=("pdf",), max_size=20 * MB)
        from ipcenter.accounts import roles
        from ipcenter.views import register_home_panel

        from .home import home_panel

        register_home_panel([roles.APPLICANT, roles.AGENCY, roles.EXAMINER, roles.MANAGER], home_panel)
        from ipcenter.stats.views import DASHBOARD_SECTIONS

        from .stats import dashboard_section

        if dashboard_section not in DASHBOARD_SECTIONS:
            DASHBOARD_SECTIONS.append(dashboard_section)
