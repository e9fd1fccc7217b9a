"""Operator and party-admin pages. HTTP in and out only: every rule lives in services and selectors.

Objects outside the user's reach answer 404 (they are looked up through the user's scoped selectors);
users who may read but not write (Bawaslu, party admins) get 403 on every change.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silon.audit.services import audit_record
from silon.privacy import mask_nik

from . import forms as f
from .access import can_manage_election, can_see_personal_data, can_write, is_pair_team
from .models import Candidate, Document, DocumentRequirement, PairStatus, Party, PartyAdmin, Path, Stage
from .selectors import (
    coalition_check,
    determination_date,
    election_filtered_list,
    election_list,
    election_party_threshold,
    election_stage_schedule,
    election_support_requirement,
    pair_detail_queryset,
    pair_document_checklist,
    pair_list,
    parties_available,
    party_results,
)
from .services import (
    candidate_set,
    document_check,
    document_upload,
    election_area_dpt_import,
    election_create,
    election_update,
    pair_confirm,
    pair_create,
    pair_nominate,
    pair_rename,
    pair_transition,
    party_admin_issue,
    party_result_set,
    party_results_import,
    stage_extension_grant,
    stage_window_set,
)
from .status import next_statuses


def _election(request, pk):
    return get_object_or_404(election_list(user=request.user), pk=pk)


def _pair(request, pk):
    return get_object_or_404(pair_detail_queryset(user=request.user), pk=pk)


def _require_manage(request, election):
    if not can_manage_election(request.user, election):
        raise PermissionDenied(_("Anda hanya dapat membaca data ini."))


def _form_page(request, form, *, title, back, submit=None, intro=None, obj=None):
    return render(
        request,
        "candidacy/form.html",
        {"form": form, "title": title, "back": back, "submit": submit or _("Simpan"), "intro": intro, "obj": obj},
    )


# --- elections -------------------------------------------------------------------------------------


@login_required
def election_list_view(request):
    form = f.ElectionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    elections = (
        election_filtered_list(
            user=request.user,
            type=filters.get("type", ""),
            region=filters.get("region", ""),
            year=filters.get("year"),
            search=filters.get("q", ""),
        )
        .annotate(pair_count=Count("pairs"))
        .order_by("region_code", "-polling_day", "pk")
    )
    page = Paginator(elections, 50).get_page(request.GET.get("page"))
    return render(
        request, "candidacy/election_list.html", {"form": form, "page": page, "can_create": can_write(request.user)}
    )


@login_required
def election_create_view(request):
    if not can_write(request.user):
        raise PermissionDenied
    form = f.ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            election = election_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("region_code", _("Wilayah ini di luar yurisdiksi Anda."))
        else:
            messages.success(request, _("Pemilihan %(name)s dibuat.") % {"name": election.name})
            return redirect("candidacy:election_detail", pk=election.pk)
    return _form_page(request, form, title=_("Pemilihan baru"), back=reverse("candidacy:election_list"))


@login_required
def election_detail_view(request, pk):
    election = _election(request, pk)
    pairs = election.pairs.prefetch_related("nominations__party").order_by("ballot_number", "id")
    area = election.area_dpts.all()
    return render(
        request,
        "candidacy/election_detail.html",
        {
            "election": election,
            "requirement": election_support_requirement(election),
            "threshold": election_party_threshold(election),
            "schedule": election_stage_schedule(election),
            "pairs": pairs,
            "area_dpts": area,
            "area_total": area.aggregate(t=Sum("dpt"))["t"],
            "can_manage": can_manage_election(request.user, election),
            "determination_date": determination_date(election),
        },
    )


@login_required
def election_update_view(request, pk):
    election = _election(request, pk)
    _require_manage(request, election)
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
        try:
            election_update(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        except PermissionDenied:
            form.add_error("region_code", _("Wilayah ini di luar yurisdiksi Anda."))
        else:
            messages.success(request, _("Pemilihan disimpan."))
            return redirect("candidacy:election_detail", pk=election.pk)
    return _form_page(request, form, title=_("Ubah pemilihan"), back=election_url(election), obj=election)


def election_url(election):
    return reverse("candidacy:election_detail", kwargs={"pk": election.pk})


@login_required
def stage_set_view(request, pk):
    election = _election(request, pk)
    _require_manage(request, election)
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
        try:
            stage_window_set(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Jadwal tahapan disimpan."))
            return redirect(election_url(election))
    return _form_page(request, form, title=_("Jadwal tahapan"), back=election_url(election), obj=election)


@login_required
def extension_grant_view(request, pk):
    election = _election(request, pk)
    _require_manage(request, election)
    form = f.StageExtensionForm(request.POST or None, pairs=election.pairs.all())
    if request.method == "POST" and form.is_valid():
        try:
            stage_extension_grant(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Perpanjangan tahapan dicatat."))
            return redirect(election_url(election))
    return _form_page(request, form, title=_("Perpanjangan tahapan"), back=election_url(election), obj=election)


@login_required
def area_dpt_import_view(request, pk):
    election = _election(request, pk)
    _require_manage(request, election)
    form = f.CsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = election_area_dpt_import(actor=request.user, election=election, text=form.cleaned_data["content"])
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("DPT %(n)s wilayah disimpan.") % {"n": count})
            return redirect(election_url(election))
    return _form_page(
        request,
        form,
        title=_("DPT per wilayah"),
        back=election_url(election),
        intro=_("Format CSV: region_code,dpt — satu baris per kabupaten/kota (gubernur) atau kecamatan."),
        obj=election,
    )


@login_required
def party_results_view(request, pk):
    election = _election(request, pk)
    manage = can_manage_election(request.user, election)
    result_form = f.PartyResultForm(prefix="one")
    csv_form = f.CsvForm(prefix="csv")
    if request.method == "POST":
        _require_manage(request, election)
        if "one-party" in request.POST:
            result_form = f.PartyResultForm(request.POST, prefix="one")
            if result_form.is_valid():
                try:
                    party_result_set(actor=request.user, election=election, **result_form.cleaned_data)
                except ValidationError as exc:
                    f.apply_errors(result_form, exc)
                else:
                    messages.success(request, _("Perolehan partai disimpan."))
                    return redirect("candidacy:party_results", pk=election.pk)
        else:
            csv_form = f.CsvForm(request.POST, request.FILES, prefix="csv")
            if csv_form.is_valid():
                try:
                    count = party_results_import(
                        actor=request.user, election=election, text=csv_form.cleaned_data["content"]
                    )
                except ValidationError as exc:
                    f.apply_errors(csv_form, exc)
                else:
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


# --- pairs -----------------------------------------------------------------------------------------


@login_required
def pair_list_view(request):
    pairs = pair_list(user=request.user).order_by("election__name", "ballot_number", "id")
    page = Paginator(pairs, 50).get_page(request.GET.get("page"))
    return render(request, "candidacy/pair_list.html", {"page": page})


@login_required
def pair_create_view(request, pk):
    election = _election(request, pk)
    _require_manage(request, election)
    form = f.PairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pair = pair_create(actor=request.user, election=election, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Pasangan calon dibuat."))
            return redirect("candidacy:pair_detail", pk=pair.pk)
    return _form_page(request, form, title=_("Pasangan calon baru"), back=election_url(election), obj=election)


def pair_url(pair):
    return reverse("candidacy:pair_detail", kwargs={"pk": pair.pk})


@login_required
def pair_detail_view(request, pk):
    pair = _pair(request, pk)
    election = pair.election
    manage = can_manage_election(request.user, election)
    parties = [n.party for n in pair.nominations.all()]
    candidates = {c.role: c for c in pair.candidates.all()}
    checklist = pair_document_checklist(pair)
    return render(
        request,
        "candidacy/pair_detail.html",
        {
            "pair": pair,
            "election": election,
            "can_manage": manage,
            "is_team": is_pair_team(request.user, pair),
            "candidate_rows": [(slug, role.label, candidates.get(role.value)) for slug, role in f.ROLE_SLUGS.items()],
            "parties": parties,
            "coalition": coalition_check(election=election, parties=parties) if parties else None,
            "threshold": election_party_threshold(election),
            "checklist": checklist,
            "checked": sum(1 for r in checklist if r["latest"] and r["latest"].check_status == "complete"),
            "history": pair.status_history.all(),
            "next_statuses": [PairStatus(s) for s in next_statuses(pair.status)] if manage else [],
            "transition_form": f.TransitionForm(),
            "party_admin": PartyAdmin.objects.filter(pair=pair).select_related("user").first(),
            "confirmations": pair.confirmations.select_related("confirmed_by"),
            "confirmation_form": f.ConfirmationForm(),
            "is_party": pair.path == Path.PARTY,
        },
    )


@login_required
def pair_rename_view(request, pk):
    pair = _pair(request, pk)
    _require_manage(request, pair.election)
    form = f.PairRenameForm(request.POST or None, initial={"name": pair.name})
    if request.method == "POST" and form.is_valid():
        try:
            pair_rename(actor=request.user, pair=pair, **form.cleaned_data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            return redirect(pair_url(pair))
    return _form_page(request, form, title=_("Ubah nama pasangan calon"), back=pair_url(pair), obj=pair)


@login_required
def nomination_view(request, pk):
    pair = _pair(request, pk)
    _require_manage(request, pair.election)
    if pair.path != Path.PARTY:
        raise Http404
    current = [n.party for n in pair.nominations.all()]
    choices = (parties_available(pair.election) | Party.objects.filter(pk__in=[p.pk for p in current])).order_by(
        "number"
    )
    form = f.NominationForm(request.POST or None, parties=choices, initial={"parties": current})
    if request.method == "POST" and form.is_valid():
        try:
            pair_nominate(actor=request.user, pair=pair, parties=list(form.cleaned_data["parties"]))
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Partai pengusul disimpan."))
            return redirect(pair_url(pair))
    threshold = election_party_threshold(pair.election)
    intro = _("Aturan: %(rule)s.") % {"rule": threshold.rule_label}
    if threshold.votes_required is not None:
        intro += " " + _("Suara sah yang diperlukan: %(votes)s.") % {
            "votes": f"{threshold.votes_required:,}".replace(",", ".")
        }
    if threshold.seats_required is not None:
        intro += " " + _("Atau kursi: %(seats)s.") % {"seats": threshold.seats_required}
    return _form_page(request, form, title=_("Partai politik pengusul"), back=pair_url(pair), intro=intro, obj=pair)


@login_required
def candidate_set_view(request, pk, role):
    pair = _pair(request, pk)
    _require_manage(request, pair.election)
    if role not in f.ROLE_SLUGS:
        raise Http404
    role_value = f.ROLE_SLUGS[role]
    candidate = pair.candidates.filter(role=role_value).first()
    initial = {}
    if candidate:
        initial = {
            field: getattr(candidate, field)
            for field in (
                "nik",
                "name",
                "birth_place",
                "birth_date",
                "sex",
                "address",
                "education",
                "occupation",
                "cv_summary",
                "cv_publication_consent",
            )
        }
    form = f.CandidateForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            candidate_set(actor=request.user, pair=pair, role=role_value, **data)
        except ValidationError as exc:
            f.apply_errors(form, exc)
        else:
            messages.success(request, _("Data calon disimpan."))
            return redirect(pair_url(pair))
    label = dict(f.CandidateRole.choices)[role_value]
    return _form_page(request, form, title=label, back=pair_url(pair), obj=pair)


@login_required
def candidate_detail_view(request, pk, role):
    """The full record of a candidate (NIK, address): only for the jurisdiction and the pair's team, and
    every view is written to the audit log."""
    pair = _pair(request, pk)
    if role not in f.ROLE_SLUGS or not can_see_personal_data(request.user, pair):
        raise Http404
    candidate = get_object_or_404(Candidate, pair=pair, role=f.ROLE_SLUGS[role])
    audit_record(
        actor=request.user,
        action="candidate.view",
        obj=candidate,
        region_code=pair.election.region_code,
        after={"nik": mask_nik(candidate.nik)},
    )
    return render(request, "candidacy/candidate_detail.html", {"pair": pair, "candidate": candidate, "role": role})


@login_required
def candidate_photo_view(request, pk, role):
    pair = _pair(request, pk)
    candidate = get_object_or_404(Candidate, pair=pair, role=f.ROLE_SLUGS.get(role, ""))
    if not candidate.photo:
        raise Http404
    content_type = mimetypes.guess_type(candidate.photo.name)[0] or "application/octet-stream"
    return FileResponse(candidate.photo.open("rb"), content_type=content_type)


# --- documents -------------------------------------------------------------------------------------


@login_required
def documents_view(request, pk):
    pair = _pair(request, pk)
    manage = can_manage_election(request.user, pair.election)
    upload_form = f.DocumentUploadForm()
    if request.method == "POST":
        _require_manage(request, pair.election)
        upload_form = f.DocumentUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            requirement = get_object_or_404(DocumentRequirement, pk=upload_form.cleaned_data["requirement"])
            candidate = None
            if upload_form.cleaned_data.get("candidate"):
                candidate = get_object_or_404(Candidate, pk=upload_form.cleaned_data["candidate"], pair=pair)
            try:
                document_upload(
                    actor=request.user,
                    pair=pair,
                    requirement=requirement,
                    candidate=candidate,
                    file=upload_form.cleaned_data["file"],
                )
            except ValidationError as exc:
                f.apply_errors(upload_form, exc)
            else:
                messages.success(request, _("Dokumen %(doc)s diunggah.") % {"doc": requirement.label})
                return redirect("candidacy:documents", pk=pair.pk)
        if upload_form.errors:
            messages.error(request, " ".join(e for errs in upload_form.errors.values() for e in errs))
    return render(
        request,
        "candidacy/documents.html",
        {
            "pair": pair,
            "checklist": pair_document_checklist(pair),
            "can_manage": manage,
            "check_form": f.DocumentCheckForm(),
        },
    )


def _document(request, pk):
    document = get_object_or_404(Document.objects.select_related("pair__election", "requirement"), pk=pk)
    if not pair_list(user=request.user).filter(pk=document.pair_id).exists():
        raise Http404
    return document


@login_required
def document_download_view(request, pk):
    """Documents are never served as media: this view checks reach and writes an audit event."""
    document = _document(request, pk)
    audit_record(
        actor=request.user,
        action="document.download",
        obj=document,
        region_code=document.pair.election.region_code,
        after={"revision": document.revision},
    )
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{document.requirement.code}-r{document.revision}.pdf",
    )


@login_required
@require_POST
def document_check_view(request, pk):
    document = _document(request, pk)
    _require_manage(request, document.pair.election)
    form = f.DocumentCheckForm(request.POST)
    if form.is_valid():
        try:
            document_check(actor=request.user, document=document, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Hasil pemeriksaan dokumen disimpan."))
    else:
        messages.error(request, _("Pilih hasil pemeriksaan."))
    return redirect("candidacy:documents", pk=document.pair_id)


# --- status, party admin ---------------------------------------------------------------------------


@login_required
@require_POST
def pair_transition_view(request, pk):
    pair = _pair(request, pk)
    _require_manage(request, pair.election)
    form = f.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan perubahan status wajib diisi."))
        return redirect(pair_url(pair))
    try:
        pair_transition(actor=request.user, pair=pair, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Status pasangan calon diubah."))
    return redirect(pair_url(pair))


@login_required
@require_POST
def party_admin_issue_view(request, pk):
    pair = _pair(request, pk)
    _require_manage(request, pair.election)
    try:
        user, password = party_admin_issue(actor=request.user, pair=pair)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(pair_url(pair))
    # The password is shown here once and never stored in clear.
    response = render(
        request, "candidacy/party_admin_issued.html", {"pair": pair, "account": user, "password": password}
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def pair_confirm_view(request, pk):
    pair = _pair(request, pk)
    form = f.ConfirmationForm(request.POST)
    form.is_valid()
    pair_confirm(actor=request.user, pair=pair, note=form.cleaned_data.get("note", ""))
    messages.success(request, _("Konfirmasi dicatat."))
    return redirect(pair_url(pair))
