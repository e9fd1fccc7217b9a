"""Response headers that Django's SecurityMiddleware does not set."""

from django.conf import settings
from django.http import HttpResponseNotAllowed

# No inline scripts or styles anywhere: every script and stylesheet is a file under static/.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if not settings.DEBUG:
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


# Pages are read with GET and changed with POST (an HTML form knows no other method); the JSON API under
# /api/ uses its own method list. A PUT or DELETE sent to a page would otherwise fall through to the GET
# branch of a view and answer 200, hiding that the method is refused.
PAGE_METHODS = frozenset({"GET", "HEAD", "POST", "OPTIONS"})


class PageMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in PAGE_METHODS and not request.path_info.startswith("/api/"):
            return HttpResponseNotAllowed(sorted(PAGE_METHODS - {"OPTIONS"}))
        return self.get_response(request)
