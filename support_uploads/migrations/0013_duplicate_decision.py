"""A KPU operator's decision on a pair's potential duplicate, and the reason of the rows not chosen."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

REASON = (
    "DUP_NOT_CHOSEN",
    "Potensi ganda: operator KPU memutuskan baris lain dengan NIK ini sebagai pendukung, atau tidak satu pun",
    "Potential duplicate: a KPU operator decided another row with this NIK is the supporter, or none is",
    "reject",
    "PKPU 8/2024",
)


def seed(apps, schema_editor):
    code, label_id, label_en, severity, basis = REASON
    apps.get_model("support_uploads", "ReasonCode").objects.update_or_create(
        code=code, defaults={"label_id": label_id, "label_en": label_en, "severity": severity, "legal_basis": basis}
    )


def unseed(apps, schema_editor):
    apps.get_model("support_uploads", "ReasonCode").objects.filter(code=REASON[0]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("support_uploads", "0012_seed_cell_reasons"),
        ("candidacy", "0008_count_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    operations = [
        migrations.CreateModel(
            name='DuplicateDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('batch', models.CharField(choices=[('initial', 'Dukungan awal'), ('correction_1', 'Dukungan perbaikan')], default='initial', max_length=16, verbose_name='tahap dukungan')),
                ('nik', models.TextField()),
                ('rows', models.JSONField(default=list, verbose_name='baris yang diputuskan')),
                ('note', models.TextField(verbose_name='alasan')),
                ('decided_at', models.DateTimeField(auto_now_add=True)),
                ('chosen', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='support_uploads.supporter')),
                ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('election', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='candidacy.election')),
                ('pair', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='duplicate_decisions', to='candidacy.candidatepair')),
            ],
            options={
                'verbose_name': 'keputusan potensi ganda',
                'verbose_name_plural': 'keputusan potensi ganda',
                'ordering': ['-decided_at', '-id'],
                'indexes': [models.Index(fields=['pair', 'nik'], name='dupdecision_pair_nik')],
            },
        ),
        migrations.RunPython(seed, unseed),
    ]
