"""The pair's own team (its LO) and its verification results: a round's supporters with their result, the
ones to bring to the PPS office with the moment their 3 days end (docs/domain.md §3.4, §9.3), and the lists
to act on as a file. Another pair's LO, and every other role, gets 404 (``selectors_team.team_round``)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from silon.privacy import Kind, Viewer
from support_uploads.models import ReasonCode
from support_uploads.selectors import supporter_viewer

from ..models import Verdict, Visit
from ..reads import team_results_file, team_results_shown
from ..selectors import round_totals
from ..selectors_team import (
    RESULT_FILTERS,
    round_kecamatan,
    team_actionable,
    team_kecamatans,
    team_results,
    team_round,
)
from ..team_export import FORMATS, export_row, write

TEAM_PAGE_ROWS = 100
PENDING_SHOWN = 20  # the pending supporters listed at the top of the page, nearest due moment first


def team_row(viewer: Viewer, supporter, labels: dict[str, str], now) -> dict:
    """A supporter of ``selectors_team.team_results`` as its team sees it in a list (masked: a listing)."""
    return {
        "pk": supporter.pk,
        "nik": viewer.show(Kind.NIK, supporter.nik),
        "name": viewer.show(Kind.NAME, supporter.name),
        "village_code": supporter.village_code,
        "verdict": supporter.verdict or "",
        "verdict_label": str(Verdict(supporter.verdict).label) if supporter.verdict else "",
        "reason": labels.get(supporter.reason_code or "", supporter.reason_code or ""),
        "note": supporter.note or "",
        "visit": str(Visit(supporter.visit).label) if supporter.visit else "",
        "due_at": supporter.due_at,
        "overdue": bool(supporter.due_at and supporter.due_at < now),
        "url": reverse("support_uploads:supporter", args=[supporter.pk]),
    }


def team_filters(request, round) -> dict:
    result = request.GET.get("hasil", "")
    return {
        "result": result if result in RESULT_FILTERS else "",
        "kecamatan": round_kecamatan(round=round, code=request.GET.get("kecamatan", "").strip()),
    }


def team_page(request, round, *, page_size: int = TEAM_PAGE_ROWS) -> dict:
    """The page's rows and what surrounds them, shared by the page and the API."""
    filters = team_filters(request, round)
    page = Paginator(team_results(round=round, **filters), page_size).get_page(request.GET.get("page"))
    viewer = supporter_viewer(request.user, round.pair).listing()
    labels, now = ReasonCode.labels(), timezone.now()
    pending = list(team_results(round=round, result=Verdict.PENDING)[:PENDING_SHOWN])
    rows = [team_row(viewer, s, labels, now) for s in page.object_list]
    shown = team_results_shown(
        actor=request.user,
        round=round,
        rows=rows + [team_row(viewer, s, labels, now) for s in pending],
        page=page.number,
        filters={k: v for k, v in filters.items() if v},
    )
    return {"page": page, "rows": shown[: len(rows)], "pending": shown[len(rows) :], "filters": filters}


@login_required
@require_safe
def team_results_view(request, round_id: int):
    round = team_round(request.user, round_id)
    context = {
        "round": round,
        "pair": round.pair,
        "totals": round_totals(round),
        "kecamatans": team_kecamatans(round=round),
        "results": [(v, Verdict(v).label) for v in RESULT_FILTERS if v in Verdict.values],
        "formats": list(FORMATS),
        **team_page(request, round),
    }
    return render(request, "verification/team_results.html", context)


def team_file(request, round, fmt: str) -> tuple[bytes, str]:
    """The download's bytes and file name: the pending and TMS rows, full for the pair's own team."""
    if fmt not in FORMATS:
        raise Http404
    viewer = supporter_viewer(request.user, round.pair)
    labels = ReasonCode.labels()
    rows = [export_row(viewer, s, labels) for s in team_actionable(round=round).iterator()]
    rows = team_results_file(actor=request.user, round=round, fmt=fmt, rows=rows, full=viewer.full(Kind.NIK))
    return write(fmt, rows), f"hasil-verifikasi-{round.pk}-{round.kind}.{fmt}"


@login_required
@require_safe
def team_results_download(request, round_id: int):
    round = team_round(request.user, round_id)
    body, name = team_file(request, round, request.GET.get("berkas", "csv"))
    response = HttpResponse(body, content_type=FORMATS[name.rsplit(".", 1)[1]])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
