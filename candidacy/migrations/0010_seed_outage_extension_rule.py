"""Seed: the outage-extension rule of every regulation version (issue #18). An outage extends the affected
stage by its length rounded up to whole hours, and by at least 24 hours: the window Bawaslu ordered after the
Jakarta 2024 outage, when the upload buttons were missing for 13-16 hours (docs/domain.md §9.4)."""

from django.db import migrations


def seed(apps, schema_editor):
    RegulationVersion = apps.get_model("candidacy", "RegulationVersion")
    RegulationVersion.objects.update(outage_extension_min_hours=24, outage_extension_round_hours=1)


class Migration(migrations.Migration):
    dependencies = [("candidacy", "0009_outages")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
