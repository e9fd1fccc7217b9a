"""Takes over the verification models from support_uploads (``support_uploads.0011_verification_app``):
state only, over their existing tables (``db_table`` still names them as support_uploads'), so no row moves.
The content types of the six models are relabelled in the same step, so django-guardian object grants and the
admin log that point at them keep working; ``0002_rename_tables`` then renames the tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = (
    "verificationround",
    "verificationresult",
    "externalchoice",
    "correctionsubmission",
    "pairoutcome",
    "verificationdocument",
)


def _references(apps, content_type) -> int:
    """Rows of any installed model (admin log, django-guardian grants, ...) that point at ``content_type``;
    its own permissions count only when a user or group holds them."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    count = 0
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not (field.many_to_one or field.one_to_one) or field.related_model is not ContentType:
                continue
            rows = model._base_manager.filter(**{field.name: content_type})
            if model._meta.label == "auth.Permission":
                rows = rows.filter(models.Q(user__isnull=False) | models.Q(group__isnull=False))
            count += rows.count()
    return count


def _relabel(apps, source: str, target: str) -> None:
    """Move the models' content types from app ``source`` to app ``target``, keeping their ids (every grant,
    permission and log entry refers to the id). A content type the target app already has can only have been
    created empty by a ``post_migrate`` outside this migration: it is dropped if nothing refers to it."""
    from django.contrib.contenttypes.models import ContentType as LiveContentType

    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        clash = ContentType.objects.filter(app_label=target, model=model).first()
        if clash is not None:
            if _references(apps, clash):
                raise RuntimeError(
                    f"content types {source}.{model} and {target}.{model} are both in use; merge them by hand"
                )
            clash.delete()
        old.app_label = target
        old.save(update_fields=["app_label"])
    LiveContentType.objects.clear_cache()


def content_types_forwards(apps, schema_editor):
    _relabel(apps, "support_uploads", "verification")


def content_types_backwards(apps, schema_editor):
    _relabel(apps, "verification", "support_uploads")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("candidacy", "0005_seed_parties_and_checklist"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("support_uploads", "0011_verification_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CorrectionSubmission',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('shortfall', models.PositiveIntegerField(verbose_name='kekurangan')),
                        ('required', models.PositiveIntegerField(verbose_name='wajib diserahkan')),
                        ('submitted', models.PositiveIntegerField(verbose_name='diserahkan')),
                        ('repeated', models.PositiveIntegerField(default=0, verbose_name='pendukung berulang (tidak dihitung)')),
                        ('submitted_at', models.DateTimeField(auto_now_add=True)),
                        ('pair', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='support_correction', to='candidacy.candidatepair')),
                        ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('uploads', models.ManyToManyField(related_name='+', to='support_uploads.upload')),
                    ],
                    options={
                        'db_table': 'support_uploads_correctionsubmission',
                        'verbose_name': 'dukungan perbaikan',
                        'verbose_name_plural': 'dukungan perbaikan',
                    },
                ),
                migrations.CreateModel(
                    name='VerificationRound',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('administrative', 'Verifikasi administrasi'), ('factual', 'Verifikasi faktual')], max_length=16, verbose_name='jenis')),
                        ('batch', models.CharField(choices=[('initial', 'Dukungan awal'), ('correction_1', 'Dukungan perbaikan')], max_length=16, verbose_name='tahap dukungan')),
                        ('opened_at', models.DateTimeField(auto_now_add=True)),
                        ('closed_at', models.DateTimeField(blank=True, null=True)),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('election', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='candidacy.election')),
                        ('opened_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pair', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='verification_rounds', to='candidacy.candidatepair')),
                    ],
                    options={
                        'db_table': 'support_uploads_verificationround',
                        'verbose_name': 'putaran verifikasi',
                        'verbose_name_plural': 'putaran verifikasi',
                        'ordering': ['pair', 'opened_at'],
                    },
                ),
                migrations.CreateModel(
                    name='VerificationResult',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('verdict', models.CharField(choices=[('ms', 'MS (memenuhi syarat)'), ('tms', 'TMS (tidak memenuhi syarat)'), ('pending', 'Menunggu (belum ditemui)')], max_length=8, verbose_name='hasil')),
                        ('note', models.TextField(blank=True, verbose_name='keterangan')),
                        ('visit', models.CharField(blank=True, choices=[('confirms', 'Ditemui, membenarkan dukungan'), ('denies', 'Ditemui, tidak mendukung (BA.5)'), ('not_met', 'Tidak ditemui'), ('presented', 'Dihadirkan di kantor PPS'), ('died', 'Meninggal dunia'), ('moved', 'Pindah domisili')], max_length=10, verbose_name='hasil kunjungan')),
                        ('village_code', models.CharField(blank=True, max_length=13)),
                        ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='batas dihadirkan')),
                        ('client_token', models.CharField(blank=True, max_length=64)),
                        ('recorded_at', models.DateTimeField()),
                        ('reason', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='support_uploads.reasoncode')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('supporter', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='support_uploads.supporter')),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='results', to='verification.verificationround')),
                    ],
                    options={
                        'db_table': 'support_uploads_verificationresult',
                        'verbose_name': 'hasil verifikasi',
                        'verbose_name_plural': 'hasil verifikasi',
                        'ordering': ['round', 'supporter_id'],
                    },
                ),
                migrations.CreateModel(
                    name='VerificationDocument',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('b11', 'Daftar pendukung per desa (B.1.1-KWK)'), ('b2', 'Rekapitulasi per kecamatan dan kabupaten/kota (B.2-KWK)'), ('ba', 'Berita acara verifikasi')], max_length=4)),
                        ('fmt', models.CharField(max_length=4)),
                        ('village_code', models.CharField(blank=True, max_length=13, verbose_name='wilayah')),
                        ('file', models.FileField(blank=True, upload_to='verification-docs/%Y/%m/')),
                        ('sha256', models.CharField(blank=True, max_length=64)),
                        ('content_hash', models.CharField(blank=True, db_index=True, max_length=64, verbose_name='hash isi dokumen')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='kemajuan')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('round', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='documents', to='verification.verificationround')),
                    ],
                    options={
                        'db_table': 'support_uploads_verificationdocument',
                        'verbose_name': 'dokumen verifikasi',
                        'verbose_name_plural': 'dokumen verifikasi',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='ExternalChoice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('nik', models.CharField(max_length=16)),
                        ('recorded_at', models.DateTimeField(auto_now_add=True)),
                        ('chosen_pair', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='candidacy.candidatepair')),
                        ('election', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='candidacy.election')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'support_uploads_externalchoice',
                        'verbose_name': 'pilihan pendukung ganda eksternal',
                        'verbose_name_plural': 'pilihan pendukung ganda eksternal',
                        'constraints': [models.UniqueConstraint(fields=('election', 'nik'), name='external_choice_once')],
                    },
                ),
                migrations.CreateModel(
                    name='PairOutcome',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('batch', models.CharField(choices=[('initial', 'Dukungan awal'), ('correction_1', 'Dukungan perbaikan')], max_length=16)),
                        ('status', models.CharField(max_length=10)),
                        ('ms_total', models.PositiveIntegerField()),
                        ('minimum', models.PositiveIntegerField()),
                        ('shortfall', models.PositiveIntegerField()),
                        ('spread_met', models.PositiveIntegerField()),
                        ('spread_required', models.PositiveIntegerField()),
                        ('decided_at', models.DateTimeField(auto_now_add=True)),
                        ('decided_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pair', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='support_outcomes', to='candidacy.candidatepair')),
                    ],
                    options={
                        'db_table': 'support_uploads_pairoutcome',
                        'verbose_name': 'hasil dukungan pasangan',
                        'verbose_name_plural': 'hasil dukungan pasangan',
                        'ordering': ['pair', 'decided_at'],
                        'constraints': [models.UniqueConstraint(fields=('pair', 'batch'), name='outcome_pair_batch')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='verificationround',
                    constraint=models.UniqueConstraint(fields=('pair', 'kind', 'batch'), name='round_pair_kind_batch'),
                ),
                migrations.AddIndex(
                    model_name='verificationresult',
                    index=models.Index(fields=['round', 'village_code'], name='result_round_village'),
                ),
                migrations.AddIndex(
                    model_name='verificationresult',
                    index=models.Index(fields=['verdict', 'due_at'], name='result_pending_due'),
                ),
                migrations.AddConstraint(
                    model_name='verificationresult',
                    constraint=models.UniqueConstraint(fields=('round', 'supporter'), name='result_round_supporter'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_forwards, content_types_backwards),
    ]
