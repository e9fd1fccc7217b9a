"""File-level rejections: each with its code and an actionable Indonesian message."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from support_uploads.models import Supporter, UploadStatus
from support_uploads.services import upload_create
from support_uploads.template_spec import current_spec
from tests.candidacy.factories import PairFactory

from .conftest import csv_bytes, rows_for, template_xlsx

pytestmark = pytest.mark.django_db


def _run(pair, user, content: bytes, name: str, capture):
    with capture(execute=True):
        upload = upload_create(actor=user, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=10**8)
    upload.refresh_from_db()
    return upload


def _edited(pair, rows, edit) -> bytes:
    wb = load_workbook(io.BytesIO(template_xlsx(pair, rows)))
    edit(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _assert_rejected(upload, code: str, words: str):
    assert upload.status == UploadStatus.FAILED
    assert upload.error_code == code
    assert words in upload.error_message
    assert not Supporter.objects.filter(upload_id=upload.pk).exists()


def test_png_named_xlsx_is_not_a_spreadsheet(pair, lo, django_capture_on_commit_callbacks):
    upload = _run(pair, lo, b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "dukungan.xlsx", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "NOT_XLSX_CSV", "bukan xlsx atau CSV")


def test_legacy_xls_is_refused_with_how_to_fix(pair, lo, django_capture_on_commit_callbacks):
    upload = _run(
        pair, lo, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "d.xls", django_capture_on_commit_callbacks
    )
    _assert_rejected(upload, "NOT_XLSX_CSV", "simpan sebagai .xlsx")


def test_docx_zip_is_not_xlsx(pair, lo, django_capture_on_commit_callbacks):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    upload = _run(pair, lo, buffer.getvalue(), "d.xlsx", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "NOT_XLSX_CSV", "bukan xlsx")


def test_truncated_xlsx_is_corrupt(pair, lo, villages, django_capture_on_commit_callbacks):
    content = template_xlsx(pair, rows_for(villages, 5))
    upload = _run(pair, lo, content[: len(content) // 2], "d.xlsx", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "CORRUPT", "rusak")


def test_non_utf8_csv_is_refused(pair, lo, django_capture_on_commit_callbacks):
    upload = _run(pair, lo, "NIK,Nama\nä".encode("latin-1") + b"\xff\xfe", "d.csv", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "NOT_XLSX_CSV", "UTF-8")


def test_tampered_signature_is_recognised(pair, lo, villages, django_capture_on_commit_callbacks):
    def tamper(wb):
        wb[current_spec().meta_sheet]["B3"] = str(pair.pk + 1)  # claims another pair, signature unchanged

    upload = _run(pair, lo, _edited(pair, rows_for(villages, 3), tamper), "d.xlsx", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "TEMPLATE_TAMPERED", "telah diubah")


def test_template_of_another_pair_is_refused(pair, lo, villages, django_capture_on_commit_callbacks):
    other = PairFactory(election=pair.election)
    upload = _run(pair, lo, template_xlsx(other, rows_for(villages, 3)), "d.xlsx", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "TEMPLATE_OTHER_PAIR", "pasangan calon lain")


def test_xlsx_without_metadata_is_not_our_template(pair, lo, villages, django_capture_on_commit_callbacks):
    def drop_meta(wb):
        del wb[current_spec().meta_sheet]

    upload = _run(
        pair, lo, _edited(pair, rows_for(villages, 3), drop_meta), "d.xlsx", django_capture_on_commit_callbacks
    )
    _assert_rejected(upload, "TEMPLATE_UNKNOWN", "bukan templat")


@pytest.mark.parametrize(
    ("edit", "words"),
    [
        (lambda ws: ws.cell(row=1, column=3, value="Nama Lengkap"), '"Nama" tidak ada atau diganti'),
        (
            lambda ws: (ws.cell(row=1, column=3, value="Tempat Lahir"), ws.cell(row=1, column=4, value="Nama")),
            "Urutan kolom",
        ),
        (lambda ws: ws.delete_cols(2), '"No. KK" tidak ada'),
        (lambda ws: ws.insert_rows(1), "bergeser ke bawah"),
        (lambda ws: ws.insert_cols(1), "bergeser ke kanan"),
        (lambda ws: ws.cell(row=1, column=15, value="Catatan"), "kolom tambahan"),
    ],
    ids=["renamed", "reordered", "missing", "shifted-down", "shifted-right", "extra"],
)
def test_header_changes_are_refused(edit, words, pair, lo, villages, django_capture_on_commit_callbacks):
    def apply(wb):
        edit(wb[current_spec().data_sheet])

    upload = _run(pair, lo, _edited(pair, rows_for(villages, 3), apply), "d.xlsx", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "HEADER", words)


def test_csv_with_renamed_header_is_refused(pair, lo, villages, django_capture_on_commit_callbacks):
    headers = current_spec().headers
    headers[0] = "No NIK"
    upload = _run(
        pair, lo, csv_bytes(rows_for(villages, 2), headers=headers), "d.csv", django_capture_on_commit_callbacks
    )
    _assert_rejected(upload, "HEADER", '"NIK"')


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_zero_data_rows(fmt, pair, lo, django_capture_on_commit_callbacks):
    content = template_xlsx(pair, []) if fmt == "xlsx" else csv_bytes([])
    upload = _run(pair, lo, content, f"d.{fmt}", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "NO_ROWS", "tidak berisi baris data")


def test_more_rows_than_the_limit(pair, lo, villages, settings, django_capture_on_commit_callbacks):
    settings.SUPPORT_UPLOAD_MAX_ROWS = 4
    upload = _run(pair, lo, csv_bytes(rows_for(villages, 5)), "d.csv", django_capture_on_commit_callbacks)
    _assert_rejected(upload, "TOO_MANY_ROWS", "lebih dari 4 baris")


def test_numeric_nik_column_detected_even_when_every_cell_is_a_number(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 3)
    content = template_xlsx(pair, rows, numeric={(0, "nik"), (1, "nik"), (2, "nik"), (1, "kk")})
    upload = _run(pair, lo, content, "d.xlsx", django_capture_on_commit_callbacks)
    got = sorted(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "reasons"))
    assert got == [(2, "NIK_NUMERIC"), (3, "NIK_NUMERIC,KK_NUMERIC"), (4, "NIK_NUMERIC")]


def test_oversized_file_is_refused_before_storing(pair, lo):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="terlalu besar"):
        upload_create(actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", b"x" * 2048), max_bytes=1024)
