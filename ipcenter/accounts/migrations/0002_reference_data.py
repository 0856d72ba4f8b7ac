"""Reference data: the station network, technical fields and role groups."""
from django.db import migrations

from ipcenter.accounts import reference


def forwards(apps, schema_editor):
    reference.ensure_reference_data(apps)


def backwards(apps, schema_editor):
    Station = apps.get_model("accounts", "Station")
    # Leaves first (the tree is PROTECTed).
    for station in Station.objects.order_by("-path"):
        station.delete()
    apps.get_model("accounts", "TechnicalField").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
