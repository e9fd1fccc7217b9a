"""The documented backup and restore procedure, run for real: ``pg_dump`` of the test database after audited
changes, ``createdb`` + ``pg_restore`` into a fresh database, ``audit_verify`` on the restored copy; then
one event of the copy altered (the append-only trigger disabled, as a superuser could) must fail it.

The commands are read from SECURITY.md's "backup and restore procedure" block, so the documentation and the
test cannot drift apart.
"""

import json
import os
import re
import subprocess
import sys
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command

from silon.accounts.models import Role
from silon.accounts.services import user_create
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory
from tests.conftest import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def documented_procedure() -> str:
    text = (ROOT / "SECURITY.md").read_text()
    match = re.search(r"```sh\n(# backup and restore procedure\n.*?)```", text, re.DOTALL)
    assert match, "SECURITY.md lost its backup and restore procedure block"
    return match.group(1)


def _url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _audit_verify(url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "manage.py", "audit_verify"], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_documented_backup_restores_a_verifiable_audit_chain_and_tampering_is_caught(tmp_path):
    admin = UserFactory(role=Role.ADMIN, region_code="")
    for i in range(3):
        user_create(actor=admin, username=f"lo-cadangan-{i}", role=Role.PAIR_OPERATOR)
    from silon.audit.checkpoints import audit_checkpoint_sign, stored_checkpoints
    from silon.audit.models import CheckpointReason

    audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    events = AuditEvent.objects.count()
    assert events >= 3
    call_command("audit_verify")  # the source is intact
    checkpoints = tmp_path / "checkpoints.json"
    checkpoints.write_text(json.dumps(stored_checkpoints()))  # as published

    restore_db = f"silon_restored_{uuid.uuid4().hex[:8]}"
    restore_url = _url(restore_db)
    env = {
        **os.environ,
        "DATABASE_URL": _url(settings.DATABASES["default"]["NAME"]),
        "BACKUP_FILE": str(tmp_path / "silon.dump"),
        "RESTORE_DB": restore_db,
        "RESTORE_URL": restore_url,
        "CHECKPOINTS": str(checkpoints),
        "PATH": f"{os.path.dirname(sys.executable)}:{os.environ['PATH']}",  # `python` is this interpreter
    }
    try:
        run = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", documented_procedure()],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stdout + run.stderr
        assert f"Audit chain intact: {events} events." in run.stdout

        with psycopg2.connect(restore_url) as conn, conn.cursor() as cursor:
            target = AuditEvent.objects.order_by("pk").values_list("pk", flat=True)[1]
            # the append-only trigger came along with the dump
            with pytest.raises(psycopg2.errors.RaiseException):
                cursor.execute("UPDATE audit_auditevent SET object_repr = 'diubah' WHERE id = %s", [target])
            conn.rollback()
            cursor.execute("SET session_replication_role = replica")  # superuser: triggers off
            cursor.execute("UPDATE audit_auditevent SET object_repr = 'diubah' WHERE id = %s", [target])
            assert cursor.rowcount == 1
        conn.close()
        tampered = _audit_verify(restore_url)
        assert tampered.returncode != 0
        assert f"Audit chain broken at event {target}" in tampered.stderr
    finally:
        subprocess.run(
            ["dropdb", f"--maintenance-db={env['DATABASE_URL']}", "--if-exists", "--force", restore_db],
            capture_output=True,
            check=False,
        )
    assert (
        restore_db
        not in subprocess.run(
            ["psql", env["DATABASE_URL"], "-tAc", "SELECT datname FROM pg_database"], capture_output=True, text=True
        ).stdout
    )
