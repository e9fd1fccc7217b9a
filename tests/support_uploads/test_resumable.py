"""Resumable uploads over HTTP (issue #18): the tus protocol 1.0.0 (core, creation, expiration, termination)
as a client speaks it, through the support API; the finished file is an ordinary upload with its receipt."""

import base64
import datetime
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from silon.audit.models import AuditEvent
from support_uploads.models import ResumableUpload, Upload, UploadStatus
from support_uploads.receipts import receipt_check
from support_uploads.services import lo_account_issue, pair_team_register, resumable_expire
from support_uploads.services.resumable import partial_path
from support_uploads.tasks import resumable_expire_task
from tests.candidacy.factories import PairFactory

from .conftest import PDF, csv_bytes, rows_for

pytestmark = pytest.mark.django_db
TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
CHUNK = "application/offset+octet-stream"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _create(client, pair, length: int, name: str = "dukungan.csv", **headers):
    metadata = f"filename {_b64(name)},pair {_b64(str(pair.pk))}"
    return client.post(
        reverse("support_uploads_api:resumable_uploads", args=[pair.pk]),
        **{**TUS, "HTTP_UPLOAD_LENGTH": str(length), "HTTP_UPLOAD_METADATA": metadata, **headers},
    )


def _patch(client, location: str, offset: int, data: bytes, **headers):
    return client.generic(
        "PATCH", location, data, content_type=CHUNK, **{**TUS, "HTTP_UPLOAD_OFFSET": str(offset), **headers}
    )


def _head(client, location: str):
    return client.head(location, **TUS)


@pytest.fixture
def content(villages) -> bytes:
    return csv_bytes(rows_for(villages, 6))


@pytest.fixture
def lo_client(lo) -> Client:
    client = Client()
    client.force_login(lo)
    return client


def test_options_names_the_version_extensions_and_maximum(lo_client, pair, settings):
    response = lo_client.options(reverse("support_uploads_api:resumable_uploads", args=[pair.pk]))
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {"creation", "expiration", "termination"}
    assert response["Tus-Max-Size"] == str(settings.SUPPORT_UPLOAD_MAX_BYTES) == str(1024**3)


def test_create_answers_location_and_expiry(lo_client, pair, lo, settings):
    before = timezone.now()
    response = _create(lo_client, pair, 1000, name="Dukungan Ñusa.csv")
    assert response.status_code == 201, response.content
    assert response["Tus-Resumable"] == "1.0.0"
    resumable = ResumableUpload.objects.get()
    assert response["Location"].endswith(reverse("support_uploads_api:resumable_upload", args=[resumable.pk]))
    assert (resumable.name, resumable.length, resumable.offset, resumable.created_by) == (
        "Dukungan Ñusa.csv",
        1000,
        0,
        lo,
    )
    hours = datetime.timedelta(hours=settings.SUPPORT_RESUMABLE_EXPIRE_HOURS)
    assert before + hours <= resumable.expires_at <= timezone.now() + hours
    assert response["Upload-Expires"].endswith(" GMT")
    assert partial_path(resumable).parent.relative_to(settings.MEDIA_ROOT).parts == ("private", "resumable")
    event = AuditEvent.objects.get(action="support.resumable.create")
    assert event.object_id == str(resumable.pk) and event.region_code == pair.election.region_code


def test_offset_after_a_partial_patch_and_resume_from_head(lo_client, pair, content):
    location = _create(lo_client, pair, len(content))["Location"]
    first = _patch(lo_client, location, 0, content[:100])
    assert first.status_code == 204, first.content
    assert first["Upload-Offset"] == "100"
    # the connection broke: the client asks where to resume
    head = _head(lo_client, location)
    assert head.status_code == 200
    assert (head["Upload-Offset"], head["Upload-Length"]) == ("100", str(len(content)))
    assert head["Cache-Control"] == "no-store"
    offset = int(head["Upload-Offset"])
    second = _patch(lo_client, location, offset, content[offset:200])
    assert second["Upload-Offset"] == "200"
    assert not Upload.objects.exists()  # not finished: no upload yet


def test_a_wrong_offset_is_a_conflict_and_changes_nothing(lo_client, pair, content):
    location = _create(lo_client, pair, len(content))["Location"]
    _patch(lo_client, location, 0, content[:50])
    for offset in (0, 10, 51):
        response = _patch(lo_client, location, offset, content[offset : offset + 20])
        assert response.status_code == 409, offset
    assert ResumableUpload.objects.get().offset == 50
    assert partial_path(ResumableUpload.objects.get()).read_bytes() == content[:50]


def test_an_oversized_chunk_is_refused_413(lo_client, pair, settings):
    settings.SUPPORT_RESUMABLE_CHUNK_MAX_BYTES = 64
    location = _create(lo_client, pair, 1000)["Location"]
    response = _patch(lo_client, location, 0, b"x" * 65)
    assert response.status_code == 413
    assert _patch(lo_client, location, 0, b"x" * 64).status_code == 204
    assert ResumableUpload.objects.get().offset == 64


def test_over_the_length_is_refused(lo_client, pair, settings):
    settings.SUPPORT_UPLOAD_MAX_BYTES = 500
    assert _create(lo_client, pair, 501).status_code == 413  # over the configured maximum
    assert not ResumableUpload.objects.exists()
    location = _create(lo_client, pair, 10)["Location"]
    response = _patch(lo_client, location, 0, b"y" * 11)  # past the declared length
    assert response.status_code == 400
    assert ResumableUpload.objects.get().offset == 0


def test_protocol_headers_are_required(lo_client, pair):
    url = reverse("support_uploads_api:resumable_uploads", args=[pair.pk])
    assert lo_client.post(url, HTTP_UPLOAD_LENGTH="10").status_code == 400  # no Tus-Resumable
    wrong = lo_client.post(url, HTTP_TUS_RESUMABLE="0.2.2", HTTP_UPLOAD_LENGTH="10")
    assert wrong.status_code == 412
    assert lo_client.post(url, **TUS).status_code == 400  # no Upload-Length
    assert lo_client.post(url, **TUS, HTTP_UPLOAD_LENGTH="-3").status_code == 400
    location = _create(lo_client, pair, 10)["Location"]
    plain = lo_client.generic("PATCH", location, b"abc", content_type="application/json", **TUS, HTTP_UPLOAD_OFFSET="0")
    assert plain.status_code == 415
    assert not AuditEvent.objects.filter(action="support.upload.create").exists()


def test_another_teams_upload_is_404(lo_client, pair, kpu, content):
    location = _create(lo_client, pair, len(content))["Location"]
    other_pair = PairFactory(election=pair.election)
    pair_team_register(
        actor=kpu, pair=other_pair, mandate_letter=SimpleUploadedFile("mandat.pdf", PDF), contact_name="Lalu LO"
    )
    other_lo, _password = lo_account_issue(actor=kpu, pair=other_pair, password="Sandi-LO-2026!y")
    other = Client()
    other.force_login(other_lo.user)
    assert _head(other, location).status_code == 404
    assert _patch(other, location, 0, content).status_code == 404
    assert other.delete(location, **TUS).status_code == 404
    assert _create(other, pair, 10).status_code == 404  # another pair's address
    operator = Client()
    operator.force_login(kpu)  # the KPU operator reaches the pair, but only its LO sends its files
    assert _create(operator, pair, 10).status_code == 403
    assert _head(operator, location).status_code == 404
    assert ResumableUpload.objects.get().offset == 0


def test_a_session_patch_without_the_csrf_token_is_refused(lo, pair, content):
    client = Client(enforce_csrf_checks=True)
    client.force_login(lo)
    assert _create(client, pair, len(content)).status_code == 403
    client.get(reverse("support_uploads:pair", args=[pair.pk]))
    token = client.cookies["csrftoken"].value
    location = _create(client, pair, len(content), HTTP_X_CSRFTOKEN=token)["Location"]
    assert _patch(client, location, 0, content).status_code == 403
    assert _patch(client, location, 0, content, HTTP_X_CSRFTOKEN=token).status_code == 204


def test_completion_creates_exactly_one_upload_with_its_receipt(
    lo_client, pair, lo, content, django_capture_on_commit_callbacks
):
    location = _create(lo_client, pair, len(content), name="dukungan-besar.csv")["Location"]
    resumable = ResumableUpload.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        for start in range(0, len(content), 128):
            response = _patch(lo_client, location, start, content[start : start + 128])
            assert response.status_code == 204, response.content
    upload = Upload.objects.get()
    assert response["Silon-Upload-Id"] == str(upload.pk)
    assert (upload.original_name, upload.size, upload.pair, upload.uploaded_by) == (
        "dukungan-besar.csv",
        len(content),
        pair,
        lo,
    )
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    check = receipt_check(upload.receipt)
    assert check.valid and check.fields["sha256"] == upload.sha256 and check.fields["size"] == len(content)
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE  # validated as any other upload
    assert (upload.rows_read, upload.rows_accepted) == (6, 6)
    with upload.file.open("rb") as stored:
        assert stored.read() == content
    assert not partial_path(resumable).exists()  # the partial bytes went with the commit
    # a repeated last chunk (the answer was lost) creates nothing more
    assert _patch(lo_client, location, len(content) - 10, content[-10:]).status_code == 409
    head = _head(lo_client, location)
    assert (head["Upload-Offset"], head["Silon-Upload-Id"]) == (str(len(content)), str(upload.pk))
    assert Upload.objects.count() == 1
    assert AuditEvent.objects.filter(action="support.upload.create").count() == 1
    finish = AuditEvent.objects.get(action="support.resumable.finish")
    assert finish.object_id == str(resumable.pk)


def test_termination_removes_the_bytes(lo_client, pair, content, django_capture_on_commit_callbacks):
    location = _create(lo_client, pair, len(content))["Location"]
    _patch(lo_client, location, 0, content[:40])
    path = partial_path(ResumableUpload.objects.get())
    with django_capture_on_commit_callbacks(execute=True):
        assert lo_client.delete(location, **TUS).status_code == 204
    assert not ResumableUpload.objects.exists() and not path.exists()
    assert _head(lo_client, location).status_code == 404
    assert AuditEvent.objects.filter(action="support.resumable.terminate").count() == 1


def test_an_unfinished_upload_expires_and_is_cleaned_up(
    lo_client, pair, content, settings, django_capture_on_commit_callbacks
):
    location = _create(lo_client, pair, len(content))["Location"]
    _patch(lo_client, location, 0, content[:40])
    finished_location = _create(lo_client, pair, len(content))["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        _patch(lo_client, finished_location, 0, content)
    unfinished = ResumableUpload.objects.get(upload__isnull=True)
    path = partial_path(unfinished)
    assert path.exists()
    assert resumable_expire() == 0  # nothing is due yet
    # the expiry passes (moved, not waited for: a signed-in session would not outlive a day of travel)
    ResumableUpload.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert _head(lo_client, location).status_code == 410
    assert _patch(lo_client, location, 40, content[40:80]).status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        assert resumable_expire_task() == 1
    assert resumable_expire() == 0  # idempotent
    assert not path.exists()
    assert [r.is_finished for r in ResumableUpload.objects.all()] == [True]  # the finished one stays
    assert Upload.objects.count() == 1
    event = AuditEvent.objects.get(action="support.resumable.expire")
    assert event.object_id == str(unfinished.pk) and event.actor is None
    assert "support-uploads-resumable-expire" in settings.CELERY_BEAT_SCHEDULE


def test_creation_counts_against_the_upload_rate_limit_and_chunks_do_not(lo_client, pair, content, monkeypatch):
    from rest_framework.throttling import UserRateThrottle

    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "support_upload": "2/hour"}
    )
    location = _create(lo_client, pair, len(content))["Location"]
    for start in range(0, 120, 10):  # many chunks of one file: never throttled
        assert _patch(lo_client, location, start, content[start : start + 10]).status_code == 204
    assert _create(lo_client, pair, len(content)).status_code == 201
    refused = _create(lo_client, pair, len(content))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    plain = lo_client.post(
        reverse("support_uploads_api:uploads", args=[pair.pk]), {"file": SimpleUploadedFile("d.csv", content)}
    )
    assert plain.status_code == 429  # one limit for the plain API, the page and resumable creation


def test_bytes_past_the_stored_offset_never_count(lo_client, pair, content):
    """A chunk written to disk whose transaction then rolled back (or a crash between the two) leaves bytes past
    the stored offset: the next chunk at the stored offset replaces them."""
    location = _create(lo_client, pair, len(content))["Location"]
    _patch(lo_client, location, 0, content[:30])
    path = partial_path(ResumableUpload.objects.get())
    with path.open("ab") as handle:
        handle.write(b"stray bytes of a rolled-back chunk")
    assert _head(lo_client, location)["Upload-Offset"] == "30"
    assert _patch(lo_client, location, 30, content[30:60]).status_code == 204
    assert path.read_bytes() == content[:60]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_chunks_racing_at_one_offset_land_once(pair, lo, content):
    """Two connections send a chunk at the same offset at once (a client retrying while its first try is still
    in flight): the row's lock lets one append, the other answers 409, and the bytes are the winner's."""
    import threading

    from django.db import connection

    starter = Client()
    starter.force_login(lo)
    location = _create(starter, pair, len(content))["Location"]
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def send(data: bytes) -> None:
        client = Client()
        client.force_login(lo)
        barrier.wait()
        try:
            codes.append(_patch(client, location, 0, data).status_code)
        finally:
            connection.close()

    first, second = content[:40], content[:40].swapcase()
    threads = [threading.Thread(target=send, args=(data,)) for data in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [204, 409]
    resumable = ResumableUpload.objects.get()
    assert resumable.offset == 40
    assert partial_path(resumable).read_bytes() in (first, second)
