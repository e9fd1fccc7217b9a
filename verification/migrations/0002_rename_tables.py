"""Renames the tables taken over from support_uploads to this app's names (``verification_*``, and the
correction's upload link table with them). ``ALTER TABLE ... RENAME``: the rows, ids, indexes and foreign keys
stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("verification", "0001_initial")]

    operations = [
        migrations.AlterModelTable(name="correctionsubmission", table=None),
        migrations.AlterModelTable(name="verificationround", table=None),
        migrations.AlterModelTable(name="verificationresult", table=None),
        migrations.AlterModelTable(name="verificationdocument", table=None),
        migrations.AlterModelTable(name="externalchoice", table=None),
        migrations.AlterModelTable(name="pairoutcome", table=None),
    ]
