"""Results of the administrative round: marking supporters MS or TMS (ticked rows or a whole desa), taking
marks back, and a supporter's results across every round."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silon.accounts.access import is_kpu_operator
from silon.errors import SHOW, page_refusals
from silon.privacy import Kind
from support_uploads.selectors import supporter_viewer

from .. import services
from ..reads import supporter_history_shown
from ..selectors import round_for_user, supporter_in_worklist
from .common import round_url, row_view, ticked_ids


@login_required
@require_POST
def results_mark(request, round_id: int):
    round = round_for_user(request.user, round_id)
    desa = request.POST.get("desa", "") if request.POST.get("semua") else ""
    ids = None if desa else ticked_ids(request)
    with page_refusals(request, denied=SHOW):
        count = services.results_mark(
            actor=request.user,
            round=round,
            verdict=request.POST.get("verdict", ""),
            supporter_ids=ids if ids is not None else (None if desa else []),
            village_code=desa,
            reason_code=request.POST.get("reason", ""),
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("%(n)s pendukung ditandai.") % {"n": count})
    return redirect(round_url(round, request.POST.get("desa", ""), request.POST.get("halaman", "")))


@login_required
@require_POST
def results_undo(request, round_id: int):
    round = round_for_user(request.user, round_id)
    desa = request.POST.get("desa", "") if request.POST.get("semua") else ""
    with page_refusals(request, denied=SHOW):
        count = services.results_undo(
            actor=request.user,
            round=round,
            supporter_ids=None if desa else (ticked_ids(request) or []),
            village_code=desa,
        )
        messages.success(request, _("%(n)s hasil dibatalkan.") % {"n": count})
    return redirect(round_url(round, request.POST.get("desa", ""), request.POST.get("halaman", "")))


@login_required
def supporter_history_view(request, round_id: int, supporter_id: int):
    """A supporter's results across every round, for KPU operators of the election's region."""
    round = round_for_user(request.user, round_id)
    if not is_kpu_operator(request.user):
        raise Http404
    supporter = supporter_in_worklist(user=request.user, round=round, supporter_id=supporter_id)
    viewer = supporter_viewer(request.user, round.pair, region_code=supporter.village_code)
    full = viewer.full(Kind.NIK)
    context = {
        "round": round,
        "supporter": supporter,
        "full": full,
        "values": row_view(viewer, supporter),
        "history": supporter_history_shown(actor=request.user, supporter=supporter, full=full),
    }
    return render(request, "verification/history.html", context)
