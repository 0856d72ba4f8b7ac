"""One name for one thing: ``Check`` is ``QualityCheck``.  The table and its two indexes are
renamed (no data is copied); the ``migrate`` command renames the content type with it, so the
timeline events, clocks and attachments of existing checks stay attached.  Reversible."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("quality", "0002_feedback_not_comparable"),
    ]

    operations = [
        migrations.RenameModel("Check", "QualityCheck"),
        migrations.RenameIndex(model_name="qualitycheck", new_name="quality_qua_examine_7968dc_idx",
                               old_name="quality_che_examine_facc61_idx"),
        migrations.RenameIndex(model_name="qualitycheck", new_name="quality_qua_reviewe_378768_idx",
                               old_name="quality_che_reviewe_db5dc3_idx"),
    ]
