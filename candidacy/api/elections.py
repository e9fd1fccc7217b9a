"""Elections: their computed requirements, stage schedule and extensions, DPT per sub-region, party results."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from silon.throttling import ElectionImportRateThrottle

from ..files import read_csv_upload
from ..models import Election, ElectionAreaDpt, Party, PartyResult, Stage, StageExtension, StageWindow
from ..selectors import election_list, election_party_threshold, election_support_requirement, party_results
from ..services import (
    election_area_dpt_import,
    election_create,
    election_update,
    party_result_set,
    party_results_import,
    stage_extension_grant,
    stage_window_set,
)
from .common import CandidacyPermission, UploadField


class SupportRequirementSerializer(serializers.Serializer):
    dpt = serializers.IntegerField()
    percent = serializers.CharField()
    minimum = serializers.IntegerField()
    spread_level = serializers.CharField()
    spread_total = serializers.IntegerField()
    spread_required = serializers.IntegerField()
    spread_at_least_half = serializers.BooleanField(help_text="spread in at least half of the units (Pemilu DPD)")
    penalty_per_case = serializers.IntegerField(help_text="supports deducted per proven duplicate (Pemilu DPD: 50)")


class PartyThresholdSerializer(serializers.Serializer):
    rule = serializers.CharField()
    rule_label = serializers.CharField()
    percent_votes = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    percent_seats = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    votes_required = serializers.IntegerField(allow_null=True)
    seats_required = serializers.IntegerField(allow_null=True)
    seatless_may_join = serializers.BooleanField()


class ElectionSerializer(serializers.ModelSerializer):
    support_requirement = serializers.SerializerMethodField()
    party_threshold = serializers.SerializerMethodField()

    class Meta:
        model = Election
        fields = [
            "id",
            "name",
            "type",
            "region_version",
            "regulation",
            "region_code",
            "region_name",
            "polling_day",
            "dpt",
            "total_valid_votes",
            "total_seats",
            "support_requirement",
            "party_threshold",
        ]
        read_only_fields = ["region_name"]

    @extend_schema_field(SupportRequirementSerializer)
    def get_support_requirement(self, obj):
        return SupportRequirementSerializer(election_support_requirement(obj)).data

    @extend_schema_field(PartyThresholdSerializer(allow_null=True))
    def get_party_threshold(self, obj):
        threshold = election_party_threshold(obj)  # none without a party route (Pemilu DPD)
        return PartyThresholdSerializer(threshold).data if threshold is not None else None


class StageWindowSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageWindow
        fields = ["stage", "starts_at", "ends_at"]
        validators = []  # the service updates an existing window of the same stage


class StageExtensionSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageExtension
        fields = ["id", "stage", "pair", "extended_until", "reason", "granted_at"]
        read_only_fields = ["granted_at"]


class PartyResultSerializer(serializers.ModelSerializer):
    party = serializers.SlugRelatedField(slug_field="number", queryset=Party.objects.all())
    party_name = serializers.CharField(source="party.short_name", read_only=True)

    class Meta:
        model = PartyResult
        fields = ["party", "party_name", "votes", "seats"]
        validators = []


class AreaDptSerializer(serializers.ModelSerializer):
    class Meta:
        model = ElectionAreaDpt
        fields = ["region_code", "region_name", "dpt"]


class CsvSerializer(serializers.Serializer):
    """A small CSV as an uploaded ``file`` (multipart) or as ``text`` (JSON or form), as on the pages."""

    file = UploadField(required=False, help_text="Berkas CSV UTF-8, maks. 1 MB.")
    text = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)

    def validate_file(self, upload) -> str:
        return read_csv_upload(upload)  # the file's text; DRF puts its refusals under ``file``

    def validate(self, attrs):
        attrs["content"] = attrs["file"] if "file" in attrs else attrs.get("text") or ""
        if not attrs["content"].strip():
            raise serializers.ValidationError(_("Unggah berkas CSV (file) atau kirim isinya (text)."))
        return attrs


class ElectionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Elections within the caller's reach, with the computed support requirement and party threshold."""

    serializer_class = ElectionSerializer
    permission_classes = [CandidacyPermission]
    lookup_value_regex = r"\d+"  # anything else is not an id: the URL conf answers 404
    queryset = Election.objects.none()
    filterset_fields = ["type", "region_code"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Election.objects.none()
        return election_list(user=self.request.user)

    def perform_create(self, serializer):
        serializer.instance = election_create(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        election, data = serializer.instance, serializer.validated_data
        fields = (
            "name",
            "type",
            "region_version",
            "regulation",
            "region_code",
            "polling_day",
            "dpt",
            "total_valid_votes",
            "total_seats",
        )
        serializer.instance = election_update(
            actor=self.request.user,
            election=election,
            **{name: data.get(name, getattr(election, name)) for name in fields},
        )

    @extend_schema(methods=["GET"], responses=StageWindowSerializer(many=True))
    @extend_schema(methods=["POST"], request=StageWindowSerializer, responses={201: StageWindowSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], serializer_class=StageWindowSerializer, pagination_class=None)
    def stages(self, request, pk=None):
        """The stage schedule; POST sets (or moves) one stage's window."""
        election = self.get_object()
        if request.method == "POST":
            serializer = StageWindowSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            stage_window_set(actor=request.user, election=election, **serializer.validated_data)
        windows = StageWindow.objects.filter(election=election)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(StageWindowSerializer(windows, many=True).data, status=code)

    @extend_schema(methods=["GET"], responses=StageExtensionSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=StageExtensionSerializer, responses={201: StageExtensionSerializer(many=True)}
    )
    @action(detail=True, methods=["get", "post"], serializer_class=StageExtensionSerializer, pagination_class=None)
    def extensions(self, request, pk=None):
        """Recorded extensions; POST grants one, for every pair (no ``pair``) or one pair, with a reason."""
        election = self.get_object()
        if request.method == "POST":
            serializer = StageExtensionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            stage_extension_grant(
                actor=request.user,
                election=election,
                stage=Stage(data["stage"]),
                extended_until=data["extended_until"],
                reason=data["reason"],
                pair=data.get("pair"),
            )
        extensions = StageExtension.objects.filter(election=election)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(StageExtensionSerializer(extensions, many=True).data, status=code)

    @extend_schema(methods=["GET"], responses=PartyResultSerializer(many=True))
    @extend_schema(methods=["POST"], request=PartyResultSerializer, responses={201: PartyResultSerializer(many=True)})
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="party-results",
        serializer_class=PartyResultSerializer,
        pagination_class=None,
    )
    def party_results(self, request, pk=None):
        """Each party's valid DPRD votes and seats; POST sets one party's figures."""
        election = self.get_object()
        if request.method == "POST":
            serializer = PartyResultSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            party_result_set(actor=request.user, election=election, **serializer.validated_data)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(PartyResultSerializer(party_results(election), many=True).data, status=code)

    @extend_schema(
        request={"multipart/form-data": CsvSerializer, "application/json": CsvSerializer},
        responses={201: PartyResultSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="party-results/import",
        url_name="party-results-import",
        serializer_class=CsvSerializer,
        throttle_classes=[ElectionImportRateThrottle],
    )
    def party_results_import(self, request, pk=None):
        """Import CSV ``party_number,votes,seats``; every error names its line and nothing is saved unless
        every line is valid."""
        election = self.get_object()
        serializer = CsvSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        party_results_import(actor=request.user, election=election, text=serializer.validated_data["content"])
        return Response(PartyResultSerializer(party_results(election), many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=AreaDptSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": CsvSerializer, "application/json": CsvSerializer},
        responses={201: AreaDptSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="area-dpt",
        serializer_class=CsvSerializer,
        pagination_class=None,
        throttle_classes=[ElectionImportRateThrottle],
    )
    def area_dpt(self, request, pk=None):
        """The DPT per sub-region (kab/kota for governor, kecamatan for regent/mayor); POST replaces it from
        CSV ``region_code,dpt``."""
        election = self.get_object()
        if request.method == "POST":
            serializer = CsvSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            election_area_dpt_import(
                actor=request.user,
                election=election,
                text=serializer.validated_data["content"],
            )
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(AreaDptSerializer(election.area_dpts.all(), many=True).data, status=code)
