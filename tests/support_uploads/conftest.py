"""Fixtures of the support tests: the real NTB region list (province 52) plus every kab/kota of the country
(NIK prefixes), an NTB governor election with a tiny DPT and an open support window, a pair and its LO."""

import csv
import datetime
import functools
import gzip
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from candidacy.models import ElectionType, Stage, StageWindow
from regions.models import Kind, Level, Region, RegionListVersion
from support_uploads.sample_data import sample_row
from support_uploads.services import lo_account_issue, pair_team_register
from tests import clock
from tests.accounts.factories import operator
from tests.candidacy.factories import ElectionFactory, PairFactory

REGIONS = Path(__file__).resolve().parents[3] / "shared" / "data" / "regions" / "regions.csv.gz"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

_KIND = {
    Level.PROVINCE: Kind.PROVINSI,
    Level.DISTRICT: Kind.KECAMATAN,
}


def _kind(code: str, level: str) -> str:
    if level == Level.REGENCY:
        return Kind.KOTA if int(code[3:5]) >= 71 else Kind.KABUPATEN
    if level == Level.VILLAGE:
        return Kind.KELURAHAN if code[9] == "1" else Kind.DESA
    return _KIND[level]


def region_rows(prefixes: tuple[str, ...] = ("52", "51")) -> tuple[tuple[str, str, str, str], ...]:
    """Rows of the shared list: everything under ``prefixes`` plus every province and kab/kota."""
    if not REGIONS.exists():
        pytest.skip(f"shared region data not found at {REGIONS}")
    return _region_rows(prefixes)


@functools.cache
def _region_rows(prefixes: tuple[str, ...]) -> tuple[tuple[str, str, str, str], ...]:
    """Read once per test process: decompressing and filtering the 91,599-row list for each of the support
    tests cost more than the tests themselves (the rows are plain tuples; each test inserts its own)."""
    with gzip.open(REGIONS, "rt", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        return tuple(
            (r["code"], r["name"], r["level"], r["parent_code"])
            for r in reader
            if r["level"] in (Level.PROVINCE, Level.REGENCY) or r["code"][:2] in prefixes
        )


def load_regions(version: RegionListVersion, rows) -> None:
    Region.objects.bulk_create(
        [
            Region(version=version, code=c, name=n, level=lvl, kind=_kind(c, lvl), parent_code=p, search_name=n.lower())
            for c, n, lvl, p in rows
        ],
        batch_size=2000,
    )


from tests.conftest import ensure_seed_data  # noqa: E402


@pytest.fixture
def regions_version(db):  # seeds: see tests/conftest.py ensure_seed_data
    ensure_seed_data()
    version = RegionListVersion.objects.create(name="Kepmendagri 300.2.2-2138/2025 (uji)")
    load_regions(version, region_rows())
    return version


@pytest.fixture
def villages(regions_version) -> list[str]:
    return list(
        Region.objects.filter(version=regions_version, level=Level.VILLAGE, code__startswith="52.")
        .order_by("code")
        .values_list("code", flat=True)
    )


def open_support_window(election, *, days_left: int = 2):
    now = timezone.now()
    StageWindow.objects.update_or_create(
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        defaults={"starts_at": now - datetime.timedelta(days=1), "ends_at": now + datetime.timedelta(days=days_left)},
    )


@pytest.fixture
def election(regions_version):
    # DPT 50 → minimum ceil(50 × 10%) = 5; a governor election spreads over NTB's 10 kab/kota → 6 needed
    election = ElectionFactory(
        region_version=regions_version,
        type=ElectionType.GOVERNOR,
        region_code="52",
        dpt=50,
        polling_day=clock.polling_day(),
    )
    open_support_window(election)
    return election


@pytest.fixture
def kpu(db):
    return operator("52")


@pytest.fixture
def pair(election, kpu):
    pair = PairFactory(election=election)
    pair_team_register(
        actor=kpu, pair=pair, mandate_letter=SimpleUploadedFile("mandat.pdf", PDF), contact_name="Baiq LO"
    )
    return pair


@pytest.fixture
def lo(pair, kpu):
    account, _password = lo_account_issue(actor=kpu, pair=pair, password="Sandi-LO-2026!x")
    return account.user


def rows_for(villages: list[str], count: int, start: int = 0) -> list[dict[str, str]]:
    """``count`` valid rows spread over the villages (index ``start`` onwards)."""
    step = max(1, len(villages) // max(count, 1))
    return [sample_row(start + i, villages[(i * step) % len(villages)]) for i in range(count)]


def csv_bytes(rows: list[dict], headers: list[str] | None = None, separator: str = ",") -> bytes:
    from support_uploads.template_spec import current_spec

    spec = current_spec()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(headers or spec.headers)
    for row in rows:
        writer.writerow([row.get(f.key, "") for f in spec.fields])
    return out.getvalue().encode("utf-8")


def template_xlsx(pair, rows: list[dict], *, sheets: int = 1, per_sheet: int | None = None, numeric=()) -> bytes:
    """The real generated template, filled with ``rows`` (``numeric``: (row index, key) written as numbers)."""
    from openpyxl import load_workbook

    from support_uploads.template import template_build
    from support_uploads.template_spec import current_spec

    spec = current_spec()
    wb = load_workbook(io.BytesIO(template_build(pair=pair, sheets=sheets)))
    per_sheet = per_sheet or len(rows) or 1
    for index, row in enumerate(rows):
        ws = wb[spec.data_sheet_name(index // per_sheet)]
        values = []
        for f in spec.fields:
            value = row.get(f.key, "")
            if (index, f.key) in numeric:
                value = float(value)
            values.append(value if value != "" else None)
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def sample_csv_write(path: Path, villages: list[str], count: int, *, bad_rt: tuple[int, ...] = ()) -> Path:
    """The CSV ``csv_bytes(rows_for(villages, count))`` would give, built column-wise by polars: a million
    rows in seconds instead of a minute of Python dicts. ``sample_row``'s formulas, vectorised. Rows whose
    index is in ``bad_rt`` get RT "x" (RT_INVALID)."""
    import polars as pl

    from support_uploads.sample_data import EPOCH
    from support_uploads.template_spec import current_spec

    step = max(1, len(villages) // max(count, 1))
    i = pl.int_range(0, count, dtype=pl.Int64, eager=True).alias("i")
    frame = pl.DataFrame({"i": i}).with_columns(
        pl.Series(villages, dtype=pl.String).gather((i * step) % len(villages)).alias("village_code"),
        (pl.lit(EPOCH) + pl.duration(days=(pl.col("i") // 10_000) * 7 % 18_000 + pl.col("i") % 7)).alias("birth"),
        (pl.col("i") % 2 == 1).alias("female"),
    )
    frame = frame.with_columns(
        pl.col("village_code").str.replace_all(".", "", literal=True).str.slice(0, 6).alias("district"),
        (pl.col("birth").dt.day().cast(pl.Int64) + pl.when(pl.col("female")).then(40).otherwise(0)).alias("day"),
    )

    def padded(expr: pl.Expr, width: int) -> pl.Expr:
        return expr.cast(pl.String).str.zfill(width)

    columns = {
        "nik": pl.concat_str(
            "district",
            padded(pl.col("day"), 2),
            padded(pl.col("birth").dt.month(), 2),
            padded(pl.col("birth").dt.year() % 100, 2),
            padded(pl.col("i") % 10_000, 4),
        ),
        "kk": pl.concat_str("district", padded((pl.col("i") * 7919) % 10**10, 10)),
        # ``sample_row``'s name: the index spelt in letters (a name has no digits)
        "name": pl.format(
            "Pendukung {}",
            pl.col("i").cast(pl.String).str.replace_many(list("0123456789"), list("abcdefghij")).str.to_titlecase(),
        ),
        "birth_place": pl.lit("Mataram"),
        "birth_date": pl.col("birth").dt.strftime("%d-%m-%Y"),
        "sex": pl.when(pl.col("female")).then(pl.lit("P")).otherwise(pl.lit("L")),
        "marital": pl.lit("S"),
        "occupation": pl.lit("Petani"),
        "address": pl.format("Jl. Contoh No. {}", pl.col("i") % 500 + 1),
        "rt": pl.when(pl.col("i").is_in(list(bad_rt))).then(pl.lit("x")).otherwise(padded(pl.col("i") % 20 + 1, 3)),
        "rw": padded(pl.col("i") % 9 + 1, 3),
        "village_code": pl.col("village_code"),
        "phone": pl.concat_str(pl.lit("0812"), padded(pl.col("i") % 10**8, 8)),
        "email": pl.lit(None, dtype=pl.String),  # written as an empty field
    }
    spec = current_spec()
    frame.select([columns[f.key].alias(f.header) for f in spec.fields]).write_csv(path, line_terminator="\n")
    return path


def upload_csv(pair, user, rows, name, capture):
    """Upload ``rows`` as a CSV through the service, its validation run (``capture`` is the
    ``django_capture_on_commit_callbacks`` fixture), and return the upload as stored."""
    from support_uploads.services import upload_create

    with capture(execute=True):
        upload = upload_create(
            actor=user, pair=pair, file=SimpleUploadedFile(name, csv_bytes(rows)), max_bytes=10 * 1024 * 1024
        )
    upload.refresh_from_db()
    return upload


def row_statuses(upload) -> list[tuple[str, str]]:
    """(status, reasons) of each of the upload's rows, in file order."""
    from support_uploads.models import Supporter

    return list(
        Supporter.objects.filter(upload_id=upload.pk).order_by("sheet", "row_number").values_list("status", "reasons")
    )


def upload_counts(upload) -> tuple:
    """The upload's stored summary: accepted, flagged, review, rejected, counts per reason."""
    upload.refresh_from_db()
    return (upload.rows_accepted, upload.rows_flagged, upload.rows_review, upload.rows_rejected, upload.reason_counts)
