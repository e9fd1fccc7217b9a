"""Receipt pages (issue #18): an upload's receipt as PDF, and the check of a receipt (its text pasted, or its
PDF uploaded) by an operator, Bawaslu or the team. Reads only (``selectors_receipts``)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from .api_receipts import MAX_PDF_BYTES, receipt_pdf_response
from .selectors import upload_for_user
from .selectors_receipts import receipt_verify


class ReceiptVerifyForm(forms.Form):
    text = forms.CharField(
        label=_("Teks tanda terima"), required=False, max_length=8000, strip=False, widget=forms.Textarea
    )
    pdf = forms.FileField(label=_("atau PDF tanda terima"), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("pdf"):
            raise forms.ValidationError(_("Tempelkan teks tanda terima atau unggah PDF-nya."))
        if data.get("pdf") and data["pdf"].size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("Berkas PDF tanda terima terlalu besar."))
        return data


@login_required
@require_safe
def upload_receipt(request, upload_id: int):
    return receipt_pdf_response(upload_for_user(request.user, upload_id))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def receipt_verify_page(request):
    verdict = None
    form = ReceiptVerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pdf = form.cleaned_data.get("pdf")
        verdict = receipt_verify(
            actor=request.user, text=form.cleaned_data.get("text") or "", pdf=pdf.read() if pdf else b""
        )
    return render(request, "support_uploads/receipt_verify.html", {"form": form, "verdict": verdict})
