"""Public pages: no login, aggregates only, served from the cache (``portal.cache``)."""

import hashlib
import mimetypes

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from . import cache, selectors

# Rendered pages are shared by every anonymous visitor, so the per-visitor CSRF token (the language form in
# base.html) is rendered as this marker and swapped for the visitor's own token on the way out.
CSRF_PLACEHOLDER = "__portal_csrf_token__"


def _shared_page_allowed(request) -> bool:
    """A page may come from the shared cache only for a visitor with no session and no pending message:
    a signed-in user sees their own navigation, and a flash message must be shown and consumed."""
    return (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def _key(kind: str, *parts) -> str:
    raw = "|".join(str(p) for p in (kind, get_language(), *parts))
    return "portal:" + kind + ":" + hashlib.sha256(raw.encode()).hexdigest()


def _cached_page(request, template: str, data_key: tuple, build):
    """Render ``template`` around ``build()``'s data; both the data and (for anonymous visitors) the whole
    page come from the cache while the data version holds. ``build`` returns ``None`` for a 404."""
    shared = _shared_page_allowed(request)
    # Keyed by what the page is built from, not by the raw URL: made-up query strings (?x=1, ?x=2, …) must
    # not mint new cache entries or bypass the cache.
    page_key = _key("page", request.path, *data_key)
    if shared:
        html, version = cache.get_fresh(page_key)
        if html is not None:
            return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    data = cache.cached(_key("data", *data_key), lambda: build() or {"missing": True})
    if data.get("missing"):
        raise Http404
    if not shared:
        return render(request, template, data)
    html = render_to_string(template, {**data, "csrf_token": CSRF_PLACEHOLDER}, request=request)
    cache.put(page_key, version, html)
    return HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))


@require_safe
def home(request):
    query = request.GET.get("q", "").strip()[: selectors.SEARCH_MAX_LENGTH]
    return _cached_page(
        request,
        "portal/home.html",
        ("home", query),
        lambda: {"groups": selectors.home_groups(query=query), "query": query},
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
    return _cached_page(request, "portal/open_data.html", ("open-data",), lambda: {"ok": True})


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
