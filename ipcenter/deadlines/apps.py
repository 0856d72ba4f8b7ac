from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

DEFAULT_STAGES = [("before-3", "到期前 3 天", -3), ("due-day", "到期当天", 0), ("overdue", "逾期", 1)]


def ensure_reminder_stages(sender, **kwargs):
    """Default reminder stages exist after every migrate/flush (admins may edit them)."""
    from .models import ReminderStage

    if not ReminderStage.objects.exists():
        for code, label, offset in DEFAULT_STAGES:
            ReminderStage.objects.get_or_create(code=code, defaults={"label": label, "offset_days": offset})


class DeadlinesConfig(AppConfig):
    name = "ipcenter.deadlines"
    label = "deadlines"
    verbose_name = _("期限与提醒")

    def ready(self):
        post_migrate.connect(ensure_reminder_stages, sender=self)
