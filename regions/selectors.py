"""Reads of the region master data. Every function takes keyword arguments and one list version.

Region codes have fixed-width segments, so "everything under 52.01" is exactly the codes starting with
``52.01.``; the ``region_code_prefix`` index keeps that a range scan on PostgreSQL.
"""

from collections import Counter

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Length

from silon.numbers import parse_id

from .codes import ancestor_at_sql, ancestors_of, child_sql, under_q, within_q
from .models import Kind, Level, Region, RegionListVersion
from .names import normalize_region_name

LEVEL_ORDER = [Level.PROVINCE.value, Level.REGENCY.value, Level.DISTRICT.value, Level.VILLAGE.value]
SEARCH_LIMIT = 50


# --- names, for pages that show codes ------------------------------------------------------------


def region_names_under(*, version_id: int, code: str, levels: list[str]) -> dict[str, str]:
    """``{code: name}`` of the regions of ``levels`` strictly under ``code`` in one list version."""
    regions = Region.objects.filter(under_q("code", code), version_id=version_id, level__in=levels)
    return dict(regions.values_list("code", "name"))


def province_names(codes: set[str]) -> dict[str, str]:
    """Province names from the region lists (any version, the latest winning: a province's name outlives
    decrees)."""
    names: dict[str, str] = {}
    for code, name in (
        Region.objects.filter(level=Level.PROVINCE, code__in=codes).order_by("version_id").values_list("code", "name")
    ):
        names[code] = name
    return names


def region_latest(code: str, levels: list[str]) -> Region | None:
    """The region with this code at one of ``levels`` in the latest list version that has it."""
    return Region.objects.filter(code=code, level__in=levels).order_by("-version_id").first()


def region_areas_named(*, needle: str, version_ids, limit: int) -> list[str]:
    """For a name search: the province or kab/kota of every region, at any level, whose normalised name contains
    ``needle`` ("gerung", a kecamatan of Lombok Barat, gives ``52.01``; "nusatenggarabarat" gives ``52``).
    Elections are held in provinces and kab/kota, so these are the areas whose elections cover what was typed."""
    return list(
        Region.objects.filter(version_id__in=version_ids, search_name__contains=needle)
        .annotate(area=ancestor_at_sql("code", Level.REGENCY))
        .values_list("area", flat=True)
        .distinct()
        .order_by("area")[:limit]
    )


# --- versions -------------------------------------------------------------------------------------


def version_default() -> RegionListVersion | None:
    """The default list version, or None before any list is loaded."""
    return RegionListVersion.objects.filter(is_default=True).first()


def version_get(*, version_id: int | None = None) -> RegionListVersion | None:
    """The version with ``version_id``, or the default one when ``version_id`` is None."""
    if version_id is None:
        return version_default()
    return RegionListVersion.objects.filter(pk=version_id).first()


def version_find(*, ref: str) -> RegionListVersion | None:
    """A version by id (all digits) or by exact name, as an operator types it on the command line."""
    ref = ref.strip()
    if (version_id := parse_id(ref)) is not None:
        found = RegionListVersion.objects.filter(pk=version_id).first()
        if found is not None:
            return found
    return RegionListVersion.objects.filter(name=ref).first()


def version_list() -> QuerySet[RegionListVersion]:
    """Every loaded version: the default first, then the newest decree (undated ones last on every database)."""
    return RegionListVersion.objects.order_by("-is_default", F("effective_date").desc(nulls_last=True), "-id")


# --- single regions and the tree ----------------------------------------------------------------


def region_get(*, version: RegionListVersion, code: str) -> Region | None:
    return Region.objects.filter(version=version, code=code).first()


def region_children(*, version: RegionListVersion, code: str = "") -> QuerySet[Region]:
    """Direct children of ``code`` in code order; ``code=''`` gives the provinces."""
    return Region.objects.filter(version=version, parent_code=code).order_by("code")


def region_ancestors(*, version: RegionListVersion, code: str, include_self: bool = False) -> list[Region]:
    """The breadcrumb of ``code``: its province, kab/kota and kecamatan (and itself if asked), outermost first."""
    codes = ancestors_of(code) + ([code] if include_self else [])
    if not codes:
        return []
    return list(Region.objects.filter(version=version, code__in=codes).order_by("code"))


def region_villages_under(*, version: RegionListVersion, code: str = "") -> QuerySet[Region]:
    """Every desa/kelurahan at or under ``code`` (a village code gives itself)."""
    qs = Region.objects.filter(version=version, level=Level.VILLAGE)
    if code:
        qs = qs.filter(within_q("code", code))
    return qs.order_by("code")


def region_counts_under(*, version: RegionListVersion, code: str = "") -> dict[str, int]:
    """Number of descendants of ``code`` per level and per kind, e.g. ``{'regency': 10, 'kota': 2, ...}``.

    Keys are the ``Level`` values and the ``Kind`` values; missing levels count 0.
    """
    rows = (
        Region.objects.filter(under_q("code", code), version=version)
        .values_list("level", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: Counter[str] = Counter(dict.fromkeys((*LEVEL_ORDER, *Kind.values), 0))
    for level, kind, n in rows:
        counts[level] += n
        counts[kind] += n
    counts.pop(Kind.PROVINSI.value, None)
    return dict(counts)


def region_child_counts(*, version: RegionListVersion, code: str = "") -> dict[str, dict[str, int]]:
    """For each direct child of ``code``: the number of its descendants per level and kind, in one query.

    ``{'52.01': {'district': 21, 'village': 122, 'desa': 119, 'kelurahan': 3, ...}, ...}``.
    """
    rows = (
        Region.objects.filter(under_q("code", code), version=version)
        .exclude(parent_code=code)
        .annotate(child=child_sql("code", code))
        .values_list("child", "level", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    result: dict[str, dict[str, int]] = {}
    for child, level, kind, n in rows:
        counts = result.setdefault(child, {})
        counts[level] = counts.get(level, 0) + n
        counts[kind] = counts.get(kind, 0) + n
    return result


def region_search(
    *, version: RegionListVersion, query: str, level: str | None = None, limit: int = SEARCH_LIMIT
) -> list[Region]:
    """Regions whose name contains ``query`` after :func:`normalize_region_name` on both sides.

    Case, spacing, punctuation, curly vs straight apostrophes and the ``KAB.``/``Kab``/``Kabupaten``/``Kota``
    prefix style are ignored. Larger regions come first (province, kab/kota, kecamatan, desa), then by code.
    A query that is itself a code (``52.01``) finds that region.
    """
    query = query.strip()
    needle = normalize_region_name(query)
    if not needle:
        return []
    condition = Q(search_name__contains=needle)
    if query.replace(".", "").isdigit():
        condition |= Q(code=query)
    qs = Region.objects.filter(condition, version=version)
    if level:
        qs = qs.filter(level=level)
    # A code's length is its level (2/5/8/13 characters), so this orders province → desa, then by code.
    return list(qs.order_by(Length("code"), "code")[:limit])


def region_queryset(
    *,
    version: RegionListVersion,
    level: str | None = None,
    kind: str | None = None,
    parent_code: str | None = None,
    under: str | None = None,
    name: str | None = None,
) -> QuerySet[Region]:
    """The filterable set behind the API: each argument given narrows it."""
    qs = Region.objects.filter(version=version)
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    if parent_code is not None:
        qs = qs.filter(parent_code=parent_code)
    if under:
        qs = qs.filter(under_q("code", under))
    if name:
        needle = normalize_region_name(name)
        qs = qs.filter(search_name__contains=needle) if needle else qs.none()
    return qs.order_by("code")


# --- cached page data for the public browse pages ----------------------------------------------
# A version never changes in place, so page data keyed by the version's content checksum stays right until
# a different list is chosen; a reload under a new checksum simply uses new keys. Values are plain dicts
# (no translated labels), so one cached entry serves every language.

PAGE_CACHE_SECONDS = 24 * 3600
# Queries are free text: keep their entries short-lived so odd queries do not pile up in the cache.
SEARCH_CACHE_SECONDS = 10 * 60


def _page_key(version: RegionListVersion, *parts: str) -> str:
    return ":".join(["regions", "page", str(version.pk), version.checksum, *parts])


def _as_dict(region: Region) -> dict:
    return {"code": region.code, "name": region.name, "level": region.level, "kind": region.kind}


def browse_page(*, version: RegionListVersion, code: str = "") -> dict | None:
    """Everything a browse page shows for ``code`` ('' = the province list), or None if the code is unknown.

    ``{"region", "breadcrumbs", "children": [{code, name, level, kind, counts}], "totals"}``, where
    ``counts`` and ``totals`` map level and kind values to numbers of descendants. Cached; three queries
    on a miss.
    """
    key = _page_key(version, "browse", code or "-")
    page = cache.get(key)
    if page is not None:
        return page
    region = None
    breadcrumbs: list[dict] = []
    if code:
        chain = region_ancestors(version=version, code=code, include_self=True)
        if not chain or chain[-1].code != code:
            return None  # not cached: unknown codes are unbounded, and a 404 costs one query
        region = _as_dict(chain[-1])
        breadcrumbs = [_as_dict(r) for r in chain[:-1]]
    children = [_as_dict(r) for r in region_children(version=version, code=code)]
    per_child = region_child_counts(version=version, code=code)
    totals: Counter[str] = Counter()
    for child in children:
        child["counts"] = per_child.get(child["code"], {})
        totals[child["level"]] += 1
        totals[child["kind"]] += 1
        totals.update(child["counts"])
    page = {"region": region, "breadcrumbs": breadcrumbs, "children": children, "totals": dict(totals)}
    cache.set(key, page, PAGE_CACHE_SECONDS)
    return page


def search_page(*, version: RegionListVersion, query: str, limit: int = SEARCH_LIMIT) -> dict:
    """Search results with each hit's ancestors' names (to tell the many "Sukamaju" apart). Cached; two
    queries on a miss."""
    needle = normalize_region_name(query)
    key = _page_key(version, "search", needle or "-", query.strip() if query.strip().replace(".", "").isdigit() else "")
    page = cache.get(key)
    if page is not None:
        return page
    hits = region_search(version=version, query=query, limit=limit)
    wanted = {c for hit in hits for c in ancestors_of(hit.code)}
    names = dict(Region.objects.filter(version=version, code__in=wanted).values_list("code", "name")) if wanted else {}
    results = []
    for hit in hits:
        row = _as_dict(hit)
        row["path"] = [names[c] for c in ancestors_of(hit.code) if c in names]
        results.append(row)
    page = {"results": results, "limit": limit, "truncated": len(results) >= limit}
    cache.set(key, page, SEARCH_CACHE_SECONDS)
    return page
