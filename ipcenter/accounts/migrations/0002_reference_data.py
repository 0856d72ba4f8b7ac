"""Reference data: the station network, technical fields and role groups."""
from django.db import migrations

from ipcenter.accounts import reference, roles


def forwards(apps, schema_editor):
    Station = apps.get_model("accounts", "Station")
    TechnicalField = apps.get_model("accounts", "TechnicalField")
    Group = apps.get_model("auth", "Group")

    def make(code, name, kind, parent=None):
        path = (parent.path if parent else "") + code + "/"
        station, _ = Station.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "parent": parent, "path": path})
        return station

    stations = {}
    stations["centre"] = make(*reference.CENTRE, "centre")
    for code, name in reference.LEAGUES:
        stations[code] = make(code, f"{name}知识产权保护分中心", "league", stations["centre"])
    for parent, code, name, kind in reference.WORKSTATIONS:
        stations[code] = make(code, name, kind, stations[parent])
    for code, name, enabled, order in reference.TECHNICAL_FIELDS:
        TechnicalField.objects.update_or_create(
            code=code, defaults={"name": name, "prescreen_enabled": enabled, "sort_order": order})
    for code in roles.ALL_ROLES:
        Group.objects.get_or_create(name=code)


def backwards(apps, schema_editor):
    Station = apps.get_model("accounts", "Station")
    # Leaves first (the tree is PROTECTed).
    for station in Station.objects.order_by("-path"):
        station.delete()
    apps.get_model("accounts", "TechnicalField").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
