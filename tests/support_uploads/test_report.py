"""The error report: masked for readers without the need (page and API), audited for all, and written again
from the stored rows when a worker died between the DONE commit and the report."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from silon.audit.models import AuditEvent
from silon.privacy import mask_address, mask_birth_date, mask_name, mask_nik, mask_phone
from silon.watermark import SHEET_TITLE
from support_uploads.models import Supporter, Upload, UploadPhase, UploadStatus
from support_uploads.services import upload_create, upload_requeue_stale, upload_validate
from support_uploads.tasks import upload_validate_task
from tests.accounts.factories import UserFactory

from .conftest import csv_bytes, rows_for

pytestmark = pytest.mark.django_db


def _bad_rows(villages) -> list[dict]:
    rows = rows_for(villages, 6)
    rows[1]["rt"] = "abcd"
    rows[3]["nik"] = "12345"
    rows[4]["kk"] = "5201010101010001"
    rows[4]["sex"] = "X"
    return rows


def _sheet(content: bytes) -> list[tuple]:
    """The report's rows; a supervisor's copy opens on its watermark sheet (silon.watermark), skipped here,
    and was saved again by openpyxl, which keeps an empty cell as no value."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    ws = next(sheet for sheet in book.worksheets if sheet.title != SHEET_TITLE)
    return [tuple("" if v is None else v for v in row) for row in ws.iter_rows(values_only=True)]


def _download(client, url) -> list[tuple]:
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Disposition"].startswith("attachment")
    return _sheet(b"".join(response.streaming_content))


@pytest.fixture
def checked(pair, lo, villages, django_capture_on_commit_callbacks) -> Upload:
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(
            actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(_bad_rows(villages))), max_bytes=10**7
        )
    upload.refresh_from_db()
    assert upload.rows_rejected == 3 and upload.progress == 100
    return upload


@pytest.mark.parametrize("where", ["page", "api"])
def test_report_is_full_for_the_lo_and_kpu_masked_for_bawaslu(client, pair, lo, kpu, checked, where):
    url = reverse(
        "support_uploads:upload_report" if where == "page" else "support_uploads_api:upload_report", args=[checked.pk]
    )
    bad = list(Supporter.objects.filter(upload_id=checked.pk, status="rejected").order_by("row_number"))
    client.force_login(lo)
    full = _download(client, url)
    headers = list(full[0])
    named = (("nik", "NIK"), ("kk", "No. KK"), ("name", "Nama"), ("address", "Alamat"), ("phone", "No. HP"))
    col = {key: headers.index(name) for key, name in named}
    col["birth_date"] = headers.index("Tanggal Lahir")
    assert [r[col["nik"]] for r in full[1:]] == [s.nik for s in bad]
    assert [r[col["kk"]] for r in full[1:]] == [s.kk for s in bad]
    client.force_login(kpu)
    assert _download(client, url) == full

    bawaslu = UserFactory(role="bawaslu", region_code="52")
    client.force_login(bawaslu)
    masked = _download(client, url)
    assert len(masked) == len(full) and masked[0] == full[0]
    for row, supporter in zip(masked[1:], bad, strict=True):
        assert row[col["nik"]] == mask_nik(supporter.nik) and row[col["kk"]] == mask_nik(supporter.kk)
        assert row[col["name"]] == mask_name(supporter.name)
        assert row[col["address"]] == mask_address(supporter.address)
        assert row[col["phone"]] == mask_phone(supporter.phone) and supporter.phone not in row
        # beside a masked NIK, the year of birth only (the masked digits are the date of birth)
        assert row[col["birth_date"]] == mask_birth_date(supporter.birth_date_text)
        assert supporter.nik not in row and supporter.name not in row and supporter.address not in row
    # the rest of the row (sheet, row number, reasons, other fields) is the same as the full report
    others = [i for i in range(len(headers)) if i not in col.values()]
    assert [[r[i] for i in others] for r in masked] == [[r[i] for i in others] for r in full]

    events = AuditEvent.objects.filter(action="support.report.download", object_id=str(checked.pk)).order_by("pk")
    assert [(e.actor_id, e.after["masked"]) for e in events] == [(lo.pk, False), (kpu.pk, False), (bawaslu.pk, True)]
    assert all(e.after.get("api", False) == (where == "api") for e in events)


def test_api_report_is_404_until_written_and_outside_reach(client, pair, lo, checked):
    Upload.objects.filter(pk=checked.pk).update(report="", progress=95, phase=UploadPhase.REPORT)
    client.force_login(lo)
    url = reverse("support_uploads_api:upload_report", args=[checked.pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("support_uploads:upload_report", args=[checked.pk])).status_code == 404
    outsider = UserFactory(role="bawaslu", region_code="51")
    client.force_login(outsider)
    Upload.objects.filter(pk=checked.pk).update(report=checked.report.name, progress=100)
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="support.report.download").exists()


def test_report_lost_with_its_worker_is_rebuilt_when_the_task_is_redelivered(pair, lo, villages, checked):
    normal = _sheet(checked.report.open("rb").read())
    assert len(normal) == 4  # header + the three rejected rows
    # the worker died after the DONE commit, before the report: no report, progress stuck at 95
    Upload.objects.filter(pk=checked.pk).update(report="", progress=95, phase=UploadPhase.REPORT)
    upload_validate_task.delay(checked.pk)  # the broker delivers the unacknowledged message again
    checked.refresh_from_db()
    assert (checked.status, checked.progress, checked.phase) == (UploadStatus.DONE, 100, UploadPhase.DONE)
    assert _sheet(checked.report.open("rb").read()) == normal
    assert checked.attempts == 1  # the rows were not checked again
    assert AuditEvent.objects.filter(action="support.upload.report_rebuilt", object_id=str(checked.pk)).count() == 1
    upload_validate(upload_id=checked.pk)  # once written, a further delivery changes nothing
    assert AuditEvent.objects.filter(action="support.upload.report_rebuilt").count() == 1


def test_worker_killed_before_the_report_then_the_stale_sweep_requeues_it(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    rows = _bad_rows(villages)
    with django_capture_on_commit_callbacks(execute=False):
        upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(rows)), max_bytes=10**7)
    with (
        mock.patch("support_uploads.services.pipeline._write_report", side_effect=SystemExit("worker killed")),
        pytest.raises(SystemExit),
    ):
        upload_validate(upload_id=upload.pk)
    upload.refresh_from_db()
    assert (upload.status, upload.progress, upload.report.name) == (UploadStatus.DONE, 95, "")
    assert upload_requeue_stale(older_than=timedelta(minutes=30)) == []  # just finished: not stale yet
    Upload.objects.filter(pk=upload.pk).update(finished_at=timezone.now() - timedelta(hours=1))
    assert upload_requeue_stale(older_than=timedelta(minutes=30)) == [upload.pk]
    upload.refresh_from_db()
    assert upload.progress == 100 and upload.report.name
    rebuilt = _sheet(upload.report.open("rb").read())

    # the same file checked by a run that was not interrupted reports the same rows with the same reasons
    Supporter.objects.filter(upload_id=upload.pk).delete()
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, report="")
    upload_validate(upload_id=upload.pk)
    upload.refresh_from_db()
    assert rebuilt == _sheet(upload.report.open("rb").read())
    assert [r[1:4] for r in rebuilt[1:]] == [
        ("3", "RT harus 1-3 angka", "RT_INVALID"),
        ("5", "NIK harus 16 angka", "NIK_FORMAT"),
        ("6", "Jenis Kelamin harus L atau P", "SEX_INVALID"),
    ]
    assert upload_requeue_stale(older_than=timedelta(minutes=30)) == []
