"""The objections API (DRF viewsets): the public check, filing an objection and following it (anyone, no
account, each write behind a solved ALTCHA challenge sent as the ``altcha`` field), and the officials' queue
and decision. The same services, selectors and audited reads as the pages; refusals answer ``{"detail": …}``."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from silon.accounts.access import kpu_operator_reaches
from silon.errors import DETAIL
from silon.openapi import ErrorDetailSerializer

from . import selectors, services
from .challenge import challenge_create, challenge_spend
from .hashing import nik_hash
from .models import Objection
from .reads import objection_queue_shown, objection_shown
from .throttling import check_throttled, objection_throttled

# --- input ---------------------------------------------------------------------------------------------


class CheckInput(serializers.Serializer):
    nik = serializers.RegexField(r"^\d{16}$")
    name = serializers.CharField(max_length=200)
    altcha = serializers.CharField(max_length=2000)


class ObjectionInput(serializers.Serializer):
    token = serializers.CharField(max_length=2000)
    statement = serializers.CharField(max_length=4000)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    ktp_photo = serializers.FileField(required=False, allow_null=True, default=None)
    altcha = serializers.CharField(max_length=2000)


class DecideInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirm", "reject"])
    clarified_on = serializers.DateField()
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    scan = serializers.FileField(required=False, allow_null=True, default=None)


# --- output --------------------------------------------------------------------------------------------


class ChallengeOutput(serializers.Serializer):
    algorithm = serializers.CharField()
    challenge = serializers.CharField()
    maxnumber = serializers.IntegerField()
    salt = serializers.CharField()
    signature = serializers.CharField()


class EntryOutput(serializers.Serializer):
    pair_id = serializers.IntegerField()
    pair_name = serializers.CharField()
    uploaded_on = serializers.DateField()
    status = serializers.ChoiceField(choices=["counted", "in_review", "tms"])
    status_label = serializers.CharField()
    token = serializers.CharField(help_text="send back as ``token`` to object to this listing (valid one hour)")


class ElectionAnswerOutput(serializers.Serializer):
    election_id = serializers.IntegerField()
    election_name = serializers.CharField()
    region_name = serializers.CharField()
    listed = serializers.BooleanField()
    entries = EntryOutput(many=True)


class CheckOutput(serializers.Serializer):
    elections = ElectionAnswerOutput(many=True)


class ReceiptOutput(serializers.Serializer):
    receipt = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    filed_on = serializers.SerializerMethodField()
    decided_on = serializers.SerializerMethodField()

    def get_filed_on(self, objection) -> str:
        return timezone.localdate(objection.filed_at).isoformat()

    def get_decided_on(self, objection) -> str | None:
        return timezone.localdate(objection.decided_at).isoformat() if objection.decided_at else None


class QueueRowOutput(serializers.Serializer):
    id = serializers.IntegerField(source="objection.pk")
    pair_id = serializers.IntegerField(source="objection.pair_id")
    election_id = serializers.IntegerField(source="objection.election_id")
    status = serializers.CharField(source="objection.status")
    filed_at = serializers.DateTimeField(source="objection.filed_at")
    decided_at = serializers.DateTimeField(source="objection.decided_at", allow_null=True)
    nik = serializers.CharField(help_text="masked")
    name = serializers.CharField()
    listed_name = serializers.CharField(help_text="masked")


class PublicObjectionViewSet(viewsets.GenericViewSet):
    """The public's side: a challenge, a check, an objection, its status by receipt code."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    refusal_body = DETAIL
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = CheckInput
    queryset = Objection.objects.none()

    @extend_schema(responses=ChallengeOutput)
    @action(detail=False, methods=["get"], url_path="challenge")
    def challenge(self, request):
        response = Response(ChallengeOutput(challenge_create()).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(request=CheckInput, responses={200: CheckOutput, 429: ErrorDetailSerializer})
    @action(detail=False, methods=["post"], url_path="check")
    def check(self, request):
        data = _valid(CheckInput, request)
        if wait := check_throttled(request, nik_hash(data["nik"])):
            raise Throttled(wait)
        challenge_spend(data["altcha"])
        answer = services.public_check_run(nik=data["nik"], name=data["name"])
        return Response(CheckOutput(answer).data)

    @extend_schema(request=ObjectionInput, responses={201: ReceiptOutput, 429: ErrorDetailSerializer})
    @action(detail=False, methods=["post"], url_path="objections")
    def file(self, request):
        data = _valid(ObjectionInput, request)
        if wait := objection_throttled(request):
            raise Throttled(wait)
        challenge_spend(data.pop("altcha"))
        objection = services.objection_file(**data)
        return Response(ReceiptOutput(objection).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=ReceiptOutput)
    @action(detail=False, methods=["get"], url_path=r"objections/(?P<receipt>[A-Za-z0-9-]{1,32})")
    def receipt(self, request, receipt: str):
        return Response(ReceiptOutput(selectors.objection_by_receipt(receipt)).data)


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The officials' queue within reach (``?q=`` a NIK or a name), masked, and a KPU operator's decision."""

    permission_classes = [IsAuthenticated]
    refusal_body = DETAIL
    serializer_class = QueueRowOutput
    lookup_value_regex = r"\d+"
    queryset = Objection.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Objection.objects.none()
        objections = selectors.objections_in_reach(self.request.user)
        return selectors.objection_search(objections, self.request.query_params.get("q", "")[:100])

    def list(self, request):
        if not selectors.can_supervise(request.user):
            raise PermissionDenied  # a list, not an object: this role reads no objection queue
        page = self.paginate_queryset(self.get_queryset().order_by("filed_at", "pk"))
        rows = objection_queue_shown(
            actor=request.user, objections=page, query=request.query_params.get("q", ""), page=1
        )
        return self.get_paginated_response(QueueRowOutput(rows, many=True).data)

    def retrieve(self, request, pk=None):
        objection = selectors.objection_for_user(request.user, int(pk))
        return Response(QueueRowOutput(objection_shown(actor=request.user, objection=objection)).data)

    @extend_schema(request=DecideInput, responses=ReceiptOutput)
    @action(detail=True, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def decide(self, request, pk=None):
        objection = selectors.objection_for_user(request.user, int(pk))
        if not kpu_operator_reaches(request.user, objection.region_code):
            raise PermissionDenied  # Bawaslu reads, never decides (the service refuses it too)
        data = _valid(DecideInput, request)
        decided = services.objection_decide(
            actor=request.user,
            objection=objection,
            confirmed=data.pop("decision") == "confirm",
            **data,
        )
        return Response(ReceiptOutput(decided).data)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
