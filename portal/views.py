"""Public pages: no login, aggregates only, served from the cache (``portal.cache``).

An anonymous visitor's page is one shared byte string: nothing in it is per visitor (the language switch in
base.html is a plain link, not a form with a CSRF token), so serving it costs a dict lookup and the response
object, the same work the constant page (``ping``) does.
"""

import hashlib
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import parse_etags, url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import check_for_language, get_language
from django.views.decorators.http import require_safe

from silon.audit.checkpoints import checkpoint_published
from silon.audit.selectors import checkpoint_latest

from . import cache, selectors

# Rendered into a shared page instead of a CSRF token: a template that puts a form needing a token on a public
# page would otherwise hand one visitor's token (and with it their CSRF secret) to every other visitor.
CSRF_PLACEHOLDER = "__portal_csrf_token__"
# Anonymous pages: the browser may keep them but asks again each time (`max-age=0`; a 304 costs almost nothing),
# so a visitor who signs in or switches language never sees a stale copy. A shared cache, the front proxy's
# (deploy/nginx), may answer with its copy for PORTAL_SHARED_CACHE_SECONDS (`s-maxage`), which is what keeps the
# public pages up while web-public restarts or is full. The page differs by language (the switch's cookie:
# silon.middleware.LanguageMiddleware never reads Accept-Language) and by sign-in (session cookie).
SHARED_VARY = "Cookie"


def shared_cache_control() -> str:
    seconds = settings.PORTAL_SHARED_CACHE_SECONDS
    return f"max-age=0, s-maxage={seconds}" if seconds > 0 else "no-cache"


@dataclass(frozen=True)
class SharedPage:
    """A rendered anonymous page as it goes on the wire, with its validator."""

    body: bytes
    etag: str

    @classmethod
    def from_html(cls, html: str) -> "SharedPage":
        body = html.encode()
        return cls(body, '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"')


def _shared_page_allowed(request) -> bool:
    """A page may come from the shared cache only for a visitor with no session and no pending message: a
    signed-in user sees their own navigation, and a flash message must be shown and consumed. Sign-in lives in
    the session (no other authentication reaches pages), so without the cookie the visitor is anonymous; the
    session itself is not read, which would cost a lookup and mark the response ``Vary: Cookie``."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and "messages" not in cookies


def _key(request, kind: str, *parts) -> str:
    # LocaleMiddleware's choice for this request: a plain attribute, where get_language() goes through a
    # context-local lookup that costs more than the rest of a cached page's view.
    language = getattr(request, "LANGUAGE_CODE", None) or get_language()
    raw = "|".join(str(p) for p in (kind, language, *parts))
    return "portal:" + kind + ":" + hashlib.sha256(raw.encode()).hexdigest()


def _shared_response(request, page: SharedPage) -> HttpResponse:
    # META, not request.headers: that builds a dict of every header on first use.
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match and page.etag in parse_etags(if_none_match):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(page.body)
    response.headers["ETag"] = page.etag
    response.headers["Cache-Control"] = shared_cache_control()
    response.headers["Vary"] = SHARED_VARY
    return response


def _cached_page(request, template: str, data_key: tuple, build, canonical_url: str | None = None):
    """Render ``template`` around ``build()``'s data; both the data and (for anonymous visitors) the whole
    page come from the cache while the data version holds. ``build`` returns ``None`` for a 404.

    ``canonical_url`` is what the page's own links back to it use (the language switch): the path plus the
    query parameters the page is built from, never the visitor's raw query string."""
    shared = _shared_page_allowed(request)
    # Keyed by what the page is built from, not by the raw URL: made-up query strings (?x=1, ?x=2, …) must
    # not mint new cache entries or bypass the cache.
    page_key = _key(request, "page", request.path, *data_key)
    if shared:
        page, version = cache.get_fresh(page_key)
        if page is not None:
            return _shared_response(request, page)
    data = cache.cached(_key(request, "data", *data_key), lambda: build() or {"missing": True})
    if data.get("missing"):
        raise Http404
    context = {**data, "language_next": canonical_url or request.path}
    if not shared:
        return render(request, template, context)
    html = render_to_string(template, {**context, "csrf_token": CSRF_PLACEHOLDER}, request=request)
    if CSRF_PLACEHOLDER in html:
        # A form with a token on a public page: correct but per visitor, never shared.
        return render(request, template, context)
    page = SharedPage.from_html(html)
    cache.put(page_key, version, page)
    return _shared_response(request, page)


@require_safe
def home(request):
    query = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    return _cached_page(
        request,
        "portal/home.html",
        ("home", query),
        lambda: {
            "groups": selectors.home_groups(query=query),
            "pairs": selectors.pairs_matching(query=query) if query else [],
            "query": query,
        },
        canonical_url=request.path + ("?" + urlencode({"q": query}) if query else ""),
    )


@require_safe
def region(request, code: str):
    def build():
        page = selectors.region_page(code)
        return page and {"region": page}

    return _cached_page(request, "portal/region.html", ("region", code), build)


@require_safe
def election(request, election_id: int):
    def build():
        page = selectors.election_page(election_id)
        return page and {"election": page}

    return _cached_page(request, "portal/election.html", ("election", election_id), build)


@require_safe
def pair(request, pair_id: int):
    def build():
        page = selectors.pair_page(pair_id)
        return page and {"pair": page}

    return _cached_page(request, "portal/pair.html", ("pair", pair_id), build)


@require_safe
def open_data(request):
    def build():
        # the newest signed checkpoints of the audit trail (the API lists them all)
        return {"checkpoints": [checkpoint_published(c) for c in checkpoint_latest(limit=5)]}

    return _cached_page(request, "portal/open_data.html", ("open-data",), build)


@require_safe
def candidate_photo(request, candidate_id: int):
    """A candidate's passport photo, which KPU publishes with the pair; the file never leaves MEDIA otherwise."""
    photo = selectors.candidate_photo(candidate_id)
    if photo is None:
        raise Http404
    content_type = mimetypes.guess_type(photo.name)[0] or "application/octet-stream"
    if content_type not in {"image/jpeg", "image/png"}:
        raise Http404
    response = FileResponse(photo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


PING_BODY = b"<!doctype html><html lang=id><title>SILON</title><p>ok</p></html>"


@require_safe
def ping(request):
    """A constant page through the full middleware stack: the baseline the load benchmark compares with."""
    return HttpResponse(PING_BODY)


# Where a language link may come from: the site itself, or the visitor typing or bookmarking it. A link on
# another site ("cross-site", "same-site") only redirects: it cannot switch a visitor's language behind
# their back. Browsers that send no Sec-Fetch-Site header are treated as same-origin.
LANGUAGE_SWITCH_SOURCES = frozenset({"same-origin", "none"})


@require_safe
def language_switch(request, code: str):
    """Set the interface language (cookie, as Django's ``set_language``) and go back to ``next``.

    A plain link, so that a public page needs no per-visitor CSRF token and can be one shared byte string.
    It only sets a preference cookie, no record changes: no audit event. ``next`` must be a local path;
    anything else (another host, a scheme, ``//host``) goes to the home page."""
    next_url = request.GET.get("next", "")
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts=None, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    response = HttpResponseRedirect(next_url)
    add_never_cache_headers(response)
    source = request.headers.get("Sec-Fetch-Site", "same-origin")
    if code in dict(settings.LANGUAGES) and check_for_language(code) and source in LANGUAGE_SWITCH_SOURCES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
