"""The API of a pair's potential duplicates (docs/domain.md §4): the held rows and the decisions made (the
pair's LO and the KPU of the jurisdiction), and a KPU operator's decision. Same selectors and service as the
page (``views_duplicates``); personal data masked, every read audited."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from silon.accounts.access import require_kpu_operator

from .api import SupportViewSet
from .reads import duplicates_shown
from .selectors import supporter_viewer
from .selectors_duplicates import decided_groups, held_groups
from .services.decisions import potential_duplicate_decide

MAX_ID = 2**63 - 1  # a database id beyond bigint is refused as a bad request, not looked up


class HeldRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    upload = serializers.IntegerField(source="upload_id")
    sheet = serializers.IntegerField()
    row_number = serializers.IntegerField()
    name = serializers.CharField()
    birth_date = serializers.CharField()
    marital = serializers.CharField()
    village_code = serializers.CharField()
    status = serializers.CharField()
    chosen = serializers.BooleanField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    chosen = serializers.IntegerField(source="chosen_id", allow_null=True)
    note = serializers.CharField()
    decided_at = serializers.DateTimeField()


class DuplicateGroupSerializer(serializers.Serializer):
    nik = serializers.CharField()
    rows = HeldRowSerializer(many=True)
    decision = DecisionSerializer(allow_null=True)


class DuplicatesSerializer(serializers.Serializer):
    held = DuplicateGroupSerializer(many=True)
    decided = DuplicateGroupSerializer(many=True)


class DecideSerializer(serializers.Serializer):
    supporter = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    action = serializers.ChoiceField(choices=["choose", "reject"])
    note = serializers.CharField(max_length=500)


class PairDuplicateViewSet(SupportViewSet):
    """The pair's potential duplicates: held rows (none counted) and the decisions made, with the row chosen.
    POST (a KPU operator of the jurisdiction): ``choose`` keeps row ``supporter`` as the supporter and rejects
    the NIK's other held rows; ``reject`` rejects every held row of ``supporter``'s NIK."""

    def _answer(self, request, pair):
        viewer = supporter_viewer(request.user, pair).listing()
        held, decided = held_groups(pair=pair, viewer=viewer), decided_groups(pair=pair, viewer=viewer)
        duplicates_shown(actor=request.user, pair=pair, groups=held + decided, api=True)
        return Response(DuplicatesSerializer({"held": held, "decided": decided}).data)

    @extend_schema(responses=DuplicatesSerializer)
    @action(detail=True, methods=["get"])
    def duplicates(self, request, pair_id: int):
        return self._answer(request, self.get_pair())

    @extend_schema(request=DecideSerializer, responses=DuplicatesSerializer)
    @duplicates.mapping.post
    def decide(self, request, pair_id: int):
        pair = self.get_pair()
        require_kpu_operator(request.user, pair.election.region_code)  # before the body: who may, first
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        potential_duplicate_decide(
            actor=request.user,
            pair=pair,
            supporter_id=data.validated_data["supporter"],
            keep=data.validated_data["action"] == "choose",
            note=data.validated_data["note"],
        )
        return self._answer(request, pair)
