"""The persons of a pair (head and deputy): masked in lists, in full only to those the candidate page admits,
and entered or corrected through ``candidate_set`` with its eligibility checks."""

import mimetypes

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from silon.privacy import Kind

from ..access import candidate_values, candidate_viewer
from ..files import validate_photo
from ..models import CANDIDATE_FIELDS, Candidate, CandidateRole, Sex
from ..reads import candidate_record, supervised
from ..services import candidate_set
from .common import UploadField

ROLE_PATTERN = "|".join(CandidateRole.values)
ROLE_PARAMETER = OpenApiParameter(
    "role",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    enum=CandidateRole.values,
    description="head, deputy (Pilkada) or dpd (Pemilu DPD)",
)


class CandidateSerializer(serializers.ModelSerializer):
    """What lists show of a candidate, as the pair page does: the NIK masked (``silon.privacy``, a list: never
    in full; empty for a viewer who may not see it at all), no address or birth date. The context's ``viewer``
    is ``access.candidate_viewer``'s."""

    role = serializers.CharField(read_only=True, help_text="head, deputy (Pilkada) or dpd (Pemilu DPD)")
    nik_masked = serializers.SerializerMethodField()
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields = [
            "role",
            "name",
            "nik_masked",
            "sex",
            "education",
            "occupation",
            "cv_publication_consent",
            "has_photo",
            "updated_at",
        ]

    def get_nik_masked(self, obj) -> str:
        return self.context["viewer"].listing().show(Kind.CANDIDATE_NIK, obj.nik)

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class CandidateDetailSerializer(CandidateSerializer):
    """The record (NIK, address, birth data, CV) for the jurisdiction and the pair's own team, each personal
    value as the context's ``viewer`` may see it: ``nik`` is whole for KPU of the jurisdiction only and masked
    otherwise (never both beside each other); beside a masked NIK the date of birth is left out
    (``birth_date`` null) and only ``birth_year`` is given."""

    nik = serializers.SerializerMethodField()
    birth_date = serializers.SerializerMethodField()
    birth_year = serializers.SerializerMethodField()
    address = serializers.SerializerMethodField()

    class Meta(CandidateSerializer.Meta):
        # the entered fields, with the year of birth beside the date (given when the date is not), then what the
        # record adds
        fields = [
            "role",
            *(g for f in CANDIDATE_FIELDS for g in ((f, "birth_year") if f == "birth_date" else (f,))),
            "has_photo",
            "updated_at",
        ]

    def _shown(self, obj) -> dict[str, str]:
        return candidate_values(self.context["viewer"], obj)

    def get_nik(self, obj) -> str:
        return self._shown(obj)["nik"]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_birth_date(self, obj):
        full = self.context["viewer"].full(Kind.BIRTH_DATE, person=Kind.CANDIDATE_NIK)
        return obj.birth_date.isoformat() if full else None

    def get_birth_year(self, obj) -> int:
        return obj.birth_date.year

    def get_address(self, obj) -> str:
        return self._shown(obj)["address"]


class CandidateInputSerializer(serializers.Serializer):
    """The candidate form of the pages; the eligibility rules are the service's."""

    nik = serializers.RegexField(r"^\d{16}$", error_messages={"invalid": _("NIK harus 16 digit angka.")})
    name = serializers.CharField(max_length=200)
    birth_place = serializers.CharField(max_length=100)
    birth_date = serializers.DateField()
    sex = serializers.ChoiceField(choices=Sex.choices)
    address = serializers.CharField()
    education = serializers.CharField(max_length=100)
    occupation = serializers.CharField(max_length=100)
    photo = UploadField(
        required=False, validators=[validate_photo], help_text="Pas foto JPG/PNG, maks. 2 MB (multipart)."
    )
    cv_summary = serializers.CharField(required=False, allow_blank=True, default="")
    cv_publication_consent = serializers.BooleanField(
        required=False, default=False, help_text="The candidate's recorded consent to publish the CV."
    )

    def validate(self, attrs):
        if self.partial and not attrs:
            raise serializers.ValidationError(_("Kirim sedikitnya satu kolom yang diubah."))
        return attrs


class CandidateActions:
    """Candidate endpoints of ``PairViewSet`` under ``pairs/{id}/candidates/``."""

    @extend_schema(responses=CandidateSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="candidates", url_name="candidates", pagination_class=None)
    def candidates(self, request, pk=None):
        """The pair's candidates, head first, NIK masked (as on the pair page)."""
        pair = self.get_object()
        supervised(actor=request.user, obj=pair, region_code=pair.election.region_code)
        people = sorted(pair.candidates.all(), key=lambda c: c.role != CandidateRole.HEAD)
        viewer = candidate_viewer(request.user, pair)
        return Response(CandidateSerializer(people, many=True, context={"viewer": viewer}).data)

    @extend_schema(methods=["GET"], parameters=[ROLE_PARAMETER], responses=CandidateDetailSerializer)
    @extend_schema(
        methods=["PUT"],
        parameters=[ROLE_PARAMETER],
        request={"multipart/form-data": CandidateInputSerializer, "application/json": CandidateInputSerializer},
        responses={200: CandidateSerializer, 201: CandidateSerializer},
    )
    @extend_schema(
        methods=["PATCH"],
        parameters=[ROLE_PARAMETER],
        request={
            "multipart/form-data": CandidateInputSerializer(partial=True),
            "application/json": CandidateInputSerializer(partial=True),
        },
        responses=CandidateSerializer,
    )
    @action(
        detail=True,
        methods=["get", "put", "patch"],
        url_path=f"candidates/(?P<role>{ROLE_PATTERN})",
        url_name="candidate",
        parser_classes=[JSONParser, MultiPartParser, FormParser],
        serializer_class=CandidateInputSerializer,
        pagination_class=None,
    )
    def candidate(self, request, pk=None, role=None):
        """GET: the full record, for the jurisdiction and the pair's team only, each read audited (as the
        candidate page). PUT enters or replaces the candidate (201 when new); PATCH corrects some fields.
        Refusals (NIK shape or consistency with birth date and sex, age at determination, one person in one
        pair per election, photo type/size, pair no longer editable) answer 400 per field."""
        pair = self.get_object()
        if request.method == "GET":
            person = candidate_record(actor=request.user, pair=pair, role=role, api=True)
            viewer = candidate_viewer(request.user, pair)
            return Response(CandidateDetailSerializer(person, context={"viewer": viewer}).data)
        existing = pair.candidates.filter(role=role).first()
        partial = request.method == "PATCH"
        if partial and existing is None:
            raise Http404
        serializer = CandidateInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values = {name: data[name] if name in data else getattr(existing, name) for name in CANDIDATE_FIELDS}
        person = candidate_set(actor=request.user, pair=pair, role=role, photo=data.get("photo"), **values)
        code = status.HTTP_200_OK if existing else status.HTTP_201_CREATED
        viewer = candidate_viewer(request.user, pair)
        return Response(CandidateSerializer(person, context={"viewer": viewer}).data, status=code)

    @extend_schema(
        parameters=[ROLE_PARAMETER],
        responses={
            (200, "image/jpeg"): OpenApiResponse(OpenApiTypes.BINARY),
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=f"candidates/(?P<role>{ROLE_PATTERN})/photo",
        url_name="candidate-photo",
        pagination_class=None,
    )
    def candidate_photo(self, request, pk=None, role=None):
        """The candidate's photo, for whoever sees the pair (as the page serves it)."""
        pair = self.get_object()
        person = get_object_or_404(Candidate, pair=pair, role=role)
        if not person.photo:
            raise Http404
        content_type = mimetypes.guess_type(person.photo.name)[0] or "application/octet-stream"
        return FileResponse(person.photo.open("rb"), content_type=content_type)
