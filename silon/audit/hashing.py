"""The hash chain: one definition, used by the writer and the verifier alike.

Each event's hash covers its content and the previous event's hash. Two versions of the chain exist:

- ``CHAIN_UNKEYED`` (1): plain SHA-256. Events written before the chain was keyed keep it; anyone who could
  write the table could recompute it, so such events are only trusted as a prefix of the chain, sealed by the
  keyed switch-over event (``actions.AUDIT_CHAIN_KEYED``) that migration ``audit.0003`` wrote after them.
- ``CHAIN_KEYED`` (2): HMAC-SHA256 with ``settings.AUDIT_HMAC_KEY``, a key the database never holds. Every
  event written since is keyed; an unkeyed event after a keyed one is refused by the verifier.
"""

import hashlib
import hmac
import json

from django.conf import settings

GENESIS_HASH = "0" * 64
CHAIN_UNKEYED = 1
CHAIN_KEYED = 2
CHAIN_VERSION = CHAIN_KEYED  # what new events are written with


def _payload(prev_hash: str, content: dict) -> bytes:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return (prev_hash + "|" + text).encode()


def hmac_key() -> bytes:
    return settings.AUDIT_HMAC_KEY.encode()


def event_digest(*, prev_hash: str, content: dict, key: bytes | None = None) -> str:
    """The keyed hash of an event (chain version 2): HMAC-SHA256 under ``key`` (default AUDIT_HMAC_KEY)."""
    return hmac.new(hmac_key() if key is None else key, _payload(prev_hash, content), hashlib.sha256).hexdigest()


def event_digest_unkeyed(*, prev_hash: str, content: dict) -> str:
    """The plain SHA-256 of chain version 1, kept to verify the events written before the chain was keyed."""
    return hashlib.sha256(_payload(prev_hash, content)).hexdigest()


def digest_for(version: int, *, prev_hash: str, content: dict) -> str | None:
    """The hash an event of chain ``version`` must carry; None for a version this code does not know."""
    if version == CHAIN_KEYED:
        return event_digest(prev_hash=prev_hash, content=content)
    if version == CHAIN_UNKEYED:
        return event_digest_unkeyed(prev_hash=prev_hash, content=content)
    return None


def event_content(event) -> dict:
    """The fields an event's hash covers, in a stable, JSON-safe form."""
    return {
        "created_at": event.created_at.isoformat(),
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "actor_role": event.actor_role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "region_code": event.region_code,
        "before": event.before,
        "after": event.after,
        "ip_address": event.ip_address,
    }
