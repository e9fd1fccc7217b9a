"""The running validation's heartbeat (issue #18): ``Upload.heartbeat_at`` written every
``SUPPORT_UPLOAD_HEARTBEAT_SECONDS`` by a small thread, in its own short transaction on its own database
connection, so that it goes on during the long phases (the read in a child process, the row rules). The
sweep (``services.sweep``) takes an upload whose beat stopped for a lost one.

On SQLite (the embedded default, tasks in-process) no thread is started: one writer at a time, and the
progress writes beat instead. During the storing transaction the upload's row is locked: the thread's
write waits for the commit; the sweep leaves alone an upload a live worker holds, so a long store is not
taken for lost."""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, connection, connections
from django.utils import timezone

from ..models import Upload, UploadStatus

log = logging.getLogger(__name__)


def beat(upload_id: int) -> None:
    Upload.objects.filter(pk=upload_id, status=UploadStatus.RUNNING).update(heartbeat_at=timezone.now())


class Heartbeat:
    """``with Heartbeat(upload_id):`` beats until the block ends."""

    def __init__(self, upload_id: int, every: float | None = None) -> None:
        self.upload_id = upload_id
        self.every = float(settings.SUPPORT_UPLOAD_HEARTBEAT_SECONDS if every is None else every)
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def _run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    beat(self.upload_id)
                except DatabaseError:  # the next beat tries again; a lost database is the sweep's to notice
                    log.warning("heartbeat of upload %s not written", self.upload_id, exc_info=True)
                    connections["default"].close()
        finally:
            connections["default"].close()  # this thread's own connection

    def __enter__(self) -> "Heartbeat":
        if connection.vendor != "sqlite" and self.every > 0:
            self.thread = threading.Thread(target=self._run, name=f"heartbeat-{self.upload_id}", daemon=True)
            self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=self.every + 30)
