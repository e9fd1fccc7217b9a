"""The support API's input and output serializers (``api.py``): every body and query parameter it reads, and
every answer it writes, which is what the OpenAPI schema shows of them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from silon.privacy import Kind

from .models import ReasonCode, RowStatus, Upload
from .template import MAX_DATA_SHEETS

# --- output --------------------------------------------------------------------------------------------


class UploadSerializer(serializers.ModelSerializer):
    phase_display = serializers.CharField(source="get_phase_display", read_only=True)
    # in the request's language (Accept-Language); the stored Indonesian text is the fallback
    error_message = serializers.CharField(source="error_text", read_only=True)

    class Meta:
        model = Upload
        fields = [
            "id",
            "pair",
            "original_name",
            "size",
            "kind",
            "batch",
            "status",
            "progress",
            "phase",
            "phase_display",
            "error_code",
            "error_message",
            "rows_read",
            "rows_accepted",
            "rows_flagged",
            "rows_review",
            "rows_rejected",
            "reason_counts",
            "created_at",
            "finished_at",
            "received_at",
            "sha256",
            "receipt",
        ]


class TemplateFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    header = serializers.CharField()
    required = serializers.BooleanField()
    text = serializers.BooleanField()
    max_length = serializers.IntegerField()
    hint = serializers.CharField()


class ReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReasonCode
        fields = ["code", "label_id", "label_en", "severity"]


class TemplateSpecSerializer(serializers.Serializer):
    """``template_spec.TemplateSpec`` with the reason codes a row can get."""

    version = serializers.CharField()
    data_sheet = serializers.CharField()
    max_rows_per_sheet = serializers.IntegerField()
    fields = TemplateFieldSerializer(many=True)
    reasons = serializers.SerializerMethodField()

    @extend_schema_field(ReasonSerializer(many=True))
    def get_reasons(self, spec) -> list:
        return ReasonSerializer(ReasonCode.objects.all(), many=True).data


class SheetNumberField(serializers.IntegerField):
    """A row's sheet as its reader counts them: the first data sheet is 1 (stored from 0)."""

    def to_representation(self, value) -> int:
        return super().to_representation(value) + 1


class ShownField(serializers.CharField):
    """A personal value of ``kind`` as the ``viewer`` in the serializer's context may see it (``Viewer.show``)."""

    def __init__(self, kind: Kind, **kwargs):
        self.kind = kind
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return self.context["viewer"].show(self.kind, value)


class UploadRowSerializer(serializers.Serializer):
    """A row of an upload as the API shows it: its reasons as codes, NIK and name masked (``viewer``)."""

    id = serializers.IntegerField(source="pk")
    sheet = SheetNumberField()
    row_number = serializers.IntegerField()
    status = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), source="reason_list")
    nik = ShownField(Kind.NIK)
    name = ShownField(Kind.NAME)
    village_code = serializers.CharField()


class RecapDistrictSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    children = serializers.ListField(child=serializers.DictField())  # a kecamatan has none


class RecapRegencySerializer(RecapDistrictSerializer):
    children = RecapDistrictSerializer(many=True)


class RecapSerializer(serializers.Serializer):
    """``recap.SupportRecap``: counted supporters against the minimum and the spread."""

    # Diserahkan: each NIK of the pair's current (DONE) uploads counted once (``recap.submitted_by_pair``)
    submitted = serializers.IntegerField()
    total = serializers.IntegerField(help_text="counted rows, before any penalty")
    penalty_cases = serializers.IntegerField(help_text="proven duplicates (Pemilu DPD)")
    penalty_per_case = serializers.IntegerField(help_text="supports deducted per case (Pemilu DPD: 50; 0: none)")
    net = serializers.IntegerField(help_text="total − penalty_cases × penalty_per_case: what counts to the minimum")
    minimum = serializers.IntegerField()
    shortfall = serializers.IntegerField(help_text="minimum − net, never below 0")
    spread_at_least_half = serializers.BooleanField()
    spread_level = serializers.CharField()
    spread_level_label = serializers.CharField()
    spread_total = serializers.IntegerField()
    spread_required = serializers.IntegerField()
    spread_met = serializers.IntegerField()
    spread_shortfall = serializers.IntegerField()
    regencies = RecapRegencySerializer(many=True)


class SupportStatusSerializer(serializers.Serializer):
    support_status = serializers.CharField()


# --- input ---------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class SheetCountField(serializers.Field):
    """``lembar``: the number of data sheets, in digits (as the page reads it), 1 to ``MAX_DATA_SHEETS``."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)  # a blank value is refused, not taken as absent

    def to_internal_value(self, data) -> int:
        if not isinstance(data, str) or not data.isdecimal() or not 1 <= int(data) <= MAX_DATA_SHEETS:
            raise serializers.ValidationError(
                _("lembar: jumlah lembar data 1 sampai %(max)s.") % {"max": MAX_DATA_SHEETS}
            )
        return int(data)


class TemplateQuerySerializer(serializers.Serializer):
    lembar = SheetCountField(
        required=False,
        default=1,
        help_text=f"Number of data sheets, 1 to {MAX_DATA_SHEETS} (default 1), as on the page.",
    )


NO_FILE = gettext_lazy("Pilih berkas yang akan diunggah.")


@extend_schema_field(OpenApiTypes.BINARY)
class SentFileField(serializers.FileField):
    """A file sent as a multipart part: binary in the schema (DRF's own names a URL, as files are answered)."""


class UploadInputSerializer(serializers.Serializer):
    """The supporters' file, sent as multipart ``file``; the service checks everything else."""

    file = SentFileField(allow_empty_file=True, error_messages={"required": NO_FILE, "invalid": NO_FILE})


ROWS_TO_WORK_ON = (RowStatus.REJECTED, RowStatus.REVIEW, RowStatus.FLAGGED)


@extend_schema_field(OpenApiTypes.STR)
class RowStatusFilterField(serializers.Field):
    """``status``: list the rows of that one status; any other value (or none) lists the rows to work on."""

    def get_value(self, dictionary):
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data) -> list[str]:
        return [data] if data in RowStatus.values else list(ROWS_TO_WORK_ON)


class RowsQuerySerializer(serializers.Serializer):
    status = RowStatusFilterField(
        required=False,
        default=lambda: list(ROWS_TO_WORK_ON),
        help_text=f"One of {', '.join(RowStatus.values)}; without it, the rows to work on (rejected, review, flagged).",
    )
