"""Duplicates checked again when a file is withdrawn (docs/domain.md §4).

A withdrawn file's rows leave the count, so rows of the pair's other files that were held back only because
of them must come back: for every NIK the withdrawn file counted, the pair's remaining rows of that NIK that
carry DUP_IDENTICAL or DUP_POTENTIAL (and for every NIK it held as a potential duplicate) go through the
validator's own duplicate analysis again (``dedupe``), in the order they were validated; the first one is
counted again and the rest keep (or change) their code. A DUP_EXTERNAL flag on another pair's row goes when
no pair other than its own still counts that NIK.

Runs inside ``upload_withdraw``'s transaction, under the election lock the validator takes, so no
upload of the election is checked against a half-updated state. The uploads whose rows changed get their
counts, reasons and per-kecamatan recap recomputed from their rows (``counts.upload_counts_refresh``), and an
audit event each.
"""

from collections import defaultdict
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Q, QuerySet

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.queue import enqueue_on_commit

from .. import dedupe, storage
from ..models import COUNTED_STATUSES, ReasonCode, RowStatus, Supporter, Upload, UploadPhase, UploadStatus
from ..rules import row_status
from .counts import STATUS_FIELDS, upload_counts_refresh
from .pipeline import VALIDATE_TASK

PAIR_DUP_CODES = ("DUP_IDENTICAL", "DUP_POTENTIAL")
REEVALUATED_CODES = frozenset({*PAIR_DUP_CODES, "DUP_EXTERNAL"})
COUNTED = tuple(str(s) for s in COUNTED_STATUSES)
REPORTED = (RowStatus.REJECTED.value, RowStatus.REVIEW.value)


@dataclass
class Change:
    row: Supporter
    old_status: str
    old_reasons: list[str]


@dataclass
class Reevaluation:
    promoted: int = 0
    external_added: int = 0
    external_cleared: int = 0
    uploads: list[int] = field(default_factory=list)


def _set_reasons(row: Supporter, reasons: list[str], severity: dict[str, str], changes: dict[int, Change]) -> bool:
    text = ",".join(reasons)
    if text == row.reasons:
        return False
    if row.pk not in changes:
        changes[row.pk] = Change(row, row.status, row.reason_list)
    row.reasons = text
    row.status = row_status(reasons, severity)
    return True


def _promote(upload: Upload, niks: QuerySet, severity: dict[str, str], changes: dict[int, Change]) -> Reevaluation:
    """Run the pair's held-back duplicates of ``niks`` through the duplicate analysis again."""
    result = Reevaluation()
    remaining = Upload.objects.filter(pair_id=upload.pair_id, batch=upload.batch, status=UploadStatus.DONE).exclude(
        pk=upload.pk
    )
    order = {pk: i for i, pk in enumerate(remaining.order_by("finished_at", "pk").values_list("pk", flat=True))}
    held = list(
        Supporter.objects.filter(election_id=upload.election_id, nik__in=niks, upload_id__in=list(order))
        .filter(Q(reasons__contains="DUP_IDENTICAL") | Q(reasons__contains="DUP_POTENTIAL"))
        .order_by()
    )
    if not held:
        return result
    # the order the validator met them in: upload by upload as they were checked, each in file order
    held.sort(key=lambda r: (order[r.upload_id], r.sheet, r.row_number))
    candidates = pl.DataFrame(
        [(i, r.nik, r.name, r.birth_date_text, r.marital) for i, r in enumerate(held)],
        schema={"idx": pl.Int64, "nik": pl.String, "name": pl.String, "birth_date": pl.String, "marital": pl.String},
        orient="row",
    )
    # counted supporters of the election with these NIKs: the withdrawn file is no longer among them
    stored = storage.fetch_stored(
        election_id=upload.election_id, upload_id=upload.pk, niks=candidates.get_column("nik")
    )
    dups = dict(dedupe.analyse(candidates, stored, pair_id=upload.pair_id, batch=upload.batch).iter_rows())
    external: set[str] = set()
    for i, row in enumerate(held):
        was_counted = row.status in COUNTED
        reasons = [c for c in row.reason_list if c not in REEVALUATED_CODES]
        if dups.get(i):
            reasons.append(dups[i])
        _set_reasons(row, reasons, severity, changes)
        if row.status in COUNTED and not was_counted:
            result.promoted += 1
            if "DUP_EXTERNAL" in reasons:
                external.add(row.nik)
    if external:
        # the other pairs' rows of a NIK counted again here are flagged too, as the validator does
        others = Supporter.objects.filter(
            election_id=upload.election_id,
            nik__in=sorted(external),
            status=RowStatus.ACCEPTED,
            upload_id__in=Upload.objects.filter(election_id=upload.election_id, status=UploadStatus.DONE).values("pk"),
        ).exclude(pair_id=upload.pair_id)
        for row in others:
            if _set_reasons(row, [*row.reason_list, "DUP_EXTERNAL"], severity, changes):
                result.external_added += 1
    return result


def _clear_external(upload: Upload, niks: QuerySet, severity: dict[str, str], changes: dict[int, Change]) -> int:
    """DUP_EXTERNAL stays on another pair's row only while some other pair still counts its NIK."""
    done = Upload.objects.filter(election_id=upload.election_id, status=UploadStatus.DONE).values("pk")
    counting: dict[str, set[int]] = defaultdict(set)
    rows = Supporter.objects.filter(election_id=upload.election_id, nik__in=niks, upload_id__in=done)
    for nik, pair_id in rows.filter(status__in=COUNTED).values_list("nik", "pair_id"):
        counting[nik].add(pair_id)
    flagged = list(rows.exclude(pair_id=upload.pair_id).filter(reasons__contains="DUP_EXTERNAL"))
    cleared = 0
    for row in flagged:
        if counting[row.nik] - {row.pair_id}:
            continue
        reasons = [c for c in row.reason_list if c != "DUP_EXTERNAL"]
        if _set_reasons(row, reasons, severity, changes):
            cleared += 1
    return cleared


def _apply(changes: dict[int, Change]) -> dict[int, dict]:
    """Write the changed rows; per upload, how many rows changed and whether its error report lists any."""
    Supporter.objects.bulk_update([change.row for change in changes.values()], ["status", "reasons"], batch_size=1000)
    touched: dict[int, dict] = defaultdict(lambda: {"rows": 0, "reported": False})
    for change in changes.values():
        row, upload = change.row, touched[change.row.upload_id]
        upload["rows"] += 1
        upload["reported"] = upload["reported"] or row.status in REPORTED or change.old_status in REPORTED
    return touched


def duplicates_reevaluate(*, actor: User, upload: Upload) -> Reevaluation:
    """Re-check the duplicates the withdrawn ``upload``'s counted rows caused (see the module docstring).
    The caller holds the election lock and has already marked ``upload`` WITHDRAWN, in this transaction."""
    # the NIKs as a subquery: a withdrawn file may hold a million rows, the rows they concern are few
    # and the NIKs it held as potential duplicates: a row of another file held only with it counts again
    niks = (
        Supporter.objects.filter(upload_id=upload.pk)
        .filter(Q(status__in=COUNTED) | Q(status=RowStatus.REVIEW, reasons__contains="DUP_POTENTIAL"))
        .exclude(nik="")
        .values("nik")
    )
    if not niks.exists():
        return Reevaluation()
    severity = dict(ReasonCode.objects.values_list("code", "severity"))
    changes: dict[int, Change] = {}
    result = _promote(upload, niks, severity, changes)
    if changes:  # the external check below reads which pairs count each NIK now
        Supporter.objects.bulk_update([c.row for c in changes.values()], ["status", "reasons"], batch_size=1000)
    result.external_cleared = _clear_external(upload, niks, severity, changes)
    touched = _apply(changes)
    # the summaries follow the rows (``counts``): the same function every change of stored rows calls
    refreshed = upload_counts_refresh(upload_ids=list(touched))
    for affected in Upload.objects.filter(pk__in=list(touched)).select_related("election").order_by("pk"):
        change = touched[affected.pk]
        before = refreshed.get(affected.pk, ({}, {}))[0]
        if change["reported"]:
            # its error report lists rows that changed: written again by the task, from the stored rows
            affected.report, affected.progress, affected.phase = "", 95, UploadPhase.REPORT
            affected.save(update_fields=["report", "progress", "phase"])
            enqueue_on_commit(VALIDATE_TASK, affected.pk)
        audit_record(
            actor=actor,
            action=actions.SUPPORT_UPLOAD_REEVALUATE,
            obj=affected,
            region_code=affected.election.region_code,
            before={name: before.get(name, getattr(affected, name)) for name in STATUS_FIELDS.values()},
            after={
                **{name: getattr(affected, name) for name in STATUS_FIELDS.values()},
                "withdrawn_upload": upload.pk,
                "rows_changed": change["rows"],
            },
        )
        result.uploads.append(affected.pk)
    return result
