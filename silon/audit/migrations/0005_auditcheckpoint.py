"""Signed checkpoints of the chain head; append-only on PostgreSQL like the events."""

from django.db import migrations, models

CREATE = """
CREATE TRIGGER audit_checkpoint_append_only
    BEFORE UPDATE OR DELETE ON audit_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_checkpoint_no_truncate
    BEFORE TRUNCATE ON audit_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON audit_auditcheckpoint;
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_refuse_truncate")]
    operations = [
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("signed_at", models.DateTimeField(db_index=True, verbose_name="ditandatangani")),
                ("event_id", models.BigIntegerField(verbose_name="id catatan")),
                ("event_hash", models.CharField(max_length=64, verbose_name="hash catatan")),
                ("event_time", models.DateTimeField(verbose_name="waktu catatan")),
                (
                    "reason",
                    models.CharField(
                        choices=[
                            ("hourly", "Berkala (per jam)"),
                            ("stage_closed", "Tahapan ditutup"),
                            ("manual", "Manual"),
                        ],
                        max_length=20,
                        verbose_name="alasan",
                    ),
                ),
                ("note", models.CharField(blank=True, max_length=500, verbose_name="keterangan")),
                ("public_key", models.CharField(max_length=64, verbose_name="kunci publik")),
                ("signature", models.CharField(max_length=128, verbose_name="tanda tangan")),
            ],
            options={
                "verbose_name": "titik periksa audit",
                "verbose_name_plural": "titik periksa audit",
                "ordering": ["-id"],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
