import importlib
import itertools

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from silon.audit import actions
from silon.audit.hashing import CHAIN_UNKEYED, GENESIS_HASH, event_content, event_digest, event_digest_unkeyed
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


def _recompute_from(first_id, *, digest, version, last_id=None):
    """The attack on an unkeyed chain: after editing an event, recompute every hash from there on."""
    events = AuditEvent.objects.filter(id__gte=first_id).order_by("id")
    events = list(events.filter(id__lte=last_id) if last_id else events)
    prev = AuditEvent.objects.filter(id__lt=first_id).order_by("-id").values_list("hash", flat=True).first()
    prev = prev or GENESIS_HASH
    for event in events:
        new = digest(prev_hash=prev, content=event_content(event))
        _without_trigger(
            "UPDATE audit_auditevent SET prev_hash = %s, hash = %s, chain_version = %s WHERE id = %s",
            [prev, new, version, event.id],
        )
        prev = new


@pytest.mark.parametrize(
    "attack",
    [
        ("the plain digest", event_digest_unkeyed, CHAIN_UNKEYED),
        ("the keyed digest under a guessed key", lambda **kw: event_digest(key=b"guessed", **kw), 2),
    ],
    ids=["unkeyed", "guessed-key"],
)
def test_an_edit_with_every_later_hash_recomputed_without_the_key_is_caught(attack):
    _name, digest, version = attack
    events = _events()
    _without_trigger("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["diubah", events[2].id])
    _recompute_from(events[2].id, digest=digest, version=version)
    report = audit_chain_verify()
    assert report.broken_at == events[2].id, report


def test_the_whole_chain_rewritten_unkeyed_is_refused():
    _events()
    first = AuditEvent.objects.order_by("id").values_list("id", flat=True).first()
    _recompute_from(first, digest=event_digest_unkeyed, version=CHAIN_UNKEYED)
    report = audit_chain_verify()
    assert not report.ok and "unkeyed" in report.problem


def _legacy_chain(n):
    """Events as the unkeyed chain (version 1) wrote them, before the keyed one."""
    prev = GENESIS_HASH
    written = []
    for i in range(n):
        event = AuditEvent(
            created_at=timezone.now(), action="test.legacy", object_type="x", object_id=str(i), chain_version=1
        )
        event.prev_hash = prev
        event.hash = event_digest_unkeyed(prev_hash=prev, content=event_content(event))
        event.save(force_insert=True)
        written.append(event)
        prev = event.hash
    return written


def _seal():
    migration = importlib.import_module("silon.audit.migrations.0003_keyed_chain")
    migration.seal_unkeyed_chain(django_apps, type("SchemaEditor", (), {"connection": connection})())


def test_the_unkeyed_events_before_the_switch_over_verify_and_are_sealed_by_it():
    assert not AuditEvent.objects.exists()
    legacy = _legacy_chain(3)
    assert not audit_chain_verify().ok  # unkeyed events with no switch-over after them
    _seal()
    seal = AuditEvent.objects.order_by("-id").first()
    assert seal.action == actions.AUDIT_CHAIN_KEYED and seal.prev_hash == legacy[-1].hash
    assert seal.after == {"unkeyed_events": 3, "last_unkeyed_id": legacy[-1].id, "last_unkeyed_hash": legacy[-1].hash}
    _events(2)
    report = audit_chain_verify()
    assert report.ok and report.checked == 6
    _seal()  # idempotent: the chain is keyed already
    assert AuditEvent.objects.filter(action=actions.AUDIT_CHAIN_KEYED).count() == 1

    # an unkeyed event edited and the unkeyed prefix recomputed: the keyed seal no longer links to it
    _without_trigger("UPDATE audit_auditevent SET object_repr = %s WHERE id = %s", ["diubah", legacy[1].id])
    _recompute_from(legacy[1].id, digest=event_digest_unkeyed, version=CHAIN_UNKEYED, last_id=legacy[-1].id)
    assert audit_chain_verify().broken_at == seal.id
    # and the rest recomputed unkeyed too: no keyed switch-over is left
    _recompute_from(seal.id, digest=event_digest_unkeyed, version=CHAIN_UNKEYED)
    assert "no keyed switch-over" in audit_chain_verify().problem
