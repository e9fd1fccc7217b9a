"""A lost job is back within two minutes (issue #18): a running validation beats (``Upload.heartbeat_at``);
the sweep (``support_uploads.requeue_lost``, beat every ``SUPPORT_UPLOAD_SWEEP_SECONDS``) queues again an
upload whose beat stopped or whose queued message the broker lost, and the run that follows counts it once.

The worker tests start real processes: a Celery worker killed with SIGKILL (every process of it) in the middle
of a validation, a fresh worker, and celery beat as docker-compose.yml runs it; a private redis-server
restarted with a queued message in it. They print the measured recovery time; the bound they assert is the
sweep's correctness (stale bound + sweep period + the run), not a performance claim."""

import datetime
import os
import signal
import subprocess
import time

import pytest
from django.conf import settings
from django.utils import timezone

from silon.audit.models import AuditEvent
from silon.queue import enqueue
from support_uploads.models import Upload, UploadStatus
from support_uploads.services import VALIDATE_TASK, upload_validate
from support_uploads.services.heartbeat import Heartbeat
from support_uploads.services.sweep import upload_requeue_lost, uploads_lost
from support_uploads.tasks import uploads_in_broker
from tests.conftest import ARTIFACTS, ROOT, python_command, worker_env
from tests.security import test_broker_restart
from tests.security.test_broker_restart import _create

from . import test_worker
from .conftest import sample_csv_write
from .test_worker import _assert_counted_once, _kill_group, _upload_file, _wait

# the fixtures of the worker and broker tests, shared
workers = test_worker.workers
private_broker = test_broker_restart.private_broker

BIG_ROWS = int(os.environ.get("SILON_LOST_JOB_ROWS", "300000"))
STALE = datetime.timedelta(seconds=90)
QUEUED = datetime.timedelta(seconds=60)


def _set(upload: Upload, **fields) -> None:
    Upload.objects.filter(pk=upload.pk).update(**fields)


@pytest.mark.django_db
def test_the_sweep_takes_a_stopped_beat_or_a_lost_message_for_lost(pair, lo, villages, monkeypatch):
    now = timezone.now()
    ago = lambda seconds: now - datetime.timedelta(seconds=seconds)  # noqa: E731
    beating, stopped, held, queued_lost, queued_waiting, young = (_create(lo, pair, villages, i) for i in range(6))
    _set(beating, status=UploadStatus.RUNNING, started_at=ago(600), heartbeat_at=ago(10))
    _set(stopped, status=UploadStatus.RUNNING, started_at=ago(600), heartbeat_at=ago(100))
    _set(held, status=UploadStatus.RUNNING, started_at=ago(600), heartbeat_at=ago(100))
    for upload in (queued_lost, queued_waiting):
        _set(upload, created_at=ago(120))
    _set(young, created_at=ago(5))
    lost = uploads_lost(heartbeat_stale=STALE, queued_stale=QUEUED, keep={held.pk}, in_broker={queued_waiting.pk})
    assert lost == {stopped.pk: "heartbeat", queued_lost.pk: "queued"}
    sent = []
    monkeypatch.setattr("support_uploads.services.sweep.enqueue", lambda name, pk: sent.append((name, pk)))
    assert upload_requeue_lost(heartbeat_stale=STALE, queued_stale=QUEUED, keep={held.pk}) == sorted(
        [stopped.pk, queued_lost.pk, queued_waiting.pk]
    )
    assert sorted(pk for _name, pk in sent) == sorted([stopped.pk, queued_lost.pk, queued_waiting.pk])
    requeued = AuditEvent.objects.filter(action="support.upload.requeue", object_id=str(stopped.pk)).get()
    assert requeued.after == {"reason": "heartbeat"}


@pytest.mark.django_db
def test_the_sweep_runs_well_within_two_minutes_and_beat_starts_it():
    entry = settings.CELERY_BEAT_SCHEDULE["support-uploads-requeue-lost"]
    assert entry["task"] == "support_uploads.requeue_lost"
    bound = settings.SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS + entry["schedule"]
    assert bound <= 120, "a worker lost just after a beat: its upload is queued again within two minutes"
    assert settings.SUPPORT_UPLOAD_HEARTBEAT_SECONDS * 3 <= settings.SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "celery -A silon beat" in compose


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_heartbeat_thread_beats_in_its_own_transactions(pair, lo, villages):
    upload = _create(lo, pair, villages)
    _set(upload, status=UploadStatus.RUNNING, heartbeat_at=None)
    with Heartbeat(upload.pk, every=0.2):
        deadline = time.time() + 10
        while Upload.objects.get(pk=upload.pk).heartbeat_at is None and time.time() < deadline:
            time.sleep(0.05)
        first = Upload.objects.get(pk=upload.pk).heartbeat_at
        time.sleep(0.6)
        assert first is not None and Upload.objects.get(pk=upload.pk).heartbeat_at > first
    stopped_at = Upload.objects.get(pk=upload.pk).heartbeat_at
    time.sleep(0.5)
    assert Upload.objects.get(pk=upload.pk).heartbeat_at == stopped_at  # stops with its block


@pytest.mark.django_db
def test_a_second_delivery_of_a_finished_upload_changes_nothing(pair, lo, villages, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload = _create(lo, pair, villages)
    done = Upload.objects.get(pk=upload.pk)
    assert done.status == UploadStatus.DONE and done.attempts == 1
    upload_validate(upload_id=upload.pk)  # the message the broker hands out again after its visibility timeout
    again = Upload.objects.get(pk=upload.pk)
    assert (again.status, again.attempts, again.rows_accepted) == (UploadStatus.DONE, 1, done.rows_accepted)
    assert AuditEvent.objects.filter(action="support.upload.validated", object_id=str(upload.pk)).count() == 1


def _start_beat(tmp_path, queue: str, log_name: str, **extra: str) -> subprocess.Popen:
    """celery beat as docker-compose.yml runs it, sending to the test's queue."""
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = worker_env(DATABASE_URL=url, CELERY_TASK_DEFAULT_QUEUE=queue, CONN_MAX_AGE="0", **extra)
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / log_name, "w")  # noqa: SIM115
    return subprocess.Popen(
        [*python_command(), "-m", "celery", "-A", "silon", "beat", "-l", "info", "--max-interval", "1",
         "--schedule", str(tmp_path / "celerybeat-schedule")],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _kill_group(proc)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_validation_is_replaced_and_the_upload_counted_once(pair, lo, villages, workers, tmp_path):
    """The broker keeps the dead worker's message unacknowledged for its 4-hour visibility timeout; the
    heartbeat sweep does not wait for it. The later duplicate delivery changes nothing."""
    path = sample_csv_write(tmp_path / "besar.csv", villages, BIG_ROWS, bad_rt=(10, BIG_ROWS - 1))
    four_hours = {"CELERY_VISIBILITY_TIMEOUT": str(4 * 3600)}
    first = workers.start("celery-worker-lost-1.log", **four_hours)
    upload = _upload_file(lo, pair, path)
    _wait(upload.pk, lambda u: (u.status == UploadStatus.RUNNING and u.heartbeat_at) or u.is_finished, timeout=120)
    _kill_group(first)
    killed_at, killed_wall = time.monotonic(), timezone.now()
    assert Upload.objects.get(pk=upload.pk).status == UploadStatus.RUNNING, "finished before the kill"
    workers.start("celery-worker-lost-2.log", **four_hours)
    beat = _start_beat(tmp_path, workers.queue, "celery-beat-lost.log")
    try:
        bound = settings.SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS + settings.SUPPORT_UPLOAD_SWEEP_SECONDS + 90
        done = _wait(upload.pk, lambda u: u.status == UploadStatus.DONE and u.report, timeout=bound)
    finally:
        _stop(beat)
    recovery = time.monotonic() - killed_at
    requeue = AuditEvent.objects.filter(action="support.upload.requeue", object_id=str(upload.pk))
    requeued = (requeue.get().created_at - killed_wall).total_seconds()
    print(f"\nworker SIGKILLed mid-validation ({BIG_ROWS:,} rows): queued again {requeued:.1f} s and counted "
          f"{recovery:.1f} s after the kill")  # fmt: skip
    (ARTIFACTS / "lost-job-recovery.txt").write_text(f"requeued {requeued:.1f} s, counted {recovery:.1f} s\n")
    assert requeued <= 120 + 15, "queued again within two minutes (the stale bound + one sweep period), slack 15 s"
    assert done.attempts == 2
    _assert_counted_once(done, BIG_ROWS, rejected=2)
    assert [event.after for event in requeue] == [{"reason": "heartbeat"}]
    enqueue(VALIDATE_TASK, upload.pk)  # what the broker redelivers once the visibility timeout passes
    time.sleep(3)
    again = Upload.objects.get(pk=upload.pk)
    assert again.attempts == 2
    _assert_counted_once(again, BIG_ROWS, rejected=2)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_redis_restarted_with_a_queued_message_lost_the_upload_finishes(
    pair,
    lo,
    villages,
    tmp_path,
    private_broker,
):
    upload = _create(lo, pair, villages)  # queued on commit; no worker consumes this queue yet
    assert private_broker.client().llen(private_broker.queue) == 1
    assert uploads_in_broker() == {upload.pk}  # what the sweep reads: the message is there
    private_broker.kill()
    private_broker.start()  # same port, empty: the message is gone, the database still says QUEUED
    restarted_at = time.monotonic()
    assert uploads_in_broker() == set()  # gone: the database still says QUEUED
    private_broker.start_worker("celery-worker-lost-queued.log")
    beat = _start_beat(
        tmp_path, private_broker.queue, "celery-beat-lost-queued.log", CELERY_BROKER_URL=private_broker.url
    )
    try:
        bound = settings.SUPPORT_UPLOAD_QUEUED_STALE_SECONDS + settings.SUPPORT_UPLOAD_SWEEP_SECONDS + 60
        done = _wait(upload.pk, lambda u: u.status == UploadStatus.DONE and u.report, timeout=bound)
    finally:
        _stop(beat)
    print(f"\nqueued message lost in a Redis restart: counted {time.monotonic() - restarted_at:.1f} s after it")
    assert done.attempts == 1 and (done.rows_read, done.rows_rejected) == (2000, 1)
    requeue = AuditEvent.objects.filter(action="support.upload.requeue", object_id=str(upload.pk))
    assert [event.after for event in requeue] == [{"reason": "queued"}]
