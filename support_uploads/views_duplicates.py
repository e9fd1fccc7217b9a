"""Pages of a pair's potential duplicates (docs/domain.md §4): the rows held for a decision and the decisions
made, for the pair's LO and the KPU; the decision itself is a KPU operator's of the jurisdiction."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from silon.accounts.access import kpu_operator_reaches
from silon.errors import SHOW, page_refusals

from .reads import duplicates_shown
from .selectors import pair_for_user, supporter_viewer
from .selectors_duplicates import decided_groups, held_groups
from .services.decisions import potential_duplicate_decide


@login_required
@require_safe
def duplicates(request, pair_id: int):
    """The pair's held potential duplicates, one group per NIK, and the decisions made with the row chosen."""
    pair = pair_for_user(request.user, pair_id)
    viewer = supporter_viewer(request.user, pair).listing()
    held = held_groups(pair=pair, viewer=viewer)
    decided = decided_groups(pair=pair, viewer=viewer)
    duplicates_shown(actor=request.user, pair=pair, groups=held + decided)
    context = {
        "pair": pair,
        "held": held,
        "decided": decided,
        "can_decide": kpu_operator_reaches(request.user, pair.election.region_code),
    }
    return render(request, "support_uploads/duplicates.html", context)


@login_required
@require_POST
def duplicate_decide(request, pair_id: int):
    """A KPU operator keeps one held row of a NIK as the supporter (``keep``) or rejects them all."""
    pair = pair_for_user(request.user, pair_id)
    action = request.POST.get("action", "")
    # choose: the row ticked; reject: any row of the NIK's group (all its held rows are rejected)
    supporter = request.POST.get("supporter" if action == "choose" else "group", "")
    if not supporter.isdigit() or action not in ("choose", "reject"):
        messages.error(request, _("Pilih baris yang dipertahankan, atau tolak semua baris NIK ini."))
        return redirect("support_uploads:duplicates", pair_id=pair.pk)
    with page_refusals(request, denied=SHOW):
        potential_duplicate_decide(
            actor=request.user,
            pair=pair,
            supporter_id=int(supporter),
            keep=action == "choose",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Potensi ganda diputuskan."))
    return redirect("support_uploads:duplicates", pair_id=pair.pk)
