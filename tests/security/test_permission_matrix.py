"""Who may do what, for every URL of the URL conf.

Every role of DOMAIN.md §2 is a column; every URL name a row of ``EXPECTED``. A URL name without a row
fails the test, so a new endpoint has to be classified before it can be merged. Each URL is built with the
objects of the ``world`` fixture (pair A, its upload, its document … all in regency R = 52.01), requested
with every method, and the outcome compared with the row:

``200``   any 2xx
``302``   a redirect that is not to a login page (done, or refused with a message on the page)
``login`` a redirect to a login page
``400`` / ``403`` / ``404`` / ``405`` the status itself

A row is ``{method: tokens}`` with one token per role of ``ROLES`` (or one token for all of them). Pages
(outside /api/) answer 405 to PUT, PATCH and DELETE (``silon.middleware.PageMethodsMiddleware``), checked
for a few roles; the JSON API is checked with every method and every role. Whenever a request is not
expected to succeed, no audit event other than a read may be written (nothing changed), and every page a
Bawaslu user reads with personal data on it must leave a ``supervision.view`` (or export) event.

Objects outside a user's reach answer 404 (no existence leak), so the operator of another regency sees 404
on every object URL of regency R.
"""

import json
import os

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver

from silon.audit.models import AuditEvent

ROLES = (
    "anonymous",
    "lo_b",
    "party_admin_p",
    "verifier_x",
    "kpu_other",
    "bawaslu",
    "lo_a",
    "kpu_r",
    "kpu_province",
    "admin",
)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
UNSAFE = METHODS[1:]


def _walk(patterns, namespace="", prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, ns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            name = p.name or f"<{prefix}{p.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), p


def url_names():
    """(name, pattern) of every URL of the project; an unnamed one is named by its full route."""
    return list(_walk(get_resolver().url_patterns))


def _admin_object_id(name: str) -> str:
    """The pk of an existing row of the model an admin URL names (ids are not 1 once sequences have moved)."""
    try:
        return _admin_object_id_of(name)
    except (StopIteration, ValueError, LookupError, IndexError):
        return "1"


def _admin_object_id_of(name: str) -> str:
    from django.apps import apps as django_apps

    if name == "admin:view_on_site":  # names a content type and an object of it: the world's user rows
        return "1"
    if name.startswith("admin:<"):
        parts = name.split("/")
        at = next(i for i, part in enumerate(parts) if "object_id" in part)
        app_label, model_name = parts[at - 2], parts[at - 1]  # .../<app>/<model>/<path:object_id>/
    else:
        stem = name.removeprefix("admin:")
        app_label, model_name = max(
            (
                (m._meta.app_label, m._meta.model_name)
                for m in django_apps.get_models()
                if stem.startswith(f"{m._meta.app_label}_{m._meta.model_name}_")
            ),
            key=lambda pair: len(pair[0]) + len(pair[1]),
        )
    model = django_apps.get_model(app_label, model_name)
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return str(pk if pk is not None else 1)


DOCUMENT_NAMES = {
    "candidacy:document_download",
    "candidacy:document_check",
    "candidacy_api:document-detail",
    "candidacy_api:document-file",
    "candidacy_api:document-check",
}


def _pk_for(name: str, world) -> dict:
    election = {
        "candidacy:election_detail",
        "candidacy:election_update",
        "candidacy:stage_set",
        "candidacy:extension_grant",
        "candidacy:area_dpt_import",
        "candidacy:party_results",
        "candidacy:pair_create",
        "candidacy_api:election-detail",
        "candidacy_api:election-extensions",
        "candidacy_api:election-party-results",
        "candidacy_api:election-party-results-import",
        "candidacy_api:election-area-dpt",
        "candidacy_api:election-stages",
        "portal_api:election-detail",
    }
    party_pair = {
        "candidacy:nomination",
        "candidacy:party_admin_issue",
        "candidacy:party_admin_revoke",
        "candidacy:pair_confirm",
        "candidacy_api:pair-confirm",
        "candidacy_api:pair-nominations",
        "candidacy_api:pair-party-admin",
        "candidacy_api:pair-party-admin-revoke",
    }
    if name in election:
        return {"pk": world.election.pk}
    if name in party_pair:
        return {"pk": world.pair_p.pk}
    if name in DOCUMENT_NAMES:
        return {"pk": world.document_a.pk}
    return {"pk": world.pair_a.pk}


def build_url(name: str, pattern: URLPattern, world) -> str:
    """The URL of ``name`` with concrete objects of the world in its arguments."""
    from django.urls import reverse

    converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
    keys = set(converters) | set(pattern.pattern.regex.groupindex)
    values = {
        "election_id": world.election.pk,
        "pair_id": world.pair_a.pk,
        "upload_id": world.upload_a.pk,
        "supporter_id": world.supporter_a.pk,
        "account_id": world.lo_account_spare.pk,
        "candidate_id": world.pair_a.candidates.get(role="head").pk,
        "role": "kepala",
        "round_id": world.round_a.pk,
        "document_id": world.round_document_a.pk,
        "scan_id": world.scan_a.pk,
        "code": "52.01",
        "name": "paslon",
        "object_id": _admin_object_id(name) if "object_id" in keys else "1",
        "content_type_id": "1",
        "app_label": "candidacy",
        "url": "tidak-ada/",
        "id": str(world.users["admin"].pk),
        **_pk_for(name, world),
    }
    if name == "portal:region":
        values["code"] = "52"
    if name.startswith("candidacy_api:"):
        values["role"] = "head"  # the API names roles by their value, the pages by an Indonesian slug
    kwargs = {k: values[k] for k in keys}
    if name.startswith("admin:<"):  # unnamed admin redirect shims cannot be reversed: fill the route
        route = name.removeprefix("admin:<").removesuffix(">")
        return "/" + route.replace("<path:object_id>", _admin_object_id(name))
    return reverse(name, kwargs=kwargs)


def outcome(client, method: str, url: str) -> str:
    kwargs = {}
    if method in ("PUT", "PATCH"):
        kwargs = {"data": json.dumps({}), "content_type": "application/json"}
    try:
        response = getattr(client, method.lower())(url, **kwargs)
    except Exception as exc:  # a crash is an outcome the table never expects
        return f"exc:{type(exc).__name__}"
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = response.get("Location", "")
        if target.startswith(resolve_url(settings.LOGIN_URL)) or "/admin/login/" in target:
            return "login"
        return "302"
    if 200 <= status < 300:
        return "200"
    return str(status)


ADMIN_GET_ROLES = ("anonymous", "kpu_r", "admin")
ADMIN_POST_ROLES = ("kpu_r", "admin")
PAGE_UNSAFE_ROLES = ("bawaslu",)
API_UNSAFE_ROLES = ("anonymous", "lo_b", "kpu_other", "bawaslu", "kpu_r", "admin")
# audit events that record a read (a view, a download, an export) or the user's own session, not a change
READ_SUFFIXES = (".view", ".download", ".export", "account.login", "account.logout")


def _roles_for(name: str, url: str, method: str) -> tuple[str, ...]:
    if name.startswith("admin:"):
        return {"GET": ADMIN_GET_ROLES, "POST": ADMIN_POST_ROLES}.get(method, ())
    if method in ("PUT", "PATCH", "DELETE"):
        return API_UNSAFE_ROLES if url.startswith("/api/") else PAGE_UNSAFE_ROLES
    return ROLES


def _expected(name: str, url: str, method: str, role: str) -> str:
    if name in ADMIN_EXPECTED:
        if role != "admin":
            return "login"
        return ADMIN_EXPECTED[name].split()[0 if method == "GET" else 1]
    row = EXPECTED[name]
    if method not in row and not url.startswith("/api/") and method in ("PUT", "PATCH", "DELETE"):
        return "405"
    tokens = row[method].split()
    return tokens[0] if len(tokens) == 1 else tokens[ROLES.index(role)]


def _writes(since: int) -> list[str]:
    actions = AuditEvent.objects.filter(pk__gt=since).values_list("action", flat=True)
    return [a for a in actions if not a.endswith(READ_SUFFIXES)]


def _last_event() -> int:
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


@pytest.mark.django_db
def test_every_url_is_classified():
    names = {name for name, _ in url_names()}
    table = set(EXPECTED) | set(ADMIN_EXPECTED)
    missing = sorted(names - table)
    assert not missing, f"URL names with no row in the permission matrix: {missing}"
    stale = sorted(table - names)
    assert not stale, f"rows for URL names that no longer exist: {stale}"


@pytest.mark.django_db
def test_permission_matrix(world, client):
    observed, failures = {}, []
    for name, pattern in url_names():
        url = build_url(name, pattern, world)
        for method in METHODS:
            for role in _roles_for(name, url, method):
                client.logout()
                if world.users[role] is not None:
                    client.force_login(world.users[role])
                before = _last_event()
                got = outcome(client, method, url)
                observed.setdefault(name, {}).setdefault(method, {})[role] = got
                try:
                    want = _expected(name, url, method, role)
                except KeyError:
                    failures.append(f"{name}: not in the matrix")
                    continue
                if got != want:
                    failures.append(f"{method} {url} ({name}) as {role}: got {got}, expected {want}")
                if method != "GET" and got not in ("200", "302") and _writes(before):
                    failures.append(f"{method} {url} as {role} answered {got} but wrote {_writes(before)}")
                if role == "bawaslu" and method != "GET" and _writes(before):
                    failures.append(f"{method} {url}: Bawaslu changed something: {_writes(before)}")
                audited = AuditEvent.objects.filter(pk__gt=before, actor__role="bawaslu").exists()
                if role == "bawaslu" and method == "GET" and name in BAWASLU_AUDITED and not audited:
                    failures.append(f"GET {url} ({name}): Bawaslu read personal data without an audit event")
    if os.environ.get("SECURITY_MATRIX_PRINT"):
        _print_table(observed)
    assert not failures, "\n".join(failures)


def _print_table(observed):  # pragma: no cover - a helper to classify new URLs
    with open("/tmp/matrix_observed.py", "w") as fh:
        for name, methods in observed.items():
            fh.write(f"    {name!r}: {{\n")
            for method, by_role in methods.items():
                tokens = [by_role.get(r, "-") for r in ROLES]
                fh.write(f"        {method!r}: {' '.join(tokens)!r},\n")
            fh.write("    },\n")


EXPECTED: dict[str, dict[str, str]] = {
    "home": {
        "GET": "200",
        "POST": "405",
    },
    "healthz": {
        "GET": "200",
        "POST": "200",
    },
    "accounts:home": {
        "GET": "login 200 200 200 200 200 200 200 200 200",
        "POST": "login 200 200 200 200 200 200 200 200 200",
    },
    "accounts:login": {
        "GET": "200",
        "POST": "200",
    },
    "accounts:logout": {
        "GET": "405",
        "POST": "302",
    },
    "accounts:password_change": {
        "GET": "login 200 200 200 200 200 200 200 200 200",
        "POST": "login 200 200 200 200 200 200 200 200 200",
    },
    "audit:log": {
        "GET": "403 403 403 403 200 200 403 200 200 200",
        "POST": "403 403 403 403 200 200 403 200 200 200",
    },
    "audit:export": {
        "GET": "403 403 403 403 200 200 403 200 200 200",
        "POST": "403 403 403 403 200 200 403 200 200 200",
    },
    "regions:province_list": {
        "GET": "200",
        "POST": "200",
    },
    "regions:search": {
        "GET": "200",
        "POST": "200",
    },
    "regions:region_detail": {
        "GET": "200",
        "POST": "200",
    },
    "candidacy:election_list": {
        "GET": "login 200 200 200 200 200 200 200 200 200",
        "POST": "login 200 200 200 200 200 200 200 200 200",
    },
    "candidacy:election_create": {
        "GET": "login 403 403 403 200 403 403 200 200 200",
        "POST": "login 403 403 403 200 403 403 200 200 200",
    },
    "candidacy:election_detail": {
        "GET": "login 404 404 404 404 200 404 200 200 200",
        "POST": "login 404 404 404 404 200 404 200 200 200",
    },
    "candidacy:election_update": {
        "GET": "login 404 404 404 404 403 404 200 200 200",
        "POST": "login 404 404 404 404 403 404 200 200 200",
    },
    "candidacy:stage_set": {
        "GET": "login 404 404 404 404 403 404 200 200 200",
        "POST": "login 404 404 404 404 403 404 200 200 200",
    },
    "candidacy:extension_grant": {
        "GET": "login 404 404 404 404 403 404 200 200 200",
        "POST": "login 404 404 404 404 403 404 200 200 200",
    },
    "candidacy:area_dpt_import": {
        "GET": "login 404 404 404 404 403 404 200 200 200",
        "POST": "login 404 404 404 404 403 404 200 200 200",
    },
    "candidacy:party_results": {
        "GET": "login 404 404 404 404 200 404 200 200 200",
        "POST": "login 404 404 404 404 403 404 200 200 200",
    },
    "candidacy:pair_create": {
        "GET": "login 404 404 404 404 403 404 200 200 200",
        "POST": "login 404 404 404 404 403 404 200 200 200",
    },
    "candidacy:pair_list": {
        "GET": "login 200 200 200 200 200 200 200 200 200",
        "POST": "login 200 200 200 200 200 200 200 200 200",
    },
    "candidacy:pair_detail": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "candidacy:pair_rename": {
        "GET": "login 404 404 404 404 403 403 200 200 200",
        "POST": "login 404 404 404 404 403 403 200 200 200",
    },
    "candidacy:nomination": {
        "GET": "login 404 403 404 404 403 404 200 200 200",
        "POST": "login 404 403 404 404 403 404 200 200 200",
    },
    "candidacy:candidate_set": {
        "GET": "login 404 404 404 404 403 403 200 200 200",
        "POST": "login 404 404 404 404 403 403 200 200 200",
    },
    "candidacy:candidate_detail": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "candidacy:candidate_photo": {
        "GET": "login 404 404 404 404 404 404 404 404 404",
        "POST": "login 404 404 404 404 404 404 404 404 404",
    },
    "candidacy:documents": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 403 403 200 200 200",
    },
    "candidacy:pair_transition": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 403 403 302 302 302",
    },
    "candidacy:party_admin_issue": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 403 404 404 403 404 302 302 302",
    },
    "candidacy:party_admin_revoke": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 403 404 404 403 404 302 302 302",
    },
    "candidacy:pair_confirm": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 302 404 404 403 404 403 403 403",
    },
    "candidacy:document_download": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "candidacy:document_check": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 403 403 302 302 302",
    },
    "support_uploads:index": {
        "GET": "login 302 200 200 200 200 302 200 200 200",
        "POST": "login 302 200 200 200 200 302 200 200 200",
    },
    "support_uploads:pair": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "support_uploads:template": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "support_uploads:upload_post": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 302 302 302 302 302",
    },
    "support_uploads:scan_upload": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 302 302 302 302 302",
    },
    "support_uploads:scan": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 405 405 405 405 405 405 405 405 405",
    },
    "support_uploads:submit": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 302 302 302 302 302",
    },
    "support_uploads:team": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "support_uploads:lo_issue": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 404 404 200 302 302",
    },
    "support_uploads:lo_revoke": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 404 404 302 302 302",
    },
    "support_uploads:upload": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "support_uploads:upload_progress": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "support_uploads:upload_report": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "support_uploads:upload_withdraw": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 302 302 302 302 302",
    },
    "support_uploads:supporter": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 200 200 200 200 200",
    },
    "portal:region": {
        "GET": "200",
        "POST": "405",
    },
    "portal:election": {
        "GET": "200",
        "POST": "405",
    },
    "portal:pair": {
        "GET": "200",
        "POST": "405",
    },
    "portal:photo": {
        "GET": "404",
        "POST": "405",
    },
    "portal:open_data": {
        "GET": "200",
        "POST": "405",
    },
    "portal:csv": {
        "GET": "200",
        "POST": "405",
    },
    "portal:ping": {
        "GET": "200",
        "POST": "405",
    },
    "regions_api:region_list": {
        "GET": "404",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "regions_api:version_list": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "regions_api:region_detail": {
        "GET": "404",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "candidacy_api:election-list": {
        "GET": "403 200 200 200 200 200 200 200 200 200",
        "POST": "403 403 403 403 400 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:election-detail": {
        "GET": "403 404 404 404 404 200 404 200 200 200",
        "POST": "403 403 403 403 405 403 403 405 405 405",
        "PUT": "403 403 403 403 404 403 403 400 400 400",
        "PATCH": "403 403 403 403 404 403 403 400 400 400",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:election-extensions": {
        "GET": "403 404 404 404 404 200 404 200 200 200",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:election-party-results": {
        "GET": "403 404 404 404 404 200 404 200 200 200",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:election-stages": {
        "GET": "403 404 404 404 404 200 404 200 200 200",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-list": {
        "GET": "403 200 200 200 200 200 200 200 200 200",
        "POST": "403 403 403 403 400 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-detail": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 403 403 403 405 403 403 405 405 405",
        "PUT": "403 403 403 403 404 403 403 400 400 400",
        "PATCH": "403 403 403 403 404 403 403 400 400 400",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-confirm": {
        "GET": "403 404 200 404 404 200 404 200 200 200",
        "POST": "403 404 200 404 404 403 404 403 403 403",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-candidates": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 403 403 403 405 403 403 405 405 405",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-candidate": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 403 403 403 405 403 403 405 405 405",
        "PUT": "403 403 403 403 404 403 403 400 400 400",
        "PATCH": "403 403 403 403 404 403 403 400 400 400",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-candidate-photo": {
        "GET": "403 404 404 404 404 404 404 404 404 404",
        "POST": "403 403 403 403 405 403 403 405 405 405",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-documents": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-nominations": {
        "GET": "403 404 200 404 404 200 404 200 200 200",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-party-admin": {
        "GET": "403 405 405 405 405 405 405 405 405 405",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-party-admin-revoke": {
        "GET": "403 405 405 405 405 405 405 405 405 405",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:document-detail": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 403 403 403 405 403 403 405 405 405",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:document-file": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 403 403 403 405 403 403 405 405 405",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:document-check": {
        "GET": "403 405 405 405 405 405 405 405 405 405",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:election-area-dpt": {
        "GET": "403 404 404 404 404 200 404 200 200 200",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:election-party-results-import": {
        "GET": "403 405 405 405 405 405 405 405 405 405",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "candidacy_api:pair-transitions": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 403 403 403 404 403 403 400 400 400",
        "PUT": "403 403 403 403 405 403 403 405 405 405",
        "PATCH": "403 403 403 403 405 403 403 405 405 405",
        "DELETE": "403 403 403 403 405 403 403 405 405 405",
    },
    "support_uploads_api:template_spec": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "support_uploads_api:template": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 405 405 405 405 405 405 405 405 405",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    "support_uploads_api:uploads": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 404 404 404 404 400 400 400 400 400",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    "support_uploads_api:recap": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 405 405 405 405 405 405 405 405 405",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    "support_uploads_api:submit": {
        "GET": "403 405 405 405 405 405 405 405 405 405",
        "POST": "403 404 404 404 404 403 400 403 403 403",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    # branch verif6: a BMS pair's correction batch (pair A is not BMS: a submission is refused, 400)
    "support_uploads_api:correction": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 404 404 404 404 403 400 400 400 400",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    "support_uploads_api:upload": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 405 405 405 405 405 405 405 405 405",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    "support_uploads_api:upload_rows": {
        "GET": "403 404 404 404 404 200 200 200 200 200",
        "POST": "403 405 405 405 405 405 405 405 405 405",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    "support_uploads_api:withdraw": {
        "GET": "403 405 405 405 405 405 405 405 405 405",
        "POST": "403 404 404 404 404 403 400 403 403 403",
        "PUT": "403 405 405 405 405 405 405 405 405 405",
        "PATCH": "403 405 405 405 405 405 405 405 405 405",
        "DELETE": "403 405 405 405 405 405 405 405 405 405",
    },
    "portal_api:election-list": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "portal_api:election-detail": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "portal_api:pair-list": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "portal_api:pair-detail": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "portal_api:stage-list": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "portal_api:support-list": {
        "GET": "400",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "api-schema": {
        "GET": "200",
        "POST": "405",
        "PUT": "405",
        "PATCH": "405",
        "DELETE": "405",
    },
    "set_language": {
        "GET": "302",
        "POST": "302",
    },
    "language": {
        "GET": "302",
        "POST": "405",
    },
    "admin:login": {
        "GET": "200 - - - - 200 200 200 - 302",
        "POST": "200",
    },
    "admin:logout": {
        "GET": "302 - - - - 302 302 302 - 405",
        "POST": "302",
    },
    # verification rounds (branch verification)
    "support_uploads:verification:index": {
        "GET": "login 403 403 200 200 403 403 200 200 200",
        "POST": "login 403 403 200 200 403 403 200 200 200",
    },
    "support_uploads:verification:pair": {
        "GET": "login 404 404 404 404 200 200 200 200 200",
        "POST": "login 404 404 404 404 302 302 302 302 302",
    },
    "support_uploads:verification:correction": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 302 302 302 302 302",
    },
    "support_uploads:verification:round": {
        "GET": "login 404 404 200 404 404 404 200 200 200",
        "POST": "login 404 404 200 404 404 404 200 200 200",
    },
    "support_uploads:verification:mark": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 302 404 404 404 302 302 302",
    },
    "support_uploads:verification:undo": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 302 404 404 404 302 302 302",
    },
    "support_uploads:verification:duplicate": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 302 404 404 404 302 302 302",
    },
    "support_uploads:verification:close": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 302 404 404 404 302 302 302",
    },
    "support_uploads:verification:visit": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 404 404 404 404 404",
    },
    # branch verif6: a recorded visit taken back (the world's supporter is not in its round: 404 for all), and
    # the per-desa progress (verifiers: factual rounds of their own area only; the world's round is
    # administrative, so 404)
    "support_uploads:verification:visit_undo": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 404 404 404 404 404",
    },
    "support_uploads:verification:progress": {
        "GET": "login 404 404 404 404 404 404 200 200 200",
        "POST": "login 404 404 404 404 404 404 200 200 200",
    },
    "support_uploads:verification:document_request": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 302 404 404 404 302 302 302",
    },
    "support_uploads:verification:history": {
        "GET": "login 404 404 404 404 404 404 404 404 404",
        "POST": "login 404 404 404 404 404 404 404 404 404",
    },
    "support_uploads:verification:external": {
        "GET": "login 405 405 405 405 405 405 405 405 405",
        "POST": "login 404 404 404 404 404 404 404 404 404",
    },
    "support_uploads:verification:document": {
        "GET": "login 404 404 404 404 404 404 404 404 404",
        "POST": "login 404 404 404 404 404 404 404 404 404",
    },
}
ADMIN_EXPECTED: dict[str, str] = {
    # what the admin itself gets (GET, POST); every other role is sent to the admin login
    "admin:index": "200 200",
    "admin:password_change": "200 200",
    "admin:password_change_done": "200 405",
    "admin:autocomplete": "403 405",
    "admin:jsi18n": "200 405",
    "admin:view_on_site": "404 404",
    "admin:auth_group_changelist": "200 200",
    "admin:auth_group_add": "200 200",
    "admin:auth_group_history": "302 302",
    "admin:auth_group_delete": "302 302",
    "admin:auth_group_change": "302 302",
    "admin:<admin/auth/group/<path:object_id>/>": "302 302",
    "admin:axes_accessattempt_changelist": "200 200",
    "admin:axes_accessattempt_add": "403 403",
    "admin:axes_accessattempt_history": "302 302",
    "admin:axes_accessattempt_delete": "302 302",
    "admin:axes_accessattempt_change": "302 302",
    "admin:<admin/axes/accessattempt/<path:object_id>/>": "302 302",
    "admin:axes_accesslog_changelist": "200 200",
    "admin:axes_accesslog_add": "403 403",
    "admin:axes_accesslog_history": "200 200",
    "admin:axes_accesslog_delete": "200 200",
    "admin:axes_accesslog_change": "200 302",
    "admin:<admin/axes/accesslog/<path:object_id>/>": "302 302",
    "admin:axes_accessfailurelog_changelist": "200 200",
    "admin:axes_accessfailurelog_add": "403 403",
    "admin:axes_accessfailurelog_history": "302 302",
    "admin:axes_accessfailurelog_delete": "302 302",
    "admin:axes_accessfailurelog_change": "302 302",
    "admin:<admin/axes/accessfailurelog/<path:object_id>/>": "302 302",
    "admin:auth_user_password_change": "200 200",
    "admin:accounts_user_changelist": "200 200",
    "admin:accounts_user_add": "200 200",
    "admin:accounts_user_history": "200 200",
    "admin:accounts_user_delete": "200 200",
    "admin:accounts_user_change": "200 200",
    "admin:<admin/accounts/user/<path:object_id>/>": "302 302",
    "admin:audit_auditevent_changelist": "200 200",
    "admin:audit_auditevent_add": "403 403",
    "admin:audit_auditevent_history": "200 200",
    "admin:audit_auditevent_delete": "403 403",
    "admin:audit_auditevent_change": "200 403",
    "admin:<admin/audit/auditevent/<path:object_id>/>": "302 302",
    "admin:regions_regionlistversion_changelist": "200 200",
    "admin:regions_regionlistversion_add": "403 403",
    "admin:regions_regionlistversion_history": "200 200",
    "admin:regions_regionlistversion_delete": "403 403",
    "admin:regions_regionlistversion_change": "200 403",
    "admin:<admin/regions/regionlistversion/<path:object_id>/>": "302 302",
    "admin:regions_region_changelist": "200 200",
    "admin:regions_region_add": "403 403",
    "admin:regions_region_history": "200 200",
    "admin:regions_region_delete": "403 403",
    "admin:regions_region_change": "200 403",
    "admin:<admin/regions/region/<path:object_id>/>": "302 302",
    "admin:candidacy_regulationversion_changelist": "200 200",
    "admin:candidacy_regulationversion_add": "200 200",
    "admin:candidacy_regulationversion_history": "200 200",
    "admin:candidacy_regulationversion_delete": "200 200",
    "admin:candidacy_regulationversion_change": "200 200",
    "admin:<admin/candidacy/regulationversion/<path:object_id>/>": "302 302",
    "admin:candidacy_party_changelist": "200 200",
    "admin:candidacy_party_add": "200 200",
    "admin:candidacy_party_history": "200 200",
    "admin:candidacy_party_delete": "200 200",
    "admin:candidacy_party_change": "200 200",
    "admin:<admin/candidacy/party/<path:object_id>/>": "302 302",
    "admin:candidacy_documentrequirement_changelist": "200 200",
    "admin:candidacy_documentrequirement_add": "200 200",
    "admin:candidacy_documentrequirement_history": "200 200",
    "admin:candidacy_documentrequirement_delete": "200 200",
    "admin:candidacy_documentrequirement_change": "200 200",
    "admin:<admin/candidacy/documentrequirement/<path:object_id>/>": "302 302",
    "admin:app_list": "200 200",
    "admin:<admin/(?P<url>.*)$>": "404 404",
    "admin:support_uploads_reasoncode_changelist": "200 200",
    "admin:support_uploads_reasoncode_add": "200 200",
    "admin:support_uploads_reasoncode_history": "200 200",
    "admin:support_uploads_reasoncode_delete": "200 200",
    "admin:support_uploads_reasoncode_change": "200 200",
    "admin:<admin/support_uploads/reasoncode/<path:object_id>/>": "302 302",
    "admin:support_uploads_verificationround_changelist": "200 200",
    "admin:support_uploads_verificationround_add": "403 403",
    "admin:support_uploads_verificationround_history": "200 200",
    "admin:support_uploads_verificationround_delete": "403 403",
    "admin:support_uploads_verificationround_change": "200 403",
    "admin:<admin/support_uploads/verificationround/<path:object_id>/>": "302 302",
}

# pages and API answers showing supporters' or candidates' personal data: a Bawaslu read is audited
BAWASLU_AUDITED = {
    "candidacy:pair_detail",
    "candidacy:candidate_detail",
    "candidacy:document_download",
    "candidacy_api:pair-detail",
    "candidacy_api:pair-candidates",
    "candidacy_api:pair-candidate",
    "candidacy_api:pair-documents",
    "candidacy_api:document-file",
    "support_uploads:upload",
    "support_uploads:upload_report",
    "support_uploads:supporter",
    "support_uploads:scan",
    "support_uploads_api:upload_rows",
}
