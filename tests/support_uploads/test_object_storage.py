"""Media in S3-compatible object storage (``MEDIA_STORAGE=s3``, django-storages; README "Scaling"), so that
several web and worker hosts share the supporter files and their reports. A local S3 server (moto's) stands in
for the object store: the file goes to the bucket, never to this host's MEDIA_ROOT; the worker reads it through
a temporary copy (``silon.files.local_file``), stores its report in the bucket, and the team downloads it."""

import shutil
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from silon.settings_blocks import storages_config
from support_uploads.models import Upload, UploadStatus
from support_uploads.services import upload_create

from .conftest import csv_bytes, rows_for
from .test_report import _download

MOTO = Path(sys.executable).with_name("moto_server")
pytestmark = pytest.mark.skipif(not MOTO.exists() and not shutil.which("moto_server"), reason="moto[server] missing")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def bucket(settings, tmp_path):
    """A private bucket on a local S3 server, and the default storage pointed at it."""
    import boto3

    port = _free_port()
    server = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    name = f"silon-{uuid.uuid4().hex[:8]}"
    keys = {"access_key": "test", "secret_key": "test", "region_name": "us-east-1"}
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    client.create_bucket(Bucket=name)
    settings.MEDIA_ROOT = str(tmp_path / "media-unused")
    settings.STORAGES = storages_config(
        debug=settings.DEBUG, media="s3", s3={"bucket_name": name, "endpoint_url": endpoint, **keys}
    )
    yield client, name
    server.terminate()
    server.wait(timeout=10)


def _keys(client, name: str) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=name).get("Contents", []))


@pytest.mark.django_db
def test_files_and_reports_live_in_the_shared_bucket(
    client, bucket, pair, lo, villages, django_capture_on_commit_callbacks
):
    s3, name = bucket
    rows = rows_for(villages, 30)
    rows[4]["nik"] = "123"
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(
            actor=lo, pair=pair, file=SimpleUploadedFile("dukungan.csv", csv_bytes(rows)), max_bytes=10**7
        )
    upload = Upload.objects.get(pk=upload.pk)
    assert (upload.status, upload.rows_accepted, upload.rows_rejected) == (UploadStatus.DONE, 29, 1)
    assert upload.reason_counts == {"NIK_FORMAT": 1}
    stored = _keys(s3, name)
    assert upload.file.name in stored and upload.report.name in stored, stored
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*")), "a file on this host's disk"
    with pytest.raises(NotImplementedError):
        _ = upload.file.path  # no local path: the worker read a temporary copy
    assert not any(Path(p).exists() for p in [upload.file.name, upload.report.name])
    client.force_login(lo)
    report = _download(client, reverse("support_uploads:upload_report", args=[upload.pk]))
    assert len(report) == 2 and "NIK_FORMAT" in report[1]


def test_object_storage_is_private_and_never_overwrites():
    config = storages_config(debug=False, media="s3", s3={"bucket_name": "b", "endpoint_url": "", "access_key": ""})
    options = config["default"]["OPTIONS"]
    assert config["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options == {"bucket_name": "b", "default_acl": "private", "file_overwrite": False, "querystring_auth": True}
    with pytest.raises(ValueError, match="S3_BUCKET_NAME"):
        storages_config(debug=False, media="s3", s3={"bucket_name": ""})
    with pytest.raises(ValueError, match="filesystem or s3"):
        storages_config(debug=False, media="nfs", s3={})
