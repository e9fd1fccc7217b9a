"""Scanned KTP copies per desa: uploaded by the pair's LO, opened by the operators from the worklist of that desa,
404 for everyone else, every upload and view audited (docs/domain.md §5)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Stage, StageWindow, SupportStatus
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from support_uploads.models import Batch, KtpScan
from support_uploads.selectors import ktp_scan_for_user
from support_uploads.services import ktp_scan_upload, lo_account_issue, pair_team_register
from tests.accounts.factories import UserFactory, operator
from tests.candidacy.factories import PDF, PairFactory

pytestmark = pytest.mark.django_db


def _close(election, stage) -> None:
    now = timezone.now()
    StageWindow.objects.filter(election=election, stage=stage).update(
        starts_at=now - datetime.timedelta(days=5), ends_at=now - datetime.timedelta(days=1)
    )


def _pdf(name="ktp.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_lo_uploads_a_scan_for_a_desa_of_the_election(pair, lo, villages):
    scan = ktp_scan_upload(actor=lo, pair=pair, village_code=villages[0], file=_pdf())
    assert (scan.village_code, scan.batch, scan.size) == (villages[0], Batch.INITIAL, len(PDF))
    assert scan.file.read() == PDF
    event = AuditEvent.objects.get(action="support.scan.upload")
    assert event.after["village"] == villages[0] and event.after["sha256"] == scan.sha256


@pytest.mark.parametrize(
    ("name", "content", "village", "message"),
    [
        ("ktp.xlsx", PDF, None, "PDF"),
        ("ktp.pdf", b"PK\x03\x04 not a pdf", None, "%PDF-"),
        ("ktp.pdf", PDF, "52.99.99.9999", "52.99.99.9999"),
        ("ktp.pdf", PDF, "51.71.01.1001", "51.71.01.1001"),  # Bali: outside the NTB election
    ],
)
def test_refused_scans_say_why(pair, lo, villages, name, content, village, message):
    with pytest.raises(ValidationError) as refused:
        ktp_scan_upload(actor=lo, pair=pair, village_code=village or villages[0], file=_pdf(name, content))
    assert message in " ".join(refused.value.messages)
    assert not KtpScan.objects.exists()


def test_too_large_scan_is_refused(pair, lo, villages, settings):
    settings.SUPPORT_SCAN_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        ktp_scan_upload(actor=lo, pair=pair, village_code=villages[0], file=_pdf())


def test_only_the_pairs_lo_uploads_and_only_while_support_is_open(pair, lo, kpu, villages, election):
    other = PairFactory(election=election)
    with pytest.raises(Http404):
        ktp_scan_upload(actor=lo, pair=other, village_code=villages[0], file=_pdf())
    with pytest.raises(Http404):
        ktp_scan_upload(actor=kpu, pair=pair, village_code=villages[0], file=_pdf())
    _close(election, Stage.SUPPORT_SUBMISSION)
    with pytest.raises(ValidationError):
        ktp_scan_upload(actor=lo, pair=pair, village_code=villages[0], file=_pdf())
    pair.support_status = SupportStatus.SUBMITTED
    pair.save()
    with pytest.raises(ValidationError):
        ktp_scan_upload(actor=lo, pair=pair, village_code=villages[0], file=_pdf())


def test_who_may_open_a_scan(pair, lo, kpu, villages, election):
    scan = ktp_scan_upload(actor=lo, pair=pair, village_code=villages[0], file=_pdf())
    regency = villages[0][:5]
    allowed = [lo, kpu, operator(regency)]
    other_regency = next(v for v in villages if v[:5] != regency)[:5]
    other_pair = PairFactory(election=election)
    pair_team_register(actor=kpu, pair=other_pair, mandate_letter=_pdf("mandat.pdf"), contact_name="LO B")
    other_lo, _password = lo_account_issue(actor=kpu, pair=other_pair, password="Sandi-LO-2026!y")
    refused = [
        operator(other_regency),
        UserFactory(role=Role.VERIFIER, level="", region_code=villages[0]),
        # an image cannot be masked: Bawaslu of the desa does not open it (SECURITY.md "Images")
        UserFactory(role=Role.BAWASLU, level="", region_code=regency),
        UserFactory(role=Role.PARTY_ADMIN, level="", region_code=""),
        other_lo.user,
    ]
    for user in allowed:
        assert ktp_scan_for_user(user, scan.pk) == scan
    for user in refused:
        with pytest.raises(Http404):
            ktp_scan_for_user(user, scan.pk)


def test_pages_upload_list_and_audited_download(client, pair, lo, kpu, villages):
    client.force_login(lo)
    response = client.post(
        reverse("support_uploads:scan_upload", args=[pair.pk]), {"village_code": villages[0], "file": _pdf()}
    )
    assert response.status_code == 302
    scan = KtpScan.objects.get()
    page = client.get(reverse("support_uploads:pair", args=[pair.pk])).content.decode()
    assert reverse("support_uploads:scan", args=[scan.pk]) in page
    response = client.post(
        reverse("support_uploads:scan_upload", args=[pair.pk]), {"village_code": "52.99.99.9999", "file": _pdf()}
    )
    assert "52.99.99.9999" in client.get(reverse("support_uploads:pair", args=[pair.pk])).content.decode()
    assert KtpScan.objects.count() == 1

    client.force_login(kpu)
    download = client.get(reverse("support_uploads:scan", args=[scan.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="support.scan.view", actor=kpu, object_id=str(scan.pk)).exists()

    client.force_login(operator("51"))
    assert client.get(reverse("support_uploads:scan", args=[scan.pk])).status_code == 404
