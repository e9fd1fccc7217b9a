"""Generated documents: asking for one (the worker builds it), its line on the round page, its download, and
checking a printed copy's code (KPU operators) or its authenticity (the public)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from silon.accounts.access import is_kpu_operator
from silon.accounts.jurisdiction import code_within, region_q
from silon.accounts.models import Role
from silon.errors import SHOW, page_refusals

from .. import services
from ..documents import document_find
from ..models import VerificationDocument
from ..reads import document_file
from ..selectors import round_for_user
from .common import round_url

MIMES = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@login_required
@require_POST
def document_request(request, round_id: int):
    round = round_for_user(request.user, round_id)
    with page_refusals(request, denied=SHOW):
        services.document_request(
            actor=request.user,
            round=round,
            kind=request.POST.get("kind", ""),
            fmt=request.POST.get("fmt", ""),
            village_code=request.POST.get("desa", ""),
        )
        messages.success(request, _("Dokumen sedang dibuat; muat ulang halaman untuk mengunduhnya."))
    return redirect(round_url(round, request.POST.get("desa", "")))


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
    handle = document_file(actor=request.user, document=document)
    name = f"{document.get_kind_display()[:40]}-{document.round_id}.{document.fmt}".replace(" ", "-").replace("/", "-")
    return FileResponse(handle, as_attachment=True, filename=name, content_type=MIMES[document.fmt])


@login_required
@require_safe
def document_check(request):
    """KPU operators: the document of a code or hash typed from a printed copy, with its details, among the
    documents of the elections they reach."""
    if not is_kpu_operator(request.user):
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
