"""The proof-of-work that makes every public check and objection cost the asker some seconds of computing:
ALTCHA (the ``altcha`` package server-side, its widget under ``static/vendor/altcha/``), self-hosted, so no
third party learns who asks (SECURITY.md "Public self-check: privacy review").

A challenge is an HMAC-signed puzzle (find ``n`` ≤ ``PUBLIC_CHECK_POW_MAX_NUMBER`` with
``sha256(salt + n) == challenge``) that expires after ``CHALLENGE_SECONDS``. A solved payload is accepted once:
its signature is put in the cache until the challenge would have expired, and a second use is refused.
"""

import base64
import datetime
import hashlib
import hmac
import json

import altcha
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

CHALLENGE_SECONDS = 600
_USED = "objections:pow-used:"


def _key() -> str:
    # a key derived for this use only: a leaked challenge signature says nothing about the NIK hashes
    return hmac.new(settings.PUBLIC_CHECK_HMAC_KEY.encode(), b"silon-altcha-v1", hashlib.sha256).hexdigest()


def challenge_create() -> dict:
    """A fresh challenge as the widget reads it (``challengeurl``'s JSON answer)."""
    expires = timezone.now() + datetime.timedelta(seconds=CHALLENGE_SECONDS)
    made = altcha.create_challenge_v1(hmac_key=_key(), max_number=settings.PUBLIC_CHECK_POW_MAX_NUMBER, expires=expires)
    return {
        "algorithm": made.algorithm,
        "challenge": made.challenge,
        "maxnumber": made.max_number,
        "salt": made.salt,
        "signature": made.signature,
    }


def challenge_solve(challenge: dict) -> str:
    """The payload a widget would send for ``challenge`` (tests and the load benchmark; a real client solves
    it in the browser)."""
    solution = altcha.solve_challenge_v1(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"], 0
    )
    if solution is None:
        raise ValueError("unsolvable challenge")
    payload = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
    payload["number"] = solution.number
    return base64.b64encode(json.dumps(payload).encode()).decode()


def challenge_spend(payload: str) -> None:
    """Accept a solved payload once: refuse (``ValidationError``) a wrong, expired or already used one."""
    refused = ValidationError(_("Verifikasi anti-robot gagal atau kedaluwarsa. Muat ulang halaman dan coba lagi."))
    if not payload or len(payload) > 2000:
        raise refused
    ok, _error = altcha.verify_solution_v1(payload, _key(), check_expires=True)
    if not ok:
        raise refused
    # the challenge's own signature marks it spent, however the payload around it is written
    signature = json.loads(base64.b64decode(payload))["signature"]
    if not cache.add(_USED + str(signature)[:128], 1, timeout=CHALLENGE_SECONDS + 60):
        raise refused
