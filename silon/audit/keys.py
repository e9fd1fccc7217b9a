"""The checkpoint signing key (Ed25519, pynacl): one seed in ``settings.AUDIT_SIGNING_KEY``, never stored in the
database. Its public half is published with every checkpoint; verifiers pin it (``audit_verify --public-key``)."""

import json
from datetime import UTC, datetime

from django.conf import settings
from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

CHECKPOINT_KIND = "silon-audit-checkpoint"
CHECKPOINT_FORMAT = 1


def signing_key() -> SigningKey:
    return SigningKey(bytes.fromhex(settings.AUDIT_SIGNING_KEY))


def public_key_hex() -> str:
    return signing_key().verify_key.encode().hex()


def utc_text(moment: datetime) -> str:
    """A time as it is signed and published: UTC, ISO 8601 with microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def checkpoint_message(*, event_id: int, event_hash: str, event_time: str, signed_at: str, reason: str, note: str):
    """The exact bytes a checkpoint's signature covers: canonical JSON (sorted keys, no spaces, UTF-8)."""
    body = {
        "kind": CHECKPOINT_KIND,
        "format": CHECKPOINT_FORMAT,
        "event_id": int(event_id),
        "event_hash": event_hash,
        "event_time": event_time,
        "signed_at": signed_at,
        "reason": reason,
        "note": note,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(message: bytes) -> str:
    return signing_key().sign(message).signature.hex()


def signature_valid(*, message: bytes, signature: str, public_key: str) -> bool:
    try:
        VerifyKey(bytes.fromhex(public_key)).verify(message, bytes.fromhex(signature))
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True
