"""TMS reasons of verification rounds (docs/domain.md §5), as editable data beside the upload reasons."""

from django.db import migrations

# code, Indonesian label, English label, legal basis
TMS_REASONS = [
    ("TMS_NO_B1", "Tidak ada formulir B.1-KWK", "No B.1 form", "PKPU 8/2024"),
    ("TMS_UNSIGNED", "Formulir dukungan tidak ditandatangani", "Support form not signed", "PKPU 8/2024"),
    ("TMS_NO_KTP", "Tidak ada KTP-el atau surat keterangan", "No KTP-el or certificate", "UU 10/2016 Pasal 41(3)"),
    ("TMS_DATA_DIFFERS", "Data berbeda dengan KTP-el", "Data differs from the KTP", "PKPU 8/2024"),
    ("TMS_OTHER_REGION", "KTP-el dari luar wilayah pemilihan", "KTP from another region", "UU 10/2016 Pasal 41"),
    ("TMS_UNDERAGE", "Belum 17 tahun dan belum kawin", "Under 17 and unmarried", "UU 10/2016 Pasal 1 angka 6"),
    (
        "TMS_EXCLUDED_JOB",
        "TNI/Polri/ASN/kepala desa atau perangkat desa/penyelenggara pemilu",
        "TNI/Polri/ASN/village official/election official",
        "UU 10/2016 Pasal 70",
    ),
    ("TMS_DUPLICATE", "Ganda (identik atau potensi ganda)", "Double support within the pair", "PKPU 8/2024"),
    ("TMS_NOT_IN_DPT", "Tidak terdaftar dalam DPT terakhir", "Not in the previous DPT", "UU 10/2016 Pasal 41"),
    ("TMS_DENIES", "Pendukung tidak mengakui dukungan (BA.5-KWK)", "Supporter denies support", "PKPU 8/2024"),
    (
        "TMS_NOT_PRESENTED",
        "Tidak ditemui dan tidak dihadirkan dalam 3 hari",
        "Not met and not presented within 3 days",
        "PKPU 8/2024",
    ),
    ("TMS_DIED", "Meninggal dunia", "Died", ""),
    ("TMS_MOVED", "Pindah domisili", "Moved away", ""),
    ("TMS_OTHER_PAIR", "Memilih mendukung pasangan calon lain", "Chose another pair", "PKPU 8/2024"),
    ("TMS_OTHER", "Alasan lain (lihat keterangan)", "Other reason (see the note)", ""),
]


def seed(apps, schema_editor):
    ReasonCode = apps.get_model("support_uploads", "ReasonCode")
    for code, label_id, label_en, basis in TMS_REASONS:
        ReasonCode.objects.update_or_create(
            code=code,
            defaults={"label_id": label_id, "label_en": label_en, "severity": "reject", "legal_basis": basis},
        )


def unseed(apps, schema_editor):
    apps.get_model("support_uploads", "ReasonCode").objects.filter(code__in=[r[0] for r in TMS_REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("support_uploads", "0004_verification_rounds")]
    operations = [migrations.RunPython(seed, unseed)]
