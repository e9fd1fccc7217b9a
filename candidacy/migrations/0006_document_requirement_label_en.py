"""An English label for each required document, shown on English pages (the public pair page); the seeded
checklist of 0005 gets its English labels here. A label an administrator already changed keeps an empty
English label (the page falls back to the Indonesian one) rather than a translation of the old text."""

from django.db import migrations, models

# code → (the Indonesian label seeded by 0005, its English label)
LABELS_EN = {
    "ktp": ("Fotokopi KTP-el", "Copy of the electronic identity card (KTP-el)"),
    "statement": ("Surat pernyataan calon (Model BB.1-KWK)", "Candidate's statement (Form BB.1-KWK)"),
    "cv": ("Daftar riwayat hidup (Model BB.2-KWK)", "Curriculum vitae (Form BB.2-KWK)"),
    "diploma": ("Fotokopi ijazah yang dilegalisasi", "Legalised copy of diplomas"),
    "court_criminal": (
        "Surat keterangan tidak pernah dipidana dari pengadilan negeri",
        "District court certificate of no criminal conviction",
    ),
    "court_bankrupt": ("Surat keterangan tidak dinyatakan pailit", "Certificate of not having been declared bankrupt"),
    "court_debt": (
        "Surat keterangan tidak mempunyai tanggungan utang",
        "Certificate of having no outstanding debts",
    ),
    "skck": ("Surat keterangan catatan kepolisian (SKCK)", "Police record certificate (SKCK)"),
    "tax": (
        "NPWP, SPT tahunan 5 tahun terakhir, dan keterangan tidak menunggak pajak",
        "Tax number (NPWP), annual tax returns for the last 5 years, and certificate of no tax arrears",
    ),
    "lhkpn": ("Tanda terima penyerahan LHKPN", "Receipt for the state officials' wealth report (LHKPN)"),
    "health": (
        "Surat keterangan sehat jasmani, rohani, dan bebas narkotika",
        "Certificate of physical and mental health and freedom from narcotics",
    ),
    "resignation": ("Surat pengunduran diri", "Letter of resignation"),
    "nomination_letter": (
        "Surat pencalonan partai politik/gabungan (Model B-KWK Parpol)",
        "Nomination letter of the political party or coalition (Form B-KWK Parpol)",
    ),
    "party_approval": (
        "Keputusan persetujuan pengurus pusat partai (Model B.1-KWK Parpol)",
        "Approval decision of the party's central board (Form B.1-KWK Parpol)",
    ),
    "coalition_agreement": ("Kesepakatan gabungan partai politik", "Coalition agreement of the political parties"),
    "vision": ("Naskah visi, misi, dan program", "Vision, mission and programme"),
}


def seed(apps, schema_editor):
    """Fill empty English labels of the seeded requirements (idempotent; tests re-run it after a flush)."""
    DocumentRequirement = apps.get_model("candidacy", "DocumentRequirement")
    for code, (label, label_en) in LABELS_EN.items():
        DocumentRequirement.objects.filter(code=code, label=label, label_en="").update(label_en=label_en)


class Migration(migrations.Migration):
    dependencies = [("candidacy", "0005_seed_parties_and_checklist")]

    operations = [
        migrations.AddField(
            model_name="documentrequirement",
            name="label_en",
            field=models.CharField(
                blank=True,
                help_text="Ditampilkan di halaman berbahasa Inggris; bila kosong, nama dokumen yang dipakai.",
                max_length=255,
                verbose_name="nama dokumen (bahasa Inggris)",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
