"""Redis restarted during work: no upload is lost.

Our Redis keeps nothing on disk, so a restart loses every queued message. The database is the source of
truth: the periodic sweep (``support_uploads.requeue_stale``, celery beat) queues again every upload still
QUEUED or RUNNING after ``SUPPORT_UPLOAD_STALE_MINUTES`` that no live worker holds.

The worker tests run a private ``redis-server`` (no snapshot, no append-only file, as in production) as the
broker of this process and of a real Celery worker, kill it with SIGKILL while an upload is queued, and
while one is being validated, start it again on the same port, and check that each upload is validated
exactly once with exact counts.
"""

import datetime
import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import current_app
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from silon.audit.models import AuditEvent
from support_uploads import tasks
from support_uploads.models import Supporter, Upload, UploadStatus
from support_uploads.services import upload_create
from support_uploads.tasks import upload_requeue_stale_task
from tests.conftest import ARTIFACTS
from tests.support_uploads.conftest import csv_bytes, rows_for, sample_csv_write
from tests.support_uploads.test_worker import _kill_group, _start_worker, _upload_file, _wait

ROWS = 2_000
RUNNING_ROWS = 200_000  # long enough to kill the broker while the worker validates it
REDIS_SERVER = "/usr/bin/redis-server"


def _create(lo, pair, villages, start: int = 0) -> Upload:
    rows = rows_for(villages, ROWS, start=start)
    rows[7]["nik"] = "123"  # one refused row: the counts below are exact, not just totals
    return upload_create(actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(rows)), max_bytes=10**7)


def _age(upload: Upload, minutes: int) -> None:
    """Time passes: the upload was created ``minutes`` ago."""
    Upload.objects.filter(pk=upload.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_the_sweep_runs_every_few_minutes_and_outlasts_no_live_task():
    entry = settings.CELERY_BEAT_SCHEDULE["support-uploads-requeue-stale"]
    assert entry["task"] == upload_requeue_stale_task.name
    assert entry["schedule"] < settings.SUPPORT_UPLOAD_STALE_MINUTES * 60


@pytest.mark.django_db  # on-commit callbacks do not run in this test's transaction: nothing gets validated
def test_the_sweep_leaves_alone_uploads_a_live_worker_holds(pair, lo, villages, monkeypatch, settings):
    settings.SUPPORT_UPLOAD_STALE_MINUTES = 30
    held = _create(lo, pair, villages)
    lost = _create(lo, pair, villages)
    for upload in (held, lost):
        _age(upload, 60)
    monkeypatch.setattr(tasks, "uploads_held_by_workers", lambda: {held.pk})
    sent = []
    monkeypatch.setattr(tasks.upload_validate_task, "delay", lambda upload_id: sent.append(upload_id))
    assert upload_requeue_stale_task() == [lost.pk]
    # queued again lately (audited): the next runs leave it alone for SUPPORT_UPLOAD_STALE_MINUTES
    assert upload_requeue_stale_task() == []
    assert sent == [lost.pk]
    young = _create(lo, pair, villages)
    _age(young, 10)
    assert upload_requeue_stale_task() == []  # 10 minutes is not stuck yet
    assert Upload.objects.get(pk=young.pk).status == UploadStatus.QUEUED


class PrivateRedis:
    """A ``redis-server`` of this test alone, started and killed at will on one port."""

    def __init__(self, directory: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        log = open(ARTIFACTS / f"redis-restart-{self.port}-{self.starts}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown save (there is none to make), every connection cut, every key gone."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def client(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1)


def _use_broker(url: str) -> None:
    """Point this process's Celery app at ``url``, dropping its pooled connections (as after a fork)."""
    current_app.conf.broker_url = url
    current_app._pool = None
    current_app.amqp._producer_pool = None


@pytest.fixture
def private_broker(tmp_path, settings):
    if not Path(REDIS_SERVER).exists():
        pytest.fail(f"{REDIS_SERVER} is needed (apt-get install redis-server)")
    ARTIFACTS.mkdir(exist_ok=True)
    server = PrivateRedis(tmp_path)
    server.start()
    queue = f"silon-restart-{uuid.uuid4().hex[:8]}"
    previous = (current_app.conf.broker_url, current_app.conf.task_default_queue)
    _use_broker(server.url)
    current_app.conf.task_default_queue = queue
    workers: list = []
    server.queue = queue
    server.start_worker = lambda log_name: workers.append(
        _start_worker(queue, log_name, CELERY_BROKER_URL=server.url, CELERY_VISIBILITY_TIMEOUT=str(4 * 3600))
    )
    yield server
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                _kill_group(worker)
    _use_broker(previous[0])
    current_app.conf.task_default_queue = previous[1]
    if server.proc is not None and server.proc.poll() is None:
        server.kill()


def _assert_validated_once(upload_id: int, rows: int, rejected: int) -> Upload:
    done = _wait(upload_id, lambda u: u.status == UploadStatus.DONE and u.report, timeout=180)
    assert done.attempts == 1  # validated once: no second run, no lost one
    assert (done.rows_read, done.rows_accepted, done.rows_rejected) == (rows, rows - rejected, rejected)
    assert Supporter.objects.filter(upload_id=upload_id).count() == rows
    validated = AuditEvent.objects.filter(action="support.upload.validated", object_id=str(upload_id))
    assert validated.count() == 1
    return done


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_redis_killed_while_an_upload_is_queued_the_sweep_queues_it_again(pair, lo, villages, settings, private_broker):
    settings.SUPPORT_UPLOAD_STALE_MINUTES = 30
    upload = _create(lo, pair, villages)  # queued on commit; no worker consumes this queue yet
    assert private_broker.client().llen(private_broker.queue) == 1
    private_broker.kill()
    private_broker.start()  # same port, empty: the message is gone, the database still says QUEUED
    assert private_broker.client().llen(private_broker.queue) == 0
    assert Upload.objects.get(pk=upload.pk).status == UploadStatus.QUEUED
    private_broker.start_worker("celery-worker-restart-queued.log")
    _age(upload, 45)
    # what beat runs every few minutes: its own broker connection finds the restarted server
    assert upload_requeue_stale_task.apply().get() == [upload.pk]
    _assert_validated_once(upload.pk, ROWS, 1)
    assert upload_requeue_stale_task.apply().get() == []  # a later run (beat fires again) adds nothing
    _age(upload, 120)
    assert upload_requeue_stale_task(minutes=0) == []  # finished: nothing left to sweep


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_redis_killed_while_an_upload_is_validated_it_completes_once_and_the_worker_goes_on(
    pair, lo, villages, settings, tmp_path, private_broker
):
    settings.SUPPORT_UPLOAD_STALE_MINUTES = 30
    private_broker.start_worker("celery-worker-restart-running.log")
    path = sample_csv_write(tmp_path / "besar.csv", villages, RUNNING_ROWS, bad_rt=(5,))
    upload = _upload_file(lo, pair, path)
    _wait(upload.pk, lambda u: u.status == UploadStatus.RUNNING or u.is_finished, timeout=120)
    private_broker.kill()  # the worker holds the message unacknowledged (acks_late); the broker forgets it
    assert Upload.objects.get(pk=upload.pk).status == UploadStatus.RUNNING, "finished before the broker died"
    time.sleep(1)
    private_broker.start()
    _assert_validated_once(upload.pk, RUNNING_ROWS, 1)
    _age(upload, 120)
    assert upload_requeue_stale_task(minutes=0) == []  # nothing was lost, nothing to queue again
    # the worker reconnected to the restarted broker: the next upload goes through as usual
    after = _create(lo, pair, villages, start=RUNNING_ROWS)  # other supporters: no duplicates
    _assert_validated_once(after.pk, ROWS, 1)
