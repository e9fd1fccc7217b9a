"""Celery tasks of independent support. They take ids, call one service and can run twice without harm."""

import base64
import json
from datetime import timedelta

from celery import Task, current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext_noop

from .selectors import uploads_requeued_since
from .services import (
    DPT_IMPORT_TASK,
    VALIDATE_TASK,
    dpt_import_fail,
    dpt_import_run,
    upload_fail_fault,
    upload_requeue_stale,
    upload_validate,
)
from .services.resumable import resumable_expire
from .services.sweep import upload_requeue_lost


class UploadValidateTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """The task gave up (database errors past ``max_retries``, or any crash): the upload must not stay
        RUNNING for ever. It ends FAILED with a retryable fault; nothing of it was counted."""
        code = "TIMEOUT" if isinstance(exc, SoftTimeLimitExceeded) else "SERVER_ERROR"
        upload_fail_fault(upload_id=int(args[0]), code=code)


@shared_task(
    name=VALIDATE_TASK,  # the name it always had; services queue it by this name (``silon.queue``)
    base=UploadValidateTask,
    acks_late=True,  # a worker killed mid-job leaves the message unacknowledged: it is delivered again
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
)
def upload_validate_task(upload_id: int) -> None:
    # CELERY_TASK_SOFT_TIME_LIMIT raises SoftTimeLimitExceeded in here (on_failure: TIMEOUT); the hard limit
    # kills the pool process, the message is delivered again and counts as one more attempt
    upload_validate(upload_id=upload_id)


def uploads_held_by_workers(timeout: float = 1.0) -> set[int]:
    """Ids of the uploads whose validation a live worker is running, has reserved or scheduled (asked over
    Celery's remote control); empty when no worker answers, or when tasks run in-process (no broker)."""
    if current_app.conf.task_always_eager:
        return set()
    # A connection of its own, not the pool's: after a Redis restart a pooled one is dead until used once.
    with current_app.connection_for_write() as connection:
        inspect = current_app.control.inspect(timeout=timeout, connection=connection)
        replies = (inspect.active(), inspect.reserved(), inspect.scheduled())
    held: set[int] = set()
    for reply in replies:
        for tasks in (reply or {}).values():
            for task in tasks:
                task = task.get("request", task)  # scheduled() wraps the request
                if task.get("name") == upload_validate_task.name and task.get("args"):
                    held.add(int(task["args"][0]))
    return held


@shared_task(name="support_uploads.requeue_stale")
def upload_requeue_stale_task(minutes: int | None = None) -> list[int]:
    """Periodic (celery beat). The database, not the broker, is the source of truth for uploads: our Redis
    keeps nothing on disk, so a restart loses every queued message, and a lost worker host its reserved
    ones. An upload still QUEUED or RUNNING after ``SUPPORT_UPLOAD_STALE_MINUTES`` that no live worker holds
    is queued again, at most once per that period. Idempotent, as the validation task is."""
    older_than = timedelta(minutes=settings.SUPPORT_UPLOAD_STALE_MINUTES if minutes is None else minutes)
    keep = uploads_held_by_workers() | uploads_requeued_since(timezone.now() - older_than)
    return upload_requeue_stale(older_than=older_than, keep=keep)


def uploads_in_broker() -> set[int]:
    """Ids of the uploads whose validation message waits in the broker's queue (Redis: the queue's lists,
    priority lists included); empty when tasks run in-process or the broker is not Redis."""
    if current_app.conf.task_always_eager:
        return set()
    found: set[int] = set()
    with current_app.connection_for_write() as connection:
        channel = connection.default_channel
        client = getattr(channel, "client", None)
        if client is None:
            return found
        queue = current_app.conf.task_default_queue
        for key in client.scan_iter(match=f"{queue}*", count=100):
            if key.decode() != queue and not key.decode().startswith(f"{queue}\x06\x16"):
                continue
            for raw in client.lrange(key, 0, -1):
                upload_id = _message_upload(raw)
                if upload_id is not None:
                    found.add(upload_id)
    return found


def _message_upload(raw: bytes) -> int | None:
    try:
        message = json.loads(raw)
        if message.get("headers", {}).get("task") != VALIDATE_TASK:
            return None
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        args = json.loads(body)[0]
        return int(args[0])
    except (ValueError, KeyError, IndexError, TypeError):
        return None


@shared_task(name="support_uploads.requeue_lost")
def upload_requeue_lost_task() -> list[int]:
    """Periodic (beat, every ``SUPPORT_UPLOAD_SWEEP_SECONDS``): a validation whose heartbeat stopped, or a
    queued upload whose message is gone from the broker, is queued again (``services.sweep``)."""
    keep = uploads_held_by_workers()
    in_broker = uploads_in_broker()
    queued_stale = timedelta(seconds=settings.SUPPORT_UPLOAD_QUEUED_STALE_SECONDS)
    heartbeat_stale = timedelta(seconds=settings.SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS)
    keep |= uploads_requeued_since(timezone.now() - min(queued_stale, heartbeat_stale))
    return upload_requeue_lost(
        heartbeat_stale=heartbeat_stale, queued_stale=queued_stale, keep=keep, in_broker=in_broker
    )


@shared_task(name="support_uploads.resumable_expire")
def resumable_expire_task() -> int:
    """Periodic (beat, every 15 minutes): unfinished resumable uploads past their expiry are removed."""
    return resumable_expire()


class DptImportTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:
        """The import gave up: it ends FAILED (its partial entries deleted), the active version stays."""
        dpt_import_fail(
            version_id=int(args[0]), message=str(gettext_noop("Pemuatan DPT gagal karena gangguan server."))
        )


@shared_task(
    name=DPT_IMPORT_TASK,
    base=DptImportTask,
    acks_late=True,  # a killed worker's import is delivered again and starts again from its file
    reject_on_worker_lost=True,
)
def dpt_import_task(version_id: int) -> None:
    dpt_import_run(version_id=version_id)
