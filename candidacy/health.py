"""The health checks the periodic probe runs (issue #18): can the database answer, the broker take a
message, the storage take a file? Each returns the name of what failed, or nothing. No writes of records:
the probe's row is written by ``services.outages.health_probe_record``."""

import uuid
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, connection
from kombu.exceptions import OperationalError as KombuOperationalError


def database_fails() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False


def broker_fails() -> bool:
    if current_app.conf.task_always_eager:
        return False  # tasks run in-process: there is no broker to lose
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
    except (OSError, KombuOperationalError):
        return True
    return False


def storage_fails() -> bool:
    probe = Path(settings.MEDIA_ROOT) / ".health" / f"probe-{uuid.uuid4().hex}"
    try:
        probe.parent.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError:
        return True
    return False


CHECKS = {"database": database_fails, "broker": broker_fails, "storage": storage_fails}


def failing_checks() -> list[str]:
    return [name for name, fails in CHECKS.items() if fails()]
