"""Signed checkpoints of the chain head, and the proof that the log still extends the ones someone holds.

A checkpoint is the newest event's id, hash and time, signed with the Ed25519 key ``AUDIT_SIGNING_KEY``
(``keys``). The periodic task ``audit.checkpoint`` signs one when the head moved and the last checkpoint is an
hour old, and whenever a stage closed since the last one (stage ends are times in the schedule: apps that own
closing moments register a source with ``register_closing_source``; candidacy registers its stage windows).
Checkpoints are published (open-data page and API); ``manage.py audit_verify --checkpoints`` checks that each
one it is given is signed by a trusted key, that its event still exists with that hash, and that the chain
verifies from the start through it, naming the first broken event and the checkpoint that proves it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from silon.numbers import parse_id, parse_ids

from . import actions, keys
from .models import AuditCheckpoint, AuditEvent, CheckpointReason
from .services import ChainReport, _lock_chain, audit_record

logger = logging.getLogger(__name__)

CHECKPOINT_EVERY = timedelta(hours=1)

# Sources of closing moments: callables (since, until) → descriptions of what closed in (since, until].
_closing_sources: list[Callable[[datetime, datetime], list[str]]] = []


def register_closing_source(source: Callable[[datetime, datetime], list[str]]):
    """Register a function naming what closed between two moments (e.g. stages whose end passed)."""
    if source not in _closing_sources:
        _closing_sources.append(source)
    return source


def closings_between(since: datetime, until: datetime) -> list[str]:
    return [text for source in _closing_sources for text in source(since, until)]


# --- signing ---------------------------------------------------------------------------------------


def checkpoint_message(checkpoint: AuditCheckpoint) -> bytes:
    return keys.checkpoint_message(
        event_id=checkpoint.event_id,
        event_hash=checkpoint.event_hash,
        event_time=keys.utc_text(checkpoint.event_time),
        signed_at=keys.utc_text(checkpoint.signed_at),
        reason=checkpoint.reason,
        note=checkpoint.note,
    )


class CheckpointRefused(Exception):
    """The head no longer extends the previous checkpoint: signing it would bless a shortened or rewritten log."""


def _previous_checkpoint_problem() -> str:
    previous = AuditCheckpoint.objects.order_by("-id").first()
    if previous is None:
        return ""
    held = AuditEvent.objects.filter(id=previous.event_id).values_list("hash", flat=True).first()
    if held == previous.event_hash:
        return ""
    return f"event {previous.event_id} of checkpoint #{previous.pk} is {'changed' if held else 'missing'}"


def audit_checkpoint_sign(*, reason: str, note: str = "", now: datetime | None = None) -> AuditCheckpoint | None:
    """Sign the current chain head (None when the log is empty). Refuses (``CheckpointRefused``, recorded as an
    event and an error log) when the previous checkpoint's event is gone or changed."""
    now = now or timezone.now()
    with transaction.atomic():
        _lock_chain()  # the head cannot move while it is read and signed
        head = AuditEvent.objects.order_by("-id").only("id", "hash", "created_at").first()
        if head is None:
            return None
        refused = _previous_checkpoint_problem()
        if not refused:
            checkpoint = AuditCheckpoint(
                signed_at=now,
                event_id=head.id,
                event_hash=head.hash,
                event_time=head.created_at,
                reason=reason,
                note=note[:500],
                public_key=keys.public_key_hex(),
            )
            checkpoint.signature = keys.sign(checkpoint_message(checkpoint))
            checkpoint.save(force_insert=True)
            return checkpoint
    logger.error("audit checkpoint refused: %s", refused)
    audit_record(
        actor=None,
        action=actions.AUDIT_CHECKPOINT_REFUSED,
        object_type="audit.auditcheckpoint",
        after={"problem": refused},
    )
    raise CheckpointRefused(refused)


def checkpoint_due(*, now: datetime) -> tuple[str, str] | None:
    """(reason, note) when a checkpoint is due: a stage closed since the last one, or the head moved and the
    last one is at least ``CHECKPOINT_EVERY`` old (or there is none). None otherwise."""
    last = AuditCheckpoint.objects.order_by("-id").first()
    since = last.signed_at if last is not None else now - CHECKPOINT_EVERY
    closed = closings_between(since, now)
    if closed:
        return CheckpointReason.STAGE_CLOSED, "; ".join(closed)
    head = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    if head is None:
        return None
    if last is None or (head != last.event_id and now - last.signed_at >= CHECKPOINT_EVERY):
        return CheckpointReason.HOURLY, ""
    return None


def audit_checkpoint_if_due(*, now: datetime | None = None) -> AuditCheckpoint | None:
    now = now or timezone.now()
    due = checkpoint_due(now=now)
    if due is None:
        return None
    reason, note = due
    return audit_checkpoint_sign(reason=reason, note=note, now=now)


# --- publishing ------------------------------------------------------------------------------------


def checkpoint_published(checkpoint: AuditCheckpoint) -> dict:
    """A checkpoint as the open-data page and API publish it: every signed field as signed (times in UTC),
    the exact signed message, the public key and the signature (hex)."""
    return {
        "id": checkpoint.pk,
        "event_id": checkpoint.event_id,
        "event_hash": checkpoint.event_hash,
        "event_time": keys.utc_text(checkpoint.event_time),
        "signed_at": keys.utc_text(checkpoint.signed_at),
        "reason": checkpoint.reason,
        "note": checkpoint.note,
        "public_key": checkpoint.public_key,
        "signature": checkpoint.signature,
        "message": checkpoint_message(checkpoint).decode(),
    }


# --- verifying -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointProblem:
    checkpoint: str  # how to name it: "#12 (event 340, signed 2026-…)"
    event_id: int | None  # the first broken event it proves, if known
    problem: str

    def __str__(self) -> str:
        event = f"event {self.event_id}" if self.event_id is not None else "the log"
        return f"Audit log does not extend checkpoint {self.checkpoint}: {event}: {self.problem}"


def _label(held: dict) -> str:
    return f"#{held.get('id', '?')} (event {held.get('event_id')}, signed {held.get('signed_at')})"


def checkpoints_verify(
    held: list[dict], *, chain: ChainReport, trusted_keys: set[str]
) -> tuple[int, list[CheckpointProblem]]:
    """Check every held checkpoint (published form) against the log. Returns (checkpoints that hold, problems),
    problems ordered by the event they name."""
    problems: list[CheckpointProblem] = []
    good = 0
    event_ids = set(parse_ids(str(h.get("event_id", "")) for h in held))
    hashes = dict(AuditEvent.objects.filter(id__in=event_ids).values_list("id", "hash"))
    newest = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    for item in sorted(held, key=lambda h: (parse_id(str(h.get("event_id", ""))) or 0, str(h.get("signed_at")))):
        label = _label(item)
        try:
            event_id = parse_id(str(item["event_id"]))
            if event_id is None:
                raise ValueError(item["event_id"])
            message = keys.checkpoint_message(
                event_id=event_id,
                event_hash=item["event_hash"],
                event_time=item["event_time"],
                signed_at=item["signed_at"],
                reason=item["reason"],
                note=item.get("note", ""),
            )
            public_key, signature = item["public_key"], item["signature"]
        except (KeyError, TypeError, ValueError):
            problems.append(CheckpointProblem(label, None, "not a checkpoint (fields missing)"))
            continue
        if public_key not in trusted_keys:
            problems.append(CheckpointProblem(label, event_id, f"signed by a key that is not trusted ({public_key})"))
            continue
        if not keys.signature_valid(message=message, signature=signature, public_key=public_key):
            problems.append(CheckpointProblem(label, event_id, "its signature does not verify"))
            continue
        if event_id not in hashes:
            ends = f"the log ends at event {newest}" if newest is not None else "the log is empty"
            problems.append(CheckpointProblem(label, event_id, f"the event is missing ({ends})"))
            continue
        if hashes[event_id] != item["event_hash"]:
            problems.append(CheckpointProblem(label, event_id, "the event no longer has the signed hash"))
            continue
        if chain.broken_at is not None and chain.broken_at <= event_id:
            problems.append(CheckpointProblem(label, chain.broken_at, f"the chain breaks before it: {chain.problem}"))
            continue
        good += 1
    problems.sort(key=lambda p: (p.event_id is None, p.event_id or 0))
    return good, problems


def stored_checkpoints() -> list[dict]:
    return [checkpoint_published(c) for c in AuditCheckpoint.objects.order_by("id")]
