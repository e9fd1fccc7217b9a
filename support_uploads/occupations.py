"""The occupations a KTP-el can state, as data: the *jenis pekerjaan* codes of the population register
(SIAK), from Permendagri 109/2019 on the forms and books of population administration (the F-1.01 family
biodata form; its element codes are the ones Dukcapil's data carry). Later Dukcapil lists add entries; a value
outside this list is still accepted as free text (``shapes``), so the list is what a KTP says, not a gate.

A Pekerjaan value in this vocabulary fits its column however it is written ("petani / pekebun",
"Pelajar/Mahasiswa", "PEGAWAI NEGERI SIPIL PNS"): values compare after ``normalise``. The entries a supporter
holding them may not support with (PKPU 8/2024: active TNI, Polri, ASN, village heads and officials; docs/domain.md
§4.6) are marked ``excluded``: ``tests/support_uploads/test_occupations.py`` checks that the seeded
``ExcludedOccupation`` terms refuse exactly these, so the two lists cannot drift apart unnoticed.
"""

import re

import polars as pl

# code, name as SIAK writes it, excluded from supporting (PKPU 8/2024)
OCCUPATIONS: tuple[tuple[int, str, bool], ...] = (
    (1, "BELUM/TIDAK BEKERJA", False),
    (2, "MENGURUS RUMAH TANGGA", False),
    (3, "PELAJAR/MAHASISWA", False),
    (4, "PENSIUNAN", False),
    (5, "PEGAWAI NEGERI SIPIL (PNS)", True),
    (6, "TENTARA NASIONAL INDONESIA (TNI)", True),
    (7, "KEPOLISIAN RI (POLRI)", True),
    (8, "PERDAGANGAN", False),
    (9, "PETANI/PEKEBUN", False),
    (10, "PETERNAK", False),
    (11, "NELAYAN/PERIKANAN", False),
    (12, "INDUSTRI", False),
    (13, "KONSTRUKSI", False),
    (14, "TRANSPORTASI", False),
    (15, "KARYAWAN SWASTA", False),
    (16, "KARYAWAN BUMN", False),
    (17, "KARYAWAN BUMD", False),
    (18, "KARYAWAN HONORER", False),
    (19, "BURUH HARIAN LEPAS", False),
    (20, "BURUH TANI/PERKEBUNAN", False),
    (21, "BURUH NELAYAN/PERIKANAN", False),
    (22, "BURUH PETERNAKAN", False),
    (23, "PEMBANTU RUMAH TANGGA", False),
    (24, "TUKANG CUKUR", False),
    (25, "TUKANG LISTRIK", False),
    (26, "TUKANG BATU", False),
    (27, "TUKANG KAYU", False),
    (28, "TUKANG SOL SEPATU", False),
    (29, "TUKANG LAS/PANDAI BESI", False),
    (30, "TUKANG JAHIT", False),
    (31, "TUKANG GIGI", False),
    (32, "PENATA RIAS", False),
    (33, "PENATA BUSANA", False),
    (34, "PENATA RAMBUT", False),
    (35, "MEKANIK", False),
    (36, "SENIMAN", False),
    (37, "TABIB", False),
    (38, "PARAJI", False),
    (39, "PERANCANG BUSANA", False),
    (40, "PENTERJEMAH", False),
    (41, "IMAM MASJID", False),
    (42, "PENDETA", False),
    (43, "PASTOR", False),
    (44, "WARTAWAN", False),
    (45, "USTADZ/MUBALIGH", False),
    (46, "JURU MASAK", False),
    (47, "PROMOTOR ACARA", False),
    (48, "ANGGOTA DPR-RI", False),
    (49, "ANGGOTA DPD", False),
    (50, "ANGGOTA BPK", False),
    (51, "PRESIDEN", False),
    (52, "WAKIL PRESIDEN", False),
    (53, "ANGGOTA MAHKAMAH KONSTITUSI", False),
    (54, "ANGGOTA KABINET/KEMENTERIAN", False),
    (55, "DUTA BESAR", False),
    (56, "GUBERNUR", False),
    (57, "WAKIL GUBERNUR", False),
    (58, "BUPATI", False),
    (59, "WAKIL BUPATI", False),
    (60, "WALIKOTA", False),
    (61, "WAKIL WALIKOTA", False),
    (62, "ANGGOTA DPRD PROVINSI", False),
    (63, "ANGGOTA DPRD KABUPATEN/KOTA", False),
    (64, "DOSEN", False),
    (65, "GURU", False),
    (66, "PILOT", False),
    (67, "PENGACARA", False),
    (68, "NOTARIS", False),
    (69, "ARSITEK", False),
    (70, "AKUNTAN", False),
    (71, "KONSULTAN", False),
    (72, "DOKTER", False),
    (73, "BIDAN", False),
    (74, "PERAWAT", False),
    (75, "APOTEKER", False),
    (76, "PSIKIATER/PSIKOLOG", False),
    (77, "PENYIAR TELEVISI", False),
    (78, "PENYIAR RADIO", False),
    (79, "PELAUT", False),
    (80, "PENELITI", False),
    (81, "SOPIR", False),
    (82, "PIALANG", False),
    (83, "PARANORMAL", False),
    (84, "PEDAGANG", False),
    (85, "PERANGKAT DESA", True),
    (86, "KEPALA DESA", True),
    (87, "BIARAWATI", False),
    (88, "WIRASWASTA", False),
    (89, "LAINNYA", False),
)

_NOT_WORD = re.compile(r"[^A-Z0-9]+")


def normalise(text: str) -> str:
    """Upper case, every run of spaces and punctuation one space: "Petani / pekebun" → "PETANI PEKEBUN"."""
    return _NOT_WORD.sub(" ", text.upper()).strip()


def normalise_column(expr: pl.Expr) -> pl.Expr:
    """``normalise`` over a column (the occupation rules compare values so)."""
    return expr.str.to_uppercase().str.replace_all(_NOT_WORD.pattern, " ").str.strip_chars()


VOCABULARY: frozenset[str] = frozenset(normalise(name) for _code, name, _excluded in OCCUPATIONS)
EXCLUDED: frozenset[str] = frozenset(normalise(name) for _code, name, excluded in OCCUPATIONS if excluded)
