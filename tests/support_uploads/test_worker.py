"""The pipeline on a real Celery worker (PostgreSQL + Redis): a normal run; a 1,000,000-row upload whose
worker is killed twice (while reading/checking, and inside the storing transaction) and that still ends
counted exactly once; and an upload whose every run dies, which ends FAILED with a message and is then
checked again at the LO's request.

``SILON_KILL_TEST_ROWS`` lowers the big file's size for a quick local run; CI uses the default, a million."""

import os
import signal
import subprocess
import time
import uuid

import pytest
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from silon.audit.models import AuditEvent
from support_uploads.models import Supporter, Upload, UploadPhase, UploadStatus
from support_uploads.services import upload_create, upload_retry
from tests.conftest import ARTIFACTS, ROOT, python_command, worker_env

from .conftest import csv_bytes, rows_for, sample_csv_write

KILL_TEST_ROWS = int(os.environ.get("SILON_KILL_TEST_ROWS", "1000000"))
RETRY_TEST_ROWS = 300_000

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


def _start_worker(queue: str, log_name: str, **extra_env: str) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {
        **worker_env(),
        "DATABASE_URL": url,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CONN_MAX_AGE": "0",
        # a message left unacknowledged by a dead worker is handed out again after this many seconds
        "CELERY_VISIBILITY_TIMEOUT": "3",
        **extra_env,
    }
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{log_name}", "w")  # noqa: SIM115
    return subprocess.Popen(
        [*python_command(), "-m", "celery", "-A", "silon", "worker", "-P", "prefork", "-c", "1", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def _kill_group(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGKILL)  # the worker and its pool child: nothing gets to clean up
    proc.wait(timeout=10)


@pytest.fixture
def workers():
    """Start workers on a queue private to the test (``workers.start(log_name, **env)``); all are stopped
    afterwards and the default queue is restored."""
    from celery import current_app

    class Workers:
        queue = f"silon-kill-{uuid.uuid4().hex[:8]}"
        started: list[subprocess.Popen] = []

        def start(self, log_name: str, **env: str) -> subprocess.Popen:
            proc = _start_worker(self.queue, log_name, **env)
            self.started.append(proc)
            return proc

    pool = Workers()
    previous_queue = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = pool.queue
    yield pool
    current_app.conf.task_default_queue = previous_queue
    for proc in pool.started:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def _upload_file(lo, pair, path) -> Upload:
    with open(path, "rb") as fh:
        return upload_create(actor=lo, pair=pair, file=File(fh, name="besar.csv"), max_bytes=10**10)


def _assert_nothing_counted(upload_id: int) -> Upload:
    upload = Upload.objects.get(pk=upload_id)
    assert upload.status == UploadStatus.RUNNING, f"the run finished before the kill ({upload.status})"
    assert not Supporter.objects.filter(upload_id=upload_id).exists()
    assert not AuditEvent.objects.filter(action="support.upload.validated", object_id=str(upload_id)).exists()
    return upload


def _assert_counted_once(upload: Upload, rows: int, rejected: int) -> None:
    assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (rows, rows - rejected, rejected)
    assert upload.reason_counts == {"RT_INVALID": rejected}
    stored = Supporter.objects.filter(upload_id=upload.pk)
    assert stored.count() == rows
    # no file row stored twice: (sheet, row number) is unique within the upload
    assert not stored.values("sheet", "row_number").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert stored.filter(status="accepted").count() == rows - rejected
    validated = AuditEvent.objects.filter(action="support.upload.validated", object_id=str(upload.pk))
    assert validated.count() == 1


def test_worker_killed_twice_in_a_million_row_upload_still_counts_every_row_exactly_once(
    pair, lo, villages, workers, tmp_path
):
    started = time.perf_counter()
    path = sample_csv_write(tmp_path / "besar.csv", villages, KILL_TEST_ROWS, bad_rt=(10, KILL_TEST_ROWS - 1))
    upload = _upload_file(lo, pair, path)

    # kill 1: the file is read, the row rules run (no transaction open yet)
    first = workers.start("celery-worker-kill-1.log")
    _wait(upload.pk, lambda u: u.progress >= 45 or u.is_finished, timeout=120)
    _kill_group(first)
    killed = _assert_nothing_counted(upload.pk)
    assert killed.attempts == 1
    assert killed.phase == UploadPhase.CHECKING, f"killed in phase {killed.phase}, not while checking"

    # kill 2: inside the storing transaction (duplicate check, COPY of the rows, DONE): rolled back whole
    second = workers.start("celery-worker-kill-2.log")
    _wait(upload.pk, lambda u: (u.attempts == 2 and u.progress >= 65) or u.is_finished, timeout=120)
    _kill_group(second)
    killed = _assert_nothing_counted(upload.pk)
    assert (killed.attempts, killed.phase) == (2, UploadPhase.STORING)

    # a third worker receives the message again (acks_late) and finishes: every row counted once
    workers.start("celery-worker-kill-3.log")
    done = _wait(upload.pk, lambda u: u.status == UploadStatus.DONE and u.report, timeout=180)
    assert done.attempts == 3
    _assert_counted_once(done, KILL_TEST_ROWS, rejected=2)
    print(f"\n{KILL_TEST_ROWS:,} rows, two kills: {time.perf_counter() - started:.1f} s")


def test_an_upload_whose_runs_all_die_fails_with_a_message_and_the_lo_has_it_checked_again(
    pair, lo, villages, workers, tmp_path
):
    path = sample_csv_write(tmp_path / "ulang.csv", villages, RETRY_TEST_ROWS, bad_rt=(3,))
    upload = _upload_file(lo, pair, path)
    # one unfinished run allowed: the next delivery of the message gives up instead of trying again
    first = workers.start("celery-worker-retry-1.log", SUPPORT_UPLOAD_MAX_ATTEMPTS="1")
    _wait(upload.pk, lambda u: u.progress >= 45 or u.is_finished, timeout=120)
    _kill_group(first)
    _assert_nothing_counted(upload.pk)
    workers.start("celery-worker-retry-2.log", SUPPORT_UPLOAD_MAX_ATTEMPTS="1")
    failed = _wait(upload.pk, lambda u: u.is_finished, timeout=120)
    assert failed.status == UploadStatus.FAILED
    assert failed.error_code == "WORKER_LOST" and failed.is_retryable
    assert "gangguan server" in failed.error_text and "diperiksa ulang" in failed.error_text
    assert failed.rows_accepted == 0 and not Supporter.objects.filter(upload_id=upload.pk).exists()
    assert AuditEvent.objects.filter(action="support.upload.failed", object_id=str(upload.pk)).count() == 1

    retried = upload_retry(actor=lo, upload=failed)  # queued again on commit, to the running worker
    assert retried.status == UploadStatus.QUEUED and retried.attempts == 0
    event = AuditEvent.objects.get(action="support.upload.retry", object_id=str(upload.pk))
    assert event.actor_id == lo.pk
    done = _wait(upload.pk, lambda u: u.status == UploadStatus.DONE and u.report, timeout=120)
    assert done.attempts == 1 and done.error_code == "" and done.error_text == ""
    _assert_counted_once(done, RETRY_TEST_ROWS, rejected=1)
