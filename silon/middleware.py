"""Response headers that Django's SecurityMiddleware does not set; the client's address behind the front proxy."""

import ipaddress

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponseNotAllowed
from django.utils import translation

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


class ProxyClientAddressMiddleware:
    """Behind the front proxy, ``REMOTE_ADDR`` is the proxy's own address; the proxy sends the client's in
    ``X-Real-IP``, set (never appended) from the address it saw. A request from an address in
    ``TRUSTED_PROXIES`` takes its ``REMOTE_ADDR`` from that header, so that the per-address login limit, the axes
    lockout and the audit log see the client; from any other address the header is ignored, so a client cannot
    choose its own address. Without ``TRUSTED_PROXIES`` this middleware is left out."""

    def __init__(self, get_response):
        self.networks = [ipaddress.ip_network(entry, strict=False) for entry in settings.TRUSTED_PROXIES]
        if not self.networks:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def __call__(self, request):
        peer = request.META.get("REMOTE_ADDR", "")
        if self._trusted(peer):
            client = request.META.get("HTTP_X_REAL_IP", "").strip()
            try:
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(client))
                request.META["SILON_PROXY_ADDR"] = peer
            except ValueError:
                pass  # no or a malformed header: the proxy itself asked (e.g. its health check)
        return self.get_response(request)


class LanguageMiddleware:
    """The interface language: Indonesian for every visitor, English only once chosen with the language switch
    (its cookie, ``portal.views.language_switch``). Unlike Django's ``LocaleMiddleware`` the browser's
    Accept-Language is never read: a KPU site is Indonesian first, whatever the browser's setting (#21)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES) or not translation.check_for_language(code):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
