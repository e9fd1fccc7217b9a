"""Outage pages (issue #18): the list with the record form, and a proposal's confirmation or dismissal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silon.accounts.access import is_kpu_operator, kpu_operator_reaches
from silon.errors import page_refusals

from .. import forms as f
from ..selectors_outages import outage_for_user, outage_list, outages_proposed
from ..services.outages import outage_decide, outage_record


@login_required
def outage_list_view(request):
    if not request.user.is_official:
        raise PermissionDenied(_("Hanya petugas KPU dan Bawaslu yang dapat melihat catatan gangguan."))
    form = f.OutageForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not is_kpu_operator(request.user):
            raise PermissionDenied(_("Hanya operator KPU yang boleh mencatat gangguan."))
        if form.is_valid():
            with page_refusals(request, form=form):
                data = form.cleaned_data
                outage_record(actor=request.user, **{**data, "region_code": data["region_code"] or None})
                messages.success(request, _("Gangguan dicatat; perpanjangan tahapan diberikan."))
                return redirect("candidacy:outages")
        status = 400
    outages = outage_list(user=request.user).prefetch_related("extensions")[:100]
    decidable = set(outages_proposed(user=request.user).values_list("pk", flat=True))
    context = {"form": form, "outages": outages, "can_record": is_kpu_operator(request.user), "decidable": decidable}
    return render(request, "candidacy/outages.html", context, status=status)


@login_required
@require_POST
def outage_decide_view(request, pk):
    outage = outage_for_user(request.user, pk)
    if not kpu_operator_reaches(request.user, outage.region_code):
        raise PermissionDenied(_("Usulan gangguan ini diputuskan oleh operator KPU RI."))
    form = f.OutageDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih konfirmasi atau tolak."))
        return redirect("candidacy:outages")
    with page_refusals(request):
        outage_decide(actor=request.user, outage=outage, confirm=form.cleaned_data["decision"] == "confirm")
        messages.success(request, _("Keputusan atas usulan gangguan dicatat."))
    return redirect("candidacy:outages")
