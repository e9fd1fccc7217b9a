"""One line of truth about an upload's state (#21): a finished upload says only its status, never a phase or
a percentage left over from the run; a running one says its phase and progress."""

import re

import pytest
from django.urls import reverse

from support_uploads.models import Upload, UploadPhase, UploadStatus

pytestmark = pytest.mark.django_db


def _state_line(html: str) -> str:
    return re.sub(r"\s+", " ", re.search(r'<small class="upload-state">(.*?)</small>', html, re.S).group(1)).strip()


@pytest.mark.parametrize(
    ("status", "phase", "progress", "line"),
    [
        (UploadStatus.DONE, UploadPhase.CHECKING, 100, "Selesai diperiksa"),
        (UploadStatus.FAILED, UploadPhase.READING, 40, "Ditolak / gagal"),
        (UploadStatus.FAILED, UploadPhase.REJECTED, 40, "Berkas ditolak"),
    ],
)
def test_a_finished_upload_says_its_status_once(client, pair, lo, status, phase, progress, line):
    upload = Upload.objects.create(
        pair=pair,
        election=pair.election,
        uploaded_by=lo,
        original_name="d.csv",
        size=10,
        status=status,
        phase=phase,
        progress=progress,
    )
    client.force_login(lo)
    html = client.get(reverse("support_uploads:upload", args=[upload.pk])).content.decode()
    assert _state_line(html) == line
    assert html.count('class="upload-state"') == 1
    assert (status == UploadStatus.DONE) == ("<progress" in html)


def test_a_running_upload_says_its_phase_and_progress(client, pair, lo):
    upload = Upload.objects.create(
        pair=pair,
        election=pair.election,
        uploaded_by=lo,
        original_name="d.csv",
        size=10,
        status=UploadStatus.RUNNING,
        phase=UploadPhase.READING,
        progress=30,
    )
    client.force_login(lo)
    html = client.get(reverse("support_uploads:upload", args=[upload.pk])).content.decode()
    line = _state_line(html)
    assert line.endswith("· 30%") and line.count("·") == 2
