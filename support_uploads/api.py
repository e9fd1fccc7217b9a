"""The support API (DRF): the same services and selectors as the pages; other pairs' data answers 404.

One ``APIView`` per resource, its input read by an input serializer and its answer written by an output
serializer. Refusals answer ``{"detail": "..."}`` (``SupportAPIView.refusal_body``): a service's
``ValidationError`` and an input serializer's alike 400, a ``PermissionDenied`` 403 (``silon.errors``).
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.fields import empty
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from silon.errors import DETAIL
from silon.openapi import ErrorDetailSerializer
from silon.pagination import LimitOffsetPagination
from silon.privacy import Kind
from silon.throttling import UploadRateThrottle

from .models import ReasonCode, RowStatus, Upload
from .reads import upload_rows_shown
from .recap import support_recap
from .selectors import pair_for_user, supporter_viewer, upload_for_user, upload_list, upload_rows
from .services import pair_support_submit, upload_create, upload_report_open, upload_withdraw
from .template import MAX_DATA_SHEETS, template_build
from .template_spec import current_spec
from .views import XLSX, body_too_large


class SupportAPIView(APIView):
    # (no docstring: the schema would take it as the description of every endpoint without one of its own)
    refusal_body = DETAIL  # refusals in one ``detail`` sentence, as this API has always answered them


# --- output --------------------------------------------------------------------------------------------


class UploadSerializer(serializers.ModelSerializer):
    phase_display = serializers.CharField(source="get_phase_display", read_only=True)
    # in the request's language (Accept-Language); the stored Indonesian text is the fallback
    error_message = serializers.CharField(source="error_text", read_only=True)

    class Meta:
        model = Upload
        fields = [
            "id",
            "pair",
            "original_name",
            "size",
            "kind",
            "batch",
            "status",
            "progress",
            "phase",
            "phase_display",
            "error_code",
            "error_message",
            "rows_read",
            "rows_accepted",
            "rows_flagged",
            "rows_review",
            "rows_rejected",
            "reason_counts",
            "created_at",
            "finished_at",
            "received_at",
            "sha256",
            "receipt",
        ]


class TemplateFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    header = serializers.CharField()
    required = serializers.BooleanField()
    text = serializers.BooleanField()
    max_length = serializers.IntegerField()
    hint = serializers.CharField()


class ReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReasonCode
        fields = ["code", "label_id", "label_en", "severity"]


class TemplateSpecSerializer(serializers.Serializer):
    version = serializers.CharField()
    data_sheet = serializers.CharField()
    max_rows_per_sheet = serializers.IntegerField()
    fields = TemplateFieldSerializer(many=True)
    reasons = ReasonSerializer(many=True)


class UploadRowSerializer(serializers.Serializer):
    """A row of an upload as the API shows it: its reasons as codes, NIK and name masked."""

    id = serializers.IntegerField()
    sheet = serializers.IntegerField()
    row_number = serializers.IntegerField()
    status = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    nik = serializers.CharField()
    name = serializers.CharField()
    village_code = serializers.CharField()


class RecapDistrictSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    children = serializers.ListField(child=serializers.DictField())  # a kecamatan has none


class RecapRegencySerializer(RecapDistrictSerializer):
    children = RecapDistrictSerializer(many=True)


class RecapSerializer(serializers.Serializer):
    """``recap.SupportRecap``: counted supporters against the minimum and the spread."""

    # Diserahkan: each NIK of the pair's current (DONE) uploads counted once (``recap.submitted_by_pair``)
    submitted = serializers.IntegerField()
    total = serializers.IntegerField()
    minimum = serializers.IntegerField()
    shortfall = serializers.IntegerField()
    spread_level = serializers.CharField()
    spread_level_label = serializers.CharField()
    spread_total = serializers.IntegerField()
    spread_required = serializers.IntegerField()
    spread_met = serializers.IntegerField()
    spread_shortfall = serializers.IntegerField()
    regencies = RecapRegencySerializer(many=True)


class SupportStatusSerializer(serializers.Serializer):
    support_status = serializers.CharField()


# --- input ---------------------------------------------------------------------------------------------


class SheetCountField(serializers.Field):
    """``lembar``: the number of data sheets, in digits (as the page reads it), 1 to ``MAX_DATA_SHEETS``."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)  # a blank value is refused, not taken as absent

    def to_internal_value(self, data) -> int:
        if not isinstance(data, str) or not data.isdecimal() or not 1 <= int(data) <= MAX_DATA_SHEETS:
            raise serializers.ValidationError(
                _("lembar: jumlah lembar data 1 sampai %(max)s.") % {"max": MAX_DATA_SHEETS}
            )
        return int(data)


class TemplateQuerySerializer(serializers.Serializer):
    lembar = SheetCountField(required=False, default=1)


NO_FILE = gettext_lazy("Pilih berkas yang akan diunggah.")


class UploadInputSerializer(serializers.Serializer):
    """The supporters' file, sent as multipart ``file``; the service checks everything else."""

    file = serializers.FileField(allow_empty_file=True, error_messages={"required": NO_FILE, "invalid": NO_FILE})


ROWS_TO_WORK_ON = (RowStatus.REJECTED, RowStatus.REVIEW, RowStatus.FLAGGED)


class RowStatusFilterField(serializers.Field):
    """``status``: list the rows of that one status; any other value (or none) lists the rows to work on."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data) -> list[str]:
        return [data] if data in RowStatus.values else list(ROWS_TO_WORK_ON)


class RowsQuerySerializer(serializers.Serializer):
    status = RowStatusFilterField(required=False, default=lambda: list(ROWS_TO_WORK_ON))


# --- endpoints -----------------------------------------------------------------------------------------


class TemplateSpecView(SupportAPIView):
    """The B.1-KWK column spec (public: it holds no personal data)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        spec = current_spec()
        data = {
            "version": spec.version,
            "data_sheet": spec.data_sheet,
            "max_rows_per_sheet": spec.max_rows_per_sheet,
            "fields": spec.fields,
            "reasons": ReasonCode.objects.all(),
        }
        return Response(TemplateSpecSerializer(data).data)


class PairTemplateView(SupportAPIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "lembar",
                int,
                description=f"Number of data sheets, 1 to {MAX_DATA_SHEETS} (default 1), as on the page.",
                required=False,
            )
        ],
        responses={(200, XLSX): OpenApiTypes.BINARY},
    )
    def get(self, request, pair_id: int):
        pair = pair_for_user(request.user, pair_id)
        query = TemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        response = HttpResponse(template_build(pair=pair, sheets=query.validated_data["lembar"]), content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="B1-KWK-pemilihan{pair.election_id}-paslon{pair.pk}.xlsx"'
        )
        return response


class PairUploadsView(SupportAPIView):
    parser_classes = [MultiPartParser]
    throttle_classes = [UploadRateThrottle]

    @extend_schema(responses=UploadSerializer(many=True))
    def get(self, request, pair_id: int):
        pair = pair_for_user(request.user, pair_id)
        return Response(UploadSerializer(upload_list(pair=pair), many=True).data)

    @extend_schema(
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        # accepted for validation by a worker (202), or refused as too large (413)
        responses={202: UploadSerializer, 413: ErrorDetailSerializer},
    )
    def post(self, request, pair_id: int):
        pair = pair_for_user(request.user, pair_id)
        if body_too_large(request):
            return Response(
                {
                    "detail": _("Berkas terlalu besar; batasnya %(max)s MB.")
                    % {"max": settings.SUPPORT_UPLOAD_MAX_BYTES // (1024 * 1024)}
                },
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        serializer = UploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = upload_create(
            actor=request.user,
            pair=pair,
            file=serializer.validated_data["file"],
            max_bytes=settings.SUPPORT_UPLOAD_MAX_BYTES,
        )
        return Response(UploadSerializer(upload).data, status=status.HTTP_202_ACCEPTED)


class UploadDetailView(SupportAPIView):
    @extend_schema(responses=UploadSerializer)
    def get(self, request, upload_id: int):
        return Response(UploadSerializer(upload_for_user(request.user, upload_id)).data)


class UploadRowsView(SupportAPIView):
    """Rows of an upload with their reasons; personal data masked."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, upload_id: int):
        upload = upload_for_user(request.user, upload_id)
        query = RowsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(upload_rows(upload=upload, statuses=query.validated_data["status"]), request)
        viewer = supporter_viewer(request.user, upload.pair).listing()
        rows = [
            {
                "id": row.pk,
                "sheet": row.sheet + 1,
                "row_number": row.row_number,
                "status": row.status,
                "reasons": row.reason_list,
                "nik": viewer.show(Kind.NIK, row.nik),
                "name": viewer.show(Kind.NAME, row.name),
                "village_code": row.village_code,
            }
            for row in page
        ]
        # the same record the upload page writes: who read which supporters' (masked) rows
        rows = upload_rows_shown(
            actor=request.user, upload=upload, rows=rows, at={"offset": paginator.offset}, api=True
        )
        return paginator.get_paginated_response(UploadRowSerializer(rows, many=True).data)


class UploadReportView(SupportAPIView):
    """The error report (.xlsx) of a checked upload; 404 until it is written. Same rules as the page: the pair's
    LO and KPU operators get the values as sent, every other reader NIK, KK, name and address masked; audited."""

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    def get(self, request, upload_id: int):
        upload = upload_for_user(request.user, upload_id)
        opened = upload_report_open(actor=request.user, upload=upload, api=True)
        if opened is None:
            raise Http404
        handle, _masked = opened
        return FileResponse(
            handle, as_attachment=True, filename=f"laporan-baris-ditolak-{upload.pk}.xlsx", content_type=XLSX
        )


class UploadWithdrawView(SupportAPIView):
    @extend_schema(request=None, responses=UploadSerializer)
    def post(self, request, upload_id: int):
        upload = upload_withdraw(actor=request.user, upload=upload_for_user(request.user, upload_id))
        return Response(UploadSerializer(upload).data)


class PairRecapView(SupportAPIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pair_id: int):
        pair = pair_for_user(request.user, pair_id)
        return Response(RecapSerializer(support_recap(pair=pair)).data)


class PairSubmitView(SupportAPIView):
    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pair_id: int):
        pair = pair_support_submit(actor=request.user, pair=pair_for_user(request.user, pair_id))
        return Response(SupportStatusSerializer(pair).data)
