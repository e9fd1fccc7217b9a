"""Seed: the regulation of Pemilu DPD (issue #20) beside the Pilkada ones, as data the rule engine reads.

- Minimum support by the province's DPT, fixed numbers, "up to" inclusive (UU 7/2017 Pasal 183(1); PKPU 10/2022).
- Spread: in at least half of the province's kab/kota (UU 7/2017 Pasal 183(2)): Jawa Barat's 27 need 14.
- 50 supports deducted per proven duplicate or forged support (PKPU 10/2022; docs/domain.md §9.1).
- The support template without No. KK and No. HP, and at most 2 LO (pendamping) accounts per candidate.
- The DPD candidate's own document checklist (UU 7/2017 Pasal 182 and 258; Putusan MK 30/PUU-XVI/2018).
"""

import datetime

from django.db import migrations

NAME = "UU 7/2017 (Pemilu DPD) jo. PKPU 10/2022"
REGULATION = {
    "legal_basis": "UU 7/2017 Pasal 182 dan 183; PKPU 10/2022",
    "effective_from": datetime.date(2022, 8, 1),
    "party_rule": "",
    "spread_at_least_half": True,
    "duplicate_penalty": 50,
    "support_template": "B1DPD-2026.1",
    "lo_account_limit": 2,
    # factual verification by sample, Krejcie-Morgan with χ² 3.841, P 0.5, d 0.05 (PKPU 10/2022)
    "factual_by_sample": True,
}
# (DPT up to, minimum supporters); None = no upper bound
BANDS = [(1_000_000, 1_000), (5_000_000, 2_000), (10_000_000, 3_000), (15_000_000, 4_000), (None, 5_000)]
# code, label, English label, required, note
DOCUMENTS = [
    ("ktp", "Fotokopi KTP-el", "Copy of the KTP-el", True, ""),
    ("statement", "Surat pernyataan bakal calon anggota DPD", "The DPD candidate's signed statement", True, ""),
    ("cv", "Daftar riwayat hidup", "Curriculum vitae", True, ""),
    (
        "diploma",
        "Fotokopi ijazah yang dilegalisasi (paling rendah SMA atau sederajat)",
        "Legalised copy of the diploma (senior high school or equivalent at least)",
        True,
        "",
    ),
    (
        "health",
        "Surat keterangan sehat jasmani, rohani, dan bebas penyalahgunaan narkotika",
        "Certificate of physical and mental health and freedom from narcotics abuse",
        True,
        "",
    ),
    (
        "court_criminal",
        "Surat keterangan tidak pernah dipidana penjara 5 tahun atau lebih, atau pengumuman bagi mantan terpidana",
        "Certificate of no prison sentence of 5 years or more, or a former convict's public announcement",
        True,
        "",
    ),
    (
        "not_party_official",
        "Surat pernyataan bukan pengurus partai politik (Putusan MK 30/PUU-XVI/2018)",
        "Statement of not being a political party official (Constitutional Court 30/PUU-XVI/2018)",
        True,
        "",
    ),
    (
        "resignation",
        "Surat pengunduran diri",
        "Letter of resignation",
        False,
        "Bila berlaku: kepala daerah, ASN, TNI/Polri, pejabat BUMN/BUMD, kepala desa",
    ),
]


def seed(apps, schema_editor):
    RegulationVersion = apps.get_model("candidacy", "RegulationVersion")
    ThresholdBand = apps.get_model("candidacy", "ThresholdBand")
    DocumentRequirement = apps.get_model("candidacy", "DocumentRequirement")
    regulation, _created = RegulationVersion.objects.get_or_create(name=NAME, defaults=REGULATION)
    for up_to, minimum in BANDS:
        ThresholdBand.objects.get_or_create(
            regulation=regulation, scope="province", dpt_up_to=up_to, defaults={"minimum": minimum, "percent": None}
        )
    for order, (code, label, label_en, required, note) in enumerate(DOCUMENTS):
        DocumentRequirement.objects.get_or_create(
            regulation=regulation,
            path="independent",
            code=code,
            defaults={
                "label": label,
                "label_en": label_en,
                "scope": "candidate",
                "is_required": required,
                "note": note,
                "order": order,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("candidacy", "RegulationVersion").objects.filter(name=NAME, elections__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("candidacy", "0013_dpd_election_kind")]
    operations = [migrations.RunPython(seed, unseed)]
