"""Rate limits beyond DRF's anonymous one (and django-axes' login lockout).

Uploads are limited per user, page and API together (one count in the cache per scope, keyed by the user),
against a script or a stuck browser flooding the workers, the storage or the audit log. Only POST counts:
lists, checklists and progress polling stay free. Each scope's rate is a setting (``REST_FRAMEWORK
["DEFAULT_THROTTLE_RATES"]``, from the environment):

- ``support_upload`` (``SUPPORT_UPLOAD_RATE``, 30/hour): supporter files and KTP scans of a pair's LO;
- ``candidacy_document`` (``CANDIDACY_DOCUMENT_RATE``, 120/hour): a pair's required documents (a KPU operator
  files a dozen per candidate, for several pairs, on the registration day);
- ``election_import`` (``ELECTION_IMPORT_RATE``, 30/hour): the DPT-per-region and party-results CSV imports;
- ``team_register`` (``TEAM_REGISTER_RATE``, 10/hour): a pair team's mandate letter;
- ``public_response`` (``PUBLIC_RESPONSE_RATE``, 10/hour, per client address): a public response on a pair.

``LoginRateThrottle`` limits login POSTs per client address (``LOGIN_RATE``, 20/min), whatever the username:
django-axes locks a username from one address, which leaves one password tried over many usernames free.
"""

from django.http import HttpResponse
from django.shortcuts import render
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle


class UploadRateThrottle(UserRateThrottle):
    scope = "support_upload"
    methods = frozenset({"POST"})

    def allow_request(self, request, view) -> bool:
        if request.method not in self.methods:
            return True
        return super().allow_request(request, view)


class DocumentUploadRateThrottle(UploadRateThrottle):
    scope = "candidacy_document"


class ElectionImportRateThrottle(UploadRateThrottle):
    scope = "election_import"


class TeamRegisterRateThrottle(UploadRateThrottle):
    scope = "team_register"


def upload_throttled(request, throttle_class: type[UploadRateThrottle] = UploadRateThrottle) -> int | None:
    """For a page view: None when this upload may go ahead (and it is counted), else the seconds to wait."""
    throttle = throttle_class()
    if throttle.allow_request(request, None):
        return None
    return max(1, int(throttle.wait() or 1))


def upload_refusal(
    request, *, back: str, throttle_class: type[UploadRateThrottle] = UploadRateThrottle
) -> HttpResponse | None:
    """For a page view: None when this upload may go ahead (and it is counted), else the 429 page."""
    wait = upload_throttled(request, throttle_class)
    if wait is None:
        return None
    response = render(request, "429.html", {"minutes": -(-wait // 60), "back": back}, status=429)
    response["Retry-After"] = str(wait)
    return response


class PublicResponseRateThrottle(SimpleRateThrottle):
    """Public responses on a pair (``public_response``, ``PUBLIC_RESPONSE_RATE``, 10/hour) per client address
    (``REMOTE_ADDR``, as ``LoginRateThrottle``): anyone may send one, so a script must not flood the KPU's
    list, the storage or the audit log. Only POST counts."""

    scope = "public_response"

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.META.get("REMOTE_ADDR", "")}


def public_response_throttled(request) -> int | None:
    """For a page view: None when this response may go ahead (and it is counted), else the seconds to wait."""
    throttle = PublicResponseRateThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(1, int(throttle.wait() or 1))


class LoginRateThrottle(SimpleRateThrottle):
    """Login POSTs per client address. The address is ``REMOTE_ADDR``, as django-axes and the audit log take
    it (``AXES_IPWARE_META_PRECEDENCE_ORDER``): an ``X-Forwarded-For`` header is the client's own word and
    would let it pick a new key for every guess."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.META.get("REMOTE_ADDR", "")}


def login_throttled(request) -> int | None:
    """None when this login attempt may go ahead (and it is counted), else the seconds to wait."""
    throttle = LoginRateThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(1, int(throttle.wait() or 1))
