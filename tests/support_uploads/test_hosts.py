"""Two worker hosts (#19 "several hosts", #18 "kill the worker host"): two Celery workers, each in a network
namespace of its own (``hosts.WorkerHost``), against one PostgreSQL and one broker. Twenty uploads are queued at
once; both hosts take work; one host is killed (every process at once) in the middle of a validation; the other
finishes everything, each upload counted exactly once. The sweep's bounds are shortened for the test (a
heartbeat every second, stale after 8 s, a sweep every 2 s) so that it takes a minute, not three; the default
bounds have their own test in ``test_lost_jobs.py``."""

import os
import time
import uuid

import pytest
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from silon.audit.models import AuditEvent
from support_uploads.models import Supporter, Upload, UploadStatus
from support_uploads.services import upload_create
from support_uploads.tasks import upload_validate_task

from .conftest import csv_bytes, rows_for
from .hosts import WorkerHost, can_make_hosts
from .test_lost_jobs import _start_beat, _stop

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not can_make_hosts(), reason="needs root to create network namespaces (ip netns)"),
]

UPLOADS = 20
ROWS = int(os.environ.get("SILON_HOSTS_TEST_ROWS", "4000"))
FAST = {
    "SUPPORT_UPLOAD_HEARTBEAT_SECONDS": "1",
    "SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS": "8",
    "SUPPORT_UPLOAD_QUEUED_STALE_SECONDS": "8",
    "SUPPORT_UPLOAD_SWEEP_SECONDS": "2",
    # a dead host's unacknowledged message stays hidden for 4 h: the sweep, not the broker, brings it back
    "CELERY_VISIBILITY_TIMEOUT": str(4 * 3600),
}


@pytest.fixture
def two_hosts():
    queue = f"silon-hosts-{uuid.uuid4().hex[:8]}"
    previous = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = queue
    hosts: list[WorkerHost] = []
    try:
        for number in (1, 2):
            hosts.append(WorkerHost(number, queue, f"celery-host-{number}.log", **FAST))
        yield queue, hosts
    finally:
        current_app.conf.task_default_queue = previous
        for host in hosts:
            host.remove()


def _running_on(hosts: list[WorkerHost]) -> dict[str, int]:
    """Host name → the upload its worker is validating now (Celery's remote control, over the broker)."""
    active = current_app.control.inspect(timeout=1, destination=[h.hostname for h in hosts]).active() or {}
    running = {}
    for hostname, tasks in active.items():
        for task in tasks:
            if task.get("name") == upload_validate_task.name and task.get("args"):
                running[hostname] = int(task["args"][0])
    return running


def _validations_finished(host: WorkerHost) -> int:
    """How many validations the host's worker finished, from its log (Celery's "Task … succeeded" lines)."""
    lines = host.log_path.read_text().splitlines()
    return sum(f"Task {upload_validate_task.name}[" in line and "succeeded" in line for line in lines)


def _finished(ids: list[int]) -> int:
    return Upload.objects.filter(pk__in=ids, status=UploadStatus.DONE).exclude(report="").count()


def test_two_hosts_share_twenty_uploads_and_one_finishes_them_all_when_the_other_dies(
    pair, lo, villages, tmp_path, two_hosts
):
    queue, (first, second) = two_hosts
    beat = _start_beat(tmp_path, queue, "celery-beat-hosts.log", **FAST)
    try:
        ids = []
        for i in range(UPLOADS):
            rows = rows_for(villages, ROWS, start=i * ROWS)
            rows[5]["nik"] = "123"  # one refused row each: the counts below are exact, not totals
            file = SimpleUploadedFile(f"dukungan-{i}.csv", csv_bytes(rows))
            ids.append(upload_create(actor=lo, pair=pair, file=file, max_bytes=10**8).pk)
        # both hosts at work, each with a validation running, and some uploads already counted
        deadline, running = time.time() + 180, {}
        while time.time() < deadline:
            running = _running_on([first, second])
            if len(running) == 2 and _finished(ids) >= 2:
                break
            time.sleep(0.2)
        assert set(running) == {first.hostname, second.hostname}, f"not both hosts took work: {running}"
        lost = running[first.hostname]
        first.kill()
        killed_at = time.monotonic()
        assert Upload.objects.get(pk=lost).status == UploadStatus.RUNNING, "finished before the kill"
        deadline = time.time() + 300
        while _finished(ids) < UPLOADS and time.time() < deadline:
            time.sleep(0.25)
        recovery = time.monotonic() - killed_at
    finally:
        _stop(beat)
    assert _finished(ids) == UPLOADS, {u.pk: (u.status, u.progress) for u in Upload.objects.filter(pk__in=ids)}
    for upload in Upload.objects.filter(pk__in=ids):
        assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (ROWS, ROWS - 1, 1), upload.pk
        assert upload.reason_counts == {"NIK_FORMAT": 1}
        stored = Supporter.objects.filter(upload_id=upload.pk)
        assert stored.count() == ROWS
        assert not stored.values("sheet", "row_number").annotate(n=Count("id")).filter(n__gt=1).exists()
        validated = AuditEvent.objects.filter(action="support.upload.validated", object_id=str(upload.pk))
        assert validated.count() == 1, upload.pk
    requeued = AuditEvent.objects.filter(action="support.upload.requeue", object_id=str(lost))
    assert {"reason": "heartbeat"} in [event.after for event in requeued]
    assert Upload.objects.get(pk=lost).attempts == 2
    done_by = {h.hostname: _validations_finished(h) for h in (first, second)}
    print(f"\ntwo hosts, {UPLOADS} uploads of {ROWS:,} rows: validations finished per host {done_by}; host 1 killed "
          f"while validating upload {lost}; all counted {recovery:.1f} s after the kill")  # fmt: skip
    assert done_by[first.hostname] >= 1 and done_by[second.hostname] >= 1
