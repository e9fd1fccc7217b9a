"""The row reason of a confirmed objection: the person listed denies having given the support (BA.5-KWK).
Beside the other reasons (support_uploads.ReasonCode), seeded like them."""

from django.db import migrations

REASON = (
    "SUPPORTER_DENIED",
    "Pendukung menyatakan tidak mendukung",
    "The supporter states they gave no support",
    "reject",
    "UU 10/2016 Pasal 48; PKPU 8/2024 (BA.5-KWK); docs/domain.md §9.2",
)


def seed(apps, schema_editor):
    code, label_id, label_en, severity, basis = REASON
    apps.get_model("support_uploads", "ReasonCode").objects.update_or_create(
        code=code, defaults={"label_id": label_id, "label_en": label_en, "severity": severity, "legal_basis": basis}
    )


def unseed(apps, schema_editor):
    apps.get_model("support_uploads", "ReasonCode").objects.filter(code=REASON[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("objections", "0001_initial"), ("support_uploads", "0013_duplicate_decision")]
    operations = [migrations.RunPython(seed, unseed)]
