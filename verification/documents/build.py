"""Building a requested document's content, and finding a document from the code printed on it.

A file cannot carry its own SHA-256, so each document carries a *content hash*: SHA-256 over a canonical
serialisation (one JSON line for the kind, format, election, pair, round, area and generation time, then one
per printed item: title, meta, headers, every row and total). The build reads the data once into a spool
file while hashing it, then renders from the spool, so the printed hash covers exactly the printed rows.
Progress (0-100) is reported through a callback every few percent. Nothing here writes: storing the file,
the hashes and the progress is ``services.documents``'s."""

import datetime
import hashlib
import json
import re
from collections.abc import Callable

from django.db.models import Q

from ..models import VerificationDocument, check_code
from .content import document_content, document_meta
from .render import renderer

# share of the progress bar for reading the data; rendering takes the rest up to 99, storing makes it 100
READ_SHARE = 50
PROGRESS_STEP = 5  # percent between two progress writes


ProgressReport = Callable[[int], None]


def _no_report(value: int) -> None:
    return None


class _Progress:
    """Counts rows from ``start`` to ``end`` percent and reports every ``PROGRESS_STEP`` percent."""

    def __init__(self, report: ProgressReport, total: int, start: int, end: int) -> None:
        self.report, self.total, self.start, self.end = report, max(total, 1), start, end
        self.done = 0
        self.reported = start

    def step(self) -> None:
        self.done += 1
        value = self.start + (self.end - self.start) * min(self.done, self.total) // self.total
        if value >= self.reported + PROGRESS_STEP:
            self.report(value)
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


def content_read(document: VerificationDocument, spool, report: ProgressReport = _no_report) -> tuple[str, int]:
    """Pass 1: every item into the spool and the hash; returns the content hash and the number of rows."""
    content = document_content(document)
    digest = hashlib.sha256(_line(canonical_head(document)))
    progress = _Progress(report, content.total, 0, READ_SHARE)
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


def content_render(
    document: VerificationDocument, spool, content_hash: str, rows: int, out, report: ProgressReport = _no_report
) -> None:
    """Pass 2: the spool, item by item, into the PDF or xlsx written to ``out``."""
    target = renderer(document.fmt, check_code(content_hash), content_hash)
    progress = _Progress(report, rows, READ_SHARE, 99)
    spool.seek(0)
    for line in spool:
        item = json.loads(line)
        target.feed(item)
        if item[0] == "row":
            progress.step()
    target.finish(out)


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
