"""Duplicates: the potential duplicates of an administrative round (one group per NIK) and the operator's
decision on each, and a supporter found in two pairs choosing one (factual round)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from candidacy.models import CandidatePair
from silon.accounts.access import is_kpu_operator
from silon.errors import SHOW, page_refusals
from silon.numbers import parse_id
from support_uploads.selectors import supporter_viewer

from .. import services
from ..models import RoundKind
from ..reads import duplicate_groups_shown
from ..selectors import round_for_user, supporter_in_worklist
from ..selectors_duplicates import duplicate_niks
from . import common


@login_required
@require_GET
def duplicates(request, round_id: int):
    """The potential duplicates of an administrative round, one group per NIK, with what differs between the
    rows (name, date of birth, marital status, desa): the operator keeps one or none."""
    round = round_for_user(request.user, round_id)
    user = request.user
    if not is_kpu_operator(user) or round.kind != RoundKind.ADMINISTRATIVE:
        raise Http404
    page = Paginator(duplicate_niks(round=round), common.PAGE_ROWS).get_page(request.GET.get("halaman"))
    viewer = supporter_viewer(user, round.pair)
    groups = duplicate_groups_shown(
        actor=user, round=round, niks=list(page.object_list), page=page.number, viewer=viewer
    )
    context = {
        "round": round,
        "groups": groups,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
    }
    return render(request, "verification/duplicates.html", context)


@login_required
@require_POST
def duplicate_resolve(request, round_id: int):
    round = round_for_user(request.user, round_id)
    keep = request.POST.get("keep", "")
    back = reverse("verification:duplicates", args=[round.pk])
    page = request.POST.get("halaman", "")
    if (number := parse_id(page)) not in (None, 1):
        back += f"?halaman={number}"
    if keep != "none" and parse_id(keep) is None:
        messages.error(request, _('Pilih baris yang dipertahankan, atau "tidak ada" untuk TMS semua.'))
        return redirect(back)
    if not request.POST.get("note", "").strip():
        messages.error(request, _("Isi alasan keputusan potensi ganda."))
        return redirect(back)
    with page_refusals(request, denied=SHOW):
        services.duplicate_resolve(
            actor=request.user,
            round=round,
            supporter_ids=common.ticked_ids(request) or [],
            keep_id=parse_id(keep),
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Potensi ganda diputuskan."))
    return redirect(back)


@login_required
@require_POST
def external_choose(request, round_id: int):
    """Record which pair a supporter found in two pairs chose (factual verification)."""
    round = round_for_user(request.user, round_id)
    supporter_id = request.POST.get("supporter", "")
    # the NIK is looked up server-side: a verifier's page never carries it unmasked
    supporter = supporter_in_worklist(user=request.user, round=round, supporter_id=parse_id(supporter_id) or 0)
    pair_id = request.POST.get("pair", "")
    chosen = CandidatePair.objects.filter(election=round.election, pk=parse_id(pair_id) or 0).first()
    if chosen is None:
        raise Http404
    with page_refusals(request, denied=SHOW):
        services.external_duplicate_choose(
            actor=request.user,
            election=round.election,
            nik=supporter.nik,
            chosen_pair=chosen,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Pilihan pendukung dicatat untuk semua pasangan calon."))
    return redirect(common.round_url(round, request.POST.get("desa", ""), request.POST.get("halaman", "")))
