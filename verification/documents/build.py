"""Building a requested document, and finding one from the code printed on it.

A file cannot carry its own SHA-256, so each document carries a *content hash*: SHA-256 over a canonical
serialisation (one JSON line for the kind, format, election, pair, round, area and generation time, then one
per printed item: title, meta, headers, every row and total). The build reads the data once into a spool
file while hashing it, then renders from the spool, so the printed hash covers exactly the printed rows.
Progress (0-100) is written in its own short transactions, outside any long one, so a page polling it sees
it move. The content hash and the file's SHA-256 are stored and audited once (the build is idempotent)."""

import datetime
import hashlib
import json
import re
import tempfile

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from silon.audit.services import audit_record

from ..models import VerificationDocument
from .content import document_content, document_meta
from .render import check_code, renderer

# share of the progress bar for reading the data; rendering takes the rest up to 99, storing makes it 100
READ_SHARE = 50
PROGRESS_STEP = 5  # percent between two progress writes


def _progress_set(document_id: int, value: int) -> None:
    """Write the progress in its own (autocommit) transaction so other connections see it at once."""
    VerificationDocument.objects.filter(pk=document_id, finished_at__isnull=True).update(progress=value)


class _Progress:
    def __init__(self, document_id: int, total: int, start: int, end: int) -> None:
        self.document_id, self.total, self.start, self.end = document_id, max(total, 1), start, end
        self.done = 0
        self.reported = start

    def step(self) -> None:
        self.done += 1
        value = self.start + (self.end - self.start) * min(self.done, self.total) // self.total
        if value >= self.reported + PROGRESS_STEP:
            _progress_set(self.document_id, value)
            self.reported = value


def canonical_head(document: VerificationDocument) -> dict:
    round = document.round
    return {
        "document": document.kind,
        "format": document.fmt,
        "election": [round.election_id, round.election.name],
        "pair": [round.pair_id, round.pair.name],
        "round": [round.pk, round.kind, round.batch],
        "area": document.village_code,
        "generated_at": document.created_at.astimezone(datetime.UTC).isoformat(),
    }


def _line(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def _read(document: VerificationDocument, spool) -> tuple[str, int]:
    """Pass 1: every item into the spool and the hash; returns the content hash and the number of rows."""
    content = document_content(document)
    digest = hashlib.sha256(_line(canonical_head(document)))
    progress = _Progress(document.pk, content.total, 0, READ_SHARE)
    head = [["title", content.title], *(["meta", label, value] for label, value in document_meta(document))]
    for item in head:
        line = _line(item)
        digest.update(line)
        spool.write(line)
    for item in content.items:
        line = _line(item)
        digest.update(line)
        spool.write(line)
        if item[0] == "row":
            progress.step()
    return digest.hexdigest(), progress.done


def _render(document: VerificationDocument, spool, content_hash: str, rows: int, out) -> None:
    """Pass 2: the spool, item by item, into the PDF or xlsx written to ``out``."""
    target = renderer(document.fmt, check_code(content_hash), content_hash)
    progress = _Progress(document.pk, rows, READ_SHARE, 99)
    spool.seek(0)
    for line in spool:
        item = json.loads(line)
        target.feed(item)
        if item[0] == "row":
            progress.step()
    target.finish(out)


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
    with tempfile.TemporaryFile() as spool, tempfile.TemporaryFile() as out:
        content_hash, rows = _read(document, spool)
        _render(document, spool, content_hash, rows, out)
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
                action="verification.document.generate",
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


def document_find(*, code: str, within: Q | None = None) -> VerificationDocument | None:
    """The finished document whose content hash (64 hex digits) or verification code (its first 16, dashes
    and spaces allowed) was typed from a printed copy; None when there is none (or ``within`` excludes it)."""
    digits = re.sub(r"[\s-]", "", code or "").lower()
    if not re.fullmatch(r"[0-9a-f]{16}|[0-9a-f]{64}", digits):
        return None
    found = VerificationDocument.objects.filter(finished_at__isnull=False).select_related(
        "round__pair", "round__election", "requested_by"
    )
    found = found.filter(content_hash=digits) if len(digits) == 64 else found.filter(content_hash__startswith=digits)
    if within is not None:
        found = found.filter(within)
    return found.order_by("pk").first()
