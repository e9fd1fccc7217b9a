"""The lost-job sweep (issue #18): a validation whose worker was lost is queued again within about two minutes.

A running validation writes ``Upload.heartbeat_at`` (``services.heartbeat.Heartbeat``). The sweep, run by beat every
``SUPPORT_UPLOAD_SWEEP_SECONDS``, queues again an upload RUNNING whose beat is older than
``SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS``, and one QUEUED longer than ``SUPPORT_UPLOAD_QUEUED_STALE_SECONDS``
whose message is not in the broker (a Redis restart keeps nothing), except those a live worker holds and
those queued again within that bound already. The broker's visibility timeout (4 h) does not hide a lost
job: the sweep does not wait for it, and the duplicate delivery that follows it finds the upload finished
(the pipeline is idempotent per upload: ``pipeline._start`` and the DONE transaction admit one run)."""

import datetime
from collections.abc import Collection

from django.db.models import Q
from django.utils import timezone

from silon.audit import actions
from silon.audit.services import audit_record
from silon.queue import enqueue

from ..models import Upload, UploadStatus
from .pipeline import VALIDATE_TASK


def uploads_lost(
    *,
    heartbeat_stale: datetime.timedelta,
    queued_stale: datetime.timedelta,
    keep: Collection[int] = (),
    in_broker: Collection[int] = (),
) -> dict[int, str]:
    """Upload id → why it is taken for lost ("heartbeat" or "queued")."""
    now = timezone.now()
    beat_before = now - heartbeat_stale
    running = Upload.objects.filter(status=UploadStatus.RUNNING).filter(
        Q(heartbeat_at__lt=beat_before) | Q(heartbeat_at__isnull=True, started_at__lt=beat_before)
    )
    queued = Upload.objects.filter(status=UploadStatus.QUEUED, created_at__lt=now - queued_stale).exclude(
        started_at__gte=now - queued_stale  # queued again (upload_retry) lately
    )
    skip = set(keep) | set(in_broker)
    lost = {pk: "heartbeat" for pk in running.values_list("pk", flat=True) if pk not in skip}
    lost.update({pk: "queued" for pk in queued.values_list("pk", flat=True) if pk not in skip})
    return lost


def upload_requeue_lost(
    *,
    heartbeat_stale: datetime.timedelta,
    queued_stale: datetime.timedelta,
    keep: Collection[int] = (),
    in_broker: Collection[int] = (),
) -> list[int]:
    """Queue again every lost upload (``uploads_lost``), each with an audit event saying why."""
    lost = uploads_lost(heartbeat_stale=heartbeat_stale, queued_stale=queued_stale, keep=keep, in_broker=in_broker)
    for upload_id, why in sorted(lost.items()):
        audit_record(
            actor=None,
            action=actions.SUPPORT_UPLOAD_REQUEUE,
            object_type="support_uploads.upload",
            object_id=upload_id,
            after={"reason": why},
        )
        enqueue(VALIDATE_TASK, upload_id)
    return sorted(lost)
