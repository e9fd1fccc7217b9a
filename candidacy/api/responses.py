"""Public responses on pairs (docs/domain.md §9.2) in the API: anyone may send one on a pair while the window
is open (``PairResponseViewSet``, rate-limited per address); KPU operators of the region list, read, clarify
and decide them, Bawaslu reads them (``PublicResponseViewSet``). The same services, selectors and reads as the
pages; the sender's identity is masked by the policy (``candidacy.reads.response_sender``)."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from silon.openapi import ErrorDetailSerializer
from silon.throttling import public_response_throttled

from ..models import PublicResponse, ResponseOutcome
from ..reads import response_evidence_file, response_sender, response_shown, response_viewer, responses_shown
from ..selectors_responses import response_pair, responses_for_user, responses_may_read
from ..services import public_response_clarify, public_response_decide, public_response_submit
from .common import CandidacyPermission, UploadField


class ResponseSubmitSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(required=False, allow_null=True, default=None)
    body = serializers.CharField(max_length=4000)
    name = serializers.CharField(max_length=100)
    nik = serializers.CharField(max_length=16, min_length=16)
    contact = serializers.CharField(max_length=120)
    evidence = UploadField(required=False, allow_null=True, default=None)


class ResponseReceiptSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()


class ResponseSerializer(serializers.ModelSerializer):
    """A response with its sender as the caller may see them (``context["senders"]``)."""

    sender = serializers.SerializerMethodField()
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = PublicResponse
        fields = [
            "id",
            "election",
            "pair",
            "candidate",
            "body",
            "sender",
            "has_evidence",
            "status",
            "clarification",
            "clarified_at",
            "outcome",
            "outcome_reason",
            "decided_at",
            "received_at",
        ]

    def get_sender(self, obj) -> dict[str, str]:
        return self.context["senders"][obj.pk]

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)


class ResponseClarifySerializer(serializers.Serializer):
    clarification = serializers.CharField(max_length=4000)


class ResponseDecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ResponseOutcome.choices)
    reason = serializers.CharField(max_length=4000)


class PairResponseViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """POST a public response on a pair (anyone, within the election's window)."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = ResponseSubmitSerializer
    queryset = PublicResponse.objects.none()

    @extend_schema(
        request={"multipart/form-data": ResponseSubmitSerializer},
        responses={201: ResponseReceiptSerializer, 429: ErrorDetailSerializer},
    )
    def create(self, request, pair_id: int):
        pair = response_pair(pair_id)
        data = ResponseSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wait = public_response_throttled(request)  # counted only once the input is complete
        if wait is not None:
            raise exceptions.Throttled(wait)
        values = dict(data.validated_data)
        candidate_id = values.pop("candidate")
        candidate = pair.candidates.filter(pk=candidate_id).first() if candidate_id else None
        if candidate_id and candidate is None:
            raise serializers.ValidationError({"candidate": ["not a candidate of this pair"]})
        response = public_response_submit(
            pair=pair, candidate=candidate, ip_address=request.META.get("REMOTE_ADDR"), **values
        )
        return Response(ResponseReceiptSerializer(response).data, status=status.HTTP_201_CREATED)


class PublicResponseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Public responses of the caller's region: KPU operators clarify and decide them, Bawaslu reads them."""

    serializer_class = ResponseSerializer
    permission_classes = [CandidacyPermission]
    lookup_value_regex = r"\d+"
    queryset = PublicResponse.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PublicResponse.objects.none()
        return responses_for_user(self.request.user, status=self.request.query_params.get("status", ""))

    def list(self, request):
        if not responses_may_read(request.user):
            raise exceptions.PermissionDenied
        page = self.paginate_queryset(self.get_queryset())
        rows = list(page if page is not None else self.get_queryset())
        senders = {r.pk: response_sender(response_viewer(request.user, r).listing(), r) for r in rows}
        rows = responses_shown(actor=request.user, rows=rows, page=1, api=True)
        data = ResponseSerializer(rows, many=True, context={"senders": senders}).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, pk=None):
        response = self.get_object()
        sender = response_shown(actor=request.user, response=response, api=True)
        return Response(ResponseSerializer(response, context={"senders": {response.pk: sender}}).data)

    def _answer(self, request, response):
        viewer = response_viewer(request.user, response)
        senders = {response.pk: response_sender(viewer, response)}
        return Response(ResponseSerializer(response, context={"senders": senders}).data)

    @extend_schema(request=ResponseClarifySerializer, responses=ResponseSerializer)
    @action(detail=True, methods=["post"], serializer_class=ResponseClarifySerializer)
    def clarify(self, request, pk=None):
        """Record the clarification with the pair."""
        response = self.get_object()
        data = ResponseClarifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = public_response_clarify(actor=request.user, response=response, **data.validated_data)
        return self._answer(request, response)

    @extend_schema(request=ResponseDecideSerializer, responses=ResponseSerializer)
    @action(detail=True, methods=["post"], serializer_class=ResponseDecideSerializer)
    def decide(self, request, pk=None):
        """Record the outcome (upheld or not upheld) with its reason."""
        response = self.get_object()
        data = ResponseDecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        response = public_response_decide(actor=request.user, response=response, **data.validated_data)
        return self._answer(request, response)

    @extend_schema(
        responses={
            (200, kind): OpenApiResponse(OpenApiTypes.BINARY)
            for kind in ("application/pdf", "image/jpeg", "image/png", "application/octet-stream")
        }
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def evidence(self, request, pk=None):
        """The evidence file sent with the response (audited)."""
        response = self.get_object()
        return FileResponse(response_evidence_file(actor=request.user, response=response), as_attachment=True)
