"""The pipeline on a real Celery worker (PostgreSQL + Redis): normal run, and a worker killed mid-job."""

import os
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from support_uploads.models import Supporter, Upload, UploadStatus
from support_uploads.services import upload_create
from tests.conftest import ARTIFACTS, ROOT

from .conftest import csv_bytes, rows_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(upload_id: int, until, timeout: float = 120.0) -> Upload:
    deadline = time.time() + timeout
    while time.time() < deadline:
        upload = Upload.objects.get(pk=upload_id)
        if until(upload):
            return upload
        time.sleep(0.05)
    raise AssertionError(f"upload {upload_id} stuck at {upload.status} {upload.progress}%")


def test_upload_validated_by_a_real_worker(celery_worker_process, pair, lo, villages):
    rows = rows_for(villages, 40)
    rows[3]["nik"] = "123"
    upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(rows)), max_bytes=10**7)
    upload = _wait(upload.pk, lambda u: u.status == UploadStatus.DONE and u.report)
    assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (40, 39, 1)
    assert upload.reason_counts == {"NIK_FORMAT": 1}


def _start_worker(queue: str, log_name: str) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CONN_MAX_AGE": "0",
        # a message left unacknowledged by a dead worker is handed out again after this many seconds
        "CELERY_VISIBILITY_TIMEOUT": "3",
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "silon", "worker", "-P", "prefork", "-c", "1", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def _kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the worker and its pool child: nothing gets to clean up
    proc.wait(timeout=10)


def test_worker_killed_mid_job_leaves_nothing_half_counted_and_a_new_worker_finishes(pair, lo, villages):
    from celery import current_app

    queue = f"silon-kill-{uuid.uuid4().hex[:8]}"
    previous_queue = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = queue
    rows = rows_for(villages, 200_000)
    rows[10]["rt"] = "x"
    first = _start_worker(queue, "celery-worker-kill-1.log")
    second = None
    try:
        upload = upload_create(
            actor=lo, pair=pair, file=SimpleUploadedFile("big.csv", csv_bytes(rows)), max_bytes=10**9
        )
        # kill inside the storing transaction (progress 65): rows are being written but not committed
        _wait(upload.pk, lambda u: u.progress >= 65 or u.is_finished, timeout=180)
        _kill_group(first)
        killed = Upload.objects.get(pk=upload.pk)
        assert killed.status == UploadStatus.RUNNING, "the job finished before the kill: make the file larger"
        assert not Supporter.objects.filter(upload_id=upload.pk).exists()
        second = _start_worker(queue, "celery-worker-kill-2.log")
        done = _wait(upload.pk, lambda u: u.status == UploadStatus.DONE and u.report, timeout=240)
        assert done.attempts == 2
        assert (done.rows_read, done.rows_accepted, done.rows_rejected) == (200_000, 199_999, 1)
        assert Supporter.objects.filter(upload_id=upload.pk).count() == 200_000
    finally:
        current_app.conf.task_default_queue = previous_queue
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=30)
