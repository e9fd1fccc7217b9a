"""The keyed hash that stands for a NIK wherever SILON must recognise one without keeping it: the public
check's rate limit and record, the objection's search key (SECURITY.md "Public self-check: privacy review").

HMAC-SHA256 under ``PUBLIC_CHECK_HMAC_KEY``, a key of its own (not the audit chain's, not ``SECRET_KEY``):
there are only about 10^16 NIKs, and far fewer plausible ones (region, date of birth, serial), so a plain
hash would be reversed by enumeration; without the key it cannot be computed at all.
"""

import hashlib
import hmac

from django.conf import settings


def nik_hash(nik: str) -> str:
    """The NIK's keyed hash, 64 hexadecimal digits; the same NIK always gives the same hash under one key."""
    key = settings.PUBLIC_CHECK_HMAC_KEY.encode()
    return hmac.new(key, nik.strip().encode(), hashlib.sha256).hexdigest()
