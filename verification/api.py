"""The verification API (DRF): a BMS pair's correction batch. Its path stays beside the support API's
(``/api/support/pairs/<id>/correction/``); the same services and selectors as the pages, other pairs' data 404.

A ViewSet as in the support API (``support_uploads.api.SupportViewSet``), its routes bound in ``api_urls.py``:
an input serializer reads the request, an output serializer writes the answer, and refusals answer
``{"detail": "..."}`` (``silon.errors``).
"""

import datetime
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.fields import empty
from rest_framework.response import Response

from support_uploads.api import SupportViewSet
from support_uploads.models import Upload

from .selectors_correction import correction_overview
from .services import correction_submit


def _moment(**kwargs) -> serializers.DateTimeField:
    # as stored (UTC, "…Z"), the way this endpoint has always written its times
    return serializers.DateTimeField(default_timezone=datetime.UTC, **kwargs)


class CorrectionSubmissionSerializer(serializers.Serializer):
    submitted = serializers.IntegerField()
    required = serializers.IntegerField()
    repeated = serializers.IntegerField()
    uploads = serializers.SerializerMethodField()
    submitted_at = _moment()

    def get_uploads(self, submission) -> list[int]:
        return sorted(submission.uploads.values_list("pk", flat=True))


class CorrectionOverviewSerializer(serializers.Serializer):
    """``selectors.CorrectionOverview``: what the batch must bring (2 × shortfall), its window, its files."""

    shortfall = serializers.IntegerField()
    spread_shortfall = serializers.IntegerField()
    required = serializers.IntegerField()
    collected = serializers.IntegerField()
    remaining = serializers.IntegerField()
    repeated = serializers.IntegerField()
    checking = serializers.IntegerField()
    window_starts_at = _moment(source="starts_at")
    deadline = _moment()
    extended = serializers.BooleanField()
    is_open = serializers.BooleanField()
    submission = CorrectionSubmissionSerializer(allow_null=True)


class PairCorrectionSerializer(serializers.Serializer):
    support_status = serializers.CharField()
    correction = CorrectionOverviewSerializer(allow_null=True)


class UploadIdsField(serializers.Field):
    """``uploads``: a JSON list of the pair's upload ids, exactly (strings or a form field are refused)."""

    default_error_messages = {"invalid": _("uploads: daftar id berkas.")}

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data) -> list[int]:
        if not isinstance(data, list) or not all(isinstance(i, int) for i in data):
            self.fail("invalid")
        return data


class CorrectionInputSerializer(serializers.Serializer):
    """Without ``uploads`` (or with null), every checked file of the correction batch is submitted."""

    uploads = UploadIdsField(required=False, allow_null=True, default=None)

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair

    def validate_uploads(self, ids: list[int] | None) -> list[Upload] | None:
        if ids is None:
            return None
        uploads = list(Upload.objects.filter(pair=self.pair, pk__in=ids))
        if len(uploads) != len(set(ids)):
            raise serializers.ValidationError(_("uploads: berkas tidak dikenal."))
        return uploads


def _correction(pair) -> dict:
    return PairCorrectionSerializer(
        {"support_status": pair.support_status, "correction": correction_overview(pair=pair)}
    ).data


class PairCorrectionViewSet(SupportViewSet):
    """A BMS pair's correction batch: what is required (2 × shortfall), the window, what its files bring.
    POST submits it: every checked correction file, or the ``uploads`` ids given."""

    @extend_schema(responses=PairCorrectionSerializer)
    @action(detail=True, methods=["get"])
    def correction(self, request, pair_id: int):
        return Response(_correction(self.get_pair()))

    @extend_schema(
        request={"application/json": {"type": "object", "properties": {"uploads": {"type": "array"}}}},
        responses={201: PairCorrectionSerializer},
    )
    @correction.mapping.post
    def submit(self, request, pair_id: int):
        pair = self.get_pair()
        # a body that is not an object names no uploads (as this endpoint has always read it)
        serializer = CorrectionInputSerializer(
            data=request.data if isinstance(request.data, Mapping) else {}, pair=pair
        )
        serializer.is_valid(raise_exception=True)
        correction_submit(actor=request.user, pair=pair, uploads=serializer.validated_data["uploads"])
        pair.refresh_from_db()
        return Response(_correction(pair), status=status.HTTP_201_CREATED)
