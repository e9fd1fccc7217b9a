"""Pekerjaan: an occupation of the KTP-el vocabulary (``support_uploads.occupations``, Permendagri 109/2019),
matched whatever its case, spacing and punctuation, or free text with letters that is no number and no date
(docs/domain.md §7); and the vocabulary agrees with the excluded occupations (PKPU 8/2024, §4.6)."""

import polars as pl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from support_uploads.models import ExcludedOccupation, OccupationRule, Supporter, UploadStatus
from support_uploads.occupations import EXCLUDED, OCCUPATIONS, VOCABULARY, normalise
from support_uploads.rules import RuleContext, occupation_excluded
from support_uploads.services import upload_create
from support_uploads.shapes import SHAPES, fits
from tests.conftest import ensure_seed_data

from .conftest import csv_bytes, rows_for


def _fits(values: list[str | None]) -> list[bool | None]:
    frame = pl.DataFrame({"occupation": values}, schema={"occupation": pl.String})
    return frame.select(fits(pl.col("occupation"), "occupation")).to_series().to_list()


def test_the_vocabulary_is_the_ktp_list():
    codes = [code for code, _name, _excluded in OCCUPATIONS]
    assert codes == list(range(1, 90))  # 89 codes, in order, none twice
    assert len(VOCABULARY) == 89
    for name in (
        "BELUM/TIDAK BEKERJA",
        "MENGURUS RUMAH TANGGA",
        "PELAJAR/MAHASISWA",
        "PENSIUNAN",
        "PEGAWAI NEGERI SIPIL (PNS)",
        "TENTARA NASIONAL INDONESIA (TNI)",
        "KEPOLISIAN RI (POLRI)",
        "PETANI/PEKEBUN",
        "WIRASWASTA",
        "KARYAWAN SWASTA",
        "BURUH HARIAN LEPAS",
        "GURU",
        "DOSEN",
        "PEDAGANG",
        "NELAYAN/PERIKANAN",
        "SOPIR",
        "LAINNYA",
    ):
        assert normalise(name) in VOCABULARY
    assert SHAPES["occupation"].vocabulary == VOCABULARY


def test_every_vocabulary_entry_fits_however_it_is_written():
    names = [name for _code, name, _excluded in OCCUPATIONS]
    variants = names + [name.lower() for name in names] + [name.replace("/", " / ") for name in names]
    assert _fits(variants) == [True] * len(variants)
    assert (
        _fits(["petani  /  pekebun", " Pelajar/Mahasiswa ", "belum / tidak bekerja", "Kepolisian R.I. (Polri)"])
        == [True] * 4
    )


def test_a_vocabulary_value_fits_even_where_the_free_text_form_would_refuse_it(monkeypatch):
    """The vocabulary is not merely covered by the free-text form: were that form to refuse a KTP occupation
    (here every value starting with "GURU"), the KTP's own wording still fits, however it is written."""
    import dataclasses

    from support_uploads import shapes

    strict = dataclasses.replace(SHAPES["occupation"], refuses=r"(?i)^\s*guru")
    monkeypatch.setitem(shapes.SHAPES, "occupation", strict)
    assert _fits(["GURU", " guru ", "Guru.", "Guru les", "Gurusaurus"]) == [True, True, True, False, False]
    assert _fits(["Dosen", "12345"]) == [True, False]


def test_free_text_fits_unless_it_is_digits_or_a_date():
    assert _fits(["Guru Honorer", "Ojek online", "Tukang parkir", "Penjahit", "Sopir truk 2 sumbu", None]) == [
        True,
        True,
        True,
        True,
        True,
        None,  # empty: REQUIRED_EMPTY says so
    ]
    dates_and_numbers = [
        "12345",
        "0812-3456-7890",
        "17-08-1990",
        "1990-08-17 00:00:00",
        "17 Agustus 1990",
        "17-agu-90",
        "17 Agt. 1990",
        "Agustus 1990",
        "August 17, 1990",
        "1 Mei 2001",
        "3 DES 1985",
    ]
    assert _fits(dates_and_numbers) == [False] * len(dates_and_numbers)
    # a month in an occupation that is not a date is no date
    assert _fits(["Pedagang Januari", "Penjual kalender 2025", "Maret"]) == [True, True, True]


def _upload(pair, user, rows, capture):
    with capture(execute=True):
        upload = upload_create(
            actor=user, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(rows)), max_bytes=10**8
        )
    upload.refresh_from_db()
    return upload


@pytest.mark.django_db
def test_occupations_through_an_upload_get_exactly_their_reasons(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    cases = [
        ("petani / pekebun", ""),
        ("Pelajar/Mahasiswa", ""),
        ("BELUM / TIDAK BEKERJA", ""),
        ("mengurus rumah tangga", ""),
        ("Guru Honorer", ""),  # free text
        ("LAINNYA", ""),
        ("PENSIUNAN", ""),
        ("Pensiunan PNS", ""),  # retired: allowed (an allowed term wins)
        ("17 Agustus 1990", "OCCUPATION_INVALID"),  # a date in words
        ("Agustus 1990", "OCCUPATION_INVALID"),
        ("12345", "OCCUPATION_INVALID"),  # digits only
        ("17-08-1990", "OCCUPATION_HAS_DATE"),  # a date in figures: the column and the shape named
        ("Pegawai Negeri Sipil (PNS)", "OCCUPATION_EXCLUDED"),
        ("tentara nasional indonesia (tni)", "OCCUPATION_EXCLUDED"),
        ("Kepolisian RI (POLRI)", "OCCUPATION_EXCLUDED"),
        ("Perangkat Desa", "OCCUPATION_EXCLUDED"),
        ("KEPALA DESA", "OCCUPATION_EXCLUDED"),
    ]
    rows = rows_for(villages, len(cases))
    for row, (value, _reasons) in zip(rows, cases, strict=True):
        row["occupation"] = value
    upload = _upload(pair, lo, rows, django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, upload.error_message
    got = dict(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "reasons"))
    assert got == {i + 2: reasons for i, (_value, reasons) in enumerate(cases)}
    rejected = sum(1 for _value, reasons in cases if reasons)
    assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (
        len(cases),
        len(cases) - rejected,
        rejected,
    )
    assert upload.reason_counts == {"OCCUPATION_INVALID": 3, "OCCUPATION_HAS_DATE": 1, "OCCUPATION_EXCLUDED": 5}


@pytest.mark.django_db
def test_the_excluded_terms_refuse_exactly_the_vocabularys_excluded_occupations():
    """The seeded ``ExcludedOccupation`` terms (editable in the admin) against the KTP list: PNS, TNI, Polri,
    perangkat desa and kepala desa are refused, and no other occupation a KTP can state (PENSIUNAN is allowed).
    A term edited so that a KTP's own wording slips through, or one that catches an innocent occupation,
    fails here."""
    ensure_seed_data()
    terms = list(ExcludedOccupation.objects.values_list("term", "rule"))
    assert terms
    ctx = RuleContext(
        spec=None,
        polling_day=None,
        regency_prefixes=pl.Series([], dtype=pl.String),
        version_villages=pl.Series([], dtype=pl.String),
        region_villages=pl.Series([], dtype=pl.String),
        occupation_exclude=tuple(t for t, r in terms if r == OccupationRule.EXCLUDE),
        occupation_allow=tuple(t for t, r in terms if r == OccupationRule.ALLOW),
    )
    names = [name for _code, name, _excluded in OCCUPATIONS]
    refused = pl.DataFrame({"occupation": names}).select(occupation_excluded(ctx)).to_series().to_list()
    assert {normalise(name) for name, hit in zip(names, refused, strict=True) if hit} == EXCLUDED
    assert {
        "PEGAWAI NEGERI SIPIL PNS",
        "TENTARA NASIONAL INDONESIA TNI",
        "KEPOLISIAN RI POLRI",
        "PERANGKAT DESA",
        "KEPALA DESA",
    } == EXCLUDED
