"""The outage API (issue #18): the outages in reach, an outage recorded (with the affected pairs'
extensions), and a proposal confirmed or dismissed. Same selectors and services as the page."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ..models import Outage
from ..selectors_outages import outage_list
from ..services.outages import outage_decide, outage_record
from .common import CandidacyPermission


class OutageSerializer(serializers.ModelSerializer):
    extensions = serializers.SerializerMethodField()

    class Meta:
        model = Outage
        fields = ["id", "region_code", "starts_at", "ends_at", "stages", "affected", "status", "recorded_at",
                  "decided_at", "extensions"]  # fmt: skip
        read_only_fields = fields

    def get_extensions(self, outage) -> list[dict]:
        return [
            {"pair": e.pair_id, "stage": e.stage, "extended_until": e.extended_until.isoformat()}
            for e in outage.extensions.all()
        ]


class OutageInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    # Stage values; checked by the service (one refusal text for page and API)
    stages = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1)
    affected = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    region_code = serializers.CharField(required=False, max_length=13, default=None, allow_null=True)


class OutageDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirm", "dismiss"])


class OutageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Outages in the caller's reach (officials only; the national ones too)."""

    serializer_class = OutageSerializer
    permission_classes = [CandidacyPermission]
    lookup_value_regex = r"\d+"
    queryset = Outage.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Outage.objects.none()
        return outage_list(user=self.request.user).prefetch_related("extensions")

    @extend_schema(request=OutageInputSerializer, responses={201: OutageSerializer})
    def create(self, request):
        data = OutageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        outage = outage_record(actor=request.user, **data.validated_data)
        return Response(OutageSerializer(outage).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OutageDecisionSerializer, responses={200: OutageSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        outage = self.get_object()
        data = OutageDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = outage_decide(actor=request.user, outage=outage, confirm=data.validated_data["decision"] == "confirm")
        return Response(OutageSerializer(decided).data)
