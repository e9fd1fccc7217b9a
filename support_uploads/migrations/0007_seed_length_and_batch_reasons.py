"""Two row reasons, as data like the others: a value longer than its column allows (``template_spec``), and a
correction-batch row repeating a supporter the pair already submitted in its initial batch."""

from django.db import migrations

# code, Indonesian label, English label, severity, legal basis
REASONS = [
    (
        "FIELD_TOO_LONG",
        "Isi kolom melebihi panjang maksimal (lihat lembar Petunjuk); nilai dipotong di laporan",
        "A value is longer than its column allows (see the instructions sheet); cut short in the report",
        "reject",
        "",
    ),
    (
        "DUP_EARLIER_BATCH",
        "Pendukung sudah diserahkan pada dukungan awal (MS atau TMS); tidak dihitung dalam dukungan perbaikan",
        "Supporter already submitted in the initial batch (MS or TMS); not counted in the correction batch",
        "reject",
        "UU 10/2016 Pasal 48; PKPU 8/2024",
    ),
]


def seed(apps, schema_editor):
    ReasonCode = apps.get_model("support_uploads", "ReasonCode")
    for code, label_id, label_en, severity, basis in REASONS:
        ReasonCode.objects.update_or_create(
            code=code,
            defaults={"label_id": label_id, "label_en": label_en, "severity": severity, "legal_basis": basis},
        )


def unseed(apps, schema_editor):
    apps.get_model("support_uploads", "ReasonCode").objects.filter(code__in=[r[0] for r in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("support_uploads", "0006_upload_batch")]
    operations = [migrations.RunPython(seed, unseed)]
