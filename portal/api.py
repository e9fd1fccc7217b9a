"""The open-data API: read-only, anonymous, throttled, and listed in the OpenAPI schema.

ViewSets (the project's one API style), their routes bound in ``api_urls.py`` under the paths and names they
have always had. Serializers name their fields one by one: a field added to a model never becomes public by
accident.
"""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from candidacy.models import Candidate, CandidatePair, Election, StageWindow
from candidacy.schedule import stage_windows
from candidacy.selectors import candidate_public_cv
from candidacy.selectors_public import public_elections, public_pairs
from objections.selectors_public import objection_counts
from silon.audit.checkpoints import checkpoint_published
from silon.audit.selectors import checkpoint_list
from silon.numbers import parse_id

from . import cache, selectors


class PublicViewSet(viewsets.GenericViewSet):
    # (no docstring: the schema would take it as the description of every action without one of its own)
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    # Session authentication would demand a CSRF token and a session read for nothing: the data is public.
    authentication_classes: list = []


class PublicElectionSerializer(serializers.ModelSerializer):
    type_label = serializers.CharField(source="get_type_display", read_only=True)

    class Meta:
        model = Election
        fields = ["id", "name", "type", "type_label", "region_code", "region_name", "polling_day", "dpt"]


class PublicStageSerializer(serializers.ModelSerializer):
    """A stage window as the election page shows it: ``ends_at`` includes extensions granted to every pair."""

    election_id = serializers.IntegerField(read_only=True)
    stage_label = serializers.CharField(source="get_stage_display", read_only=True)
    ends_at = serializers.DateTimeField(
        source="effective_ends_at", read_only=True, help_text="Selesai, termasuk perpanjangan untuk semua pasangan."
    )
    extended = serializers.SerializerMethodField(help_text="Diperpanjang untuk semua pasangan.")

    class Meta:
        model = StageWindow
        fields = ["election_id", "stage", "stage_label", "starts_at", "ends_at", "extended"]

    def get_extended(self, obj) -> bool:
        return obj.effective_ends_at != obj.ends_at


class PublicCandidateSerializer(serializers.ModelSerializer):
    """A candidate as the public sees them: never NIK, address or date of birth; the CV (education and
    occupation are part of it) only with consent, ``null`` without (``candidacy.selectors.candidate_public_cv``)."""

    role_label = serializers.CharField(source="get_role_display", read_only=True)
    education = serializers.SerializerMethodField(
        help_text="Hanya bila calon bersedia riwayat hidupnya dipublikasikan."
    )
    occupation = serializers.SerializerMethodField(
        help_text="Hanya bila calon bersedia riwayat hidupnya dipublikasikan."
    )
    cv = serializers.SerializerMethodField(help_text="Hanya bila calon bersedia riwayat hidupnya dipublikasikan.")

    class Meta:
        model = Candidate
        fields = ["role", "role_label", "name", "sex", "education", "occupation", "cv"]

    def get_education(self, obj) -> str | None:
        return candidate_public_cv(obj)["education"]

    def get_occupation(self, obj) -> str | None:
        return candidate_public_cv(obj)["occupation"]

    def get_cv(self, obj) -> str | None:
        return candidate_public_cv(obj)["cv"]


class PublicPairSerializer(serializers.ModelSerializer):
    parties = serializers.SerializerMethodField()
    candidates = PublicCandidateSerializer(many=True, read_only=True)
    # Plain text, not a second enum component of the pair statuses beside candidacy's (schema naming clash).
    status = serializers.CharField(read_only=True, help_text="candidacy.PairStatus")
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    public_responses = serializers.SerializerMethodField(
        help_text="masukan dan tanggapan masyarakat: counts only (received, upheld, not_upheld)"
    )

    class Meta:
        model = CandidatePair
        fields = [
            "id",
            "election",
            "ballot_number",
            "name",
            "path",
            "parties",
            "status",
            "status_label",
            "support_status",
            "candidates",
            "public_responses",
        ]

    def get_public_responses(self, obj) -> dict[str, int]:
        # annotated by candidacy.selectors_public.with_response_counts (public_pairs)
        return {
            "received": obj.responses_received,
            "upheld": obj.responses_upheld,
            "not_upheld": obj.responses_not_upheld,
        }

    def get_parties(self, obj) -> list[str]:
        return [n.party.short_name for n in obj.nominations.all()]


def _election_filter(request, queryset, field: str = "election_id"):
    election = parse_id(request.query_params.get("election", ""))
    return queryset.filter(**{field: election}) if election is not None else queryset


ELECTION_PARAM = OpenApiParameter("election", int, description="Hanya untuk satu pemilihan (id).")


class ElectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicViewSet):
    serializer_class = PublicElectionSerializer
    queryset = public_elections()


@extend_schema_view(list=extend_schema(parameters=[ELECTION_PARAM]))
class PairViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicViewSet):
    serializer_class = PublicPairSerializer

    def get_queryset(self):
        if self.action != "list":
            return public_pairs()
        qs = public_pairs().order_by("election_id", "ballot_number", "id")
        return _election_filter(self.request, qs)


@extend_schema_view(list=extend_schema(parameters=[ELECTION_PARAM]))
class StageViewSet(mixins.ListModelMixin, PublicViewSet):
    serializer_class = PublicStageSerializer

    def get_queryset(self):
        return _election_filter(self.request, stage_windows())


class PublicSupportUnitSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Dukungan dihitung (lolos pemeriksaan unggahan).")
    ms = serializers.IntegerField(
        allow_null=True, help_text="MS yang dihitung setelah putaran verifikasi terakhir yang ditutup."
    )


class PublicRoundSerializer(serializers.Serializer):
    """A closed verification round: its own MS/TMS and the pair's standing after it. Open rounds never show."""

    kind = serializers.CharField(help_text="administrative | factual")
    kind_label = serializers.CharField()
    batch = serializers.CharField(help_text="initial | correction_1")
    batch_label = serializers.CharField()
    closed_at = serializers.DateTimeField()
    ms = serializers.IntegerField(help_text="MS pada putaran ini.")
    tms = serializers.IntegerField(help_text="TMS pada putaran ini.")
    ms_total = serializers.IntegerField(help_text="MS yang dihitung terhadap syarat minimal setelah putaran ini.")
    minimum_met = serializers.BooleanField()
    percent_of_minimum = serializers.IntegerField()
    spread_met = serializers.IntegerField()
    spread_ok = serializers.BooleanField()


class PublicOutcomeSerializer(serializers.Serializer):
    batch = serializers.CharField()
    batch_label = serializers.CharField()
    status = serializers.CharField(help_text="ms | bms | tms")
    status_label = serializers.CharField()
    ms_total = serializers.IntegerField()
    minimum = serializers.IntegerField()
    shortfall = serializers.IntegerField()
    spread_met = serializers.IntegerField()
    spread_required = serializers.IntegerField()
    decided_at = serializers.DateTimeField()


class PublicCorrectionSerializer(serializers.Serializer):
    required = serializers.IntegerField(help_text="2 × kekurangan (UU 10/2016 Pasal 48).")
    submitted = serializers.IntegerField()


class PublicSupportSerializer(serializers.Serializer):
    """Counts only: per pair, per closed verification round and per spread unit. No supporter's data is ever
    shown to the public; ``submitted`` (Diserahkan) is each NIK of the pair's current files counted once."""

    pair_id = serializers.IntegerField()
    pair_name = serializers.CharField()
    support_status = serializers.CharField(help_text="candidacy.SupportStatus")
    submitted = serializers.IntegerField()
    accepted = serializers.IntegerField()
    penalty_per_case = serializers.IntegerField(help_text="Dukungan dikurangkan per temuan ganda/palsu (DPD: 50).")
    penalty_cases = serializers.IntegerField(help_text="Dukungan ganda yang terbukti (keputusan KPU).")
    net = serializers.IntegerField(help_text="accepted − penalty_cases × penalty_per_case: yang dihitung.")
    minimum = serializers.IntegerField()
    minimum_met = serializers.BooleanField()
    percent_of_minimum = serializers.IntegerField()
    spread_met = serializers.IntegerField()
    spread_required = serializers.IntegerField()
    spread_total = serializers.IntegerField()
    spread_ok = serializers.BooleanField()
    spread_level_label = serializers.CharField()
    rounds = PublicRoundSerializer(many=True)
    outcomes = PublicOutcomeSerializer(many=True)
    correction = PublicCorrectionSerializer(allow_null=True)
    units = PublicSupportUnitSerializer(many=True)


class SupportViewSet(PublicViewSet):
    filter_backends: list = []  # ?election= is read by the action, and required
    pagination_class = None  # every independent pair of the election at once

    @extend_schema(
        parameters=[OpenApiParameter("election", int, required=True, description="Id pemilihan.")],
        responses=PublicSupportSerializer(many=True),
    )
    def list(self, request):
        """Support progress of the independent pairs of one election, with counts per kab/kota or kecamatan."""
        election = parse_id(request.query_params.get("election", ""))
        if election is None:
            raise ValidationError({"election": _("Parameter election (id pemilihan) wajib diisi.")})
        blocks = cache.cached(
            f"portal:api-support:{get_language()}:{election}",
            lambda: selectors.election_support_api(election) or [],
        )
        return Response(PublicSupportSerializer(blocks, many=True).data)


class PublicCheckpointSerializer(serializers.Serializer):
    """A signed checkpoint of the audit chain head, exactly as signed (``silon.audit.checkpoints``)."""

    id = serializers.IntegerField()
    event_id = serializers.IntegerField(help_text="Id catatan audit terbaru saat ditandatangani.")
    event_hash = serializers.CharField(help_text="Hash catatan itu (HMAC-SHA256, heksadesimal).")
    event_time = serializers.CharField(help_text="Waktu catatan itu, UTC, ISO 8601, seperti ditandatangani.")
    signed_at = serializers.CharField(help_text="Waktu penandatanganan, UTC, ISO 8601.")
    reason = serializers.CharField(help_text="hourly, stage_closed, atau manual.")
    note = serializers.CharField(help_text="Tahapan yang ditutup, bila ada.")
    public_key = serializers.CharField(help_text="Kunci publik Ed25519 penanda tangan (heksadesimal).")
    signature = serializers.CharField(help_text="Tanda tangan Ed25519 atas message (heksadesimal).")
    message = serializers.CharField(help_text="Teks persis yang ditandatangani (JSON kanonik).")

    def to_representation(self, instance):
        return checkpoint_published(instance)


class AuditCheckpointViewSet(mixins.ListModelMixin, PublicViewSet):
    """Signed checkpoints of the audit trail, oldest first. Keep a copy: ``manage.py audit_verify --checkpoints
    <file or this URL>`` proves the trail still extends every one."""

    serializer_class = PublicCheckpointSerializer

    def get_queryset(self):
        return checkpoint_list()


class PublicObjectionCountSerializer(serializers.Serializer):
    pair_id = serializers.IntegerField()
    election_id = serializers.IntegerField()
    checks = serializers.IntegerField(help_text="public self-checks that found a listing for the pair")
    objections = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    not_confirmed = serializers.IntegerField()


class ObjectionCountViewSet(PublicViewSet):
    filter_backends: list = []
    pagination_class = None  # one row per pair with an objection or a check

    @extend_schema(responses=PublicObjectionCountSerializer(many=True))
    def list(self, request):
        """Per pair: public self-checks that found a listing, objections filed, confirmed and not confirmed.
        Counts only, never a person (``objections.selectors_public``)."""
        return Response(PublicObjectionCountSerializer(list(objection_counts()), many=True).data)
