"""The voter-list (DPT) reasons, as data like the others. UU 10/2016 Pasal 41(1)-(2): supporters are residents
with the right to vote on the voter list of the last election in the region; whether a supporter missing from
the imported list is rejected or held for review is the regulation version's (``ReasonSeverity``), the default
here is to reject. A supporter listed in another desa/kelurahan is flagged and still counted."""

from django.db import migrations

REASONS = [
    (
        "NOT_IN_DPT",
        "NIK tidak terdaftar dalam DPT pemilihan terakhir di wilayah ini",
        "NIK not on the voter list (DPT) of the last election in this region",
        "reject",
        "UU 10/2016 Pasal 41 ayat (1) dan (2)",
    ),
    (
        "DPT_OTHER_VILLAGE",
        "NIK terdaftar dalam DPT di desa/kelurahan lain",
        "NIK on the voter list (DPT) in another village",
        "flag",
        "UU 10/2016 Pasal 41 ayat (1) dan (2)",
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
    dependencies = [("support_uploads", "0016_dpt")]
    operations = [migrations.RunPython(seed, unseed)]
