"""Required documents of a pair: checklist with uploads and checks; downloads through a checked view."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silon.errors import page_refusals
from silon.throttling import DocumentUploadRateThrottle, upload_refusal

from .. import forms as f
from ..access import IDENTITY_DOCUMENTS, can_manage_election, can_open_document, can_see_election
from ..models import Candidate, Document, DocumentRequirement
from ..reads import document_file
from ..selectors import (
    pair_document_checklist,
    pair_list,
)
from ..services import (
    document_check,
    document_upload,
)
from .common import require_manage, scoped_pair


@login_required
def documents_view(request, pk):
    pair = scoped_pair(request, pk)
    manage = can_manage_election(request.user, pair.election)
    upload_form = f.DocumentUploadForm()
    if request.method == "POST":
        require_manage(request, pair.election)
        back = reverse("candidacy:documents", kwargs={"pk": pair.pk})
        refused = upload_refusal(request, back=back, throttle_class=DocumentUploadRateThrottle)
        if refused is not None:
            return refused
        upload_form = f.DocumentUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            requirement = get_object_or_404(DocumentRequirement, pk=upload_form.cleaned_data["requirement"])
            candidate = None
            if upload_form.cleaned_data.get("candidate"):
                candidate = get_object_or_404(Candidate, pk=upload_form.cleaned_data["candidate"], pair=pair)
            with page_refusals(request, form=upload_form):
                document_upload(
                    actor=request.user,
                    pair=pair,
                    requirement=requirement,
                    candidate=candidate,
                    file=upload_form.cleaned_data["file"],
                )
                messages.success(request, _("Dokumen %(doc)s diunggah.") % {"doc": requirement.label})
                return redirect("candidacy:documents", pk=pair.pk)
        if upload_form.errors:
            messages.error(request, " ".join(e for errs in upload_form.errors.values() for e in errs))
    return render(
        request,
        "candidacy/documents.html",
        {
            "pair": pair,
            "election_visible": can_see_election(request.user, pair.election),
            "checklist": pair_document_checklist(pair),
            "closed_documents": [c for c in IDENTITY_DOCUMENTS if not can_open_document(request.user, pair, c)],
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
    return FileResponse(
        document_file(actor=request.user, document=document),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"{document.requirement.code}-r{document.revision}.pdf",
    )


@login_required
@require_POST
def document_check_view(request, pk):
    document = _document(request, pk)
    require_manage(request, document.pair.election)
    form = f.DocumentCheckForm(request.POST)
    if form.is_valid():
        with page_refusals(request):
            document_check(actor=request.user, document=document, **form.cleaned_data)
            messages.success(request, _("Hasil pemeriksaan dokumen disimpan."))
    else:
        messages.error(request, _("Pilih hasil pemeriksaan."))
    return redirect("candidacy:documents", pk=document.pair_id)
