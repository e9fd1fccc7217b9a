"""The rounds: the list a user works on, a pair's rounds (opening one), a round's page with its worklist,
its progress per desa, and closing it."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidacy.models import CandidatePair, Path, SupportStatus
from regions.models import Level
from silon.accounts.access import is_kpu_operator
from silon.accounts.jurisdiction import code_within, region_q
from silon.accounts.models import Role
from silon.errors import SHOW, page_refusals
from silon.privacy import Kind
from support_uploads.models import ReasonCode, Upload, UploadStatus
from support_uploads.recap import shortfall
from support_uploads.selectors import ktp_scans, pair_for_user, supporter_viewer

from .. import services
from ..models import Batch, CorrectionSubmission, DocumentKind, RoundKind, VerificationResult, VerificationRound, Visit
from ..reads import worklist_rows_shown
from ..selectors import (
    pair_support_result,
    round_for_user,
    round_progress,
    round_totals,
    worklist,
    worklist_units,
)
from ..selectors_correction import correction_overview
from ..selectors_team import round_kecamatan
from . import common


@login_required
def index(request):
    """Rounds the user can work on: operators by the election's region, verifiers by their desa/kecamatan."""
    user = request.user
    rounds = VerificationRound.objects.select_related("pair", "election").order_by("-opened_at")
    if user.role == Role.VERIFIER:
        factual = rounds.filter(kind=RoundKind.FACTUAL)
        rounds = [r for r in factual if code_within(user.region_code, r.election.region_code)]
    elif is_kpu_operator(user):
        rounds = rounds.filter(region_q(user, "election__region_code"))
    else:
        raise PermissionDenied
    return render(request, "verification/index.html", {"rounds": rounds})


@login_required
def pair_rounds(request, pair_id: int):
    if request.user.role not in (Role.KPU_OPERATOR, Role.ADMIN, Role.BAWASLU, Role.PAIR_OPERATOR):
        raise Http404
    pair = pair_for_user(request.user, pair_id)
    if request.method == "POST":
        with page_refusals(request, denied=SHOW):
            services.round_open(
                actor=request.user, pair=pair, kind=request.POST.get("kind", ""), batch=request.POST.get("batch", "")
            )
            messages.success(request, _("Putaran verifikasi dibuka."))
        return redirect("verification:pair", pair_id=pair.pk)
    rounds = list(pair.verification_rounds.select_related("opened_by", "closed_by"))
    context = {
        "pair": pair,
        "rounds": [(r, round_totals(r)) for r in rounds],
        "outcomes": pair.support_outcomes.all(),
        "result": pair_support_result(pair=pair),
        "correction": CorrectionSubmission.objects.filter(pair=pair).first(),
        "kinds": RoundKind.choices,
        "batches": Batch.choices,
        "is_operator": is_kpu_operator(request.user),
        "is_team": request.user.role == Role.PAIR_OPERATOR,  # pair_for_user: the pair's own LO
        # the LO or an operator (services.correction): never a read-only supervisor
        "may_submit_correction": request.user.role in (Role.PAIR_OPERATOR, Role.KPU_OPERATOR, Role.ADMIN),
    }
    last = context["outcomes"].last()
    if last is not None:  # the spread regions the MS supporters still miss (UU 10/2016 Pasal 41)
        context["spread_shortfall"] = shortfall(last.spread_required, last.spread_met)
        context["spread_level"] = str(Level(context["result"].spread_level).label).lower()
    if context["correction"] is None and pair.support_status == SupportStatus.BMS:
        # the files of the correction batch (uploaded while the pair was BMS), checked and not withdrawn
        context["correction_uploads"] = Upload.objects.filter(
            pair=pair, batch=Batch.CORRECTION_1, status=UploadStatus.DONE
        )
        context["overview"] = correction_overview(pair=pair)
    return render(request, "verification/pair.html", context)


@login_required
def round_detail(request, round_id: int):
    round = round_for_user(request.user, round_id)
    prefix = request.GET.get("wilayah", "").strip()
    if prefix and not code_within(prefix, round.election.region_code):
        raise Http404
    user = request.user
    if user.role == Role.VERIFIER and not prefix:
        prefix = user.region_code
    context = {
        "round": round,
        "totals": round_totals(round),
        "prefix": prefix,
        "is_operator": is_kpu_operator(user),
        "is_verifier": user.role == Role.VERIFIER,
        "reasons": ReasonCode.objects.filter(code__startswith="TMS_"),
        "visits": Visit.choices,
        "kecamatan": round_kecamatan(round=round, code=prefix),
        "documents": round.documents.filter(requested_by=user)[:10],
        # a verifier may ask for its area's supporter list only; the recap and minutes are the operators'
        "document_kinds": [
            (v, label)
            for v, label in DocumentKind.choices
            if user.role != Role.VERIFIER or v == DocumentKind.SUPPORTER_LIST
        ],
    }
    if user.role == Role.VERIFIER:
        # the verifier's own area only, in counts (the operators' totals cover the whole election)
        context["area_total"] = round_progress(user=user, round=round)[1]
    if len(prefix) == 13:
        context |= _village_worklist(request, round, prefix, is_operator=context["is_operator"])
    else:
        if user.role == Role.VERIFIER and prefix and not code_within(prefix, user.region_code):
            raise Http404
        context["units"] = worklist_units(user=user, round=round, prefix=prefix)
    return render(request, "verification/round.html", context)


def _village_worklist(request, round: VerificationRound, village_code: str, *, is_operator: bool) -> dict:
    """One desa's worklist, page by page; "whole desa" actions still cover every row of it."""
    user = request.user
    page = Paginator(worklist(user=user, round=round, village_prefix=village_code), common.PAGE_ROWS).get_page(
        request.GET.get("halaman")
    )
    rows = list(page.object_list)
    if not rows and user.role == Role.VERIFIER and not code_within(village_code, user.region_code):
        raise Http404
    found = VerificationResult.objects.filter(round=round, supporter_id__in=[s.pk for s in rows])
    results = {r.supporter_id: r for r in found.select_related("reason")}
    viewer = supporter_viewer(user, round.pair, region_code=village_code)
    full = viewer.full(Kind.NIK)
    shown = [(common.row_view(viewer, s), results.get(s.pk)) for s in rows]
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "rows": worklist_rows_shown(actor=user, round=round, supporters=rows, rows=shown, page=page.number, full=full),
        "token": uuid.uuid4().hex,
        "pairs": CandidatePair.objects.filter(election=round.election, path=Path.INDEPENDENT),
    }
    if is_operator:  # the team's scanned KTP copies of this desa, to compare against
        context["scans"] = ktp_scans(pair=round.pair, village_code=village_code)
    return context


@login_required
@require_POST
def round_close(request, round_id: int):
    round = round_for_user(request.user, round_id)
    with page_refusals(request, denied=SHOW):
        services.round_close(actor=request.user, round=round)
        messages.success(request, _("Putaran verifikasi ditutup."))
    return redirect("verification:pair", pair_id=round.pair_id)


@login_required
def round_progress_view(request, round_id: int):
    """Progress of a round per desa: MS, TMS, pending, not yet visited. Counts only; a PPK/PPS sees its own
    kecamatan/desa, never another area (404), a KPU operator the election's region."""
    round = round_for_user(request.user, round_id)
    user = request.user
    prefix = request.GET.get("wilayah", "").strip()
    if user.role == Role.VERIFIER:
        if round.kind != RoundKind.FACTUAL:
            raise Http404
        prefix = prefix or user.region_code
        if not code_within(prefix, user.region_code):
            raise Http404
    elif prefix and not code_within(prefix, round.election.region_code):
        raise Http404
    rows, total = round_progress(user=user, round=round, prefix=prefix)
    context = {
        "round": round,
        "rows": rows,
        "total": total,
        "prefix": prefix,
        "is_operator": is_kpu_operator(user),
    }
    return render(request, "verification/progress.html", context)
