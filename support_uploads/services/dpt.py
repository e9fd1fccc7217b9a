"""The voter list (DPT) of an election: the operator's import (queued here, loaded by a worker in chunks with
progress), its versions, and the supporters' match against the active version (one set-based query per
upload). What is computed lives in ``support_uploads.dpt``; every write is here.

Only the NIK's keyed hash and the desa/kelurahan code are stored; the uploaded CSV (raw NIKs, names) is
deleted as soon as the worker has read it, whether the import succeeded or not.
"""

import csv
import hashlib
import logging
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from candidacy.access import require_manage_election
from candidacy.models import Election
from regions.index import village_index
from silon.audit import actions
from silon.audit.services import audit_record
from silon.files import local_file
from silon.queue import enqueue_on_commit

from .. import dpt, storage
from ..models import DptEntry, DptStatus, DptVersion, ReasonCode, ReasonSeverity, Upload
from ..selectors_dpt import active_dpt_version

log = logging.getLogger(__name__)

DPT_IMPORT_TASK = "support_uploads.tasks.dpt_import_task"
CHUNK_ROWS = 500_000
ENTRY_COLUMNS = ["version_id", "nik_hash", "village_code"]
BULK_BATCH = 2000


# --- severities: per regulation version where set (``ReasonSeverity``), else the reason's own -----------


def reason_severity(election: Election) -> dict[str, str]:
    """Code → severity for this election's uploads: the regulation version's overrides on the defaults."""
    severity = dict(ReasonCode.objects.values_list("code", "severity"))
    overrides = ReasonSeverity.objects.filter(regulation_id=election.regulation_id)
    severity.update(dict(overrides.values_list("reason_id", "severity")))
    return severity


# --- the import ----------------------------------------------------------------------------------------


def _headings(path) -> list[str]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle), [])


def dpt_import_create(*, actor, election: Election, file) -> DptVersion:
    """Queue the import of ``file`` (CSV with a NIK and a desa/kelurahan code column) as the election's next
    DPT version. Only a KPU operator of the election's region may (``require_manage_election``)."""
    require_manage_election(actor, election)
    if file.size > settings.DPT_IMPORT_MAX_BYTES:
        raise ValidationError(
            _("Berkas DPT melebihi %(mb)s MB.") % {"mb": settings.DPT_IMPORT_MAX_BYTES // (1024 * 1024)}
        )
    head = file.read(64 * 1024)
    file.seek(0)
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    if not first or dpt.dpt_columns(next(csv.reader(first))) is None:
        raise ValidationError(_("Berkas DPT harus CSV dengan kolom NIK dan kode desa/kelurahan (KODE_DESA)."))
    digest = hashlib.sha256()
    for part in file.chunks():
        digest.update(part)
    file.seek(0)
    with transaction.atomic():
        Election.objects.select_for_update().filter(pk=election.pk).first()  # numbers versions one at a time
        last = DptVersion.objects.filter(election=election).aggregate(n=Max("number"))["n"] or 0
        version = DptVersion(
            election=election,
            number=last + 1,
            original_name=(file.name or "dpt.csv")[:255],
            size=file.size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        version.file.save(f"election-{election.pk}-v{last + 1}.csv", file, save=False)
        version.save()
        audit_record(
            actor=actor,
            action=actions.SUPPORT_DPT_IMPORT,
            obj=version,
            region_code=election.region_code,
            after={"number": version.number, "sha256": version.sha256, "size": version.size},
        )
        enqueue_on_commit(DPT_IMPORT_TASK, version.pk)
    return version


def _count_lines(path) -> int:
    lines = 0
    with open(path, "rb") as handle:
        while block := handle.read(1 << 24):
            lines += block.count(b"\n")
    return max(lines - 1, 1)  # less the heading


def _write_entries(version_id: int, entries: pl.DataFrame) -> None:
    if entries.is_empty():
        return
    if storage.is_postgres():
        frame = entries.with_columns(pl.lit(version_id).alias("version_id"))
        with connection.cursor() as cursor:
            storage.copy_frame(cursor, DptEntry._meta.db_table, frame, ENTRY_COLUMNS, ["nik_hash", "village_code"])
        return
    DptEntry.objects.bulk_create(
        (DptEntry(version_id=version_id, nik_hash=h, village_code=v) for h, v in entries.iter_rows()),
        batch_size=BULK_BATCH,
    )


def _discard_file(version: DptVersion) -> None:
    if version.file:
        version.file.delete(save=False)
    DptVersion.objects.filter(pk=version.pk).update(file="")


def dpt_import_run(*, version_id: int) -> DptVersion:
    """Load one queued version (the worker's task). Idempotent: a finished version is left alone, a version
    left RUNNING by a killed worker starts again from its file."""
    version = DptVersion.objects.select_related("election").get(pk=version_id)
    if version.is_finished:
        return version
    if not version.file:
        return dpt_import_fail(version_id=version_id, message=_("Berkas DPT tidak tersedia lagi; unggah ulang."))
    DptVersion.objects.filter(pk=version_id).update(status=DptStatus.RUNNING, started_at=timezone.now(), progress=1)
    election = version.election
    with local_file(version.file) as path:  # a temporary copy when the file is in object storage
        columns = dpt.dpt_columns(_headings(path))
        if columns is None:
            return dpt_import_fail(version_id=version_id, message=_("Kolom NIK atau kode desa/kelurahan tidak ada."))
        prefix = election.region_code + "."
        villages = pl.Series([v for v in village_index(election.region_version_id).villages if v.startswith(prefix)])
        DptEntry.objects.filter(version_id=version_id).delete()  # a run after a killed one starts clean
        counts = _load_entries(version_id, path, columns, villages)
    _activate(version, counts)
    _discard_file(version)
    if storage.is_postgres():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DptEntry._meta.db_table}")
    log.info("DPT version %s loaded: %s", version_id, counts)
    version.refresh_from_db()
    return version


def _load_entries(version_id: int, path: Path, columns: tuple[str, str], villages: pl.Series) -> dict[str, int]:
    """Read the CSV in chunks, store each chunk's valid entries, and keep the version's progress current."""
    total = _count_lines(path)
    nik_col, village_col = columns
    lazy = pl.scan_csv(path, infer_schema=False, encoding="utf8-lossy").select(
        pl.col(nik_col).alias("nik"), pl.col(village_col).alias("village_code")
    )
    counts = dict.fromkeys(("rows_read", "rows_loaded", "rows_invalid_nik", "rows_unknown_village"), 0)
    for chunk in lazy.collect_batches(chunk_size=CHUNK_ROWS):
        entries, bad, unknown = dpt.dpt_chunk(chunk, villages)
        _write_entries(version_id, entries)
        counts["rows_read"] += chunk.height
        counts["rows_loaded"] += entries.height
        counts["rows_invalid_nik"] += bad
        counts["rows_unknown_village"] += unknown
        progress = min(99, max(1, counts["rows_read"] * 100 // total))
        DptVersion.objects.filter(pk=version_id).update(progress=progress, **counts)
    return counts


def _activate(version: DptVersion, counts: dict[str, int]) -> None:
    """The loaded version becomes the election's active one; the previous keeps its counts, not its entries."""
    election = version.election
    with transaction.atomic():
        Election.objects.select_for_update().filter(pk=election.pk).first()
        previous = list(
            DptVersion.objects.filter(election=election, status=DptStatus.ACTIVE).values_list("pk", flat=True)
        )
        DptVersion.objects.filter(pk__in=previous).update(status=DptStatus.SUPERSEDED)
        DptEntry.objects.filter(version_id__in=previous).delete()  # old versions keep their counts only
        DptVersion.objects.filter(pk=version.pk).update(
            status=DptStatus.ACTIVE, progress=100, finished_at=timezone.now(), **counts
        )
        audit_record(
            actor=None,
            action=actions.SUPPORT_DPT_LOADED,
            obj=version,
            region_code=election.region_code,
            after={**counts, "number": version.number, "superseded": previous},
        )


def dpt_import_fail(*, version_id: int, message: str) -> DptVersion:
    """End an import FAILED (its partial entries deleted, its file discarded); the active version stays."""
    with transaction.atomic():
        version = DptVersion.objects.select_for_update().select_related("election").get(pk=version_id)
        if version.is_finished:
            return version
        DptEntry.objects.filter(version_id=version_id).delete()
        DptVersion.objects.filter(pk=version_id).update(
            status=DptStatus.FAILED, progress=100, error_message=message, finished_at=timezone.now()
        )
        audit_record(
            actor=None,
            action=actions.SUPPORT_DPT_FAILED,
            obj=version,
            region_code=version.election.region_code,
            after={"number": version.number},
        )
    _discard_file(version)
    version.refresh_from_db()
    return version


# --- the match: one set-based query per upload ---------------------------------------------------------


def _matched(version_id: int, probe: pl.DataFrame) -> pl.DataFrame:
    """Per probed row (``idx``), whether one of its NIK's entries is in the row's village; rows whose NIK is
    not on the list are absent. One join of a temporary table of the upload's hashes with the entries."""
    schema = {"idx": pl.UInt32, "same_village": pl.Boolean}
    if probe.is_empty():
        return pl.DataFrame(schema=schema)
    table = DptEntry._meta.db_table
    select = (
        "SELECT p.idx, MAX(CASE WHEN e.village_code = p.village_code THEN 1 ELSE 0 END) "  # noqa: S608 (table from model meta)
        f"FROM silon_dpt_probe p JOIN {table} e ON e.version_id = %s AND e.nik_hash = p.nik_hash GROUP BY p.idx"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if storage.is_postgres():
            # as ``storage.fetch_stored``'s probe: kept per connection, emptied at each commit and before use
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS silon_dpt_probe (idx bigint, nik_hash text, village_code text) "
                "ON COMMIT DELETE ROWS"
            )
            cursor.execute("TRUNCATE silon_dpt_probe")
            storage.copy_frame(
                cursor, "silon_dpt_probe", probe, ["idx", "nik_hash", "village_code"], ["nik_hash", "village_code"]
            )
            cursor.execute("ANALYZE silon_dpt_probe")
        else:
            cursor.execute("CREATE TEMP TABLE silon_dpt_probe (idx integer, nik_hash text, village_code text)")
            cursor.executemany("INSERT INTO silon_dpt_probe VALUES (%s, %s, %s)", probe.rows())
        cursor.execute(select, [version_id])
        rows = cursor.fetchall()
        if not storage.is_postgres():
            cursor.execute("DROP TABLE silon_dpt_probe")
    return pl.DataFrame(
        {"idx": [r[0] for r in rows], "same_village": [bool(r[1]) for r in rows]}, schema=schema, orient="col"
    )


def upload_dpt_match(*, upload: Upload, frame: pl.DataFrame) -> pl.DataFrame:
    """Add NOT_IN_DPT / DPT_OTHER_VILLAGE to the rows of ``frame`` (an upload's frame after the row rules,
    with ``idx``, ``nik``, ``_nik_ok``, ``village_code``, ``reasons``) against the election's active DPT
    version, and record on the upload which version that was. No active version: no DPT reason at all, and
    the upload says matching was not done (``dpt_version`` null)."""
    version = active_dpt_version(upload.election_id)
    Upload.objects.filter(pk=upload.pk).update(dpt_version=version)
    if version is None:
        return frame
    frame = frame.with_columns(pl.col("_nik_ok").fill_null(False).alias("_probe"))
    rows = frame.filter(pl.col("_probe"))
    probe = pl.DataFrame(
        {
            "idx": rows.get_column("idx"),
            "nik_hash": dpt.nik_hashes(rows.get_column("nik")),
            "village_code": rows.get_column("village_code").fill_null(""),
        }
    )
    return dpt.with_dpt_reasons(frame, _matched(version.pk, probe))
