"""Reason codes and the excluded-occupation list, as data. A new rule in ``rules.py`` adds its row here
(or in a later migration); labels and the occupation list stay editable in the admin."""

from django.db import migrations

# code, Indonesian label, English label, severity, legal basis
REASONS = [
    ("NIK_FORMAT", "NIK harus 16 angka", "NIK must be 16 digits", "reject", ""),
    (
        "NIK_NUMERIC",
        "NIK tersimpan sebagai angka, bukan teks: angka terakhir bisa hilang (mis. 3,2E+15); ketik ulang sebagai teks",
        "NIK stored as a number, not text: trailing digits may be lost (e.g. 3.2E+15); re-enter it as text",
        "reject",
        "",
    ),
    (
        "NIK_REGION",
        "Kode provinsi/kabupaten/kota pada NIK tidak dikenal",
        "The NIK's province/regency prefix is unknown",
        "reject",
        "",
    ),
    (
        "NIK_BIRTHDATE",
        "Tanggal lahir pada NIK tidak cocok dengan kolom Tanggal Lahir",
        "The NIK's birth date does not match the date of birth",
        "reject",
        "",
    ),
    (
        "NIK_SEX",
        "Jenis kelamin pada NIK (tanggal +40 untuk perempuan) tidak cocok dengan kolom Jenis Kelamin",
        "The NIK's sex (day + 40 for women) does not match the sex column",
        "reject",
        "",
    ),
    ("KK_FORMAT", "No. KK harus 16 angka (atau kosong)", "Family card number must be 16 digits (or empty)", "reject", ""),
    (
        "KK_NUMERIC",
        "No. KK tersimpan sebagai angka, bukan teks: angka terakhir bisa hilang",
        "Family card number stored as a number, not text: digits may be lost",
        "reject",
        "",
    ),
    ("REQUIRED_EMPTY", "Kolom wajib kosong", "A required field is empty", "reject", "PKPU 8/2024"),
    ("SEX_INVALID", "Jenis Kelamin harus L atau P", "Sex must be L or P", "reject", ""),
    (
        "MARITAL_INVALID",
        "Status Perkawinan harus B (belum kawin), S (kawin) atau P (pernah kawin)",
        "Marital status must be B, S or P",
        "reject",
        "",
    ),
    (
        "DATE_INVALID",
        "Tanggal Lahir harus tanggal yang benar dengan format DD-MM-YYYY",
        "Date of birth must be a real date as DD-MM-YYYY",
        "reject",
        "",
    ),
    ("RT_INVALID", "RT harus 1-3 angka", "RT must be 1-3 digits", "reject", ""),
    ("RW_INVALID", "RW harus 1-3 angka", "RW must be 1-3 digits", "reject", ""),
    (
        "VILLAGE_UNKNOWN",
        "Kode desa/kelurahan tidak ada pada daftar wilayah pemilihan ini",
        "Village code unknown in this election's region list",
        "reject",
        "",
    ),
    (
        "VILLAGE_OUTSIDE",
        "Desa/kelurahan di luar wilayah pemilihan",
        "Village outside the election's region",
        "reject",
        "UU 10/2016 Pasal 41(3)",
    ),
    (
        "UNDER_AGE",
        "Belum berumur 17 tahun pada hari pemungutan suara dan belum pernah kawin",
        "Under 17 on polling day and never married",
        "reject",
        "UU 10/2016 Pasal 1 angka 6",
    ),
    (
        "OCCUPATION_EXCLUDED",
        "Pekerjaan tidak boleh memberi dukungan (TNI, Polri, ASN, kepala/perangkat desa, penyelenggara pemilihan)",
        "Occupation may not support (military, police, civil servant, village official, election official)",
        "reject",
        "PKPU 8/2024",
    ),
    ("PHONE_INVALID", "No. HP harus 8-15 angka (boleh diawali +)", "Phone must be 8-15 digits", "reject", ""),
    ("EMAIL_INVALID", "Alamat email tidak sah", "Invalid e-mail address", "reject", ""),
    (
        "DUP_IDENTICAL",
        "Ganda identik dalam pasangan calon ini (NIK, nama, tanggal lahir, status perkawinan sama): satu disimpan",
        "Identical duplicate within this pair (NIK, name, birth date, marital status equal): one kept",
        "reject",
        "PKPU 8/2024",
    ),
    (
        "DUP_POTENTIAL",
        "Potensi ganda: NIK sama dengan data berbeda dalam pasangan calon ini; diperiksa operator",
        "Potential duplicate: same NIK with different data within this pair; for an operator to resolve",
        "review",
        "PKPU 8/2024",
    ),
    (
        "DUP_EXTERNAL",
        "Ganda eksternal: NIK juga mendukung pasangan calon lain; diselesaikan saat verifikasi faktual",
        "External duplicate: the NIK also supports another pair; resolved in factual verification",
        "flag",
        "PKPU 8/2024",
    ),
]

# term, rule, note. Matched as whole words on the normalised occupation (PKPU 8/2024: supporters may not be
# active TNI, Polri, ASN, village heads or officials, or election officials).
OCCUPATIONS = [
    ("TNI", "exclude", "Tentara Nasional Indonesia"),
    ("TENTARA NASIONAL INDONESIA", "exclude", ""),
    ("ANGGOTA TNI", "exclude", ""),
    ("POLRI", "exclude", "Kepolisian Negara RI"),
    ("KEPOLISIAN", "exclude", ""),
    ("POLISI", "exclude", ""),
    ("ASN", "exclude", "Aparatur Sipil Negara"),
    ("PNS", "exclude", "Pegawai Negeri Sipil"),
    ("PEGAWAI NEGERI SIPIL", "exclude", ""),
    ("PPPK", "exclude", "Pegawai Pemerintah dengan Perjanjian Kerja"),
    ("KEPALA DESA", "exclude", ""),
    ("KADES", "exclude", ""),
    ("PERANGKAT DESA", "exclude", ""),
    ("SEKRETARIS DESA", "exclude", ""),
    ("KPU", "exclude", "penyelenggara pemilihan"),
    ("PPK", "exclude", ""),
    ("PPS", "exclude", ""),
    ("KPPS", "exclude", ""),
    ("BAWASLU", "exclude", ""),
    ("PANWASLU", "exclude", ""),
    ("PENSIUNAN", "allow", "purna tugas boleh mendukung"),
    ("PURNAWIRAWAN", "allow", "purna tugas boleh mendukung"),
]


def seed(apps, schema_editor):
    ReasonCode = apps.get_model("support_uploads", "ReasonCode")
    ExcludedOccupation = apps.get_model("support_uploads", "ExcludedOccupation")
    for code, label_id, label_en, severity, basis in REASONS:
        ReasonCode.objects.update_or_create(
            code=code,
            defaults={"label_id": label_id, "label_en": label_en, "severity": severity, "legal_basis": basis},
        )
    for term, rule, note in OCCUPATIONS:
        ExcludedOccupation.objects.update_or_create(term=term, defaults={"rule": rule, "note": note})


def unseed(apps, schema_editor):
    apps.get_model("support_uploads", "ReasonCode").objects.filter(code__in=[r[0] for r in REASONS]).delete()
    apps.get_model("support_uploads", "ExcludedOccupation").objects.filter(term__in=[o[0] for o in OCCUPATIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("support_uploads", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
