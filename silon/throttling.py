"""Rate limits beyond DRF's anonymous one (and django-axes' login lockout).

``UploadRateThrottle`` limits supporter-file uploads per user, page and API together (one count in the cache,
keyed by the user): ``SUPPORT_UPLOAD_RATE`` (default 30/hour, generous for an LO uploading files one by one
even on the deadline day) against a script or a stuck browser flooding the workers. Only POST counts: the
list and the progress polling stay free.
"""

from rest_framework.throttling import UserRateThrottle


class UploadRateThrottle(UserRateThrottle):
    scope = "support_upload"
    methods = frozenset({"POST"})

    def allow_request(self, request, view) -> bool:
        if request.method not in self.methods:
            return True
        return super().allow_request(request, view)


def upload_throttled(request) -> int | None:
    """For a page view: None when this upload may go ahead (and it is counted), else the seconds to wait."""
    throttle = UploadRateThrottle()
    if throttle.allow_request(request, None):
        return None
    return max(1, int(throttle.wait() or 1))
