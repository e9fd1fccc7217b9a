from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/static/", "/media/", "/i18n/", "/healthz")


class ForcePasswordChangeMiddleware:
    """Issued accounts must set their own password before anything else; expired accounts are logged out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.is_expired:
                logout(request)
                return redirect(reverse("accounts:login"))
            if user.must_change_password and not self._exempt(request.path):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Password change required before using the API."}, status=403)
                return redirect(reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (reverse("accounts:password_change"), reverse("accounts:logout"))
        return path in allowed or path.startswith(EXEMPT_PREFIXES)
