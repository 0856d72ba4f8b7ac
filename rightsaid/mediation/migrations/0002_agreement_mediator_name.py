"""The agreement keeps the mediator's name as signed (its hash no longer changes when the
account is renamed); the term is extendable once by rule, so the setting goes."""
from django.db import migrations, models


def fill_mediator_name(apps, schema_editor):
    Agreement = apps.get_model("mediation", "Agreement")
    for agreement in Agreement.objects.select_related("dispute__mediator"):
        m = agreement.dispute.mediator
        if m is not None:
            full = f"{m.first_name} {m.last_name}".strip()
            agreement.mediator_name = m.display_name or full or m.username
            agreement.save(update_fields=["mediator_name"])


class Migration(migrations.Migration):

    dependencies = [
        ('mediation', '0001_initial'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='mediationsettings',
            name='max_extensions',
        ),
        migrations.AddField(
            model_name='agreement',
            name='mediator_name',
            field=models.CharField(blank=True, help_text='签订时调解员的姓名（协议内容的一部分，不随账号改名变化）。', max_length=150, verbose_name='调解员'),
        ),
        migrations.RunPython(fill_mediator_name, migrations.RunPython.noop),
    ]
