"""Resumable uploads in the support API: the tus protocol 1.0.0 (https://tus.io/protocols/resumable-upload),
core + creation + expiration + termination, served by SILON itself (``services.resumable`` holds the rules).

- ``POST pairs/<pair>/resumable/`` with ``Upload-Length`` and ``Upload-Metadata`` (``filename``, ``pair``):
  201 and the new upload's ``Location``;
- ``HEAD resumable/<id>/``: ``Upload-Offset`` (where to resume), ``Upload-Length``, ``Upload-Expires``;
- ``PATCH resumable/<id>/`` with ``Upload-Offset`` and an ``application/offset+octet-stream`` chunk of at most
  ``SUPPORT_RESUMABLE_CHUNK_MAX_BYTES``: 204 and the new offset; 409 at a wrong offset, 413 for a larger chunk,
  410 once expired. The last chunk's answer names the ``Upload`` it became (``Silon-Upload-Id``);
- ``DELETE resumable/<id>/``: the unfinished upload ends (termination);
- ``OPTIONS`` on either: the version, extensions and maximum size.

Every answer carries ``Tus-Resumable: 1.0.0``. A request without that header answers 400, one of another
version 412. The pair's LO only (another pair's upload is 404), signed in by session (CSRF token in
``X-CSRFToken``) like every API write; creation counts against the upload rate limit (``support_upload``).
"""

import base64
import binascii
import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, UnsupportedMediaType, ValidationError
from rest_framework.parsers import BaseParser, FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from silon.openapi import ErrorDetailSerializer
from silon.throttling import UploadRateThrottle

from .api import SupportViewSet
from .models import ResumableUpload
from .selectors import resumable_for_user
from .services import resumable_append, resumable_create, resumable_terminate
from .services.resumable import ChunkTooLarge, OffsetConflict, ResumableGone, chunk_receive

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,expiration,termination"
CHUNK_TYPE = "application/offset+octet-stream"


class OffsetChunkParser(BaseParser):
    """A tus chunk: the body is handed on as the stream it is (``chunk_receive`` bounds and stores it)."""

    media_type = CHUNK_TYPE

    def parse(self, stream, media_type=None, parser_context=None):
        return stream


class VersionUnsupported(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "Tus-Resumable 1.0.0 only."


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT


class TooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


class Gone(APIException):
    status_code = status.HTTP_410_GONE


def _header_int(request, name: str) -> int:
    raw = request.headers.get(name, "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        raise ValidationError({"detail": _("Header %(name)s harus bilangan bulat tak negatif.") % {"name": name}})
    return int(raw)


def parse_metadata(raw: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64(value)`` pairs (tus creation)."""
    found: dict[str, str] = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        key, _sep, value = item.partition(" ")
        try:
            found[key] = base64.b64decode(value.strip(), validate=True).decode() if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ValidationError({"detail": _("Upload-Metadata tidak sah.")}) from None
    return found


def _expires(resumable: ResumableUpload) -> str:
    return http_date(resumable.expires_at.timestamp())


TUS_HEADER = OpenApiParameter("Tus-Resumable", str, OpenApiParameter.HEADER, required=True, enum=[TUS_VERSION])


def _answer_header(name: str, kind, codes: list[int], description: str) -> OpenApiParameter:
    return OpenApiParameter(name, kind, OpenApiParameter.HEADER, response=codes, description=description)


OFFSET_HEADER = "Bytes stored so far: where the next chunk starts."
EXPIRES_HEADER = "When an unfinished upload expires (HTTP date)."
UPLOAD_ID_HEADER = "Once the last byte is stored: the id of the upload it became (its receipt and checks)."
TUS_REFUSALS = {
    400: ErrorDetailSerializer,
    412: OpenApiResponse(ErrorDetailSerializer, description="A Tus-Resumable version other than 1.0.0."),
}


class TusViewSet(SupportViewSet):
    # (no docstring: the schema would take it as the description of every action without one of its own)
    parser_classes = [OffsetChunkParser]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = TUS_VERSION
        response["Cache-Control"] = "no-store"
        return response

    def handle_exception(self, exc):
        # the service's protocol refusals, in their tus answers
        answers = {OffsetConflict: Conflict, ChunkTooLarge: TooLarge, ResumableGone: Gone}
        for domain, answer in answers.items():
            if isinstance(exc, domain):
                exc = answer(self._refusal_text(domain))
        return super().handle_exception(exc)

    @staticmethod
    def _refusal_text(domain) -> str:
        if domain is OffsetConflict:
            return _("Posisi unggahan tidak sesuai; tanyakan posisi yang tersimpan (HEAD) lalu lanjutkan.")
        if domain is ChunkTooLarge:
            return _("Potongan terlalu besar; batasnya %(max)s MB per potongan.") % {
                "max": settings.SUPPORT_RESUMABLE_CHUNK_MAX_BYTES // (1024 * 1024)
            }
        return _("Unggahan bertahap ini sudah kedaluwarsa; mulai lagi.")

    def require_version(self, request) -> None:
        given = request.headers.get("Tus-Resumable")
        if given is None:
            raise ValidationError({"detail": _("Header Tus-Resumable wajib ada.")})
        if given != TUS_VERSION:
            raise VersionUnsupported

    def options(self, request, *args, **kwargs):
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = TUS_EXTENSIONS
        response["Tus-Max-Size"] = str(settings.SUPPORT_UPLOAD_MAX_BYTES)
        return response


class PairResumableViewSet(TusViewSet):
    throttle_classes = [UploadRateThrottle]  # POST only: one count per file, not per chunk
    # the creation has no body; the CSRF check of a session's POST reads it as a form whatever it holds
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=None,
        parameters=[
            TUS_HEADER,
            OpenApiParameter("Upload-Length", int, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("Upload-Metadata", str, OpenApiParameter.HEADER, description="filename, pair (base64)"),
            _answer_header("Location", str, [201], "Where the upload's chunks go (HEAD, PATCH, DELETE)."),
            _answer_header("Upload-Offset", int, [201], OFFSET_HEADER),
            _answer_header("Upload-Expires", str, [201], EXPIRES_HEADER),
        ],
        responses={201: None, 413: ErrorDetailSerializer, **TUS_REFUSALS},
    )
    def create(self, request, pair_id: int):
        """Begin a resumable upload (tus creation); the answer's ``Location`` is where its chunks go."""
        pair = self.get_pair()
        self.require_version(request)
        length = _header_int(request, "Upload-Length")
        if length > settings.SUPPORT_UPLOAD_MAX_BYTES:
            raise TooLarge(
                _("Berkas terlalu besar; batasnya %(max)s MB.")
                % {"max": settings.SUPPORT_UPLOAD_MAX_BYTES // (1024 * 1024)}
            )
        metadata = parse_metadata(request.headers.get("Upload-Metadata", ""))
        if metadata.get("pair") not in (None, str(pair.pk)):
            raise ValidationError({"detail": _("Metadata pair tidak sesuai dengan alamatnya.")})
        resumable = resumable_create(actor=request.user, pair=pair, length=length, name=metadata.get("filename", ""))
        response = Response(status=status.HTTP_201_CREATED)
        response["Location"] = request.build_absolute_uri(
            reverse("support_uploads_api:resumable_upload", args=[resumable.pk])
        )
        response["Upload-Offset"] = "0"
        response["Upload-Expires"] = _expires(resumable)
        return response


class ResumableViewSet(TusViewSet):
    def get_object(self) -> ResumableUpload:
        return resumable_for_user(self.request.user, self.kwargs["resumable_id"])

    def _state(self, response: Response, resumable: ResumableUpload) -> Response:
        response["Upload-Offset"] = str(resumable.offset)
        response["Upload-Length"] = str(resumable.length)
        if resumable.is_finished:
            response["Silon-Upload-Id"] = str(resumable.upload_id)
        else:
            response["Upload-Expires"] = _expires(resumable)
        return response

    @extend_schema(
        parameters=[
            TUS_HEADER,
            _answer_header("Upload-Offset", int, [200], OFFSET_HEADER),
            _answer_header("Upload-Length", int, [200], "The upload's declared length."),
            _answer_header("Upload-Expires", str, [200], EXPIRES_HEADER),
            _answer_header("Silon-Upload-Id", int, [200], UPLOAD_ID_HEADER),
        ],
        responses={200: None, 410: ErrorDetailSerializer, **TUS_REFUSALS},
    )
    def offset(self, request, resumable_id):
        """Where to resume: the bytes stored so far (``Upload-Offset``)."""
        resumable = self.get_object()
        self.require_version(request)
        if not resumable.is_finished and resumable.expires_at <= timezone.now():
            raise ResumableGone
        return self._state(Response(status=status.HTTP_200_OK), resumable)

    @extend_schema(
        request={CHUNK_TYPE: OpenApiTypes.BINARY},
        parameters=[
            TUS_HEADER,
            OpenApiParameter("Upload-Offset", int, OpenApiParameter.HEADER, required=True),
            _answer_header("Upload-Offset", int, [204], OFFSET_HEADER),
            _answer_header("Upload-Expires", str, [204], EXPIRES_HEADER),
            _answer_header("Silon-Upload-Id", int, [204], UPLOAD_ID_HEADER),
        ],
        responses={
            204: None,
            409: ErrorDetailSerializer,
            410: ErrorDetailSerializer,
            413: ErrorDetailSerializer,
            **TUS_REFUSALS,
        },
    )
    def append(self, request, resumable_id):
        """One chunk at ``Upload-Offset``; the last one turns the file into an upload, with its receipt."""
        resumable = self.get_object()
        self.require_version(request)
        offset = _header_int(request, "Upload-Offset")
        declared = request.META.get("CONTENT_LENGTH")
        declared = int(declared) if declared and declared.isascii() and declared.isdigit() else None
        if declared is not None and declared > settings.SUPPORT_RESUMABLE_CHUNK_MAX_BYTES:
            raise ChunkTooLarge
        if offset != resumable.offset or resumable.is_finished:
            raise OffsetConflict  # before reading the body; checked again under the row's lock
        if request.content_type.split(";")[0].strip() != CHUNK_TYPE:
            raise UnsupportedMediaType(request.content_type)
        stream = request.data  # OffsetChunkParser: the body as a stream (an empty body: no stream)
        if not hasattr(stream, "read"):
            stream = io.BytesIO()
        chunk = chunk_receive(stream, declared=declared)
        resumable, _upload = resumable_append(actor=request.user, resumable=resumable, offset=offset, chunk=chunk)
        return self._state(Response(status=status.HTTP_204_NO_CONTENT), resumable)

    @extend_schema(parameters=[TUS_HEADER], responses={204: None, **TUS_REFUSALS})
    def destroy(self, request, resumable_id):
        """End an unfinished upload (tus termination); its bytes are removed."""
        resumable = self.get_object()
        self.require_version(request)
        resumable_terminate(actor=request.user, resumable=resumable)
        return Response(status=status.HTTP_204_NO_CONTENT)
