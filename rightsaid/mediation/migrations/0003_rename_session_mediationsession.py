"""One name for one thing: the mediation ``Session`` is ``MediationSession``.  The table is
renamed (no data is copied); the ``migrate`` command renames the content type with it.
Reversible."""
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("mediation", "0002_agreement_mediator_name"),
    ]

    operations = [
        migrations.RenameModel("Session", "MediationSession"),
    ]
