"""Documents of a round: asked for by a user, built and stored by a worker, each with its content hash and the
file's SHA-256 in the audit log. The content, its hash and the rendering are ``documents`` (no writes); the
request, the progress and the stored result are written here. The build is idempotent."""

import hashlib
import tempfile

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.queue import enqueue_on_commit

from ..documents import document_area
from ..documents.build import content_read, content_render
from ..models import DocumentKind, VerificationDocument, VerificationRound, check_code
from ._common import require_operator

# the Celery task that runs ``document_build`` (``verification.tasks``), named where it is queued
DOCUMENT_BUILD_TASK = "verification.document_build"


@transaction.atomic
def document_request(
    *, actor: User, round: VerificationRound, kind: str, fmt: str, village_code: str = ""
) -> VerificationDocument:
    """Ask for a document; a worker generates and stores it (on commit) and audits its hash. A supporter
    list covers ``village_code``: a desa, kecamatan, kab/kota or (blank) the largest area the actor reaches."""
    if fmt not in ("pdf", "xlsx") or kind not in DocumentKind.values:
        raise ValidationError(_("Jenis dokumen tidak dikenal."))
    if kind == DocumentKind.SUPPORTER_LIST:
        village_code = document_area(actor=actor, round=round, code=village_code)
    else:
        require_operator(actor, round.election)
        village_code = ""  # the recap and the minutes cover the whole round
    document = VerificationDocument.objects.create(
        round=round, kind=kind, fmt=fmt, village_code=village_code, requested_by=actor
    )
    audit_record(
        actor=actor,
        action=actions.VERIFICATION_DOCUMENT_REQUEST,
        obj=document,
        region_code=document.village_code or round.election.region_code,
        after={"kind": kind, "fmt": fmt},
    )
    enqueue_on_commit(DOCUMENT_BUILD_TASK, document.pk)
    return document


def document_progress_set(*, document_id: int, value: int) -> None:
    """Write a build's progress in its own (autocommit) transaction, so a page polling it sees it at once."""
    VerificationDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(progress=value)


def document_build(*, document_id: int) -> VerificationDocument:
    """Generate and store a requested document once (a second run, or a concurrent one, stores nothing);
    the content hash (printed on it) and the file's SHA-256 go to the document row and the audit log."""
    document = (
        VerificationDocument.objects.select_related(
            "round__pair", "round__election", "round__opened_by", "round__closed_by", "requested_by"
        )
        .filter(pk=document_id)
        .first()
    )
    if document is None or document.finished_at is not None:
        return document

    def report(value: int) -> None:
        document_progress_set(document_id=document_id, value=value)

    with tempfile.TemporaryFile() as spool, tempfile.TemporaryFile() as out:
        content_hash, rows = content_read(document, spool, report)
        content_render(document, spool, content_hash, rows, out, report)
        out.seek(0)
        file_digest = hashlib.sha256()
        for chunk in iter(lambda: out.read(1 << 20), b""):
            file_digest.update(chunk)
        out.seek(0)
        with transaction.atomic():
            locked = VerificationDocument.objects.select_for_update().get(pk=document_id)
            if locked.finished_at is not None:
                return locked
            name = f"{document.kind}-{document.round_id}-{document.village_code or 'all'}.{document.fmt}"
            document.file.save(name, File(out), save=False)
            document.sha256 = file_digest.hexdigest()
            document.content_hash = content_hash
            document.progress = 100
            document.finished_at = timezone.now()
            document.save(update_fields=["file", "sha256", "content_hash", "progress", "finished_at"])
            audit_record(
                actor=document.requested_by,
                action=actions.VERIFICATION_DOCUMENT_GENERATE,
                obj=document,
                region_code=document.village_code or document.round.election.region_code,
                after={
                    "kind": document.kind,
                    "fmt": document.fmt,
                    "round": document.round_id,
                    "area": document.village_code,
                    "sha256": document.sha256,
                    "content_hash": content_hash,
                    "code": check_code(content_hash),
                    "rows": rows,
                },
            )
    return document
