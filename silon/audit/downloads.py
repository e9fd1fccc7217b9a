"""Every file a supervisor (Bawaslu) downloads carries a visible watermark and is audited under its download id.

Built into the request cycle like ``SupervisionAuditMiddleware``, so every download a supervisor can reach,
page or API, today's or a future one, is covered by its content type alone: PDF and xlsx are stamped
(``silon.watermark``), CSV gets a leading comment row. The ``supervision.download`` event names the download
id printed in the file, the route, and the SHA-256 of the bytes handed out (for PDF and xlsx), so a leaked
copy leads to the event and the event to the viewer (issue #15: "supervision fit for a dispute").
"""

import hashlib
import secrets
from itertools import chain

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from silon.watermark import csv_line, pdf_stamp, xlsx_stamp

from . import actions
from .services import audit_record

PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
KINDS = {PDF: "pdf", XLSX: "xlsx", CSV: "csv"}
# headers that describe the original bytes, not the stamped ones
DROPPED = {"content-length", "etag", "last-modified", "content-type"}


def download_kind(response) -> str | None:
    """ "pdf", "xlsx" or "csv" for a file response, else None (pages, JSON, images)."""
    mime = response.get("Content-Type", "").split(";")[0].strip().lower()
    return KINDS.get(mime)


def new_download_id() -> str:
    return secrets.token_hex(8).upper()


def watermark_text(user, at, download_id: str) -> str:
    who = user.get_full_name() or user.first_name
    return _("SALINAN PENGAWASAN · diunduh oleh %(who)s (%(username)s) · %(at)s · ID unduhan %(id)s") % {
        "who": who or user.get_username(),
        "username": user.get_username(),
        "at": timezone.localtime(at).strftime("%d-%m-%Y %H:%M:%S %Z"),
        "id": download_id,
    }


def _body(response) -> bytes:
    # not response.close() here: it sends request_finished, which closes the database connection in the middle
    # of the request (the audit event is still to be written); the new response closes it (stamped_response)
    return b"".join(response.streaming_content) if response.streaming else response.content


def _filename(response) -> str:
    disposition = response.get("Content-Disposition", "")
    return disposition.split("filename=")[-1].strip('"') if "filename=" in disposition else ""


def stamped_response(response, kind: str, text: str) -> tuple[HttpResponse | StreamingHttpResponse, str]:
    """A new response carrying the watermark, and the SHA-256 of its bytes ("" for a streamed CSV)."""
    if kind == "csv" and response.streaming:
        new = StreamingHttpResponse(chain([csv_line(text)], response.streaming_content), status=response.status_code)
        digest = ""
    else:
        streamed, body = response.streaming, _body(response)
        if kind == "pdf":
            body = pdf_stamp(body, text, _filename(response))
        elif kind == "xlsx":
            body = xlsx_stamp(body, text)
        else:
            body = csv_line(text) + body
        # a file answer stays a streamed one (FileResponse), a plain one plain
        new = StreamingHttpResponse([body]) if streamed else HttpResponse(body)
        new.status_code = response.status_code
        digest = hashlib.sha256(body).hexdigest()
    new["Content-Type"] = response["Content-Type"]
    for header, value in response.items():
        if header.lower() not in DROPPED:
            new[header] = value
    new["Cache-Control"] = "no-store"
    # the original's files are closed when the server closes the answer it is handed (Django keeps a response's
    # closers in _resource_closers; HttpResponseBase.close runs them, then sends request_finished)
    new._resource_closers.append(response.close)
    return new, digest


class SupervisorDownloadMiddleware:
    """Stamps and audits each PDF, xlsx or CSV a supervisor is handed (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_supervisor:
            return response
        kind = download_kind(response)
        if kind is None or not 200 <= response.status_code < 300:
            return response
        download_id, at = new_download_id(), timezone.now()
        stamped, digest = stamped_response(response, kind, watermark_text(user, at, download_id))
        match = request.resolver_match
        audit_record(
            actor=user,
            action=actions.SUPERVISION_DOWNLOAD,
            object_type="download",
            object_id=download_id,
            object_repr=match.view_name if match else request.path[:255],
            region_code=user.region_code,
            after={
                "download_id": download_id,
                "format": kind,
                "path": request.path,
                "route": match.view_name if match else "",
                "args": match.kwargs if match else {},
                "sha256": digest,
                "at": at.isoformat(),
            },
        )
        return stamped
