"""The verification API of a round (DRF viewset): the pair's own team's results and its download, and the
operators' search and bulk marking of a kecamatan. The same selectors, reads and services as the pages
(``views.team``, ``views.search``); another pair's round, or one outside the caller's reach, answers 404."""

import datetime

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from silon.accounts.access import is_kpu_operator
from silon.errors import DETAIL
from support_uploads.selectors import lo_pairs

from . import services
from .models import Verdict, VerificationRound
from .selectors import round_for_user, sample_decisions
from .selectors_sample import round_draws, round_sample_start, sample_plan, sample_round_for_user, start_limit
from .selectors_team import round_kecamatan, team_round
from .team_export import FORMATS
from .views.search import search_rows
from .views.team import team_file, team_page


def _moment(**kwargs) -> serializers.DateTimeField:
    return serializers.DateTimeField(default_timezone=datetime.UTC, **kwargs)


class TeamRowSerializer(serializers.Serializer):
    nik = serializers.CharField(help_text="masked (a listing, silon.privacy)")
    name = serializers.CharField()
    village_code = serializers.CharField()
    verdict = serializers.CharField(help_text="ms, tms, pending, or '' while undecided")
    reason = serializers.CharField()
    note = serializers.CharField()
    visit = serializers.CharField()
    due_at = _moment(allow_null=True, help_text="pending: the moment the 3 days end (docs/domain.md §3.4)")
    overdue = serializers.BooleanField()


class TeamResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    results = TeamRowSerializer(many=True)
    pending = TeamRowSerializer(many=True, help_text="the first pending supporters, nearest due moment first")


class SearchRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    nik = serializers.CharField()
    name = serializers.CharField()
    village_code = serializers.CharField()
    verdict = serializers.CharField()
    reason = serializers.CharField()
    due_at = _moment(allow_null=True)


class MarkAreaResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="Jumlah baris yang ditandai.")
    kecamatan = serializers.CharField(help_text="Kode kecamatan yang ditandai.")


class MarkAreaInputSerializer(serializers.Serializer):
    kecamatan = serializers.CharField(max_length=13)
    verdict = serializers.ChoiceField(choices=[Verdict.MS, Verdict.TMS])
    reason = serializers.CharField(max_length=32, required=False, default="", allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, default="", allow_blank=True)
    only_undecided = serializers.BooleanField(required=False, default=False)


class SamplePlanSerializer(serializers.Serializer):
    regency_code = serializers.CharField()
    name = serializers.CharField()
    population = serializers.IntegerField(help_text="N: supporters MS after the administrative round")
    size = serializers.IntegerField(help_text="n: Krejcie-Morgan, the regulation's parameters")
    interval = serializers.CharField(source="interval_decimal", help_text="N/n, two places")
    last_start = serializers.IntegerField(help_text="the start numbers this kab/kota allows: 1..last_start")


class SampleDrawSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    regency_code = serializers.CharField()
    population = serializers.IntegerField()
    size = serializers.IntegerField()
    interval = serializers.DecimalField(max_digits=14, decimal_places=6)
    chosen_start = serializers.IntegerField()
    start = serializers.IntegerField(help_text="the chosen start number within this kab/kota's interval")
    sort_order = serializers.CharField()
    age_on = serializers.DateField()
    order_digest = serializers.CharField()
    eligible = serializers.IntegerField(help_text="MS among the drawn supporters so far")
    counted = serializers.IntegerField(help_text="eligible / n × N, rounded down (PKPU 10/2022)")


class SampleStartSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    form_sha256 = serializers.CharField()
    submitted_at = _moment()


class SampleSerializer(serializers.Serializer):
    start = SampleStartSerializer(allow_null=True)
    start_limit = serializers.IntegerField(help_text="before the draw: the highest start number allowed")
    plan = SamplePlanSerializer(many=True, help_text="before the draw: each kab/kota's N, n and interval")
    draws = SampleDrawSerializer(many=True)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent as multipart; described as binary in the schema."""


class SampleStartInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    form = UploadField(help_text="form MODEL.AWAL.SAMPEL.DPD, signed, as a PDF")


def _sample_body(round) -> dict:
    start = round_sample_start(round)
    plan = sample_plan(round) if start is None else []
    decisions = {d.draw_id: d for d in sample_decisions(pair=round.pair, round=round)}
    draws = []
    for draw in round_draws(round):
        decision = decisions.get(draw.pk)
        draw.eligible = decision.eligible if decision else 0
        draw.counted = decision.counted if decision else 0
        draws.append(draw)
    return SampleSerializer({"start": start, "start_limit": start_limit(plan), "plan": plan, "draws": draws}).data


class RoundViewSet(viewsets.GenericViewSet):
    """A verification round: its team's results (the pair's LO), its search and kecamatan marking (operators)."""

    refusal_body = DETAIL
    lookup_value_regex = r"\d+"
    queryset = VerificationRound.objects.none()
    serializer_class = TeamResultsSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("hasil", str, enum=["ms", "tms", "pending", "undecided"]),
            OpenApiParameter("kecamatan", str),
            OpenApiParameter("page", int),
        ],
        responses=TeamResultsSerializer,
    )
    @action(detail=True, methods=["get"], url_path="team-results", url_name="team-results")
    def team_results(self, request, pk: int):
        """The round's supporters and their results, for the pair's own LO (masked, paged, filtered)."""
        round = team_round(request.user, pk)
        shown = team_page(request, round)
        page = shown["page"]
        body = {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": shown["rows"],
            "pending": shown["pending"],
        }
        return Response(TeamResultsSerializer(body).data)

    @extend_schema(
        parameters=[OpenApiParameter("berkas", str, enum=list(FORMATS))],
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiResponse(
                OpenApiTypes.BINARY
            ),
        },
    )
    @action(detail=True, methods=["get"], url_path="team-results/download", url_name="team-download")
    def team_download(self, request, pk: int):
        """The pending and TMS rows to act on, as CSV or xlsx (formula-neutralised)."""
        round = team_round(request.user, pk)
        fmt = request.query_params.get("berkas", "csv")
        body, name = team_file(request, round, fmt)
        response = HttpResponse(body, content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    @extend_schema(
        parameters=[OpenApiParameter("nik", str), OpenApiParameter("nama", str)],
        responses=SearchRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="search", url_name="search", pagination_class=None)
    def search(self, request, pk: int):
        """Supporters of the round within reach by NIK (exact) or name (contains), masked per policy."""
        round = round_for_user(request.user, pk)
        rows, _by, _asked = search_rows(request, round)
        return Response(SearchRowSerializer(rows, many=True).data)

    @extend_schema(request=MarkAreaInputSerializer, responses=MarkAreaResultSerializer)
    @action(detail=True, methods=["post"], url_path="mark-area", url_name="mark-area")
    def mark_area(self, request, pk: int):
        """Mark a whole kecamatan (or its undecided rows) of an administrative round MS, or TMS with a reason."""
        round = round_for_user(request.user, pk)
        if not is_kpu_operator(request.user):
            raise Http404
        data = MarkAreaInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kecamatan = round_kecamatan(round=round, code=data.validated_data["kecamatan"])
        if not kecamatan:
            raise serializers.ValidationError({"kecamatan": ["not a kecamatan of this election"]})
        count = services.results_mark(
            actor=request.user,
            round=round,
            verdict=data.validated_data["verdict"],
            village_code=kecamatan,
            reason_code=data.validated_data["reason"],
            note=data.validated_data["note"],
            only_undecided=data.validated_data["only_undecided"],
        )
        return Response(
            MarkAreaResultSerializer({"marked": count, "kecamatan": kecamatan}).data, status=status.HTTP_200_OK
        )

    @extend_schema(methods=["GET"], responses=SampleSerializer)
    @extend_schema(
        methods=["POST"], request={"multipart/form-data": SampleStartInputSerializer}, responses={201: SampleSerializer}
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="sample",
        url_name="sample",
        parser_classes=[MultiPartParser],
        pagination_class=None,
    )
    def sample(self, request, pk: int):
        """A factual round by sample (PKPU 10/2022): each kab/kota's N, n and interval, then its draw and what
        its sample decides. POST (the pair's LO; multipart ``number``, ``form``): the start number and the signed
        form MODEL.AWAL.SAMPEL.DPD; every kab/kota is drawn from it at once."""
        round = sample_round_for_user(request.user, pk)
        if request.method == "GET":
            return Response(_sample_body(round))
        if not lo_pairs(request.user).filter(pk=round.pair_id).exists():
            raise PermissionDenied(_("Hanya LO pasangan calon ini yang memilih nomor awal sampel."))
        data = SampleStartInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.sample_start_submit(
            actor=request.user, round=round, number=data.validated_data["number"], form=data.validated_data["form"]
        )
        return Response(_sample_body(round), status=status.HTTP_201_CREATED)
