"""The support API (DRF): the same services and selectors as the pages; other pairs' data answers 404.

ViewSets, the project's one API style (docs/architecture.md, "Inside an app"): one per resource, each route
bound in ``api_urls.py`` under the path and name it has always had. Every body and query parameter is read
by an input serializer and every answer written by an output serializer (``api_serializers``). Refusals
answer ``{"detail": "..."}`` (``SupportViewSet.refusal_body``): a service's ``ValidationError`` and an input
serializer's alike 400, a ``PermissionDenied`` 403 (``silon.errors``).

Routes are bound without a router, so an ``@action``'s own settings (``throttle_classes=`` and the like)
would never reach its view: they are set on the viewset instead.
"""

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from candidacy.models import CandidatePair
from silon.errors import DETAIL
from silon.openapi import ErrorDetailSerializer
from silon.pagination import LimitOffsetPagination
from silon.throttling import UploadRateThrottle

from .api_serializers import (
    RecapSerializer,
    RowsQuerySerializer,
    SupportStatusSerializer,
    TemplateQuerySerializer,
    TemplateSpecSerializer,
    UploadInputSerializer,
    UploadRowSerializer,
    UploadSerializer,
)
from .models import Upload
from .reads import upload_rows_shown
from .recap import support_recap
from .selectors import pair_for_user, supporter_viewer, upload_for_user, upload_list, upload_rows
from .services import pair_support_submit, upload_create, upload_report_open, upload_withdraw
from .template import template_build
from .template_spec import current_spec, spec_for
from .views import XLSX, body_too_large


class SupportViewSet(viewsets.GenericViewSet):
    # (no docstring: the schema would take it as the description of every action without one of its own)
    refusal_body = DETAIL  # refusals in one ``detail`` sentence, as this API has always answered them
    filter_backends: list = []  # query parameters are read by input serializers, not by filters
    pagination_class = None  # answers whole, but the rows of an upload (``UploadViewSet``)

    def get_pair(self) -> CandidatePair:
        """The pair of the URL's ``pair_id``, within the caller's reach (else 404)."""
        return pair_for_user(self.request.user, self.kwargs["pair_id"])


class UploadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class TemplateSpecViewSet(SupportViewSet):
    permission_classes = [AllowAny]

    @extend_schema(responses=TemplateSpecSerializer)
    def retrieve(self, request):
        """The B.1-KWK column spec (public: it holds no personal data)."""
        return Response(TemplateSpecSerializer(current_spec()).data)


class PairUploadViewSet(mixins.ListModelMixin, SupportViewSet):
    # a pair's supporter files: the list, and a new one
    serializer_class = UploadSerializer
    parser_classes = [MultiPartParser]
    throttle_classes = [UploadRateThrottle]  # POST only
    queryset = Upload.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return upload_list(pair=self.get_pair())

    @extend_schema(
        request={"multipart/form-data": UploadInputSerializer},
        # accepted for validation by a worker (202), or refused as too large (413)
        responses={202: UploadSerializer, 413: ErrorDetailSerializer},
    )
    def create(self, request, pair_id: int):
        pair = self.get_pair()
        if body_too_large(request):
            raise UploadTooLarge(
                _("Berkas terlalu besar; batasnya %(max)s MB.")
                % {"max": settings.SUPPORT_UPLOAD_MAX_BYTES // (1024 * 1024)}
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


class PairSupportViewSet(SupportViewSet):
    # a pair's template, recap and submission

    @extend_schema(parameters=[TemplateQuerySerializer], responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def template(self, request, pair_id: int):
        pair = self.get_pair()
        query = TemplateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        response = HttpResponse(template_build(pair=pair, sheets=query.validated_data["lembar"]), content_type=XLSX)
        prefix = spec_for(pair.election).file_prefix
        response["Content-Disposition"] = (
            f'attachment; filename="{prefix}-pemilihan{pair.election_id}-paslon{pair.pk}.xlsx"'
        )
        return response

    @extend_schema(responses=RecapSerializer)
    @action(detail=True, methods=["get"])
    def recap(self, request, pair_id: int):
        return Response(RecapSerializer(support_recap(pair=self.get_pair())).data)

    @extend_schema(request=None, responses=SupportStatusSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pair_id: int):
        pair = pair_support_submit(actor=request.user, pair=self.get_pair())
        return Response(SupportStatusSerializer(pair).data)


class UploadViewSet(mixins.RetrieveModelMixin, SupportViewSet):
    # one upload: its summary, its rows, its error report, its withdrawal
    serializer_class = UploadSerializer
    pagination_class = LimitOffsetPagination  # the rows
    queryset = Upload.objects.none()

    def get_object(self) -> Upload:
        return upload_for_user(self.request.user, self.kwargs["upload_id"])

    @extend_schema(parameters=[RowsQuerySerializer], responses=UploadRowSerializer(many=True))
    @action(detail=True, methods=["get"])
    def rows(self, request, upload_id: int):
        """Rows of an upload with their reasons; personal data masked."""
        upload = self.get_object()
        query = RowsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = self.paginate_queryset(upload_rows(upload=upload, statuses=query.validated_data["status"]))
        viewer = supporter_viewer(request.user, upload.pair).listing()
        # the same record the upload page writes: who read which supporters' (masked) rows
        page = upload_rows_shown(
            actor=request.user, upload=upload, rows=page, at={"offset": self.paginator.offset}, api=True
        )
        return self.get_paginated_response(UploadRowSerializer(page, many=True, context={"viewer": viewer}).data)

    @extend_schema(responses={(200, XLSX): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def report(self, request, upload_id: int):
        """The error report (.xlsx) of a checked upload; 404 until it is written. Same rules as the page: the pair's
        LO and KPU operators get the values as sent, every other reader NIK, KK, name and address masked; audited."""
        upload = self.get_object()
        opened = upload_report_open(actor=request.user, upload=upload, api=True)
        if opened is None:
            raise Http404
        handle, _masked = opened
        return FileResponse(
            handle, as_attachment=True, filename=f"laporan-baris-ditolak-{upload.pk}.xlsx", content_type=XLSX
        )

    @extend_schema(request=None, responses=UploadSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, upload_id: int):
        upload = upload_withdraw(actor=request.user, upload=self.get_object())
        return Response(UploadSerializer(upload).data)
