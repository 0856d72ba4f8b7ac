from celery.schedules import crontab
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import HomePanel, MenuItem, PortalAppConfig, UploadPurpose

MB = 1024 * 1024


def ensure_defaults(sender, **kwargs):
    """The default defect catalogue and the settings row (idempotent; admins edit them)."""
    from .models import DEFAULT_DEFECT_TYPES, DefectType, PrescreenSettings

    for order, (code, name, category) in enumerate(DEFAULT_DEFECT_TYPES):
        DefectType.objects.get_or_create(code=code, defaults={"name": name, "category": category,
                                                              "sort_order": order})
    PrescreenSettings.load()


class PrescreenConfig(PortalAppConfig):
    name = "prescreen"
    verbose_name = _("专利预审")
    url_prefix = "prescreen/"
    api_prefix = "prescreen/"
    menu = (MenuItem(_("预审"), "prescreen:index", frozenset({
        roles.APPLICANT, roles.AGENCY, roles.EXAMINER, roles.QC_REVIEWER, roles.MANAGER, roles.ADMIN}), order=10),)
    beat_schedule = {
        "prescreen-risk-review": {
            "task": "prescreen.tasks.review_entity_risk",
            "schedule": crontab(hour=2, minute=15),
        },
    }
    upload_purposes = (
        # Case documents (request, description, claims, abstract, drawings); label = role.
        UploadPurpose("prescreen.document", ("pdf", "docx", "png", "jpg"), 20 * MB),
        UploadPurpose("prescreen.opinion_letter", ("pdf",), 20 * MB),
    )
    home_panels = (HomePanel((roles.APPLICANT, roles.AGENCY, roles.EXAMINER, roles.MANAGER),
                             "prescreen.home.home_panel"),)
    state_colours = {
        "qualified": "success", "granted": "success", "accepted": "success", "registered": "success",
        "submitted": "info", "needs_correction": "warning", "suspended": "warning", "examining": "primary",
        "draft": "light", "unqualified": "danger", "terminated": "dark", "refused": "danger",
    }

    def ready(self):
        super().ready()
        post_migrate.connect(ensure_defaults, sender=self)
