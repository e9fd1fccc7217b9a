"""Factual verification by sample (PKPU 10/2022): the round's sample page, where the pair's team (its LO) picks
the start number and uploads form MODEL.AWAL.SAMPEL.DPD, and where the team and the KPU read each kab/kota's
draw; the draws' export (NIKs masked)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from regions.models import Level
from regions.selectors import region_names_under
from silon.errors import page_refusals
from silon.numbers import parse_id
from support_uploads.selectors import lo_pairs

from .. import services
from ..reads import sample_export_shown
from ..sample_export import draw_lines, write
from ..selectors import sample_decisions
from ..selectors_sample import round_draws, round_sample_start, sample_plan, sample_round_for_user, start_limit


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sample_view(request, round_id: int):
    round = sample_round_for_user(request.user, round_id)
    is_team = lo_pairs(request.user).filter(pk=round.pair_id).exists()
    if request.method == "POST":
        if not is_team:
            raise PermissionDenied  # the candidate picks the start number, not the KPU (PKPU 10/2022)
        with page_refusals(request):
            number = parse_id(request.POST.get("nomor_awal", ""))
            if number is None:
                messages.error(request, _("Isi nomor awal sampel dengan bilangan bulat positif."))
            elif "formulir" not in request.FILES:
                messages.error(request, _("Unggah formulir MODEL.AWAL.SAMPEL.DPD (PDF)."))
            else:
                services.sample_start_submit(
                    actor=request.user, round=round, number=number, form=request.FILES["formulir"]
                )
                messages.success(request, _("Nomor awal sampel dicatat; sampel setiap kabupaten/kota sudah diambil."))
        return redirect("verification:sample", round_id=round.pk)
    start = round_sample_start(round)
    plan = sample_plan(round) if start is None else []
    decisions = {d.draw_id: d for d in sample_decisions(pair=round.pair, round=round)}
    names = region_names_under(
        version_id=round.election.region_version_id, code=round.election.region_code, levels=[Level.REGENCY]
    )
    draws = [(d, decisions.get(d.pk), names.get(d.regency_code, "")) for d in round_draws(round)]
    context = {
        "round": round,
        "pair": round.pair,
        "start": start,
        "plan": plan,
        "limit": start_limit(plan),
        "draws": draws,
        "can_choose": is_team and start is None and round.is_open and bool(plan),
    }
    return render(request, "verification/sample.html", context)


@login_required
@require_safe
def sample_download(request, round_id: int):
    round = sample_round_for_user(request.user, round_id)
    lines = sample_export_shown(actor=request.user, round=round, lines=draw_lines(list(round_draws(round))))
    response = HttpResponse(write(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="sampel-{round.pk}.csv"'
    return response
