"""The validation pipeline of one upload, the worker's service: read → row rules → duplicates → store → report.

Heavy, lock-free work (reading, rules) happens first; the duplicate check and the insert run in ONE
transaction under a per-election lock, together with the upload's DONE status, so an upload is either fully
counted or not at all. Running it again for a DONE upload changes nothing; for an upload left RUNNING by a
killed worker it starts again from the file, at most ``SUPPORT_UPLOAD_MAX_ATTEMPTS`` times: after that the
upload is FAILED with a retryable fault (``upload_fail_fault``) instead of killing worker after worker.
Progress is written in short transactions of its own. The computing is done by flat modules (``reading``,
``rules``, ``dedupe``, the xlsx writer ``report``); every write of the pipeline is here, the rows' COPY and the
DUP_EXTERNAL update included.
"""

import logging
import time
from dataclasses import dataclass

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_noop

from candidacy.models import Election
from regions.codes import ancestor_at_column
from regions.index import village_index
from regions.models import Level, Region
from silon.audit import actions
from silon.audit.services import audit_record
from silon.files import local_file

from .. import dedupe, storage
from ..models import (
    COUNTED_STATUSES,
    RETRYABLE_ERROR_CODES,
    ExcludedOccupation,
    OccupationRule,
    ReasonCode,
    RowStatus,
    Supporter,
    Upload,
    UploadPhase,
    UploadStatus,
)
from ..reading import FileRejected, ReadResult
from ..reading.bounded import read_upload_bounded
from ..rules import RuleContext, apply_rules, status_expr, truncate_long_values
from ..template_spec import spec_for
from .counts import upload_counts_refresh
from .dpt import reason_severity, upload_dpt_match
from .duplicates import hold_stored
from .heartbeat import Heartbeat
from .reports import VALIDATE_TASK as VALIDATE_TASK  # queued by this name; re-exported for the callers
from .reports import report_rebuild_if_missing, report_store

log = logging.getLogger(__name__)

DEFAULT_MAX_ROWS = 2_500_000
DEFAULT_MAX_ATTEMPTS = 3
ROW_BATCH = 2000

# server-side faults, shown to the uploader (msgid kept apart, translated where shown)
FAULT_MESSAGES = {
    "WORKER_LOST": gettext_noop(
        "Pemeriksaan berkas terhenti %(attempts)s kali karena gangguan server. Berkas Anda tidak bermasalah "
        "dan dapat diperiksa ulang tanpa diunggah lagi."
    ),
    "TIMEOUT": gettext_noop(
        "Pemeriksaan berkas melewati batas waktu karena gangguan server. Berkas dapat diperiksa ulang tanpa "
        "diunggah lagi."
    ),
    "SERVER_ERROR": gettext_noop(
        "Pemeriksaan berkas gagal karena gangguan server (basis data). Berkas dapat diperiksa ulang tanpa "
        "diunggah lagi."
    ),
}


@dataclass
class Timings:  # seconds per phase
    read: float = 0.0
    rules: float = 0.0
    dpt: float = 0.0  # the match against the election's active voter list (``services.dpt``)
    store: float = 0.0
    report: float = 0.0


def max_rows() -> int:
    return getattr(settings, "SUPPORT_UPLOAD_MAX_ROWS", DEFAULT_MAX_ROWS)


def max_attempts() -> int:
    return getattr(settings, "SUPPORT_UPLOAD_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS)


def rule_context(election: Election, spec) -> RuleContext:
    regency_prefixes = frozenset(
        code.replace(".", "") for code in Region.objects.filter(level=Level.REGENCY).values_list("code", flat=True)
    )
    # the regions app's per-process index: a worker builds it once per list version
    villages = list(village_index(election.region_version_id).villages)
    prefix = election.region_code + "."
    occupations = list(ExcludedOccupation.objects.values_list("term", "rule"))
    return RuleContext(
        spec=spec,
        polling_day=election.polling_day,
        regency_prefixes=pl.Series(sorted(regency_prefixes), dtype=pl.String),
        version_villages=pl.Series(villages, dtype=pl.String),
        region_villages=pl.Series([v for v in villages if v.startswith(prefix)], dtype=pl.String),
        occupation_exclude=tuple(t for t, r in occupations if r == OccupationRule.EXCLUDE),
        occupation_allow=tuple(t for t, r in occupations if r == OccupationRule.ALLOW),
    )


def _progress(upload_id: int, progress: int, phase: UploadPhase, **fields) -> None:
    # outside any transaction: each update commits at once so the page sees the bar move; it beats too
    Upload.objects.filter(pk=upload_id).update(progress=progress, phase=phase, heartbeat_at=timezone.now(), **fields)


def _fail(upload: Upload, rejected: FileRejected) -> None:
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.FAILED,
            error_code=rejected.code,
            error_message=rejected.source_text,  # Indonesian whatever the active language
            error_detail={"msgid": rejected.msgid, "params": rejected.params},
            progress=100,
            phase=UploadPhase.REJECTED,
            finished_at=timezone.now(),
        )
        audit_record(
            actor=None,
            action=actions.SUPPORT_UPLOAD_REJECTED,
            obj=upload,
            region_code=upload.election.region_code,
            after={"error_code": rejected.code},
        )


def upload_fail_fault(*, upload_id: int, code: str, **params) -> bool:
    """Mark a validation that the server could not finish FAILED with a retryable fault (``code`` one of
    ``RETRYABLE_ERROR_CODES``). Nothing was counted: the rows are written in the final transaction only.
    Returns False when the upload had finished meanwhile (then it is left alone)."""
    if code not in RETRYABLE_ERROR_CODES:
        raise ValueError(f"not a retryable fault: {code}")
    msgid = FAULT_MESSAGES[code]
    with transaction.atomic():
        upload = Upload.objects.select_for_update().select_related("election").filter(pk=upload_id).first()
        if upload is None or upload.is_finished:
            return False
        Upload.objects.filter(pk=upload_id).update(
            status=UploadStatus.FAILED,
            error_code=code,
            error_message=msgid % params if params else msgid,
            error_detail={"msgid": msgid, "params": params},
            progress=100,
            phase=UploadPhase.REJECTED,
            finished_at=timezone.now(),
        )
        audit_record(
            actor=None,
            action=actions.SUPPORT_UPLOAD_FAILED,
            obj=upload,
            region_code=upload.election.region_code,
            after={"error_code": code, "attempts": upload.attempts},
        )
    log.warning("support upload %s failed: %s after %s attempts", upload_id, code, upload.attempts)
    return True


def upload_validate(*, upload_id: int) -> Timings:
    """Validate one upload end to end. Idempotent on ``upload_id``."""
    timings = Timings()
    upload = Upload.objects.select_related("election", "pair").get(pk=upload_id)
    if not _start(upload):
        return timings
    with Heartbeat(upload_id):  # ``heartbeat``: the sweep takes an upload whose beat stopped for lost
        return _validate(upload, timings)


def _validate(upload: Upload, timings: Timings) -> Timings:
    upload_id = upload.pk
    started = time.perf_counter()
    try:
        # in a child process under the read's memory ceiling (``reading.bounded``): a file too heavy to hold
        # is refused there (MEMORY_LIMIT) and this worker never grows with it
        with local_file(upload.file) as path:  # a temporary copy when the file is in object storage
            result = read_upload_bounded(
                path,
                election_id=upload.election_id,
                pair_id=upload.pair_id,
                max_rows=max_rows(),
                template_version=spec_for(upload.election).version,  # a CSV has no metadata to name it
            )
    except FileRejected as rejected:
        _fail(upload, rejected)
        return timings
    timings.read = time.perf_counter() - started
    # rows_read early, for the phase line ("checking 1,000,000 rows"); only DONE uploads are ever counted
    _progress(upload_id, 45, UploadPhase.CHECKING, rows_read=result.frame.height)

    started = time.perf_counter()
    severity = reason_severity(upload.election)  # per regulation version where it sets one (``dpt``)
    frame = apply_rules(result.frame, rule_context(upload.election, result.spec))
    frame = truncate_long_values(frame, result.spec)
    frame = frame.with_row_index("idx")
    timings.rules = time.perf_counter() - started
    started = time.perf_counter()
    frame = upload_dpt_match(upload=upload, frame=frame).with_columns(status_expr(severity))
    timings.dpt = time.perf_counter() - started
    _progress(upload_id, 65, UploadPhase.STORING)

    started = time.perf_counter()
    frame = _store(upload, frame, result, severity)
    if frame is None:
        return timings  # finished or withdrawn meanwhile by another run
    timings.store = time.perf_counter() - started

    started = time.perf_counter()
    _write_report(upload, frame, result.spec)
    timings.report = time.perf_counter() - started
    log.info("support upload %s validated: %s", upload_id, timings)
    return timings


def _start(upload: Upload) -> bool:
    """Mark the upload RUNNING for one more attempt; False when there is nothing (more) to validate."""
    if upload.is_finished:
        # a worker killed between the DONE commit and the report: the redelivered task writes the report from
        # the stored rows (they keep the values as sent and every reason) instead of leaving it lost
        report_rebuild_if_missing(upload)
        return False
    if upload.status == UploadStatus.RUNNING and upload.attempts >= max_attempts():
        # every earlier run died without finishing (worker killed, out of memory, hard time limit): stop here
        # with a message the uploader can act on, instead of handing the same message to worker after worker
        upload_fail_fault(upload_id=upload.pk, code="WORKER_LOST", attempts=upload.attempts)
        return False
    now, unfinished = timezone.now(), [UploadStatus.QUEUED, UploadStatus.RUNNING]
    # only while unfinished: a duplicate delivery waiting on the row lock of a run that is storing must not
    # turn the DONE upload back to RUNNING (PostgreSQL re-checks the condition after the wait)
    started = Upload.objects.filter(pk=upload.pk, status__in=unfinished).update(
        status=UploadStatus.RUNNING, attempts=upload.attempts + 1, progress=5, phase=UploadPhase.READING,
        started_at=now, heartbeat_at=now,
    )  # fmt: skip
    return bool(started)


def _store(upload: Upload, frame: pl.DataFrame, result: ReadResult, severity: dict[str, str]) -> pl.DataFrame | None:
    """The duplicate check and the insert, in ONE transaction under the election lock with the DONE status:
    the upload is either fully counted or not at all. The stored frame, or None when another run finished or
    withdrew the upload meanwhile."""
    election = upload.election
    with transaction.atomic():
        storage.lock_election(election.pk)
        locked = Upload.objects.select_for_update().get(pk=upload.pk)
        if locked.status != UploadStatus.RUNNING:
            return None
        candidates = frame.filter(pl.col("status") == RowStatus.ACCEPTED).select(
            "idx", "nik", "name", "birth_date", "marital"
        )
        stored = storage.fetch_stored(
            election_id=election.pk, upload_id=upload.pk, niks=candidates.get_column("nik"), pair_id=upload.pair_id
        )
        dups = dedupe.analyse(candidates, stored, pair_id=upload.pair_id, batch=upload.batch)
        hold_stored(upload=upload, niks=dedupe.held_niks(candidates, dups), severity=severity)
        frame = dedupe.with_duplicates(frame, dups, status_expr(severity))
        external = dups.filter(pl.col("dup") == "DUP_EXTERNAL").join(frame.select("idx", "nik"), on="idx")
        flagged = flag_external(
            election_id=election.pk, pair_id=upload.pair_id, niks=external.get_column("nik").unique().to_list()
        )
        _refresh_flagged(upload, flagged)
        frame = frame.with_columns(
            pl.lit(election.pk).alias("election_id"),
            pl.lit(upload.pair_id).alias("pair_id"),
            pl.lit(upload.pk).alias("upload_id"),
            pl.col("birth_date").alias("birth_date_text"),
            pl.col("_dob").alias("birth_date"),
        )
        write_rows(upload_id=upload.pk, frame=frame)
        summary = _summary(frame)
        Upload.objects.filter(pk=upload.pk).update(
            status=UploadStatus.DONE,
            kind=result.kind,
            progress=95,
            phase=UploadPhase.REPORT,
            finished_at=timezone.now(),
            error_code="",
            error_message="",
            error_detail={},
            **summary,
        )
        audit_record(
            actor=None,
            action=actions.SUPPORT_UPLOAD_VALIDATED,
            obj=upload,
            region_code=election.region_code,
            after={k: v for k, v in summary.items() if k != "recap"},
        )
    return frame


def _summary(frame: pl.DataFrame) -> dict:
    by_status = dict(frame.group_by("status").len().iter_rows())
    reasons = (
        frame.filter(pl.col("reasons") != "")
        .select(pl.col("reasons").str.split(",").explode().alias("code"))
        .group_by("code")
        .len()
        .sort("code")
    )
    counted = frame.filter(pl.col("status").is_in([str(s) for s in COUNTED_STATUSES]))
    district = ancestor_at_column(pl.col("village_code"), Level.DISTRICT)
    recap = dict(counted.group_by(district).len().sort("village_code").iter_rows())
    return {
        "rows_read": frame.height,
        "rows_accepted": by_status.get(RowStatus.ACCEPTED, 0),
        "rows_flagged": by_status.get(RowStatus.FLAGGED, 0),
        "rows_review": by_status.get(RowStatus.REVIEW, 0),
        "rows_rejected": by_status.get(RowStatus.REJECTED, 0),
        "reason_counts": dict(reasons.iter_rows()),
        "recap": recap,
    }


def _write_report(upload: Upload, frame: pl.DataFrame, spec) -> None:
    labels = dict(ReasonCode.objects.values_list("code", "label_id"))
    rows = frame.filter(pl.col("status").is_in([RowStatus.REJECTED.value, RowStatus.REVIEW.value])).with_columns(
        pl.col("birth_date_text").alias("birth_date")
    )
    name = report_store(upload, rows, spec, labels)
    Upload.objects.filter(pk=upload.pk).update(report=name, progress=100, phase=UploadPhase.DONE)


# --- the rows' writes: COPY on PostgreSQL, batched statements on SQLite (reads: ``storage``) -------------


def flag_external(*, election_id: int, pair_id: int, niks: list[str]) -> list[int]:
    """Mark other pairs' counted supporters carrying one of ``niks`` as DUP_EXTERNAL (they stay counted), in
    their current (DONE) uploads only: a withdrawn file keeps its rows as they were. Returns the uploads whose
    rows changed, for the caller to refresh their summaries in the same transaction."""
    if not niks:
        return []
    done = Upload.objects.filter(election_id=election_id, status=UploadStatus.DONE).exclude(pair_id=pair_id)
    reasons = Case(
        When(reasons="", then=Value("DUP_EXTERNAL")),
        default=Concat(F("reasons"), Value(",DUP_EXTERNAL")),
        output_field=TextField(),
    )
    touched: set[int] = set()
    for start in range(0, len(niks), 1000):
        rows = Supporter.objects.filter(
            election_id=election_id, nik__in=niks[start : start + 1000], status=RowStatus.ACCEPTED
        ).filter(upload_id__in=done.values("pk"))
        touched.update(rows.values_list("upload_id", flat=True).distinct().order_by())
        rows.update(status=RowStatus.FLAGGED, reasons=reasons)
    return sorted(touched)


def _refresh_flagged(upload: Upload, upload_ids: list[int]) -> None:
    """Other pairs' uploads whose rows this upload flagged DUP_EXTERNAL: their summaries follow their rows,
    in the validator's transaction, each with an audit event."""
    for upload_id, (before, after) in upload_counts_refresh(upload_ids=upload_ids).items():
        audit_record(
            actor=None,
            action=actions.SUPPORT_UPLOAD_EXTERNAL_FLAGGED,
            object_type="support_uploads.upload",
            object_id=upload_id,
            region_code=upload.election.region_code,
            before={k: v for k, v in before.items() if k != "recap"},
            after={**{k: v for k, v in after.items() if k != "recap"}, "flagged_by_upload": upload.pk},
        )


def write_rows(*, upload_id: int, frame: pl.DataFrame) -> None:
    """Replace the upload's rows with ``frame`` (ROW_COLUMNS). Runs inside the caller's transaction."""
    Supporter.objects.filter(upload_id=upload_id).delete()
    table = Supporter._meta.db_table
    # rows go in NIK order: the (election, nik) index then grows page by page instead of being hit at random,
    # which measured ~40% off the COPY of a million rows
    frame = (
        frame.select(storage.ROW_COLUMNS)
        .with_columns([pl.col(c).fill_null("") for c in storage.TEXT_COLUMNS])
        .sort("nik")
    )
    with connection.cursor() as cursor:
        if storage.is_postgres():
            storage.copy_frame(cursor, table, frame, storage.ROW_COLUMNS, storage.TEXT_COLUMNS)
            return
        columns = storage.ROW_COLUMNS
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608 (table names from model meta; values are parameters)
        for batch in frame.iter_slices(ROW_BATCH):
            cursor.executemany(sql, batch.rows())
