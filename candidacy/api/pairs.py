"""Candidate pairs: creation and renaming, the party or coalition behind them, the status machine (ballot
number included), the party admin account and its confirmations; candidates and documents hang below."""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from silon.privacy import Kind

from ..access import candidate_viewer
from ..models import CandidatePair, Election, PairStatus, PairStatusChange, Party, PartyConfirmation, Path
from ..reads import supervised, supervised_list
from ..selectors import coalition_check, election_list, pair_list
from ..services import (
    pair_confirm,
    pair_create,
    pair_nominate,
    pair_rename,
    pair_transition,
    party_admin_issue,
    party_admin_revoke,
)
from ..status import next_statuses
from .candidates import CandidateActions
from .common import CandidacyPermission
from .documents import DocumentActions


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
        viewer = candidate_viewer(self.context["request"].user, obj).listing()
        return [
            {"role": c.role, "name": c.name, "nik_masked": viewer.show(Kind.CANDIDATE_NIK, c.nik)}
            for c in obj.candidates.all()
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_next_statuses(self, obj):
        return next_statuses(obj.status)


class PairRenameSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)


# Plain strings: one enum per choice set keeps the OpenAPI schema free of duplicate enum names; the
# service refuses unknown statuses with the same 400.
STATUS_HELP = ", ".join(PairStatus.values)


class TransitionSerializer(serializers.Serializer):
    to = serializers.CharField(help_text=STATUS_HELP)
    reason = serializers.CharField()
    ballot_number = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=99)


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


class NominationInputSerializer(serializers.Serializer):
    parties = serializers.SlugRelatedField(
        slug_field="number", many=True, queryset=Party.objects.none(), help_text="Ballot numbers of the parties."
    )

    def __init__(self, *args, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pair is not None:
            # as the page offers: active parties, and those already backing this pair
            self.fields["parties"].child_relation.queryset = Party.objects.filter(
                Q(is_active=True) | Q(nominations__pair=pair)
            ).distinct()


class PartyBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["number", "short_name"]


class CoalitionSerializer(serializers.Serializer):
    votes = serializers.IntegerField()
    seats = serializers.IntegerField()
    votes_required = serializers.IntegerField(allow_null=True)
    seats_required = serializers.IntegerField(allow_null=True)
    qualifies = serializers.BooleanField()


class NominationsSerializer(serializers.Serializer):
    """The party or coalition behind a pair and its accumulated votes/seats against the threshold."""

    parties = PartyBriefSerializer(many=True)
    coalition = CoalitionSerializer(allow_null=True)


class PartyAdminIssuedSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(help_text="Shown once; never stored in clear.")
    expires_at = serializers.DateTimeField()


class PartyAdminRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class PartyAdminAccountSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    issued_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoke_reason = serializers.CharField()


def _nominations(pair: CandidatePair) -> dict:
    parties = [n.party for n in pair.nominations.select_related("party").order_by("party__number")]
    check = coalition_check(election=pair.election, parties=parties) if parties else None
    return {"parties": parties, "coalition": check}


@extend_schema_view(
    update=extend_schema(request=PairRenameSerializer, responses=PairSerializer),
    partial_update=extend_schema(request=PairRenameSerializer, responses=PairSerializer),
)
class PairViewSet(
    CandidateActions,
    DocumentActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Candidate pairs within reach (or granted to the caller's own team); their status moves."""

    serializer_class = PairSerializer
    permission_classes = [CandidacyPermission]
    lookup_value_regex = r"\d+"  # anything else is not an id: the URL conf answers 404
    queryset = CandidatePair.objects.none()
    filterset_fields = ["election", "path", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return CandidatePair.objects.none()
        return pair_list(user=self.request.user).prefetch_related("nominations__party", "candidates")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = pair_create(
            actor=self.request.user, election=data["election"], path=Path(data["path"]), name=data["name"]
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        shown = list(queryset) if page is None else page
        supervised_list(actor=request.user, objs=shown)  # candidates' names and masked NIKs, as in the detail
        data = self.get_serializer(shown, many=True).data
        return Response(data) if page is None else self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        pair = self.get_object()
        # names of candidates, as on the pair page
        supervised(actor=request.user, obj=pair, region_code=pair.election.region_code)
        return Response(self.get_serializer(pair).data)

    def update(self, request, *args, **kwargs):
        """Rename the pair (the only field KPU may change here; PATCH and PUT alike need ``name``)."""
        pair = self.get_object()
        serializer = PairRenameSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pair = pair_rename(actor=request.user, pair=pair, name=serializer.validated_data["name"])
        return Response(PairSerializer(pair, context=self.get_serializer_context()).data)

    @extend_schema(methods=["GET"], responses=StatusChangeSerializer(many=True))
    @extend_schema(methods=["POST"], request=TransitionSerializer, responses={201: StatusChangeSerializer(many=True)})
    @action(detail=True, methods=["get", "post"], serializer_class=TransitionSerializer, pagination_class=None)
    def transitions(self, request, pk=None):
        """The pair's status history; POST moves it to ``to`` (refused with 400 when the table or a guard
        does not allow it). Moving to ``ballot_assigned`` records the drawn ``ballot_number``."""
        pair = self.get_object()
        if request.method == "POST":
            serializer = TransitionSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            pair_transition(actor=request.user, pair=pair, **serializer.validated_data)
        history = PairStatusChange.objects.filter(pair=pair).select_related("actor")
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(StatusChangeSerializer(history, many=True).data, status=code)

    @extend_schema(methods=["GET"], responses=NominationsSerializer)
    @extend_schema(methods=["POST"], request=NominationInputSerializer, responses={201: NominationsSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=NominationInputSerializer, pagination_class=None)
    def nominations(self, request, pk=None):
        """The party or coalition backing a party-path pair; POST replaces it (refused when a party already
        backs another pair, a seatless party may not join, or the coalition falls short of the threshold)."""
        pair = self.get_object()
        if request.method == "POST":
            serializer = NominationInputSerializer(data=request.data, pair=pair)
            serializer.is_valid(raise_exception=True)
            pair_nominate(actor=request.user, pair=pair, parties=serializer.validated_data["parties"])
        code = status.HTTP_201_CREATED if request.method == "POST" else status.HTTP_200_OK
        return Response(NominationsSerializer(_nominations(pair)).data, status=code)

    @extend_schema(request=None, responses={201: PartyAdminIssuedSerializer})
    @action(detail=True, methods=["post"], url_path="party-admin", url_name="party-admin")
    def party_admin(self, request, pk=None):
        """Issue the one party admin account of a party-backed pair; the password is in this answer only."""
        pair = self.get_object()
        user, password = party_admin_issue(actor=request.user, pair=pair)
        data = {"username": user.username, "password": password, "expires_at": user.expires_at}
        response = Response(PartyAdminIssuedSerializer(data).data, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=PartyAdminRevokeSerializer, responses={200: PartyAdminAccountSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="party-admin/revoke",
        url_name="party-admin-revoke",
        serializer_class=PartyAdminRevokeSerializer,
    )
    def party_admin_revoke(self, request, pk=None):
        """Revoke the pair's active party admin account (a reason is required); a new one may then be issued."""
        pair = self.get_object()
        serializer = PartyAdminRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        admin = party_admin_revoke(actor=request.user, pair=pair, reason=serializer.validated_data["reason"])
        return Response(PartyAdminAccountSerializer(admin).data)

    @extend_schema(methods=["GET"], responses=ConfirmationSerializer(many=True))
    @extend_schema(methods=["POST"], request=ConfirmationSerializer, responses={201: ConfirmationSerializer})
    @action(detail=True, methods=["get", "post"], serializer_class=ConfirmationSerializer, pagination_class=None)
    def confirm(self, request, pk=None):
        """The party admin's confirmations of what KPU entered; POST (the pair's party admin only) records one
        (it changes nothing KPU decided)."""
        pair = self.get_object()
        if request.method == "GET":
            confirmations = pair.confirmations.select_related("confirmed_by")
            return Response(ConfirmationSerializer(confirmations, many=True).data)
        serializer = ConfirmationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        confirmation = pair_confirm(actor=request.user, pair=pair, note=serializer.validated_data.get("note", ""))
        return Response(ConfirmationSerializer(confirmation).data, status=status.HTTP_201_CREATED)
