"""Celery application: slow and timed work (reports, reminder sweeps, e-mail)."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipcenter.settings")

app = Celery("ipcenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
