from django.db import migrations

STAGES = [("before-3", "到期前 3 天", -3), ("due-day", "到期当天", 0), ("overdue", "逾期", 1)]


def forwards(apps, schema_editor):
    ReminderStage = apps.get_model("deadlines", "ReminderStage")
    for code, label, offset in STAGES:
        ReminderStage.objects.update_or_create(code=code, defaults={"label": label, "offset_days": offset})


def backwards(apps, schema_editor):
    apps.get_model("deadlines", "ReminderStage").objects.filter(code__in=[s[0] for s in STAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
