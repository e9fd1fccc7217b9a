"""Rows of a pair held as potential duplicates (docs/domain.md §4: same NIK, different data; an operator
resolves it), and the recount of the uploads whose rows a duplicate decision or hold changed.

``hold_stored`` runs in the validator's transaction under the election lock: when a new file brings a NIK
with data other than the pair's counted row of it, that earlier row is held too, so neither counts until a KPU
operator decides (``services.decisions``). The counts of every upload touched are taken again from its rows
in the same transaction (``uploads_recount``), and its error report, which lists held rows, is written again.
"""

from silon.queue import enqueue_on_commit

from ..models import COUNTED_STATUSES, RowStatus, Supporter, Upload, UploadPhase, UploadStatus
from ..rules import row_status
from .counts import upload_counts_refresh
from .reports import VALIDATE_TASK

POTENTIAL = "DUP_POTENTIAL"
COUNTED = tuple(str(s) for s in COUNTED_STATUSES)
STATUS_FIELDS = {
    RowStatus.ACCEPTED.value: "rows_accepted",
    RowStatus.FLAGGED.value: "rows_flagged",
    RowStatus.REVIEW.value: "rows_review",
    RowStatus.REJECTED.value: "rows_rejected",
}


def pair_batch_uploads(*, pair_id: int, batch: str):
    """The pair's DONE uploads of one batch: where its duplicates are looked for."""
    return Upload.objects.filter(pair_id=pair_id, batch=batch, status=UploadStatus.DONE)


def hold_stored(*, upload: Upload, niks: list[str], severity: dict[str, str]) -> list[int]:
    """Hold the pair's counted rows of ``niks`` in its other DONE uploads of the batch (``review``,
    DUP_POTENTIAL); returns the uploads whose rows changed, recounted. A held row is no longer counted, so it
    drops a DUP_EXTERNAL flag of its own."""
    if not niks:
        return []
    rows = list(
        Supporter.objects.filter(
            election_id=upload.election_id,
            pair_id=upload.pair_id,
            nik__in=niks,
            status__in=COUNTED,
            upload_id__in=pair_batch_uploads(pair_id=upload.pair_id, batch=upload.batch)
            .exclude(pk=upload.pk)
            .values("pk"),
        ).order_by()
    )
    external = sorted({row.nik for row in rows if "DUP_EXTERNAL" in row.reason_list})
    for row in rows:
        reasons = [c for c in row.reason_list if c != "DUP_EXTERNAL"] + [POTENTIAL]
        row.reasons, row.status = ",".join(reasons), row_status(reasons, severity)
    Supporter.objects.bulk_update(rows, ["status", "reasons"], batch_size=1000)
    touched = sorted({row.upload_id for row in rows})
    uploads_recount(touched, report=True)
    uploads_recount(_external_clear(upload.election_id, external, severity), report=False)
    return touched


def _external_clear(election_id: int, niks: list[str], severity: dict[str, str]) -> list[int]:
    """DUP_EXTERNAL stays on a row only while another pair still counts its NIK; returns the uploads changed."""
    if not niks:
        return []
    done = Upload.objects.filter(election_id=election_id, status=UploadStatus.DONE).values("pk")
    rows = Supporter.objects.filter(election_id=election_id, nik__in=niks, upload_id__in=done).order_by()
    counting: dict[str, set[int]] = {}
    for nik, pair_id in rows.filter(status__in=COUNTED).values_list("nik", "pair_id"):
        counting.setdefault(nik, set()).add(pair_id)
    cleared = [r for r in rows.filter(reasons__contains="DUP_EXTERNAL") if not counting.get(r.nik, set()) - {r.pair_id}]
    for row in cleared:
        reasons = [c for c in row.reason_list if c != "DUP_EXTERNAL"]
        row.reasons, row.status = ",".join(reasons), row_status(reasons, severity)
    Supporter.objects.bulk_update(cleared, ["status", "reasons"], batch_size=1000)
    return sorted({row.upload_id for row in cleared})


def uploads_recount(upload_ids: list[int], *, report: bool) -> None:
    """Take the counts, reasons and per-kecamatan recap of these DONE uploads again from their rows (in the
    caller's transaction), the one way (``counts.upload_counts_refresh``). ``report``: their error reports list
    changed rows and are written again."""
    upload_counts_refresh(upload_ids=upload_ids)
    if not report:
        return
    for upload_id in upload_ids:
        Upload.objects.filter(pk=upload_id, status=UploadStatus.DONE).update(
            report="", progress=95, phase=UploadPhase.REPORT
        )
        enqueue_on_commit(VALIDATE_TASK, upload_id)
