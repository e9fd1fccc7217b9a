from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def healthz(request):
    """Liveness and database reachability, for the load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# Error answers. Under /api/ a client reads JSON, so a URL the URL conf does not know (``/api/…/abc/`` where
# an id is expected), a refused CSRF check or a crash answers ``{"detail": …}`` with the status, as DRF's own
# errors do and as the OpenAPI schema documents (``silon.openapi``); pages keep the HTML templates.


def _api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("Permintaan tidak valid.")}, status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("Anda tidak berhak melakukan tindakan ini.")}, status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _api(request):
        return JsonResponse({"detail": _("Tidak ditemukan.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _api(request):
        return JsonResponse({"detail": _("Terjadi gangguan sementara. Silakan coba lagi.")}, status=500)
    return defaults.server_error(request)


def debug_page_not_found(request, exception):
    """With DEBUG on, Django answers a 404 with its technical page, which lists every URL pattern of the site.
    SILON answers the same 404 as in production instead (``silon.urls`` installs this)."""
    return page_not_found(request, exception)
