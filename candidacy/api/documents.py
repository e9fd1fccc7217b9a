"""Required documents of a pair: the checklist with every revision, PDF uploads (a new revision each), the
operator's check, and downloads through a checked, audited endpoint (documents are never served as media)."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from silon.throttling import DocumentUploadRateThrottle

from ..files import validate_pdf
from ..models import Candidate, Document, DocumentCheck, DocumentRequirement
from ..reads import document_file, supervised
from ..selectors import document_requirements, pair_document_checklist, pair_list
from ..services import document_check, document_upload
from .common import CandidacyPermission, CandidateRoleField, UploadField

MISSING = "missing"
CHECK_HELP = f"{DocumentCheck.COMPLETE.value}, {DocumentCheck.INCOMPLETE.value}"


class RequirementSerializer(serializers.ModelSerializer):
    class Meta:
        model = DocumentRequirement
        fields = ["id", "code", "label", "scope", "note", "is_required"]


class RevisionSerializer(serializers.ModelSerializer):
    """One uploaded revision and the operator's check of it. The uploader's file name is not shown (it may
    carry a name); the download is ``/documents/{id}/file/``."""

    requirement = serializers.CharField(source="requirement.code", read_only=True)
    candidate = serializers.CharField(
        source="candidate.role", read_only=True, allow_null=True, help_text="head, deputy"
    )
    uploaded_by = serializers.CharField(source="uploaded_by.username", read_only=True)
    checked_by = serializers.CharField(source="checked_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "requirement",
            "candidate",
            "revision",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "check_status",
            "check_note",
            "checked_by",
            "checked_at",
        ]


class ChecklistRowSerializer(serializers.Serializer):
    """One required document (per candidate where it applies): its state and every revision, newest first."""

    requirement = RequirementSerializer()
    candidate = serializers.CharField(source="candidate.role", allow_null=True, help_text="head, deputy")
    state = serializers.SerializerMethodField(help_text=f"{MISSING}, {', '.join(DocumentCheck.values)}")
    latest = RevisionSerializer(allow_null=True)
    revisions = RevisionSerializer(many=True)

    def get_state(self, row) -> str:
        return row["latest"].check_status if row["latest"] else MISSING


class DocumentUploadSerializer(serializers.Serializer):
    requirement = serializers.SlugRelatedField(
        slug_field="code", queryset=DocumentRequirement.objects.none(), help_text="The requirement's code."
    )
    candidate = CandidateRoleField(
        queryset=Candidate.objects.none(),
        required=False,
        allow_null=True,
        help_text="head or deputy, for a document each candidate hands in.",
    )
    file = UploadField(validators=[validate_pdf], help_text="PDF, within the size limit.")

    def __init__(self, *args, pair=None, **kwargs):
        super().__init__(*args, **kwargs)
        if pair is not None:
            self.fields["requirement"].queryset = document_requirements(pair)
            self.fields["candidate"].queryset = pair.candidates.all()


class DocumentCheckSerializer(serializers.Serializer):
    # A plain string (like the pair transitions): the service refuses anything but the two verdicts.
    status = serializers.CharField(help_text=CHECK_HELP)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class DocumentActions:
    """Document endpoints of ``PairViewSet`` under ``pairs/{id}/documents/``."""

    @extend_schema(methods=["GET"], responses=ChecklistRowSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: RevisionSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="documents",
        url_name="documents",
        parser_classes=[MultiPartParser],
        throttle_classes=[DocumentUploadRateThrottle],
        serializer_class=DocumentUploadSerializer,
        pagination_class=None,
    )
    def documents(self, request, pk=None):
        """GET: the checklist of required documents with each one's state and revisions. POST (multipart
        ``requirement``, ``candidate``, ``file``): a new revision; earlier ones stay as they were."""
        pair = self.get_object()
        if request.method == "GET":
            supervised(actor=request.user, obj=pair, region_code=pair.election.region_code)
            return Response(ChecklistRowSerializer(pair_document_checklist(pair), many=True).data)
        serializer = DocumentUploadSerializer(data=request.data, pair=pair)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        document = document_upload(
            actor=request.user,
            pair=pair,
            requirement=data["requirement"],
            candidate=data.get("candidate"),
            file=data["file"],
        )
        return Response(RevisionSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One revision of a required document, of a pair the caller sees (else 404)."""

    serializer_class = RevisionSerializer
    permission_classes = [CandidacyPermission]
    lookup_value_regex = r"\d+"  # anything else is not an id: the URL conf answers 404
    queryset = Document.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Document.objects.none()
        return Document.objects.filter(pair__in=pair_list(user=self.request.user).values("pk")).select_related(
            "pair__election", "requirement", "candidate", "uploaded_by", "checked_by"
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def file(self, request, pk=None):
        """The PDF of this revision; every download is written to the audit log (as on the page)."""
        document = self.get_object()
        return FileResponse(
            document_file(actor=request.user, document=document, api=True),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{document.requirement.code}-r{document.revision}.pdf",
        )

    @extend_schema(request=DocumentCheckSerializer, responses=RevisionSerializer)
    @action(detail=True, methods=["post"], serializer_class=DocumentCheckSerializer)
    def check(self, request, pk=None):
        """The operator's verdict on this revision: complete, or incomplete with a note."""
        document = self.get_object()
        serializer = DocumentCheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = document_check(actor=request.user, document=document, **serializer.validated_data)
        return Response(RevisionSerializer(document).data)
