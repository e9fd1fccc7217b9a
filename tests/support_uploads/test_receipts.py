"""Upload receipts (issue #18): signed at the moment the file is stored, shown, served as PDF, checkable from
the text or the PDF alone; and the receipt's time, not the end of the check, decides the deadline."""

import datetime
import hashlib

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Stage, StageWindow, SupportStatus
from candidacy.services import StageClosedError
from silon.accounts.models import Role
from silon.audit.keys import utc_text
from support_uploads.models import Upload, UploadStatus
from support_uploads.receipts import pdf_text, receipt_check
from support_uploads.selectors_receipts import receipt_verify
from support_uploads.services import pair_support_submit, upload_create, upload_validate
from tests.accounts.factories import UserFactory, operator

from .conftest import csv_bytes, rows_for

pytestmark = pytest.mark.django_db


def _create(pair, lo, content: bytes, name: str = "dukungan.csv") -> Upload:
    return upload_create(actor=lo, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=10**7)


def test_the_receipt_is_signed_when_the_file_is_stored(pair, lo, villages, django_capture_on_commit_callbacks):
    content = csv_bytes(rows_for(villages, 3))
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        upload = _create(pair, lo, content, name="Dukungan Ñusa.csv")
    upload.refresh_from_db()
    assert upload.status == UploadStatus.QUEUED  # issued before any check ran
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    assert before <= upload.received_at <= timezone.now()
    check = receipt_check(upload.receipt)
    assert check.valid, check.problem
    assert check.fields["file"] == "Dukungan Ñusa.csv"
    assert upload.receipt.isascii()
    expected = {"upload": upload.pk, "size": len(content), "sha256": upload.sha256, "pair": pair.pk}
    assert {key: check.fields[key] for key in expected} == expected
    assert check.fields["election"] == pair.election_id
    assert check.fields["received_at"] == utc_text(upload.received_at)


@pytest.mark.parametrize(
    "field, tampered",
    [
        ("size", lambda v: str(int(v) + 1)),
        ("sha256", lambda v: "0" + v[1:]),
        ("received_at", lambda v: str(int(v[:4]) - 1) + v[4:]),
    ],
)
def test_a_tampered_field_fails(pair, lo, villages, django_capture_on_commit_callbacks, field, tampered):
    with django_capture_on_commit_callbacks(execute=False):
        upload = _create(pair, lo, csv_bytes(rows_for(villages, 2)))
    lines = upload.receipt.splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith(f"{field}: "))
    value = lines[index].split(": ", 1)[1]
    changed = tampered(value)
    assert changed != value
    lines[index] = f"{field}: {changed}"
    verdict = receipt_verify(actor=operator("52"), text="\n".join(lines))
    assert not verdict.valid and verdict.check.problem == "signature"
    assert receipt_verify(actor=operator("52"), text="no receipt at all").check.problem == "unreadable"


def test_pdf_page_and_api_verify_name_the_upload(pair, lo, villages, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        upload = _create(pair, lo, csv_bytes(rows_for(villages, 2)))
    client.force_login(lo)
    page = client.get(reverse("support_uploads:upload", args=[upload.pk]))
    assert upload.sha256 in page.content.decode()
    detail = client.get(reverse("support_uploads_api:upload", args=[upload.pk])).json()
    assert detail["receipt"] == upload.receipt and detail["sha256"] == upload.sha256
    pdf = client.get(reverse("support_uploads:upload_receipt", args=[upload.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert receipt_check(pdf_text(pdf.content)).valid
    assert client.get(reverse("support_uploads_api:upload_receipt", args=[upload.pk])).content[:5] == b"%PDF-"

    bawaslu = UserFactory(role=Role.BAWASLU, region_code="52")
    client.force_login(bawaslu)
    answer = client.post(
        reverse("support_uploads_api:receipt_verify"), {"pdf": SimpleUploadedFile("r.pdf", pdf.content)}
    ).json()
    assert (answer["valid"], answer["upload"], answer["matches"]) == (True, upload.pk, True)
    answer = client.post(
        reverse("support_uploads_api:receipt_verify"),
        {"text": upload.receipt.replace(upload.sha256, "f" * 64)},
        content_type="application/json",
    ).json()
    assert (answer["valid"], answer["upload"]) == (False, None)
    shown = client.post(reverse("support_uploads:receipt_verify"), {"text": upload.receipt})
    assert b'id="receipt-valid"' in shown.content and f"#{upload.pk}".encode() in shown.content
    # outside the reader's reach: valid (the signature says so) but no upload named
    client.force_login(operator("51"))
    answer = client.post(
        reverse("support_uploads_api:receipt_verify"), {"text": upload.receipt}, content_type="application/json"
    ).json()
    assert (answer["valid"], answer["upload"]) == (True, None)


def _window_ends_soon(pair, minutes: int) -> datetime.datetime:
    end = timezone.now() + datetime.timedelta(minutes=minutes)
    StageWindow.objects.filter(election=pair.election, stage=Stage.SUPPORT_SUBMISSION).update(ends_at=end)
    return end


def _six_rows_a_second_before(end, pair, lo, villages, capture):
    """A file of six rows, one in each of six regencies (enough), received a second before ``end``; its check
    is left to the test."""
    regencies = sorted({v[:5] for v in villages})
    spread = [next(v for v in villages if v.startswith(r)) for r in regencies[:6]]
    with time_machine.travel(end - datetime.timedelta(seconds=1), tick=False), capture(execute=False):
        return _create(pair, lo, csv_bytes(rows_for(spread, 6)))


def test_received_before_the_end_and_checked_after_it_counts_and_may_be_submitted(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    """Six regencies, six rows: enough. The file arrives a second before the window's effective end; its check
    runs after the end. It counts, and the pair may submit within the grace after that check."""
    end = _window_ends_soon(pair, 10)
    upload = _six_rows_a_second_before(end, pair, lo, villages, django_capture_on_commit_callbacks)
    with time_machine.travel(end + datetime.timedelta(minutes=5), tick=False):
        upload_validate(upload_id=upload.pk)
        upload.refresh_from_db()
        assert upload.status == UploadStatus.DONE and upload.rows_accepted == 6
        assert upload.received_at < end < upload.finished_at
        with pytest.raises(StageClosedError), django_capture_on_commit_callbacks(execute=False):
            _create(pair, lo, csv_bytes(rows_for(villages, 1, start=50)))
        pair_support_submit(actor=lo, pair=pair)
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.SUBMITTED


def test_the_grace_after_a_late_check_is_bounded(pair, lo, villages, settings, django_capture_on_commit_callbacks):
    end = _window_ends_soon(pair, 10)
    upload = _six_rows_a_second_before(end, pair, lo, villages, django_capture_on_commit_callbacks)
    with time_machine.travel(end + datetime.timedelta(minutes=1), tick=False):
        upload_validate(upload_id=upload.pk)
    late = end + datetime.timedelta(minutes=2 + settings.SUPPORT_SUBMIT_GRACE_MINUTES)
    with time_machine.travel(late, tick=False), pytest.raises(StageClosedError):
        pair_support_submit(actor=lo, pair=pair)


def test_received_just_after_the_end_is_refused(pair, lo, villages, django_capture_on_commit_callbacks):
    end = _window_ends_soon(pair, 10)
    with time_machine.travel(end + datetime.timedelta(seconds=1), tick=False):
        with pytest.raises(StageClosedError), django_capture_on_commit_callbacks(execute=False):
            _create(pair, lo, csv_bytes(rows_for(villages, 1)))
        with pytest.raises(ValidationError):
            pair_support_submit(actor=lo, pair=pair)
    assert not Upload.objects.filter(pair=pair).exists()
