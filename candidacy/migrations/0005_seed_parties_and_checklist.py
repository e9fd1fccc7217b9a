"""Reference data as rows: the national parties of Pemilu 2024, the required-document checklist per path and
regulation version (PKPU 8/2024 Pasal 14 and 15), and which rule lets seatless parties join a coalition."""

from django.db import migrations

# Keputusan KPU 518/2022 and 552/2022 (ballot numbers of the national parties, Pemilu 2024); numbers 18-23
# were Aceh's local parties and are not national.
PARTIES_2024 = [
    (1, "PKB", "Partai Kebangkitan Bangsa"),
    (2, "Gerindra", "Partai Gerakan Indonesia Raya"),
    (3, "PDI Perjuangan", "Partai Demokrasi Indonesia Perjuangan"),
    (4, "Golkar", "Partai Golongan Karya"),
    (5, "NasDem", "Partai NasDem"),
    (6, "Partai Buruh", "Partai Buruh"),
    (7, "Gelora", "Partai Gelombang Rakyat Indonesia"),
    (8, "PKS", "Partai Keadilan Sejahtera"),
    (9, "PKN", "Partai Kebangkitan Nusantara"),
    (10, "Hanura", "Partai Hati Nurani Rakyat"),
    (11, "Garuda", "Partai Garda Republik Indonesia"),
    (12, "PAN", "Partai Amanat Nasional"),
    (13, "PBB", "Partai Bulan Bintang"),
    (14, "Demokrat", "Partai Demokrat"),
    (15, "PSI", "Partai Solidaritas Indonesia"),
    (16, "Perindo", "Partai Persatuan Indonesia"),
    (17, "PPP", "Partai Persatuan Pembangunan"),
    (24, "Ummat", "Partai Ummat"),
]

# (code, label, scope, required, note); PKPU 8/2024 Pasal 14 (candidate documents) and Pasal 15 (pair documents)
CANDIDATE_DOCUMENTS = [
    ("ktp", "Fotokopi KTP-el", "candidate", True, ""),
    ("statement", "Surat pernyataan calon (Model BB.1-KWK)", "candidate", True, ""),
    ("cv", "Daftar riwayat hidup (Model BB.2-KWK)", "candidate", True, ""),
    ("diploma", "Fotokopi ijazah yang dilegalisasi", "candidate", True, ""),
    ("court_criminal", "Surat keterangan tidak pernah dipidana dari pengadilan negeri", "candidate", True, ""),
    ("court_bankrupt", "Surat keterangan tidak dinyatakan pailit", "candidate", True, ""),
    ("court_debt", "Surat keterangan tidak mempunyai tanggungan utang", "candidate", True, ""),
    ("skck", "Surat keterangan catatan kepolisian (SKCK)", "candidate", True, ""),
    ("tax", "NPWP, SPT tahunan 5 tahun terakhir, dan keterangan tidak menunggak pajak", "candidate", True, ""),
    ("lhkpn", "Tanda terima penyerahan LHKPN", "candidate", True, ""),
    ("health", "Surat keterangan sehat jasmani, rohani, dan bebas narkotika", "candidate", True, ""),
    (
        "resignation",
        "Surat pengunduran diri",
        "candidate",
        False,
        "Bila berlaku: anggota TNI/Polri, ASN, DPR/DPD/DPRD, pejabat BUMN/BUMD, kepala desa",
    ),
]
PAIR_DOCUMENTS = {
    "party": [
        ("nomination_letter", "Surat pencalonan partai politik/gabungan (Model B-KWK Parpol)", "pair", True, ""),
        ("party_approval", "Keputusan persetujuan pengurus pusat partai (Model B.1-KWK Parpol)", "pair", True, ""),
        ("coalition_agreement", "Kesepakatan gabungan partai politik", "pair", False, "Bila diusulkan gabungan"),
        ("vision", "Naskah visi, misi, dan program", "pair", True, ""),
    ],
    "independent": [
        ("vision", "Naskah visi, misi, dan program", "pair", True, ""),
    ],
}


def seed(apps, schema_editor):
    Party = apps.get_model("candidacy", "Party")
    RegulationVersion = apps.get_model("candidacy", "RegulationVersion")
    DocumentRequirement = apps.get_model("candidacy", "DocumentRequirement")
    for number, short_name, name in PARTIES_2024:
        Party.objects.get_or_create(number=number, defaults={"short_name": short_name, "name": name})
    RegulationVersion.objects.filter(party_rule="seats_or_votes").update(party_seatless_may_join=False)
    for regulation in RegulationVersion.objects.all():
        for path, pair_docs in PAIR_DOCUMENTS.items():
            for order, (code, label, scope, required, note) in enumerate(pair_docs + CANDIDATE_DOCUMENTS):
                DocumentRequirement.objects.get_or_create(
                    regulation=regulation,
                    path=path,
                    code=code,
                    defaults={"label": label, "scope": scope, "is_required": required, "note": note, "order": order},
                )


class Migration(migrations.Migration):
    dependencies = [("candidacy", "0004_parties_persons_documents")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
