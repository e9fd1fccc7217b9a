"""Redis restarted during work: no upload is lost.

Our Redis keeps nothing on disk, so a restart loses every queued message. The database is the source of
truth: the periodic sweep (``support_uploads.requeue_stale``, celery beat) queues again every upload still
QUEUED or RUNNING after ``SUPPORT_UPLOAD_STALE_MINUTES`` that no live worker holds. The worker test
enqueues an upload, loses its message the way a restart does, runs the sweep, and checks that the upload
is validated exactly once with exact counts.
"""

import datetime
import os
import signal
import uuid

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
from tests.support_uploads.conftest import csv_bytes, rows_for
from tests.support_uploads.test_worker import _start_worker, _wait

ROWS = 2_000


def _create(lo, pair, villages) -> Upload:
    rows = rows_for(villages, ROWS)
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


def _restart_redis_db() -> None:
    """What a restart of our Redis (nothing on disk) does to this test's database number: every key is gone
    (queued messages, kombu's queue bindings, the cache) and every client connection is dropped, so the
    worker and this process reconnect and declare their queues again. Only clients of this database are cut;
    the shared server itself keeps running."""
    admin = redis.Redis.from_url(settings.REDIS_URL)
    db = str(admin.connection_pool.connection_kwargs.get("db", 0))
    admin.flushdb()
    me = admin.client_id()
    for client in admin.client_list():
        if client["db"] == db and int(client["id"]) != me:
            admin.client_kill_filter(_id=client["id"])
    admin.close()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_upload_whose_message_a_redis_restart_lost_is_validated_exactly_once(pair, lo, villages, settings):
    settings.SUPPORT_UPLOAD_STALE_MINUTES = 30
    queue = f"silon-restart-{uuid.uuid4().hex[:8]}"
    previous_queue = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = queue
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    worker = None
    try:
        upload = _create(lo, pair, villages)  # queued on commit; no worker consumes this queue yet
        assert broker.llen(queue) == 1
        _restart_redis_db()
        assert broker.llen(queue) == 0  # the message is gone; the database still says QUEUED
        assert Upload.objects.get(pk=upload.pk).status == UploadStatus.QUEUED
        _age(upload, 45)
        assert upload_requeue_stale_task() == [upload.pk]
        assert upload_requeue_stale_task() == []  # a second run (beat fires again) adds nothing
        assert broker.llen(queue) == 1
        worker = _start_worker(queue, "celery-worker-restart.log")
        done = _wait(upload.pk, lambda u: u.status == UploadStatus.DONE and u.report, timeout=180)
        assert done.attempts == 1  # validated once: only the re-sent message existed
        assert (done.rows_read, done.rows_accepted, done.rows_rejected) == (ROWS, ROWS - 1, 1)
        assert Supporter.objects.filter(upload_id=upload.pk).count() == ROWS
        validated = AuditEvent.objects.filter(action="support.upload.validated", object_id=str(upload.pk))
        assert validated.count() == 1
        _age(upload, 120)
        assert upload_requeue_stale_task(minutes=0) == []  # finished: nothing left to sweep
    finally:
        current_app.conf.task_default_queue = previous_queue
        broker.delete(queue)
        broker.close()
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)
