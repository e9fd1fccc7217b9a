from . import actions
from .context import current_ip, request_actions
from .services import audit_record

# What anyone may read without signing in: the public portal and its API, the region list, the language
# switch, the login page, the schema and the template specification. A Bawaslu read of anything else is
# supervision and is recorded (docs/domain.md §2).
PUBLIC_NAMESPACES = frozenset({"portal", "portal_api", "regions", "regions_api"})
PUBLIC_NAMES = frozenset(
    {
        "home",
        "healthz",
        "language",
        "set_language",
        "api-schema",
        "accounts:login",
        "accounts:logout",
        "admin:login",
        "admin:logout",
        "admin:jsi18n",
        "support_uploads_api:template_spec",
    }
)


class AuditContextMiddleware:
    """Makes the client address available to ``audit_record`` for the length of the request, and collects
    the actions recorded while it runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        recorded = request_actions.set([])
        try:
            return self.get_response(request)
        finally:
            request_actions.reset(recorded)
            current_ip.reset(token)


def is_public(match) -> bool:
    """Whether the resolved route is part of the public site (no match: a 404, nothing was read)."""
    if match is None:
        return True
    return bool(set(match.namespaces[:1]) & PUBLIC_NAMESPACES) or match.view_name in PUBLIC_NAMES


class SupervisionAuditMiddleware:
    """Every page or API answer a Bawaslu user reads outside the public site leaves a ``supervision.view``
    event, unless the view already recorded its own (a download, the rows of an upload …). Built into the
    request cycle instead of each view, so a new view cannot forget it. The event names the route and its
    object ids only: never the query string (a search term may be a name or a NIK) nor the page content."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_supervisor
            and 200 <= response.status_code < 300
            and not is_public(request.resolver_match)
            and not request_actions.get()
        ):
            match = request.resolver_match
            audit_record(
                actor=user,
                action=actions.SUPERVISION_VIEW,
                object_type="route",
                object_id=",".join(str(v) for v in match.kwargs.values())[:64],
                object_repr=match.view_name,
                region_code=user.region_code,
                after={"path": request.path, "route": match.view_name, "args": match.kwargs, "method": request.method},
            )
        return response
