from celery.schedules import crontab
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from ipcenter.accounts import roles
from ipcenter.plugins import HomePanel, MenuItem, PortalAppConfig


def ensure_defaults(sender, **kwargs):
    """The default error catalogue and the settings row (idempotent; admins edit them)."""
    from .models import DEFAULT_ERROR_TYPES, ErrorType, QualitySettings

    for code, category, severity, description in DEFAULT_ERROR_TYPES:
        ErrorType.objects.get_or_create(code=code, defaults={"category": category, "severity": severity,
                                                             "description": description})
    QualitySettings.load()


def _on_opinion_submitted(sender, opinion, actor, **kwargs):
    from .services import open_peer_check

    open_peer_check(opinion, actor)


def _on_cnipa_outcome(sender, case, actor, **kwargs):
    from .services import record_feedback

    record_feedback(case, actor)


class QualityConfig(PortalAppConfig):
    name = "prescreen.quality"
    label = "quality"
    verbose_name = _("四级质检")
    url_prefix = "quality/"
    api_prefix = "quality/"
    menu = (MenuItem(_("质检"), "quality:index",
                     frozenset({roles.EXAMINER, roles.QC_REVIEWER, roles.MANAGER, roles.ADMIN}), order=20),)
    beat_schedule = {
        "quality-monthly-samples": {  # idempotent: at most one sample per level and month
            "task": "prescreen.quality.tasks.draw_monthly_samples",
            "schedule": crontab(day_of_month="1-3", hour=3, minute=0),
        },
    }
    home_panels = (HomePanel((roles.EXAMINER, roles.QC_REVIEWER, roles.MANAGER), "prescreen.quality.panels.home_panel"),)

    def ready(self):
        super().ready()
        from prescreen import hooks

        from .panels import case_panel
        from .services import peer_release_blocker

        post_migrate.connect(ensure_defaults, sender=self)
        hooks.register_release_blocker(peer_release_blocker)
        hooks.opinion_submitted.connect(_on_opinion_submitted, dispatch_uid="quality.peer_check")
        hooks.cnipa_outcome_recorded.connect(_on_cnipa_outcome, dispatch_uid="quality.feedback")
        hooks.register_case_panel(case_panel)
