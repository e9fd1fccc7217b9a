"""The team's scanned KTP copies of a desa, opened by the operator from the administrative worklist of that
desa (the upload and its access rules: tests/support_uploads/test_ktp_scans.py)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from silon.audit.models import AuditEvent
from support_uploads.services import ktp_scan_upload
from tests.candidacy.factories import PDF
from verification.models import Batch, RoundKind, VerificationRound

pytestmark = pytest.mark.django_db


def test_operator_opens_the_desa_scans_from_the_administrative_worklist(client, pair, lo, kpu, villages):
    scan = ktp_scan_upload(
        actor=lo, pair=pair, village_code=villages[0], file=SimpleUploadedFile("ktp.pdf", PDF, "application/pdf")
    )
    other = ktp_scan_upload(
        actor=lo, pair=pair, village_code=villages[1], file=SimpleUploadedFile("lain.pdf", PDF, "application/pdf")
    )
    round = VerificationRound.objects.create(
        election=pair.election, pair=pair, kind=RoundKind.ADMINISTRATIVE, batch=Batch.INITIAL, opened_by=kpu
    )
    client.force_login(kpu)
    worklist = client.get(reverse("verification:round", args=[round.pk]), {"wilayah": villages[0]}).content.decode()
    assert reverse("support_uploads:scan", args=[scan.pk]) in worklist
    assert reverse("support_uploads:scan", args=[other.pk]) not in worklist  # another desa's scans stay apart
    download = client.get(reverse("support_uploads:scan", args=[scan.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="support.scan.view", actor=kpu, object_id=str(scan.pk)).exists()
