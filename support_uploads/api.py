"""The support API (DRF): the same services and selectors as the pages; other pairs' data answers 404."""

from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes, permission_classes, throttle_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from silon.audit.services import audit_record
from silon.openapi import ErrorDetailSerializer
from silon.pagination import LimitOffsetPagination
from silon.privacy import mask_name, mask_nik
from silon.throttling import UploadRateThrottle

from .models import ReasonCode, RowStatus, Upload
from .selectors import pair_for_user, support_recap, upload_for_user, upload_list, upload_rows
from .services import pair_support_submit, upload_create, upload_report_open, upload_withdraw
from .template import MAX_DATA_SHEETS, template_build
from .template_spec import current_spec
from .views import XLSX, body_too_large


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
        ]


def _refused(exc: Exception) -> Response:
    detail = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    code = status.HTTP_403_FORBIDDEN if isinstance(exc, PermissionDenied) else status.HTTP_400_BAD_REQUEST
    return Response({"detail": detail}, status=code)


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
@permission_classes([AllowAny])
def template_spec(request):
    """The B.1-KWK column spec (public: it holds no personal data)."""
    spec = current_spec()
    return Response(
        {
            "version": spec.version,
            "data_sheet": spec.data_sheet,
            "max_rows_per_sheet": spec.max_rows_per_sheet,
            "fields": [
                {
                    "key": f.key,
                    "header": f.header,
                    "required": f.required,
                    "text": f.text,
                    "max_length": f.max_length,
                    "hint": str(f.hint),
                }
                for f in spec.fields
            ],
            "reasons": list(ReasonCode.objects.values("code", "label_id", "label_en", "severity")),
        }
    )


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
@api_view(["GET"])
def pair_template(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    sheets = request.query_params.get("lembar", "1")
    if not sheets.isdigit() or not 1 <= int(sheets) <= MAX_DATA_SHEETS:
        return Response(
            {"detail": _("lembar: jumlah lembar data 1 sampai %(max)s.") % {"max": MAX_DATA_SHEETS}},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = HttpResponse(template_build(pair=pair, sheets=int(sheets)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="B1-KWK-pemilihan{pair.election_id}-paslon{pair.pk}.xlsx"'
    return response


@extend_schema(methods=["GET"], responses=UploadSerializer(many=True))
@extend_schema(
    methods=["POST"],
    request={"multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}},
    # accepted for validation by a worker (202), or refused as too large (413)
    responses={202: UploadSerializer, 413: ErrorDetailSerializer},
)
@api_view(["GET", "POST"])
@parser_classes([MultiPartParser])
@throttle_classes([UploadRateThrottle])
def pair_uploads(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    if request.method == "POST":
        if body_too_large(request):
            return Response(
                {
                    "detail": _("Berkas terlalu besar; batasnya %(max)s MB.")
                    % {"max": settings.SUPPORT_UPLOAD_MAX_BYTES // (1024 * 1024)}
                },
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        file = request.FILES.get("file")
        if file is None:
            return Response({"detail": _("Pilih berkas yang akan diunggah.")}, status=status.HTTP_400_BAD_REQUEST)
        try:
            upload = upload_create(
                actor=request.user, pair=pair, file=file, max_bytes=settings.SUPPORT_UPLOAD_MAX_BYTES
            )
        except (ValidationError, PermissionDenied) as exc:
            return _refused(exc)
        return Response(UploadSerializer(upload).data, status=status.HTTP_202_ACCEPTED)
    return Response(UploadSerializer(upload_list(pair=pair), many=True).data)


@extend_schema(responses=UploadSerializer)
@api_view(["GET"])
def upload_detail(request, upload_id: int):
    return Response(UploadSerializer(upload_for_user(request.user, upload_id)).data)


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def upload_rows_list(request, upload_id: int):
    """Rows of an upload with their reasons; personal data masked."""
    upload = upload_for_user(request.user, upload_id)
    wanted = request.query_params.get("status")
    statuses = [wanted] if wanted in RowStatus.values else [RowStatus.REJECTED, RowStatus.REVIEW, RowStatus.FLAGGED]
    paginator = LimitOffsetPagination()
    page = paginator.paginate_queryset(upload_rows(upload=upload, statuses=statuses), request)
    if page:
        # the same record the upload page writes: who read which supporters' (masked) rows
        audit_record(
            actor=request.user,
            action="support.rows.view",
            obj=upload,
            region_code=upload.election.region_code,
            after={"offset": paginator.offset, "rows": len(page), "masked": True, "api": True},
        )
    return paginator.get_paginated_response(
        [
            {
                "id": row.pk,
                "sheet": row.sheet + 1,
                "row_number": row.row_number,
                "status": row.status,
                "reasons": row.reason_list,
                "nik": mask_nik(row.nik),
                "name": mask_name(row.name),
                "village_code": row.village_code,
            }
            for row in page
        ]
    )


@extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
@api_view(["GET"])
def upload_report(request, upload_id: int):
    """The error report (.xlsx) of a checked upload; 404 until it is written. Same rules as the page: the pair's
    LO and KPU operators get the values as sent, every other reader NIK, KK, name and address masked; audited."""
    upload = upload_for_user(request.user, upload_id)
    opened = upload_report_open(actor=request.user, upload=upload, api=True)
    if opened is None:
        raise Http404
    handle, _masked = opened
    return FileResponse(
        handle, as_attachment=True, filename=f"laporan-baris-ditolak-{upload.pk}.xlsx", content_type=XLSX
    )


@extend_schema(request=None, responses=UploadSerializer)
@api_view(["POST"])
def upload_withdraw_api(request, upload_id: int):
    upload = upload_for_user(request.user, upload_id)
    try:
        upload = upload_withdraw(actor=request.user, upload=upload)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Response(UploadSerializer(upload).data)


@extend_schema(responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def pair_recap(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    return Response(asdict(support_recap(pair=pair)))


@extend_schema(request=None, responses=OpenApiTypes.OBJECT)
@api_view(["POST"])
def pair_submit(request, pair_id: int):
    pair = pair_for_user(request.user, pair_id)
    try:
        pair = pair_support_submit(actor=request.user, pair=pair)
    except (ValidationError, PermissionDenied) as exc:
        return _refused(exc)
    return Response({"support_status": pair.support_status})
