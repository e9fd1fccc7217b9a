"""Rate limits of the public check and objections (beside ``silon.throttling``), rates from settings
(``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``): ``public_check`` per client address (``PUBLIC_CHECK_RATE``),
``public_check_nik`` per NIK, keyed by its keyed hash (``PUBLIC_CHECK_NIK_RATE``: nobody learns much about one
NIK, whatever the number of addresses), ``objection_file`` per address (``OBJECTION_FILE_RATE``). Page and API
count together. The address is ``REMOTE_ADDR`` (behind the proxy, ``silon.middleware`` sets it from X-Real-IP)."""

from rest_framework.throttling import SimpleRateThrottle


class _KeyedThrottle(SimpleRateThrottle):
    def __init__(self, ident: str):
        self.ident = ident
        super().__init__()

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}


class CheckAddressThrottle(_KeyedThrottle):
    scope = "public_check"


class CheckNikThrottle(_KeyedThrottle):
    scope = "public_check_nik"


class ObjectionAddressThrottle(_KeyedThrottle):
    scope = "objection_file"


def _wait(throttle: SimpleRateThrottle, request) -> int | None:
    if throttle.allow_request(request, None):
        return None
    return max(1, int(throttle.wait() or 1))


def check_throttled(request, hashed_nik: str) -> int | None:
    """None when this check may go ahead (it is counted, per address and per NIK), else the seconds to wait."""
    address = request.META.get("REMOTE_ADDR", "")
    return _wait(CheckAddressThrottle(address), request) or _wait(CheckNikThrottle(hashed_nik), request)


def objection_throttled(request) -> int | None:
    return _wait(ObjectionAddressThrottle(request.META.get("REMOTE_ADDR", "")), request)
