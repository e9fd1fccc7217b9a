"""Reasons about single cells, as data like the others (docs/domain.md §7: KPU rejects support whose values
are not stored as text, do not match their column's heading, or sit in shifted columns): a cell that is not
text (one code per column; NIK and No. KK keep NIK_NUMERIC / KK_NUMERIC for numbers), a value shaped like
another column's (one code per column and shape, ``shapes.mismatch_codes``), a name, place of birth or
occupation that is none, and a row shifted one column left or right. The columns and shapes are frozen here
as they were when the codes were made: a later template version adds its own codes in its own migration."""

from django.db import migrations

# key, heading (Indonesian), heading (English): the B1KWK-2026.1 columns
COLUMNS = [
    ("nik", "NIK", "NIK"),
    ("kk", "No. KK", "Family card no."),
    ("name", "Nama", "Name"),
    ("birth_place", "Tempat Lahir", "Place of birth"),
    ("birth_date", "Tanggal Lahir", "Date of birth"),
    ("sex", "Jenis Kelamin", "Sex"),
    ("marital", "Status Perkawinan", "Marital status"),
    ("occupation", "Pekerjaan", "Occupation"),
    ("address", "Alamat", "Address"),
    ("rt", "RT", "RT"),
    ("rw", "RW", "RW"),
    ("village_code", "Kode Desa/Kelurahan", "Village code"),
    ("phone", "No. HP", "Phone"),
    ("email", "Email", "E-mail"),
]
# shape recognisable in any column, the column it belongs to (its own shape there: no code), how it is named
MARKED_SHAPES = [
    ("nik", ("nik", "kk"), "NIK", "a NIK"),
    ("date", ("birth_date",), "tanggal", "a date"),
    ("village_code", ("village_code",), "kode desa/kelurahan", "a village code"),
    ("phone", ("phone",), "nomor HP", "a phone number"),
    ("email", ("email",), "alamat email", "an e-mail address"),
]

OTHER_REASONS = [
    (
        "NAME_INVALID",
        "Nama hanya boleh berisi huruf, spasi dan tanda baca nama (. , ' -), tanpa angka",
        "Name may only hold letters, spaces and name punctuation (. , ' -), no digits",
    ),
    (
        "BIRTH_PLACE_INVALID",
        "Tempat Lahir harus nama tempat (huruf, tanpa angka)",
        "Place of birth must be a place name (letters, no digits)",
    ),
    (
        "OCCUPATION_INVALID",
        "Pekerjaan harus nama pekerjaan, bukan angka atau tanggal",
        "Occupation must be an occupation, not a number or a date",
    ),
    (
        "COLUMN_SHIFTED_RIGHT",
        "Isi baris bergeser satu kolom ke kanan (setiap nilai cocok dengan judul kolom di sebelah kirinya); "
        "geser kembali agar NIK berada di kolom NIK",
        "The row's values are shifted one column to the right (each fits the heading on its left); move them "
        "back so the NIK is under NIK",
    ),
    (
        "COLUMN_SHIFTED_LEFT",
        "Isi baris bergeser satu kolom ke kiri (setiap nilai cocok dengan judul kolom di sebelah kanannya); "
        "geser kembali agar NIK berada di kolom NIK",
        "The row's values are shifted one column to the left (each fits the heading on its right); move them "
        "back so the NIK is under NIK",
    ),
]


def reasons() -> list[tuple[str, str, str, str, str]]:
    """code, Indonesian label, English label, severity, legal basis"""
    rows = []
    for key, header, header_en in COLUMNS:
        if key not in ("nik", "kk"):
            rows.append(
                (
                    f"NOT_TEXT_{key.upper()}",
                    f"Kolom {header} harus berisi teks: sel tersimpan sebagai angka, tanggal, benar/salah atau "
                    "rumus; format sel sebagai Teks lalu ketik ulang",
                    f"The {header_en} column must hold text: the cell is stored as a number, date, true/false or "
                    "formula; format the cell as Text and re-enter it",
                )
            )
        else:  # a number there is NIK_NUMERIC / KK_NUMERIC (digits lost); this is a formula or the like
            rows.append(
                (
                    f"NOT_TEXT_{key.upper()}",
                    f"Kolom {header} harus berisi teks, bukan rumus atau nilai benar/salah; ketik ulang 16 angkanya "
                    "sebagai teks",
                    f"The {header_en} column must hold text, not a formula or a true/false value; re-enter its 16 "
                    "digits as text",
                )
            )
    for key, header, header_en in COLUMNS:
        for shape, owners, shape_id, shape_en in MARKED_SHAPES:
            if key in owners:
                continue
            rows.append(
                (
                    f"{key.upper()}_HAS_{shape.upper()}",
                    f"{header} berisi nilai berbentuk {shape_id}; periksa apakah isi kolom tertukar",
                    f"{header_en} holds a value shaped like {shape_en}; check whether columns were swapped",
                )
            )
    rows += OTHER_REASONS
    return [(code, label_id, label_en, "reject", "") for code, label_id, label_en in rows]


REASONS = reasons()


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
    dependencies = [("support_uploads", "0011_verification_app")]
    operations = [migrations.RunPython(seed, unseed)]
