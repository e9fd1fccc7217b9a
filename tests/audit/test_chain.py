import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from silon.audit.models import AuditEvent
from silon.audit.services import audit_chain_verify, audit_record
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def _events(n=5):
    actor = UserFactory()
    return [
        audit_record(actor=actor, action="test.step", object_type="x", object_id=i, after={"i": i}) for i in range(n)
    ]


def _without_trigger(sql, params):
    """Tamper with the table as an attacker with raw database access would (trigger off, on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def test_events_are_chained():
    events = _events()
    assert events[0].prev_hash == "0" * 64 or AuditEvent.objects.filter(id__lt=events[0].id).exists()
    for prev, nxt in itertools.pairwise(events):
        assert nxt.prev_hash == prev.hash
    report = audit_chain_verify()
    assert report.ok and report.checked == AuditEvent.objects.count()
    call_command("audit_verify")


def test_edited_event_is_caught_at_that_event():
    events = _events()
    _without_trigger("UPDATE audit_auditevent SET after = %s WHERE id = %s", ['{"i": 99}', events[2].id])
    report = audit_chain_verify()
    assert report.broken_at == events[2].id
    assert "edited" in report.problem
    with pytest.raises(CommandError, match=str(events[2].id)):
        call_command("audit_verify")


def test_deleted_event_is_caught_at_the_next_one():
    events = _events()
    _without_trigger("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    report = audit_chain_verify()
    assert report.broken_at == events[2].id
    assert "deleted" in report.problem


@pytest.mark.postgres
def test_postgres_refuses_update_and_delete():
    event = _events(1)[0]
    for sql in ("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.id])
    assert AuditEvent.objects.get(id=event.id).action == "test.step"
