"""Public browse pages of the region master data: province → kab/kota → kecamatan → desa/kelurahan.

No login. Every page costs one query for the version list when its data is cached (see
``selectors.browse_page``); ``?versi=<id>`` shows another loaded list than the default one.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import selectors
from .models import Kind, Level, RegionListVersion

LEVEL_LABELS = dict(Level.choices)
KIND_LABELS = dict(Kind.choices)
# The columns of descendant counts a child row shows, by the level of the children listed.
COUNT_COLUMNS = {
    Level.PROVINCE: [Level.REGENCY, Level.DISTRICT, Level.VILLAGE],
    Level.REGENCY: [Level.DISTRICT, Level.VILLAGE],
    Level.DISTRICT: [Level.VILLAGE],
    Level.VILLAGE: [],
}
CHILD_LEVEL = {"": Level.PROVINCE, Level.PROVINCE: Level.REGENCY, Level.REGENCY: Level.DISTRICT}


def _versions(request: HttpRequest) -> tuple[RegionListVersion | None, list[RegionListVersion], str]:
    """The version asked for (``?versi=``) or the default, every version (for the picker), and the query
    string that keeps an explicit choice on the next link."""
    versions = list(selectors.version_list())
    raw = request.GET.get("versi", "").strip()
    if raw:
        chosen = next((v for v in versions if str(v.pk) == raw), None)
        if chosen is None:
            raise Http404(_("Versi daftar wilayah tidak ditemukan."))
        return chosen, versions, f"?versi={chosen.pk}"
    return next((v for v in versions if v.is_default), None), versions, ""


def _labelled(row: dict) -> dict:
    return {**row, "level_label": LEVEL_LABELS.get(row["level"], ""), "kind_label": KIND_LABELS.get(row["kind"], "")}


def _summary(totals: dict[str, int]) -> list[dict]:
    """Lines such as "10 Kabupaten/Kota (8 Kabupaten, 2 Kota)" for the levels present under a region."""
    parts = {
        Level.PROVINCE: [],
        Level.REGENCY: [Kind.KABUPATEN, Kind.KOTA],
        Level.DISTRICT: [],
        Level.VILLAGE: [Kind.KELURAHAN, Kind.DESA, Kind.DESA_ADAT],
    }
    lines = []
    for level, kinds in parts.items():
        if totals.get(level):
            detail = [{"label": KIND_LABELS[k], "count": totals.get(k, 0)} for k in kinds if totals.get(k)]
            lines.append({"label": LEVEL_LABELS[level], "count": totals[level], "detail": detail})
    return lines


def _render_browse(request: HttpRequest, *, code: str) -> HttpResponse:
    version, versions, version_query = _versions(request)
    context = {"version": version, "versions": versions, "version_query": version_query}
    if version is None:
        return render(request, "regions/browse.html", context)
    page = selectors.browse_page(version=version, code=code)
    if page is None:
        raise Http404(_("Kode wilayah %(code)s tidak ada dalam %(version)s.") % {"code": code, "version": version})
    region = _labelled(page["region"]) if page["region"] else None
    child_level = CHILD_LEVEL.get(region["level"] if region else "", Level.VILLAGE)
    columns = COUNT_COLUMNS[child_level]
    children = [
        {**_labelled(child), "cells": [child["counts"].get(level, 0) for level in columns]}
        for child in page["children"]
    ]
    context.update(
        region=region,
        breadcrumbs=page["breadcrumbs"],
        children=children,
        child_level_label=LEVEL_LABELS[child_level],
        columns=[LEVEL_LABELS[level] for level in columns],
        summary=_summary(page["totals"]),
    )
    return render(request, "regions/browse.html", context)


def province_list(request: HttpRequest) -> HttpResponse:
    return _render_browse(request, code="")


def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_browse(request, code=code)


def search(request: HttpRequest) -> HttpResponse:
    version, versions, version_query = _versions(request)
    query = request.GET.get("q", "").strip()[:100]
    context = {"version": version, "versions": versions, "version_query": version_query, "query": query}
    if version is not None and query:
        page = selectors.search_page(version=version, query=query)
        context.update(results=[_labelled(r) for r in page["results"]], truncated=page["truncated"])
    return render(request, "regions/search.html", context)
