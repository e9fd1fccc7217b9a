"""The candidacy API: the same services and selectors as the pages, behind DRF.

Objects outside the caller's reach are absent from its querysets and answer 404; read-only roles (Bawaslu,
party admins, verifiers) may GET but not change anything (403), except a party admin's confirmation.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from silon.privacy import mask_nik

from .access import can_write
from .models import (
    CandidatePair,
    Election,
    PairStatus,
    PairStatusChange,
    Party,
    PartyConfirmation,
    PartyResult,
    Path,
    Stage,
    StageExtension,
    StageWindow,
)
from .selectors import (
    election_list,
    election_party_threshold,
    election_support_requirement,
    pair_list,
    party_results,
)
from .services import (
    election_create,
    election_update,
    pair_confirm,
    pair_create,
    pair_transition,
    party_result_set,
    stage_extension_grant,
    stage_window_set,
)
from .status import next_statuses


def _service(call, **kwargs):
    """Run a service; its Django ``ValidationError`` becomes a 400 with the same messages."""
    try:
        return call(**kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(serializers.as_serializer_error(exc)) from exc


class CandidacyPermission(permissions.BasePermission):
    """Reads for every signed-in user (scoped by the querysets); writes for KPU operators only."""

    message = "Peran Anda hanya dapat membaca data."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "confirm":
            return True  # the service admits the pair's own party admin only
        return can_write(request.user)


# --- serializers -----------------------------------------------------------------------------------


class SupportRequirementSerializer(serializers.Serializer):
    dpt = serializers.IntegerField()
    percent = serializers.CharField()
    minimum = serializers.IntegerField()
    spread_level = serializers.CharField()
    spread_total = serializers.IntegerField()
    spread_required = serializers.IntegerField()


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

    @extend_schema_field(PartyThresholdSerializer)
    def get_party_threshold(self, obj):
        return PartyThresholdSerializer(election_party_threshold(obj)).data


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


class CandidateSummarySerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    nik_masked = serializers.CharField()


class PairSerializer(serializers.ModelSerializer):
    election = serializers.PrimaryKeyRelatedField(queryset=Election.objects.none())
    parties = serializers.SerializerMethodField()
    candidates = serializers.SerializerMethodField()
    next_statuses = serializers.SerializerMethodField()

    class Meta:
        model = CandidatePair
        fields = [
            "id",
            "election",
            "path",
            "name",
            "status",
            "support_status",
            "ballot_number",
            "parties",
            "candidates",
            "next_statuses",
        ]
        read_only_fields = ["status", "support_status", "ballot_number"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and request.user.is_authenticated:
            self.fields["election"].queryset = election_list(user=request.user)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_parties(self, obj):
        return sorted(n.party.number for n in obj.nominations.all())

    @extend_schema_field(CandidateSummarySerializer(many=True))
    def get_candidates(self, obj):
        return [{"role": c.role, "name": c.name, "nik_masked": mask_nik(c.nik)} for c in obj.candidates.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_next_statuses(self, obj):
        return next_statuses(obj.status)


# Plain strings: one enum per choice set keeps the OpenAPI schema free of duplicate enum names; the
# service refuses unknown statuses with the same 400.
STATUS_HELP = ", ".join(PairStatus.values)


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=STATUS_HELP)
    reason = serializers.CharField()
    ballot_number = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class StatusChangeSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True)
    from_status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    to_status = serializers.CharField(read_only=True, help_text=STATUS_HELP)

    class Meta:
        model = PairStatusChange
        fields = ["from_status", "to_status", "reason", "actor", "changed_at"]


class ConfirmationSerializer(serializers.ModelSerializer):
    confirmed_by = serializers.CharField(source="confirmed_by.username", read_only=True)

    class Meta:
        model = PartyConfirmation
        fields = ["id", "note", "confirmed_by", "confirmed_at", "snapshot"]
        read_only_fields = ["confirmed_at", "snapshot"]


# --- views -----------------------------------------------------------------------------------------


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
        serializer.instance = _service(election_create, actor=self.request.user, **serializer.validated_data)

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
        serializer.instance = _service(
            election_update,
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
            _service(stage_window_set, actor=request.user, election=election, **serializer.validated_data)
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
            _service(
                stage_extension_grant,
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
            _service(party_result_set, actor=request.user, election=election, **serializer.validated_data)
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(PartyResultSerializer(party_results(election), many=True).data, status=code)


class PairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Candidate pairs within reach (or granted to the caller's own team); their status moves."""

    serializer_class = PairSerializer
    permission_classes = [CandidacyPermission]
    lookup_value_regex = r"\d+"
    queryset = CandidatePair.objects.none()
    filterset_fields = ["election", "path", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CandidatePair.objects.none()
        return pair_list(user=self.request.user).prefetch_related("nominations__party", "candidates")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = _service(
            pair_create, actor=self.request.user, election=data["election"], path=Path(data["path"]), name=data["name"]
        )

    @extend_schema(methods=["GET"], responses=StatusChangeSerializer(many=True))
    @extend_schema(methods=["POST"], request=TransitionSerializer, responses={201: StatusChangeSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], serializer_class=TransitionSerializer, pagination_class=None)
    def transitions(self, request, pk=None):
        """The pair's status history; POST moves it to ``to`` (refused with 400 when the table or a guard
        does not allow it)."""
        pair = self.get_object()
        if request.method == "POST":
            serializer = TransitionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            _service(pair_transition, actor=request.user, pair=pair, **serializer.validated_data)
        history = PairStatusChange.objects.filter(pair=pair).select_related("actor")
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(StatusChangeSerializer(history, many=True).data, status=code)

    @extend_schema(request=ConfirmationSerializer, responses={201: ConfirmationSerializer})
    @action(detail=True, methods=["post"], serializer_class=ConfirmationSerializer)
    def confirm(self, request, pk=None):
        """The pair's party admin confirms what KPU entered (changes nothing KPU decided)."""
        pair = get_object_or_404(self.get_queryset(), pk=pk)
        serializer = ConfirmationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirmation = _service(
            pair_confirm, actor=request.user, pair=pair, note=serializer.validated_data.get("note", "")
        )
        return Response(ConfirmationSerializer(confirmation).data, status=status.HTTP_201_CREATED)
