"""The hash chain: one definition, used by the writer and the verifier alike."""

import hashlib
import json

GENESIS_HASH = "0" * 64


def event_digest(*, prev_hash: str, content: dict) -> str:
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((prev_hash + "|" + payload).encode()).hexdigest()


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
