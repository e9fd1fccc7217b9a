"""An upload's stored summary (rows per status, counts per reason, counted rows per kecamatan) recomputed from
its supporter rows, the one way those numbers change after validation.

The validator writes a new upload's summary from the very rows it stores. Every later change to stored rows
(another pair's upload flagging them DUP_EXTERNAL, a withdrawal re-checking duplicates, and a confirmed
objection, ``objections.services.objection_decide``) calls ``upload_counts_refresh`` for the uploads whose rows
it touched, inside its own transaction: the summary, the recap built on it (``recap``) and the public counts
never disagree with the rows. Saving the uploads bumps the portal's data version after commit (``portal.signals``).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count

from regions.codes import ancestor_at_sql
from regions.models import Level

from ..models import COUNTED_STATUSES, RowStatus, Supporter, Upload

STATUS_FIELDS = {
    RowStatus.ACCEPTED.value: "rows_accepted",
    RowStatus.FLAGGED.value: "rows_flagged",
    RowStatus.REVIEW.value: "rows_review",
    RowStatus.REJECTED.value: "rows_rejected",
}
SUMMARY_FIELDS = ("rows_read", *STATUS_FIELDS.values(), "reason_counts", "recap")
COUNTED = frozenset(str(s) for s in COUNTED_STATUSES)


def upload_summaries(upload_ids: Iterable[int]) -> dict[int, dict]:
    """Each upload's summary fields (``SUMMARY_FIELDS``) as its supporter rows say now. One grouped query."""
    ids = sorted(set(upload_ids))
    summaries: dict[int, dict] = {}
    status_n: dict[int, Counter] = defaultdict(Counter)
    reasons_n: dict[int, Counter] = defaultdict(Counter)
    recap_n: dict[int, Counter] = defaultdict(Counter)
    grouped = (
        Supporter.objects.filter(upload_id__in=ids)
        .annotate(district=ancestor_at_sql("village_code", Level.DISTRICT))
        .values_list("upload_id", "status", "reasons", "district")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for upload_id, status, reasons, district, n in grouped:
        status_n[upload_id][status] += n
        for code in filter(None, reasons.split(",")):
            reasons_n[upload_id][code] += n
        if status in COUNTED:
            recap_n[upload_id][district] += n
    for upload_id in ids:
        by_status = status_n[upload_id]
        summaries[upload_id] = {
            "rows_read": sum(by_status.values()),
            **{name: by_status[status] for status, name in STATUS_FIELDS.items()},
            "reason_counts": dict(sorted(reasons_n[upload_id].items())),
            "recap": dict(sorted(recap_n[upload_id].items())),
        }
    return summaries


def upload_counts_refresh(*, upload_ids: Iterable[int]) -> dict[int, tuple[dict, dict]]:
    """Set the stored summary of each upload that has rows to what its rows say, in the caller's transaction
    (the uploads are locked until it commits). Returns ``{upload id: (before, after)}`` for the uploads whose
    summary changed, for the caller's audit event; uploads without rows (refused files) are left alone."""
    ids = sorted(set(upload_ids))
    if not ids:
        return {}
    summaries = upload_summaries(ids)
    changed: dict[int, tuple[dict, dict]] = {}
    for upload in Upload.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
        after = summaries[upload.pk]
        if not after["rows_read"]:
            continue
        before = {name: getattr(upload, name) for name in SUMMARY_FIELDS}
        if before == after:
            continue
        for name, value in after.items():
            setattr(upload, name, value)
        upload.save(update_fields=list(SUMMARY_FIELDS))
        changed[upload.pk] = (before, after)
    return changed
