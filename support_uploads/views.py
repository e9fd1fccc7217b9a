"""Pages of independent support. HTTP in and out only: every rule lives in services and selectors."""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from silon.errors import SHOW, page_refusals
from silon.numbers import parse_id
from silon.one_time import never_stored, one_time_pop, one_time_stash
from silon.privacy import Kind
from silon.throttling import TeamRegisterRateThrottle, upload_refusal

from .forms import RevokeForm, ScanForm, TeamForm, UploadForm
from .hooks import correction_overview
from .models import Batch, LoAccount, ReasonCode, RowStatus
from .reads import supporter_shown, upload_rows_shown
from .recap import support_recap
from .selectors import (
    ktp_scan_for_user,
    ktp_scans,
    lo_pairs,
    pair_for_user,
    pairs_for_user,
    supporter_for_user,
    supporter_values,
    supporter_viewer,
    upload_batch_open,
    upload_for_user,
    upload_list,
    upload_rows,
)
from .selectors_dpt import active_dpt_version
from .selectors_duplicates import supporter_decision
from .services import (
    ktp_scan_upload,
    ktp_scan_viewed,
    lo_account_issue,
    lo_account_revoke,
    pair_support_submit,
    pair_team_register,
    upload_create,
    upload_report_open,
    upload_retry,
    upload_withdraw,
)
from .services.teams import team_can_manage
from .template import template_build
from .template_spec import spec_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _max_mb() -> int:
    return settings.SUPPORT_UPLOAD_MAX_BYTES // (1024 * 1024)


def body_too_large(request) -> bool:
    """Refuse an oversized upload from its declared length, before Django streams it to disk."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return declared > settings.SUPPORT_UPLOAD_MAX_BYTES + 64 * 1024  # room for the multipart envelope


@login_required
def index(request):
    pairs = list(pairs_for_user(request.user).select_related("support_team"))
    if len(pairs) == 1 and lo_pairs(request.user).exists():
        return redirect("support_uploads:pair", pair_id=pairs[0].pk)
    return render(request, "support_uploads/index.html", {"pairs": pairs})


@login_required
def pair_detail(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    is_lo = lo_pairs(request.user).filter(pk=pair.pk).exists()
    correction = correction_overview(pair)
    context = {
        "pair": pair,
        "is_lo": is_lo,
        "uploads": upload_list(pair=pair),
        "open_batch": upload_batch_open(pair=pair),
        "correction": correction,
        "correction_recap": support_recap(pair=pair, batch=Batch.CORRECTION_1) if correction else None,
        "recap": support_recap(pair=pair),
        "dpt_active": active_dpt_version(pair.election_id),  # None: supporters not matched with a DPT
        "form": UploadForm(),
        "accounts": LoAccount.objects.filter(pair=pair).select_related("user") if not is_lo else [],
        "team": getattr(pair, "support_team", None),
        # the team and its LO accounts are the KPU operators' (services.teams): hidden from everyone else
        "can_manage": team_can_manage(request.user, pair),
        "max_mb": settings.SUPPORT_UPLOAD_MAX_BYTES // (1024 * 1024),
        "resumable_chunk": settings.SUPPORT_RESUMABLE_CHUNK_MAX_BYTES,
        "scan_form": ScanForm(),
        "scans": ktp_scans(pair=pair)[:100] if is_lo else [],
        "scan_max_mb": settings.SUPPORT_SCAN_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "support_uploads/pair_detail.html", context)


@login_required
def pair_template(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    sheets = parse_id(request.GET.get("lembar", "")) or 1  # template_build caps it
    response = HttpResponse(template_build(pair=pair, sheets=sheets), content_type=XLSX)
    prefix = spec_for(pair.election).file_prefix
    response["Content-Disposition"] = (
        f'attachment; filename="{prefix}-pemilihan{pair.election_id}-paslon{pair.pk}.xlsx"'
    )
    return response


@login_required
@require_POST
def upload_post(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    refused = upload_refusal(request, back=reverse("support_uploads:pair", args=[pair.pk]))
    if refused is not None:
        return refused
    if body_too_large(request):
        messages.error(request, _("Berkas terlalu besar; batasnya %(max)s MB.") % {"max": _max_mb()})
        return redirect("support_uploads:pair", pair_id=pair.pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas yang akan diunggah."))
        return redirect("support_uploads:pair", pair_id=pair.pk)
    with page_refusals(request):
        upload = upload_create(
            actor=request.user, pair=pair, file=form.cleaned_data["file"], max_bytes=settings.SUPPORT_UPLOAD_MAX_BYTES
        )
        messages.success(request, _("Berkas diterima dan sedang diperiksa."))
        return redirect("support_uploads:upload", upload_id=upload.pk)
    return redirect("support_uploads:pair", pair_id=pair.pk)


@login_required
def upload_detail(request, upload_id: int):
    upload = upload_for_user(request.user, upload_id)
    labels = ReasonCode.labels()
    rows = upload_rows(upload=upload, statuses=[RowStatus.REJECTED, RowStatus.REVIEW, RowStatus.FLAGGED])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    viewer = supporter_viewer(request.user, upload.pair).listing()
    shown = [
        {
            "id": row.pk,
            "sheet": row.sheet + 1,
            "row_number": row.row_number,
            "status": row.get_status_display(),
            "nik": viewer.show(Kind.NIK, row.nik),
            "name": viewer.show(Kind.NAME, row.name),
            "village_code": row.village_code,
            "reasons": [labels.get(code, code) for code in row.reason_list],
        }
        for row in page.object_list
    ]
    shown = upload_rows_shown(actor=request.user, upload=upload, rows=shown, at={"page": page.number})
    reasons = sorted(
        ((labels.get(code, code), code, count) for code, count in (upload.reason_counts or {}).items()),
        key=lambda item: -item[2],
    )
    context = {"upload": upload, "rows": shown, "page": page, "reasons": reasons, "pair": upload.pair}
    return render(request, "support_uploads/upload_detail.html", context)


@login_required
def upload_progress(request, upload_id: int):
    upload = upload_for_user(request.user, upload_id)
    return render(request, "support_uploads/_progress.html", {"upload": upload})


@login_required
def upload_report(request, upload_id: int):
    """The error report (.xlsx) of an upload, audited for every reader.

    The pair's LO and KPU operators of the jurisdiction get the values as sent (NIK, KK, name, address): the
    LO needs its own original values to find and correct the rows in its file. Every other role that may see
    the upload, Bawaslu included, gets the same rows with that personal data masked (``report.upload_report_open``).
    """
    upload = upload_for_user(request.user, upload_id)
    opened = upload_report_open(actor=request.user, upload=upload)
    if opened is None:
        raise Http404
    handle, _masked = opened
    return FileResponse(
        handle, as_attachment=True, filename=f"laporan-baris-ditolak-{upload.pk}.xlsx", content_type=XLSX
    )


@login_required
@require_POST
def upload_withdraw_view(request, upload_id: int):
    upload = upload_for_user(request.user, upload_id)
    with page_refusals(request, denied=SHOW):
        upload_withdraw(actor=request.user, upload=upload)
        messages.success(request, _("Unggahan ditarik; barisnya tidak dihitung lagi."))
    return redirect("support_uploads:pair", pair_id=upload.pair_id)


@login_required
@require_POST
def upload_retry_view(request, upload_id: int):
    """The LO has a file checked again that a server fault stopped (``services.upload_retry``)."""
    upload = upload_for_user(request.user, upload_id)
    with page_refusals(request, denied=SHOW):
        upload_retry(actor=request.user, upload=upload)
        messages.success(request, _("Berkas diperiksa ulang."))
    return redirect("support_uploads:pair", pair_id=upload.pair_id)


@login_required
@require_POST
def pair_submit(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    with page_refusals(request, denied=SHOW):
        pair_support_submit(actor=request.user, pair=pair)
        messages.success(request, _("Dukungan berhasil diserahkan."))
    return redirect("support_uploads:pair", pair_id=pair.pk)


@login_required
def team_register(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    if request.method == "POST":
        back = reverse("support_uploads:team", args=[pair.pk])
        refused = upload_refusal(request, back=back, throttle_class=TeamRegisterRateThrottle)
        if refused is not None:
            return refused
    form = TeamForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with page_refusals(request, form=form, denied=Http404):
            pair_team_register(
                actor=request.user,
                pair=pair,
                mandate_letter=form.cleaned_data["mandate_letter"],
                contact_name=form.cleaned_data["contact_name"],
            )
            messages.success(request, _("Tim pasangan calon terdaftar."))
            return redirect("support_uploads:pair", pair_id=pair.pk)
    context = {"pair": pair, "form": form, "can_manage": team_can_manage(request.user, pair)}
    return render(request, "support_uploads/team_form.html", context)


@login_required
@require_POST
def lo_issue(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    with page_refusals(request, denied=Http404):
        account, password = lo_account_issue(actor=request.user, pair=pair)
        # the password waits in the issuer's session for the one GET that shows it (silon/one_time.py)
        values = {"username": account.user.username, "password": password}
        values["expires_at"] = account.user.expires_at.isoformat() if account.user.expires_at else ""
        one_time_stash(request, kind="lo", object_id=pair.pk, values=values)
        return redirect("support_uploads:lo_issued", pair_id=pair.pk)
    return redirect("support_uploads:pair", pair_id=pair.pk)


@login_required
@require_safe
def lo_issued(request, pair_id: int):
    """The LO account just issued, its one-time password shown on the first visit only."""
    pair = pair_for_user(request.user, pair_id)
    if not team_can_manage(request.user, pair):
        raise Http404
    secret = one_time_pop(request, kind="lo", object_id=pair.pk)
    if secret and secret["expires_at"]:
        secret["expires_at"] = datetime.fromisoformat(secret["expires_at"])
    return never_stored(render(request, "support_uploads/credentials.html", {"pair": pair, "secret": secret}))


@login_required
@require_POST
def lo_revoke(request, account_id: int):
    account = LoAccount.objects.select_related("pair__election", "user").filter(pk=account_id).first()
    if account is None:
        raise Http404
    pair = pair_for_user(request.user, account.pair_id)
    form = RevokeForm(request.POST)
    form.is_valid()
    with page_refusals(request, denied=Http404):
        lo_account_revoke(actor=request.user, account=account, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("Akun LO %(u)s dicabut.") % {"u": account.user.username})
    return redirect("support_uploads:pair", pair_id=pair.pk)


@login_required
def supporter_detail(request, supporter_id: int):
    supporter = supporter_for_user(request.user, supporter_id)
    pair = pair_for_user(request.user, supporter.pair_id)
    viewer = supporter_viewer(request.user, pair)
    full = viewer.full(Kind.NIK)
    labels = ReasonCode.labels()
    values = supporter_values(viewer, supporter)
    supporter = supporter_shown(actor=request.user, supporter=supporter, full=full)
    context = {
        "supporter": supporter,
        "values": values,
        "full": full,
        "pair": pair,
        "reasons": [labels.get(c, c) for c in supporter.reason_list],
        "decision": supporter_decision(supporter=supporter),
    }
    return render(request, "support_uploads/supporter_detail.html", context)


@login_required
@require_POST
def scan_upload(request, pair_id: int):
    """The team's PDF of scanned KTP copies for one desa/kelurahan."""
    pair = pair_for_user(request.user, pair_id)
    refused = upload_refusal(request, back=reverse("support_uploads:pair", args=[pair.pk]))
    if refused is not None:
        return refused
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Isi kode desa/kelurahan dan pilih berkas PDF pindaian KTP."))
        return redirect("support_uploads:pair", pair_id=pair.pk)
    with page_refusals(request):
        scan = ktp_scan_upload(
            actor=request.user,
            pair=pair,
            village_code=form.cleaned_data["village_code"],
            file=form.cleaned_data["file"],
        )
        messages.success(request, _("Pindaian KTP desa/kelurahan %(code)s disimpan.") % {"code": scan.village_code})
        return redirect(reverse("support_uploads:pair", args=[pair.pk]) + "#ktp-scans")
    return redirect("support_uploads:pair", pair_id=pair.pk)


@login_required
@require_safe
def scan_download(request, scan_id: int):
    scan = ktp_scan_for_user(request.user, scan_id)
    ktp_scan_viewed(actor=request.user, scan=scan)
    name = f"ktp-{scan.pair_id}-{scan.village_code}.pdf"
    return FileResponse(scan.file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
