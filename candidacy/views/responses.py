"""Public responses on a pair's eligibility (docs/domain.md §9.2): the public's form (anonymous, within the
election's window, rate-limited per address), and the KPU operator's list, clarification and outcome; Bawaslu
reads the list and each response (masked identity, audited)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from silon.accounts.access import is_kpu_operator
from silon.errors import page_refusals
from silon.numbers import parse_id
from silon.throttling import public_response_throttled

from ..forms_responses import ClarifyForm, DecideForm, PublicResponseForm
from ..models import ResponseStatus
from ..reads import response_evidence_file, response_sender, response_shown, response_viewer, responses_shown
from ..selectors_responses import (
    response_for_user,
    response_pair,
    response_window,
    responses_for_user,
    responses_may_read,
)
from ..services import public_response_clarify, public_response_decide, public_response_submit

LIST_PAGE_ROWS = 50


def _throttled(request):
    wait = public_response_throttled(request)
    if wait is None:
        return None
    response = render(request, "429.html", {"minutes": -(-wait // 60), "back": request.path}, status=429)
    response["Retry-After"] = str(wait)
    return response


def response_submit_view(request, pk: int):
    """Anyone may respond on a pair while the window is open; outside it the form names the window."""
    pair = response_pair(pk)
    window = response_window(pair)
    form = PublicResponseForm(request.POST or None, request.FILES or None, pair=pair)
    if request.method == "POST" and form.is_valid():
        refused = _throttled(request)  # counted only when the form is complete: a refused form stores nothing
        if refused is not None:
            return refused
        with page_refusals(request, form=form):
            public_response_submit(pair=pair, ip_address=request.META.get("REMOTE_ADDR"), **form.cleaned_data)
            messages.success(request, _("Tanggapan Anda diterima. Terima kasih."))
            return redirect("candidacy:response_submit", pk=pair.pk)
    status = 400 if request.method == "POST" else 200
    context = {"pair": pair, "form": form, "window": window}
    return render(request, "candidacy/response_form.html", context, status=status)


@login_required
@require_safe
def response_list_view(request):
    if not responses_may_read(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    rows = responses_for_user(request.user, status=status, pair_id=parse_id(request.GET.get("pasangan", "")))
    page = Paginator(rows, LIST_PAGE_ROWS).get_page(request.GET.get("page"))
    shown = [
        {"response": r, "sender": response_sender(response_viewer(request.user, r).listing(), r)}
        for r in page.object_list
    ]
    shown = responses_shown(actor=request.user, rows=shown, page=page.number)
    context = {"page": page, "rows": shown, "statuses": ResponseStatus.choices, "status": status}
    return render(request, "candidacy/response_list.html", context)


@login_required
@require_safe
def response_detail_view(request, pk: int):
    response = response_for_user(request.user, pk)
    context = {
        "response": response,
        "sender": response_shown(actor=request.user, response=response),
        "may_act": is_kpu_operator(request.user) and response.status != ResponseStatus.DECIDED,
        "clarify_form": ClarifyForm(),
        "decide_form": DecideForm(),
    }
    return render(request, "candidacy/response_detail.html", context)


@login_required
@require_POST
def response_clarify_view(request, pk: int):
    response = response_for_user(request.user, pk)
    with page_refusals(request):
        clarification = request.POST.get("clarification", "")
        public_response_clarify(actor=request.user, response=response, clarification=clarification)
        messages.success(request, _("Hasil klarifikasi dicatat."))
    return redirect("candidacy:response_detail", pk=response.pk)


@login_required
@require_POST
def response_decide_view(request, pk: int):
    response = response_for_user(request.user, pk)
    with page_refusals(request):
        public_response_decide(
            actor=request.user,
            response=response,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Hasil tanggapan dicatat."))
    return redirect("candidacy:response_detail", pk=response.pk)


@login_required
@require_safe
def response_evidence_view(request, pk: int):
    response = response_for_user(request.user, pk)
    handle = response_evidence_file(actor=request.user, response=response)
    return FileResponse(handle, as_attachment=True, filename=f"bukti-tanggapan-{response.pk}{_suffix(response)}")


def _suffix(response) -> str:
    name = response.evidence.name or ""
    return name[name.rfind(".") :] if "." in name else ""
