"""Writing to the audit trail. Call ``audit_record`` inside the transaction of the change it records."""

import json
import logging
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from . import actions
from .context import current_ip, request_actions
from .hashing import CHAIN_KEYED, CHAIN_UNKEYED, CHAIN_VERSION, GENESIS_HASH, digest_for, event_content, event_digest
from .models import AuditEvent

logger = logging.getLogger(__name__)

# Any constant: the key of the advisory lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK_KEY = 7_410_466


def _json_safe(value):
    if value is None:
        return None
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])


def audit_record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    region_code: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip_address: str | None = None,
) -> AuditEvent:
    """Append one event. ``actor`` may be None for the system (a task, a command)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)[:255]
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        authenticated = actor is not None and getattr(actor, "is_authenticated", False)
        event = AuditEvent(
            created_at=timezone.now(),
            actor=actor if authenticated else None,
            actor_username=actor.get_username() if authenticated else "",
            actor_role=getattr(actor, "role", "") if authenticated else "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=object_repr[:255],
            region_code=region_code,
            before=_json_safe(before),
            after=_json_safe(after),
            ip_address=ip_address or current_ip.get(),
            chain_version=CHAIN_VERSION,
            prev_hash=last or GENESIS_HASH,
        )
        event.hash = event_digest(prev_hash=event.prev_hash, content=event_content(event))
        event.save(force_insert=True)
    recorded = request_actions.get()
    if recorded is not None:
        recorded.append(action)
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None
    problem: str
    last_id: int | None = None  # the newest event that verified

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_chain_verify(*, batch_size: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first event whose link or content does not hold.

    Unkeyed events (chain version 1) are admitted only as the prefix written before the chain was keyed, and
    only when the keyed switch-over event (``actions.AUDIT_CHAIN_KEYED``) follows them: a chain rewritten with
    the plain, keyless digest fails here."""
    expected_prev = GENESIS_HASH
    checked = 0
    keyed = False
    last_id = None
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked,
                event.id,
                "prev_hash does not match the previous event: one was deleted or the one before rewritten",
                last_id,
            )
        if event.chain_version == CHAIN_UNKEYED and keyed:
            return ChainReport(
                checked, event.id, "an unkeyed event after the chain was keyed: the event was rewritten", last_id
            )
        if event.chain_version == CHAIN_KEYED and not keyed:
            keyed = True
            if checked and event.action != actions.AUDIT_CHAIN_KEYED:
                return ChainReport(
                    checked,
                    event.id,
                    "the first keyed event after unkeyed ones is not the switch-over: events were rewritten",
                    last_id,
                )
        if digest_for(event.chain_version, prev_hash=event.prev_hash, content=event_content(event)) != event.hash:
            return ChainReport(checked, event.id, "content does not match its hash: the event was edited", last_id)
        expected_prev = event.hash
        last_id = event.id
        checked += 1
    if checked and not keyed:
        return ChainReport(
            checked,
            last_id,
            "the chain ends in unkeyed events with no keyed switch-over: the events were rewritten",
            last_id,
        )
    return ChainReport(checked, None, "", last_id)


def audit_chain_check() -> ChainReport:
    """Verify the chain and record the outcome as an event, so the checks themselves leave a trail."""
    report = audit_chain_verify()
    if not report.ok:
        logger.error("audit chain broken at event %s: %s", report.broken_at, report.problem)
    audit_record(
        actor=None,
        action=actions.AUDIT_VERIFY if report.ok else actions.AUDIT_VERIFY_FAILED,
        object_type="audit.auditevent",
        after={"checked": report.checked, "broken_at": report.broken_at, "problem": report.problem},
    )
    return report
