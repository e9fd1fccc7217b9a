"""Public read-only API of the region master data (no login, anonymous throttling).

GET /api/regions/                 regions of the default version (or ?version=<id>), filterable by
                                  level, kind, parent, under and name (normalised like the search page)
GET /api/regions/<code>/          one region with its ancestors and descendant counts
GET /api/regions/versions/        the loaded list versions

ViewSets (the project's one API style), their routes bound in ``api_urls.py`` under the paths and names they
have always had.
"""

import django_filters
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from silon.numbers import parse_id
from silon.openapi import ErrorDetailSerializer

from . import selectors
from .codes import under_q
from .models import Kind, Level, Region, RegionListVersion
from .names import normalize_region_name

CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"

VERSION_PARAMETER = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.QUERY,
    description=gettext_lazy("Id versi daftar wilayah; tanpa parameter ini dipakai versi bawaan."),
)


class RegionListVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionListVersion
        fields = [
            "id",
            "name",
            "decree",
            "title",
            "effective_date",
            "source",
            "checksum",
            "is_default",
            "row_count",
            "loaded_at",
        ]


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind", "parent_code", "version"]


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name", "level", "kind"]


class RegionDetailSerializer(RegionSerializer):
    ancestors = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()

    class Meta(RegionSerializer.Meta):
        fields = [*RegionSerializer.Meta.fields, "ancestors", "counts"]

    @extend_schema_field(RegionBriefSerializer(many=True))
    def get_ancestors(self, region: Region) -> list[dict]:
        chain = selectors.region_ancestors(version=region.version, code=region.code)
        return RegionBriefSerializer(chain, many=True).data

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField()))
    def get_counts(self, region: Region) -> dict[str, int]:
        return selectors.region_counts_under(version=region.version, code=region.code)


class RegionFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(
        choices=Level.choices, help_text=gettext_lazy("province, regency, district, village")
    )
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, help_text=gettext_lazy("kabupaten, kota, kelurahan, desa, ...")
    )
    parent = django_filters.CharFilter(
        field_name="parent_code", help_text=gettext_lazy("Kode induk langsung, mis. 52.01.")
    )
    under = django_filters.CharFilter(method="filter_under", help_text=gettext_lazy("Semua wilayah di bawah kode ini."))
    name = django_filters.CharFilter(
        method="filter_name",
        help_text=gettext_lazy(
            "Bagian nama; huruf besar/kecil, spasi, tanda baca dan awalan KAB./Kabupaten/Kota diabaikan."
        ),
    )

    class Meta:
        model = Region
        fields = ["level", "kind", "parent", "under", "name"]

    def filter_under(self, queryset, name, value):
        prefix = value.strip()  # blank after stripping: a code of nothing, under which nothing lies
        return queryset.filter(under_q("code", prefix)) if prefix else queryset.none()

    def filter_name(self, queryset, name, value):
        needle = normalize_region_name(value)
        return queryset.filter(search_name__contains=needle) if needle else queryset.none()


class PublicRegionViewSet(viewsets.GenericViewSet):
    # (no docstring: the schema would take it as the description of every action without one of its own)
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    def get_version(self) -> RegionListVersion:
        """The version of ``?version=`` (or the default version), else 400 (not an id) or 404."""
        raw = self.request.query_params.get("version", "").strip()
        version_id = parse_id(raw)
        if raw and version_id is None:
            raise ValidationError({"version": _("Harus berupa id (bilangan bulat).")})
        version = selectors.version_get(version_id=version_id)
        if version is None:
            raise NotFound(_("Versi daftar wilayah tidak ditemukan.") if raw else _("Belum ada versi bawaan."))
        return version


@extend_schema_view(
    list=extend_schema(
        description="Daftar wilayah satu versi, urut kode, dengan saringan tingkat, jenis, induk, cakupan dan nama.",
        parameters=[VERSION_PARAMETER],
        # 404: the ?version= asked for, or a default version, does not exist
        responses={200: RegionSerializer(many=True), 404: ErrorDetailSerializer},
        tags=["regions"],
    ),
    retrieve=extend_schema(
        description="Satu wilayah menurut kode Kemendagri, dengan wilayah induknya dan jumlah wilayah di bawahnya.",
        parameters=[
            VERSION_PARAMETER,
            OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH, pattern=CODE_PATTERN),
        ],
        responses=RegionDetailSerializer,
        tags=["regions"],
    ),
)
class RegionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, PublicRegionViewSet):
    # the regions of one version: the list with its filters, and one region by its code
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    queryset = Region.objects.none()  # per request, in get_queryset; this one tells the schema the model

    def get_serializer_class(self):
        return RegionDetailSerializer if self.action == "retrieve" else RegionSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request parameters
            return self.queryset
        return selectors.region_queryset(version=self.get_version())

    def get_object(self) -> Region:
        version = self.get_version()
        region = selectors.region_get(version=version, code=self.kwargs["code"])
        if region is None:
            raise NotFound(_("Kode wilayah tidak ditemukan dalam versi ini."))
        return region


@extend_schema_view(list=extend_schema(tags=["regions"]))
class RegionListVersionViewSet(mixins.ListModelMixin, PublicRegionViewSet):
    """Versi daftar wilayah yang sudah dimuat (satu per keputusan Kemendagri); versi bawaan lebih dulu."""

    serializer_class = RegionListVersionSerializer
    filter_backends: list = []
    queryset = RegionListVersion.objects.none()

    def get_queryset(self):
        return selectors.version_list()
