"""Election pages: list with filters, create/edit, stage schedule and extensions, DPT per area, party results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions.models import Level
from silon.errors import page_refusals
from silon.throttling import ElectionImportRateThrottle, upload_refusal

from .. import forms as f
from ..access import can_manage_election, can_write
from ..kinds import election_kind
from ..models import Stage
from ..reads import supervised
from ..schedule import election_stage_schedule
from ..selectors import (
    determination_date,
    election_party_threshold,
    election_support_requirement,
    party_results,
)
from ..services import (
    election_area_dpt_import,
    election_create,
    election_schedule_apply,
    election_update,
    party_result_set,
    party_results_import,
    stage_extension_grant,
    stage_window_set,
)
from .common import election_url, form_page, require_manage, scoped_election
from .exports import filtered_elections


@login_required
def election_list_view(request):
    form, elections = filtered_elections(request)
    page = Paginator(elections, 50).get_page(request.GET.get("page"))
    return render(
        request, "candidacy/election_list.html", {"form": form, "page": page, "can_create": can_write(request.user)}
    )


def _outside_jurisdiction() -> ValidationError:
    """How the election form shows a region the operator may not manage (the service's PermissionDenied)."""
    return ValidationError({"region_code": _("Wilayah ini di luar yurisdiksi Anda.")})


@login_required
def election_create_view(request):
    if not can_write(request.user):
        raise PermissionDenied
    form = f.ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form, denied=_outside_jurisdiction()):
            election = election_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("«%(name)s» dibuat.") % {"name": election.name})
            return redirect("candidacy:election_detail", pk=election.pk)
    return form_page(request, form, title=_("Pemilihan baru"), back=reverse("candidacy:election_list"))


@login_required
def election_detail_view(request, pk):
    election = scoped_election(request, pk)
    supervised(actor=request.user, obj=election, region_code=election.region_code)
    requirement = election_support_requirement(election)
    pairs = election.pairs.prefetch_related("nominations__party").order_by("ballot_number", "id")
    area = election.area_dpts.all()
    return render(
        request,
        "candidacy/election_detail.html",
        {
            "election": election,
            "requirement": requirement,
            "spread_level": Level(requirement.spread_level).label,
            "threshold": election_party_threshold(election),
            "schedule": election_stage_schedule(election),
            "pairs": pairs,
            "area_dpts": area,
            "area_total": area.aggregate(t=Sum("dpt"))["t"],
            "can_manage": can_manage_election(request.user, election),
            "determination_date": determination_date(election),
            "kind": election_kind(election),
        },
    )


@login_required
def election_update_view(request, pk):
    election = scoped_election(request, pk)
    require_manage(request, election)
    initial = {
        "name": election.name,
        "type": election.type,
        "region_version": election.region_version,
        "regulation": election.regulation,
        "region_code": election.region_code,
        "polling_day": election.polling_day,
        "dpt": election.dpt,
        "total_valid_votes": election.total_valid_votes,
        "total_seats": election.total_seats,
    }
    form = f.ElectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form, denied=_outside_jurisdiction()):
            election_update(actor=request.user, election=election, **form.cleaned_data)
            messages.success(request, _("Pemilihan disimpan."))
            return redirect("candidacy:election_detail", pk=election.pk)
    return form_page(request, form, title=_("Ubah pemilihan"), back=election_url(election), obj=election)


@login_required
@require_POST
def schedule_apply_view(request, pk):
    """Schedule every stage from the election kind's own calendar (Pemilu DPD's, relative to polling day)."""
    election = scoped_election(request, pk)
    require_manage(request, election)
    with page_refusals(request):
        election_schedule_apply(actor=request.user, election=election)
        messages.success(request, _("Jadwal tahapan baku diterapkan."))
    return redirect("candidacy:election_detail", pk=election.pk)


@login_required
def stage_set_view(request, pk):
    election = scoped_election(request, pk)
    require_manage(request, election)
    initial = {"stage": request.GET.get("stage")} if request.GET.get("stage") in Stage.values else {}
    if initial:
        window = election.stage_windows.filter(stage=initial["stage"]).first()
        if window:
            initial |= {
                "starts_at": timezone.localtime(window.starts_at),
                "ends_at": timezone.localtime(window.ends_at),
            }
    form = f.StageWindowForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form):
            stage_window_set(actor=request.user, election=election, **form.cleaned_data)
            messages.success(request, _("Jadwal tahapan disimpan."))
            return redirect(election_url(election))
    return form_page(request, form, title=_("Jadwal tahapan"), back=election_url(election), obj=election)


@login_required
def extension_grant_view(request, pk):
    election = scoped_election(request, pk)
    require_manage(request, election)
    form = f.StageExtensionForm(request.POST or None, pairs=election.pairs.all())
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form):
            stage_extension_grant(actor=request.user, election=election, **form.cleaned_data)
            messages.success(request, _("Perpanjangan tahapan dicatat."))
            return redirect(election_url(election))
    return form_page(request, form, title=_("Perpanjangan tahapan"), back=election_url(election), obj=election)


@login_required
def area_dpt_import_view(request, pk):
    election = scoped_election(request, pk)
    require_manage(request, election)
    if request.method == "POST":
        back = reverse("candidacy:area_dpt_import", kwargs={"pk": election.pk})
        refused = upload_refusal(request, back=back, throttle_class=ElectionImportRateThrottle)
        if refused is not None:
            return refused
    form = f.CsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form):
            count = election_area_dpt_import(actor=request.user, election=election, text=form.cleaned_data["content"])
            messages.success(request, _("DPT %(n)s wilayah disimpan.") % {"n": count})
            return redirect(election_url(election))
    return form_page(
        request,
        form,
        title=_("DPT per wilayah"),
        back=election_url(election),
        intro=_("Format CSV: region_code,dpt — satu baris per kabupaten/kota (gubernur) atau kecamatan."),
        obj=election,
    )


@login_required
def party_results_view(request, pk):
    election = scoped_election(request, pk)
    manage = can_manage_election(request.user, election)
    result_form = f.PartyResultForm(prefix="one")
    csv_form = f.CsvForm(prefix="csv")
    if request.method == "POST":
        require_manage(request, election)
        if "one-party" in request.POST:
            result_form = f.PartyResultForm(request.POST, prefix="one")
            if result_form.is_valid():
                with page_refusals(request, form=result_form):
                    party_result_set(actor=request.user, election=election, **result_form.cleaned_data)
                    messages.success(request, _("Perolehan partai disimpan."))
                    return redirect("candidacy:party_results", pk=election.pk)
        else:
            back = reverse("candidacy:party_results", kwargs={"pk": election.pk})
            refused = upload_refusal(request, back=back, throttle_class=ElectionImportRateThrottle)
            if refused is not None:
                return refused
            csv_form = f.CsvForm(request.POST, request.FILES, prefix="csv")
            if csv_form.is_valid():
                with page_refusals(request, form=csv_form):
                    count = party_results_import(
                        actor=request.user, election=election, text=csv_form.cleaned_data["content"]
                    )
                    messages.success(request, _("Perolehan %(n)s partai diimpor.") % {"n": count})
                    return redirect("candidacy:party_results", pk=election.pk)
    results = party_results(election)
    totals = results.aggregate(v=Sum("votes"), s=Sum("seats"))
    return render(
        request,
        "candidacy/party_results.html",
        {
            "election": election,
            "results": results,
            "totals": totals,
            "threshold": election_party_threshold(election),
            "result_form": result_form,
            "csv_form": csv_form,
            "can_manage": manage,
        },
    )
