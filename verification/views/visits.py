"""Results of the factual round: a verifier's visit to a supporter, and taking it back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silon.errors import SHOW, page_refusals

from .. import services
from ..selectors import round_for_user, supporter_in_worklist
from .common import round_url


@login_required
@require_POST
def visit_record(request, round_id: int, supporter_id: int):
    round = round_for_user(request.user, round_id)
    supporter = supporter_in_worklist(user=request.user, round=round, supporter_id=supporter_id)
    with page_refusals(request, denied=SHOW):
        services.factual_visit_record(
            actor=request.user,
            round=round,
            supporter=supporter,
            visit=request.POST.get("visit", ""),
            client_token=request.POST.get("token", "")[:64],
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Hasil kunjungan dicatat."))
    return redirect(round_url(round, supporter.village_code, request.POST.get("halaman", "")) + f"#s{supporter.pk}")


@login_required
@require_POST
def visit_undo(request, round_id: int, supporter_id: int):
    """Take back a recorded visit (the verifier who recorded it, or a KPU operator) while the round is open."""
    round = round_for_user(request.user, round_id)
    supporter = supporter_in_worklist(user=request.user, round=round, supporter_id=supporter_id)
    with page_refusals(request, denied=SHOW):
        changed = services.factual_visit_undo(
            actor=request.user, round=round, supporter=supporter, visit=request.POST.get("visit", "")
        )
        if changed:
            messages.success(request, _("Hasil kunjungan dibatalkan."))
        else:
            messages.info(request, _("Tidak ada hasil kunjungan yang dibatalkan (sudah dibatalkan atau berubah)."))
    return redirect(round_url(round, supporter.village_code, request.POST.get("halaman", "")) + f"#s{supporter.pk}")
