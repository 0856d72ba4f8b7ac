"""One spelling across apps: the moment a row was registered is ``created_at``.  Columns are
renamed (no data is copied or lost); the migration is reversible."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("rightsaid", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("consultation", "created", "created_at"),
        migrations.RenameField("assistancecase", "created", "created_at"),
        migrations.RenameField("evidenceitem", "created", "created_at"),
        migrations.RenameField("exhibition", "created", "created_at"),
        migrations.RenameField("exhibitioncomplaint", "created", "created_at"),
        migrations.AlterModelOptions(
            name="assistancecase",
            options={"ordering": ["-created_at", "-pk"], "verbose_name": "维权援助案件", "verbose_name_plural": "维权援助案件"},
        ),
        migrations.AlterModelOptions(
            name="consultation",
            options={"ordering": ["-created_at", "-pk"], "verbose_name": "咨询", "verbose_name_plural": "咨询记录"},
        ),
        migrations.AlterModelOptions(
            name="exhibitioncomplaint",
            options={"ordering": ["-created_at", "-pk"], "verbose_name": "展会投诉", "verbose_name_plural": "展会投诉"},
        ),
    ]
