from django.db import migrations, models

# the phase texts written before phases were codes, mapped to their code
OLD_TEXTS = {
    "Membaca berkas": "reading",
    "Memeriksa data ganda dan menyimpan": "storing",
    "Menyusun laporan baris ditolak": "report",
    "Selesai": "done",
    "Berkas ditolak": "rejected",
}


def texts_to_codes(apps, schema_editor):
    Upload = apps.get_model("support_uploads", "Upload")
    for text, code in OLD_TEXTS.items():
        Upload.objects.filter(phase=text).update(phase=code)
    Upload.objects.filter(phase__startswith="Memeriksa ").exclude(phase__in=OLD_TEXTS).update(phase="checking")


def codes_to_texts(apps, schema_editor):
    Upload = apps.get_model("support_uploads", "Upload")
    for text, code in OLD_TEXTS.items():
        Upload.objects.filter(phase=code).update(phase=text)
    Upload.objects.filter(phase="checking").update(phase="Memeriksa baris")


class Migration(migrations.Migration):
    dependencies = [("support_uploads", "0008_ktp_scans")]

    operations = [
        migrations.AddField(
            model_name="upload",
            name="error_detail",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(texts_to_codes, codes_to_texts),
        migrations.AlterField(
            model_name="upload",
            name="phase",
            field=models.CharField(
                blank=True,
                choices=[
                    ("reading", "Membaca berkas"),
                    ("checking", "Memeriksa baris"),
                    ("storing", "Memeriksa data ganda dan menyimpan"),
                    ("report", "Menyusun laporan baris ditolak"),
                    ("done", "Selesai"),
                    ("rejected", "Berkas ditolak"),
                ],
                max_length=120,
                verbose_name="tahap",
            ),
        ),
    ]
