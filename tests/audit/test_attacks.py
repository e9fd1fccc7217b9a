"""The insider's attacks on the audit trail, on PostgreSQL, each refused by the database or named by
``audit_verify`` (which event, which checkpoint).

As the application's own role (``db_roles``: owns nothing, INSERT and SELECT on the audit tables): TRUNCATE,
DELETE and UPDATE are refused, and so are the ways around them (replica mode, disabling or dropping a trigger,
new tables). The application itself still works as that role. As a superuser (who can pass every database
defence): TRUNCATE is refused by the trigger; an edit in replica mode with every later hash recomputed with the
project's own digest function fails on the key it lacks; dropping the newest events (and the stored checkpoints)
is named by the checkpoints a citizen kept from the open-data API.
"""

import json
import os
import subprocess
import sys

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from silon.audit.checkpoints import audit_checkpoint_sign
from silon.audit.hashing import event_content, event_digest
from silon.audit.models import AuditEvent, CheckpointReason
from silon.audit.services import audit_record
from tests.conftest import ROOT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _dsn(user: str) -> dict:
    db = settings.DATABASES["default"]
    return {
        "dbname": db["NAME"],
        "user": user,
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "password": db.get("PASSWORD") or None,
    }


def _url(user: str) -> str:
    dsn = _dsn(user)
    return f"postgres://{user}@{dsn['host']}:{dsn['port']}/{dsn['dbname']}"


@pytest.fixture
def app_role():
    """The application's role for this test database, granted by the project's own command, dropped after."""
    role = f"{settings.DATABASES['default']['NAME']}_app"[:63].lower()
    call_command("db_roles", app_role=role)
    yield role
    connection.close()
    with psycopg2.connect(**_dsn(settings.DATABASES["default"]["USER"] or "postgres")) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
    admin.close()


def _as(role: str, sql: str, params=None):
    """One statement on its own connection as ``role``; returns the rows or raises the database's refusal."""
    conn = psycopg2.connect(**_dsn(role))
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall() if cursor.description else None
        conn.commit()
        return rows
    finally:
        conn.close()


def _events(n):
    return [audit_record(actor=None, action="test.step", object_type="x", object_id=i) for i in range(n)]


def _manage(*args, role: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": _url(role)}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


REFUSED_TO_THE_APP = [
    ("truncate", "TRUNCATE audit_auditevent", "permission denied"),
    ("truncate cascade", "TRUNCATE audit_auditevent CASCADE", "permission denied"),
    ("truncate checkpoints", "TRUNCATE audit_auditcheckpoint", "permission denied"),
    ("truncate another table", "TRUNCATE candidacy_election CASCADE", "permission denied"),
    ("delete", "DELETE FROM audit_auditevent", "permission denied"),
    ("update", "UPDATE audit_auditevent SET object_repr = 'diubah'", "permission denied"),
    ("delete checkpoints", "DELETE FROM audit_auditcheckpoint", "permission denied"),
    ("update checkpoints", "UPDATE audit_auditcheckpoint SET note = 'x'", "permission denied"),
    ("replica mode", "SET session_replication_role = replica", "permission denied"),
    ("disable trigger", "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL", "must be owner"),
    ("drop trigger", "DROP TRIGGER audit_event_append_only ON audit_auditevent", "must be owner"),
    (
        "new trigger",
        "CREATE TRIGGER t BEFORE INSERT ON audit_auditevent EXECUTE FUNCTION suppress_redundant_updates_trigger()",
        "permission denied",
    ),
    ("new table", "CREATE TABLE public.silon_shadow (id int)", "permission denied"),
    (
        "mark migrations",
        "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())",
        "permission denied",
    ),
]


def test_the_app_role_cannot_rewrite_history(app_role):
    _events(3)
    audit_checkpoint_sign(reason=CheckpointReason.MANUAL)
    accepted = []
    for name, sql, refusal in REFUSED_TO_THE_APP:
        try:
            _as(app_role, sql)
        except psycopg2.Error as exc:
            assert refusal in str(exc), (name, str(exc))
        else:
            accepted.append(name)
    assert not accepted, f"the app role was allowed: {accepted}"
    assert AuditEvent.objects.count() == 3
    call_command("audit_verify")


def test_the_app_role_owns_nothing_and_is_no_superuser(app_role):
    (row,) = _as(
        app_role,
        "SELECT r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,"
        " (SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid)"
        " FROM pg_roles r WHERE r.rolname = current_user",
    )
    assert row == (False, False, False, False, 0)
    grants = dict(
        _as(
            app_role,
            "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type)"
            " FROM information_schema.role_table_grants WHERE grantee = current_user"
            " AND table_name IN ('audit_auditevent', 'audit_auditcheckpoint', 'candidacy_election') GROUP BY 1",
        )
    )
    assert grants == {
        "audit_auditevent": "INSERT,SELECT",
        "audit_auditcheckpoint": "INSERT,SELECT",
        "candidacy_election": "DELETE,INSERT,SELECT,UPDATE",
    }


def test_the_application_runs_as_that_role(app_role):
    """Writing events (advisory lock, sequence), signing a checkpoint and verifying all work as the app role."""
    _events(2)
    out = _manage(
        "shell",
        "-c",
        "from silon.audit.services import audit_record; from silon.audit.checkpoints import audit_checkpoint_sign;"
        "audit_record(actor=None, action='test.app_role'); print(audit_checkpoint_sign(reason='manual').pk)",
        role=app_role,
    )
    assert out.returncode == 0, out.stderr
    verified = _manage("audit_verify", role=app_role)
    assert verified.returncode == 0, verified.stderr
    assert "Audit chain intact: 3 events." in verified.stdout and "Checkpoints held: 1." in verified.stdout


def test_migrate_as_the_owner_grants_the_app_role_new_tables(app_role):
    """Default privileges: a table the owner creates later is the app's to use at once (no TRUNCATE)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE silon_later (id int)")
    _as(app_role, "INSERT INTO silon_later VALUES (1)")
    with pytest.raises(psycopg2.Error, match="permission denied"):
        _as(app_role, "TRUNCATE silon_later")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE silon_later")


def test_even_a_superuser_cannot_truncate_without_turning_triggers_off():
    _events(2)
    for table in ("audit_auditevent", "audit_auditcheckpoint"):
        with pytest.raises(psycopg2.Error, match="append-only: TRUNCATE refused"):
            _as(settings.DATABASES["default"]["USER"] or "postgres", f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == 2


def _superuser_replica(statements):
    conn = psycopg2.connect(**_dsn(settings.DATABASES["default"]["USER"] or "postgres"))
    try:
        with conn.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            for sql, params in statements:
                cursor.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def test_a_superuser_edit_recomputed_with_the_projects_digest_is_named():
    """Replica mode, one event edited, every later hash recomputed with ``event_digest``, as the insider did,
    but without AUDIT_HMAC_KEY (the database never holds it): the edited event is named."""
    events = _events(5)
    target = events[2]
    edited = []
    prev = events[1].hash
    for event in events[2:]:
        event.refresh_from_db()
        if event.id == target.id:
            event.object_repr = "diubah"
        new = event_digest(prev_hash=prev, content=event_content(event), key=b"what the insider guessed")
        edited.append(
            (
                "UPDATE audit_auditevent SET object_repr = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [event.object_repr, prev, new, event.id],
            )
        )
        prev = new
    _superuser_replica(edited)
    out = _manage("audit_verify", role=settings.DATABASES["default"]["USER"] or "postgres")
    assert out.returncode != 0
    assert f"Audit chain broken at event {target.id}" in out.stderr


def test_a_superuser_dropping_the_newest_events_is_named_by_a_held_checkpoint(client, tmp_path):
    _events(4)
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.HOURLY)
    held = tmp_path / "checkpoints.json"
    held.write_text(json.dumps(client.get(reverse("portal_api:audit-checkpoint-list")).json()))
    kept = AuditEvent.objects.order_by("id").values_list("id", flat=True)[1]
    _superuser_replica(
        [
            ("DELETE FROM audit_auditevent WHERE id > %s", [kept]),
            ("DELETE FROM audit_auditcheckpoint", None),
        ]
    )
    user = settings.DATABASES["default"]["USER"] or "postgres"
    alone = _manage("audit_verify", role=user)
    assert alone.returncode == 0 and "Audit chain intact: 2 events." in alone.stdout  # a shorter chain holds
    caught = _manage("audit_verify", "--checkpoints", str(held), role=user)
    assert caught.returncode != 0
    assert f"checkpoint #{checkpoint.pk} (event {checkpoint.event_id}" in caught.stderr
    assert f"event {checkpoint.event_id}: the event is missing (the log ends at event {kept})" in caught.stderr


def test_a_superuser_truncating_in_replica_mode_is_named_by_a_held_checkpoint(client, tmp_path):
    _events(3)
    checkpoint = audit_checkpoint_sign(reason=CheckpointReason.HOURLY)
    held = tmp_path / "checkpoints.json"
    held.write_text(json.dumps(client.get(reverse("portal_api:audit-checkpoint-list")).json()))
    _superuser_replica([("TRUNCATE audit_auditevent, audit_auditcheckpoint", None)])
    audit_record(actor=None, action="test.fresh_chain")  # the next event starts a fresh chain
    caught = _manage(
        "audit_verify", "--checkpoints", str(held), role=settings.DATABASES["default"]["USER"] or "postgres"
    )
    assert caught.returncode != 0
    assert f"checkpoint #{checkpoint.pk} (event {checkpoint.event_id}" in caught.stderr
    assert "the event is missing" in caught.stderr
