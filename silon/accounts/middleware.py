import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from silon.audit import actions
from silon.audit.services import audit_record
from silon.throttling import login_throttled

log = logging.getLogger(__name__)

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


IDLE_KEY = "supervisor_last_request"


class SupervisorIdleTimeoutMiddleware:
    """A supervisor (Bawaslu) session ends after ``SUPERVISOR_IDLE_TIMEOUT`` seconds without a request:
    Bawaslu's access in 2023 was agreed with 15-minute sessions. The next request is signed out (audited as
    ``account.logout`` with the reason, by ``signals``) and answered as anonymous: a page sends the viewer to
    the login, the API refuses. Other roles keep ``SESSION_COOKIE_AGE``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_supervisor:
            now = timezone.now().timestamp()
            last = request.session.get(IDLE_KEY)
            idle = now - last if isinstance(last, int | float) else 0
            if idle > settings.SUPERVISOR_IDLE_TIMEOUT:
                request.logout_reason = {"reason": "idle", "idle_seconds": int(idle)}
                logout(request)
                minutes = max(1, settings.SUPERVISOR_IDLE_TIMEOUT // 60)
                messages.info(
                    request,
                    _("Sesi berakhir setelah %(minutes)s menit tanpa aktivitas. Silakan masuk lagi.")
                    % {"minutes": minutes},
                )
            else:
                request.session[IDLE_KEY] = now
        return self.get_response(request)


# Every form that checks a password: SILON's login page and the admin's.
LOGIN_VIEWS = frozenset({"accounts:login", "admin:login"})


class LoginRateLimitMiddleware:
    """Login POSTs per client address, whatever the username (``silon.throttling.LoginRateThrottle``):
    django-axes locks one username from one address, this stops one password tried over many usernames.
    A refused attempt never reaches the password check; it is audited (the username tried, never the
    password) and logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.resolver_match is None:
            return None
        if request.resolver_match.view_name not in LOGIN_VIEWS:
            return None
        wait = login_throttled(request)
        if wait is None:
            return None
        username = str(request.POST.get("username", ""))[:150]
        audit_record(
            actor=None,
            action=actions.ACCOUNT_LOGIN_THROTTLED,
            object_type="accounts.user",
            object_repr=username,
            after={"retry_after_seconds": wait},
        )
        log.warning(
            "login refused by the per-address limit: %s, retry after %s s", request.META.get("REMOTE_ADDR"), wait
        )
        response = render(request, "accounts/login_throttled.html", {"seconds": wait}, status=429)
        response["Retry-After"] = str(wait)
        return response
