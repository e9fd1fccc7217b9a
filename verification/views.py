"""Pages of the verification rounds. HTTP in and out only: every rule lives in services and selectors.
Verifiers see only their own kecamatan/desa (404 for anything else); personal data is masked unless the
role needs it, and every page showing supporters is audited."""

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST, require_safe

from candidacy.models import CandidatePair, Path, SupportStatus
from regions.models import Level
from silon.accounts.jurisdiction import code_within, region_q
from silon.accounts.models import Role
from silon.audit.services import audit_record
from silon.privacy import mask_address, mask_name, mask_nik
from support_uploads.models import ReasonCode, RowStatus, Upload, UploadStatus
from support_uploads.selectors import ktp_scans, pair_for_user, sees_full_personal_data

from . import services
from .documents import document_find
from .models import (
    Batch,
    CorrectionSubmission,
    DocumentKind,
    RoundKind,
    VerificationDocument,
    VerificationResult,
    VerificationRound,
    Visit,
)
from .selectors import (
    correction_overview,
    duplicate_groups,
    duplicate_niks,
    pair_support_result,
    round_for_user,
    round_progress,
    round_totals,
    supporter_history,
    supporter_in_worklist,
    worklist,
    worklist_units,
)

PAGE_ROWS = 200
MIMES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _fail(request, exc: Exception) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _round_url(round: VerificationRound, prefix: str = "", page: str = "") -> str:
    url = reverse("verification:round", args=[round.pk])
    query = {"wilayah": prefix} if prefix else {}
    if prefix and page.isdigit() and page != "1":
        query["halaman"] = page
    return f"{url}?{urlencode(query)}" if query else url


@login_required
def index(request):
    """Rounds the user can work on: operators by the election's region, verifiers by their desa/kecamatan."""
    user = request.user
    rounds = VerificationRound.objects.select_related("pair", "election").order_by("-opened_at")
    if user.role == Role.VERIFIER:
        factual = rounds.filter(kind=RoundKind.FACTUAL)
        rounds = [r for r in factual if code_within(user.region_code, r.election.region_code)]
    elif user.role in (Role.KPU_OPERATOR, Role.ADMIN):
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
        try:
            services.round_open(
                actor=request.user, pair=pair, kind=request.POST.get("kind", ""), batch=request.POST.get("batch", "")
            )
            messages.success(request, _("Putaran verifikasi dibuka."))
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
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
        "is_operator": request.user.role in (Role.KPU_OPERATOR, Role.ADMIN),
    }
    last = context["outcomes"].last()
    if last is not None:  # the spread regions the MS supporters still miss (UU 10/2016 Pasal 41)
        context["spread_shortfall"] = max(0, last.spread_required - last.spread_met)
        context["spread_level"] = str(Level(context["result"].spread_level).label).lower()
    if context["correction"] is None and pair.support_status == SupportStatus.BMS:
        # the files of the correction batch (uploaded while the pair was BMS), checked and not withdrawn
        context["correction_uploads"] = Upload.objects.filter(
            pair=pair, batch=Batch.CORRECTION_1, status=UploadStatus.DONE
        )
        context["overview"] = correction_overview(pair=pair)
    return render(request, "verification/pair.html", context)


def _row_view(user, pair: CandidatePair, supporter, full: bool) -> dict:
    # verifiers need the name and address to find the supporter, never the whole NIK
    needs_contact = full or user.role == Role.VERIFIER
    return {
        "pk": supporter.pk,
        "nik": supporter.nik if full else mask_nik(supporter.nik),
        "name": supporter.name if needs_contact else mask_name(supporter.name),
        "address": supporter.address if needs_contact else mask_address(supporter.address),
        "rt_rw": f"{supporter.rt}/{supporter.rw}".strip("/"),
        "village_code": supporter.village_code,
        "review": supporter.status == RowStatus.REVIEW,
        "external": "DUP_EXTERNAL" in supporter.reason_list,
    }


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
        "is_operator": user.role in (Role.KPU_OPERATOR, Role.ADMIN),
        "is_verifier": user.role == Role.VERIFIER,
        "reasons": ReasonCode.objects.filter(code__startswith="TMS_"),
        "visits": Visit.choices,
        "documents": round.documents.filter(requested_by=user)[:10],
        "document_kinds": DocumentKind.choices,
    }
    if user.role == Role.VERIFIER:
        # the verifier's own area only, in counts (the operators' totals cover the whole election)
        context["area_total"] = round_progress(user=user, round=round)[1]
    if len(prefix) == 13:
        # every row of the desa is reachable page by page; "whole desa" actions still cover all of them
        page = Paginator(worklist(user=user, round=round, village_prefix=prefix), PAGE_ROWS).get_page(
            request.GET.get("halaman")
        )
        rows = list(page.object_list)
        if not rows and user.role == Role.VERIFIER and not code_within(prefix, user.region_code):
            raise Http404
        context["page"] = page
        context["page_range"] = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
        found = VerificationResult.objects.filter(round=round, supporter_id__in=[s.pk for s in rows])
        results = {r.supporter_id: r for r in found.select_related("reason")}
        full = sees_full_personal_data(user, round.pair)
        context["rows"] = [(_row_view(user, round.pair, s, full), results.get(s.pk)) for s in rows]
        context["token"] = uuid.uuid4().hex
        context["pairs"] = CandidatePair.objects.filter(election=round.election, path=Path.INDEPENDENT)
        if context["is_operator"]:  # the team's scanned KTP copies of this desa, to compare against
            context["scans"] = ktp_scans(pair=round.pair, village_code=prefix)
        audit_record(
            actor=user,
            action="verification.worklist.view",
            obj=round,
            region_code=prefix,
            after={"rows": len(rows), "page": page.number, "masked_nik": not full},
        )
    else:
        if user.role == Role.VERIFIER and prefix and not code_within(prefix, user.region_code):
            raise Http404
        context["units"] = worklist_units(user=user, round=round, prefix=prefix)
    return render(request, "verification/round.html", context)


def _ids(request) -> list[int] | None:
    ids = [int(v) for v in request.POST.getlist("pilih") if v.isdigit()]
    return ids or None


@login_required
@require_POST
def results_mark(request, round_id: int):
    round = round_for_user(request.user, round_id)
    desa = request.POST.get("desa", "") if request.POST.get("semua") else ""
    ids = None if desa else _ids(request)
    try:
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
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(_round_url(round, request.POST.get("desa", ""), request.POST.get("halaman", "")))


@login_required
@require_POST
def results_undo(request, round_id: int):
    round = round_for_user(request.user, round_id)
    desa = request.POST.get("desa", "") if request.POST.get("semua") else ""
    try:
        count = services.results_undo(
            actor=request.user, round=round, supporter_ids=None if desa else (_ids(request) or []), village_code=desa
        )
        messages.success(request, _("%(n)s hasil dibatalkan.") % {"n": count})
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(_round_url(round, request.POST.get("desa", ""), request.POST.get("halaman", "")))


@login_required
@require_GET
def duplicates(request, round_id: int):
    """The potential duplicates of an administrative round, one group per NIK, with what differs between the
    rows (name, date of birth, marital status, desa): the operator keeps one or none."""
    round = round_for_user(request.user, round_id)
    user = request.user
    if user.role not in (Role.KPU_OPERATOR, Role.ADMIN) or round.kind != RoundKind.ADMINISTRATIVE:
        raise Http404
    page = Paginator(duplicate_niks(round=round), PAGE_ROWS).get_page(request.GET.get("halaman"))
    full = sees_full_personal_data(user, round.pair)
    groups = duplicate_groups(round=round, niks=list(page.object_list), full=full)
    audit_record(
        actor=user,
        action="verification.duplicates.view",
        obj=round,
        region_code=round.election.region_code,
        after={"groups": len(groups), "page": page.number, "masked_nik": True, "masked_name": not full},
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
    if page.isdigit() and page != "1":
        back += f"?halaman={page}"
    if keep != "none" and not keep.isdigit():
        messages.error(request, _('Pilih baris yang dipertahankan, atau "tidak ada" untuk TMS semua.'))
        return redirect(back)
    if not request.POST.get("note", "").strip():
        messages.error(request, _("Isi alasan keputusan potensi ganda."))
        return redirect(back)
    try:
        services.duplicate_resolve(
            actor=request.user,
            round=round,
            supporter_ids=_ids(request) or [],
            keep_id=int(keep) if keep.isdigit() else None,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Potensi ganda diputuskan."))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(back)


@login_required
@require_POST
def round_close(request, round_id: int):
    round = round_for_user(request.user, round_id)
    try:
        services.round_close(actor=request.user, round=round)
        messages.success(request, _("Putaran verifikasi ditutup."))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect("verification:pair", pair_id=round.pair_id)


@login_required
@require_POST
def visit_record(request, round_id: int, supporter_id: int):
    round = round_for_user(request.user, round_id)
    supporter = supporter_in_worklist(user=request.user, round=round, supporter_id=supporter_id)
    try:
        services.factual_visit_record(
            actor=request.user,
            round=round,
            supporter=supporter,
            visit=request.POST.get("visit", ""),
            client_token=request.POST.get("token", "")[:64],
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Hasil kunjungan dicatat."))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(_round_url(round, supporter.village_code, request.POST.get("halaman", "")) + f"#s{supporter.pk}")


@login_required
@require_POST
def visit_undo(request, round_id: int, supporter_id: int):
    """Take back a recorded visit (the verifier who recorded it, or a KPU operator) while the round is open."""
    round = round_for_user(request.user, round_id)
    supporter = supporter_in_worklist(user=request.user, round=round, supporter_id=supporter_id)
    try:
        changed = services.factual_visit_undo(
            actor=request.user, round=round, supporter=supporter, visit=request.POST.get("visit", "")
        )
        if changed:
            messages.success(request, _("Hasil kunjungan dibatalkan."))
        else:
            messages.info(request, _("Tidak ada hasil kunjungan yang dibatalkan (sudah dibatalkan atau berubah)."))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(_round_url(round, supporter.village_code, request.POST.get("halaman", "")) + f"#s{supporter.pk}")


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
        "is_operator": user.role in (Role.KPU_OPERATOR, Role.ADMIN),
    }
    return render(request, "verification/progress.html", context)


@login_required
@require_POST
def document_request(request, round_id: int):
    round = round_for_user(request.user, round_id)
    try:
        services.document_request(
            actor=request.user,
            round=round,
            kind=request.POST.get("kind", ""),
            fmt=request.POST.get("fmt", ""),
            village_code=request.POST.get("desa", ""),
        )
        messages.success(request, _("Dokumen sedang dibuat; muat ulang halaman untuk mengunduhnya."))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(_round_url(round, request.POST.get("desa", "")))


def _document_for(user, document_id: int) -> VerificationDocument:
    document = VerificationDocument.objects.select_related("round").filter(pk=document_id).first()
    if document is None:
        raise Http404
    round_for_user(user, document.round_id)
    # a verifier gets the supporter list of its own area only, never another area's or the recaps
    if user.role == Role.VERIFIER and not (
        document.village_code and code_within(document.village_code, user.region_code)
    ):
        raise Http404
    return document


@login_required
@require_safe
def document_progress(request, document_id: int):
    """The document's line on the round page; htmx polls it until the worker has stored the file."""
    document = _document_for(request.user, document_id)
    return render(request, "verification/_document.html", {"d": document})


@login_required
def document_download(request, document_id: int):
    document = _document_for(request.user, document_id)
    if not document.file:
        raise Http404
    audit_record(
        actor=request.user,
        action="verification.document.download",
        obj=document,
        region_code=document.village_code or document.round.election.region_code,
        after={"sha256": document.sha256},
    )
    name = f"{document.get_kind_display()[:40]}-{document.round_id}.{document.fmt}".replace(" ", "-").replace("/", "-")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=name, content_type=MIMES[document.fmt])


@login_required
@require_safe
def document_check(request):
    """KPU operators: the document of a code or hash typed from a printed copy, with its details, among the
    documents of the elections they reach."""
    if request.user.role not in (Role.KPU_OPERATOR, Role.ADMIN):
        raise Http404
    code = request.GET.get("kode", "").strip()[:100]
    document = document_find(code=code, within=region_q(request.user, "round__election__region_code")) if code else None
    context = {"code": code, "document": document, "operator": True}
    return render(request, "verification/document_check.html", context)


@require_safe
def document_verify(request):
    """Public: is a printed document genuine? Answers only its kind, election, pair, round and time, or
    "unknown"; nothing personal, and nothing about documents that do not match the code exactly."""
    code = request.GET.get("kode", "").strip()[:100]
    document = document_find(code=code) if code else None
    return render(
        request,
        "verification/document_check.html",
        {"code": code, "document": document, "operator": False},
    )


@login_required
def supporter_history_view(request, round_id: int, supporter_id: int):
    """A supporter's results across every round, for KPU operators of the election's region."""
    round = round_for_user(request.user, round_id)
    if request.user.role not in (Role.KPU_OPERATOR, Role.ADMIN):
        raise Http404
    supporter = supporter_in_worklist(user=request.user, round=round, supporter_id=supporter_id)
    full = sees_full_personal_data(request.user, round.pair)
    audit_record(
        actor=request.user,
        action="verification.history.view",
        obj=supporter,
        region_code=supporter.village_code,
        after={"masked": not full},
    )
    context = {
        "round": round,
        "supporter": supporter,
        "full": full,
        "values": _row_view(request.user, round.pair, supporter, full),
        "history": supporter_history(supporter=supporter),
    }
    return render(request, "verification/history.html", context)


@login_required
@require_POST
def external_choose(request, round_id: int):
    """Record which pair a supporter found in two pairs chose (factual verification)."""
    round = round_for_user(request.user, round_id)
    supporter_id = request.POST.get("supporter", "")
    # the NIK is looked up server-side: a verifier's page never carries it unmasked
    supporter = supporter_in_worklist(
        user=request.user, round=round, supporter_id=int(supporter_id) if supporter_id.isdigit() else 0
    )
    pair_id = request.POST.get("pair", "")
    chosen = CandidatePair.objects.filter(election=round.election, pk=int(pair_id) if pair_id.isdigit() else 0).first()
    if chosen is None:
        raise Http404
    try:
        services.external_duplicate_choose(
            actor=request.user,
            election=round.election,
            nik=supporter.nik,
            chosen_pair=chosen,
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Pilihan pendukung dicatat untuk semua pasangan calon."))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(_round_url(round, request.POST.get("desa", ""), request.POST.get("halaman", "")))


@login_required
@require_POST
def correction_submit(request, pair_id: int):
    """The pair's LO (or a KPU operator) submits the correction batch from the files uploaded while BMS."""
    pair = pair_for_user(request.user, pair_id)
    ids = [int(v) for v in request.POST.getlist("unggahan") if v.isdigit()]
    # "semua": every checked file of the correction batch (the LO's support page); else the files ticked
    uploads = None if request.POST.get("semua") and not ids else list(Upload.objects.filter(pair=pair, pk__in=ids))
    try:
        submission = services.correction_submit(actor=request.user, pair=pair, uploads=uploads)
        messages.success(
            request, _("Dukungan perbaikan diserahkan: %(n)s pendukung baru.") % {"n": submission.submitted}
        )
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    if request.POST.get("semua"):
        return redirect("support_uploads:pair", pair_id=pair.pk)
    return redirect("verification:pair", pair_id=pair.pk)
