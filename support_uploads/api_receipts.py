"""The receipt API (issue #18): the signed receipt of one upload as PDF, and the check of a receipt, pasted as
its text block or uploaded as its PDF. A DRF ViewSet of its own; the upload's receipt text is also a field of
the upload's answer (``api.UploadSerializer``)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from silon.errors import DETAIL

from .receipts import receipt_pdf
from .selectors import upload_for_user
from .selectors_receipts import receipt_verify

MAX_PDF_BYTES = 1024 * 1024  # a receipt's PDF is a few kilobytes


def receipt_pdf_response(upload) -> HttpResponse:
    """The upload's receipt as a PDF attachment (the page and the API serve the same bytes)."""
    body = receipt_pdf(
        upload.receipt,
        heading=_("Tanda terima berkas dukungan"),
        note=_(
            "Tanda terima ini ditandatangani server SILON. Keasliannya dapat diperiksa dengan menempelkan blok "
            "teks di bawah (atau mengunggah PDF ini) pada halaman pemeriksaan tanda terima."
        ),
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="tanda-terima-{upload.pk}.pdf"'
    return response


class ReceiptInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=8000, trim_whitespace=False)
    pdf = serializers.FileField(required=False)

    def validate(self, attrs):
        if not attrs.get("text", "").strip() and not attrs.get("pdf"):
            raise serializers.ValidationError(_("Tempelkan teks tanda terima atau unggah PDF-nya."))
        pdf = attrs.get("pdf")
        if pdf is not None and pdf.size > MAX_PDF_BYTES:
            raise serializers.ValidationError(_("Berkas PDF tanda terima terlalu besar."))
        return attrs


class ReceiptVerdictSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    problem = serializers.CharField(source="check.problem")
    fields = serializers.DictField(source="check.fields")
    upload = serializers.IntegerField(source="upload.pk", allow_null=True, default=None)
    matches = serializers.BooleanField()


class ReceiptViewSet(viewsets.GenericViewSet):
    refusal_body = DETAIL
    serializer_class = ReceiptInputSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    lookup_url_kwarg = "upload_id"

    @extend_schema(request=ReceiptInputSerializer, responses={200: ReceiptVerdictSerializer})
    @action(detail=False, methods=["post"], url_path="verify")
    def verify(self, request):
        data = ReceiptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        pdf = data.validated_data.get("pdf")
        verdict = receipt_verify(
            actor=request.user, text=data.validated_data.get("text", ""), pdf=pdf.read() if pdf else b""
        )
        return Response(ReceiptVerdictSerializer(verdict).data)

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], url_path="pdf")
    def pdf(self, request, upload_id: int):
        return receipt_pdf_response(upload_for_user(request.user, upload_id))
