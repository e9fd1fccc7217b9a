"""Operators find people in a round (by NIK, exactly, or by name), and mark a whole kecamatan of an
administrative round in one action (``services.results_mark`` over the kecamatan's code)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from silon.accounts.access import is_kpu_operator
from silon.errors import SHOW, page_refusals
from silon.privacy import Kind
from support_uploads.selectors import supporter_viewer

from .. import services
from ..reads import search_rows_shown
from ..selectors import round_for_user
from ..selectors_search import NAME_MIN_LENGTH, round_results_of, round_search
from ..selectors_team import round_kecamatan
from .common import round_url, row_view


def search_rows(request, round) -> tuple[list[dict], str, bool]:
    """The matches as the user may see them (each in its desa's viewer), audited; the query kind and whether
    any NIK was shown whole. Shared by the page and the API."""
    nik, name = request.GET.get("nik", "").strip(), request.GET.get("nama", "").strip()
    found = list(round_search(user=request.user, round=round, nik=nik, name=name))
    results = round_results_of(round=round, supporter_ids=[s.pk for s in found])
    rows, full = [], False
    for supporter in found:
        viewer = supporter_viewer(request.user, round.pair, region_code=supporter.village_code)
        full = full or viewer.full(Kind.NIK)
        result = results.get(supporter.pk)
        rows.append(
            {
                **row_view(viewer, supporter),
                "verdict": result.verdict if result else "",
                "verdict_label": result.get_verdict_display() if result else "",
                "reason": result.reason.label if result and result.reason else "",
                "due_at": result.due_at if result else None,
            }
        )
    by = "nik" if nik else "name"
    return search_rows_shown(actor=request.user, round=round, rows=rows, by=by, full=full), by, bool(nik or name)


@login_required
@require_safe
def round_search_view(request, round_id: int):
    round = round_for_user(request.user, round_id)
    rows, _by, asked = search_rows(request, round)
    context = {
        "round": round,
        "rows": rows,
        "asked": asked,
        "nik": request.GET.get("nik", "").strip(),
        "nama": request.GET.get("nama", "").strip(),
        "name_min": NAME_MIN_LENGTH,
        "is_operator": is_kpu_operator(request.user),
    }
    return render(request, "verification/search.html", context)


@login_required
@require_POST
def results_mark_area(request, round_id: int):
    """Every supporter of one kecamatan (or only those without a result yet) marked MS, or TMS with a reason."""
    round = round_for_user(request.user, round_id)
    if not is_kpu_operator(request.user):
        raise Http404
    kecamatan = round_kecamatan(round=round, code=request.POST.get("kecamatan", "").strip())
    with page_refusals(request, denied=SHOW):
        if not kecamatan:
            raise ValidationError(_("Pilih satu kecamatan wilayah pemilihan ini."))
        count = services.results_mark(
            actor=request.user,
            round=round,
            verdict=request.POST.get("verdict", ""),
            village_code=kecamatan,
            reason_code=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
            only_undecided=bool(request.POST.get("hanya_belum")),
        )
        messages.success(
            request, _("%(n)s pendukung di kecamatan %(code)s ditandai.") % {"n": count, "code": kecamatan}
        )
    return redirect(round_url(round, kecamatan))
