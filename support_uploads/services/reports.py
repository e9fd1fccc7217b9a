"""Writes of the error report: rebuilt from the stored rows when a worker died between the upload's DONE
commit and the report, and opened (audited, masked for a reader without the need) for download. The xlsx
itself is written by ``report`` (pure computation)."""

import tempfile
from pathlib import Path
from typing import IO

import polars as pl
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record

from ..models import ReasonCode, RowStatus, Supporter, Upload, UploadPhase, UploadStatus
from ..report import report_write
from ..selectors import SUPPORTER_KINDS, supporter_viewer
from ..template_spec import TemplateSpec, spec_for

# the Celery task that runs ``upload_validate`` (``support_uploads.tasks``), named where it is queued: tasks
# call services, never the reverse. It also writes a DONE upload's missing report from its stored rows.
VALIDATE_TASK = "support_uploads.tasks.upload_validate_task"
REPORT_STATUSES = (RowStatus.REJECTED.value, RowStatus.REVIEW.value)


def report_name(upload: Upload) -> str:
    """The storage name of an upload's report (by month of writing)."""
    return f"support-reports/{timezone.now():%Y/%m}/upload-{upload.pk}-laporan.xlsx"


def report_store(upload: Upload, rows: pl.DataFrame, spec: TemplateSpec, labels: dict[str, str]) -> str:
    """Write the report to a temporary file and store it through the default storage, the host's disk or the
    object storage every web and worker host shares (README "Scaling"); returns the stored name."""
    with tempfile.NamedTemporaryFile(suffix=".xlsx", dir=settings.FILE_UPLOAD_TEMP_DIR) as tmp:
        report_write(path=Path(tmp.name), rows=rows, spec=spec, labels=labels)
        tmp.seek(0)
        return default_storage.save(report_name(upload), File(tmp))


def stored_report_rows(upload: Upload, spec: TemplateSpec) -> pl.DataFrame:
    """The upload's rejected and review rows as stored, in the frame ``report_write`` takes (the date of birth
    as the text that was sent)."""
    keys = [f.key for f in spec.fields]
    columns = ["sheet", "row_number", "reasons", *("birth_date_text" if k == "birth_date" else k for k in keys)]
    values = (
        Supporter.objects.filter(upload_id=upload.pk, status__in=REPORT_STATUSES)
        .order_by("sheet", "row_number")
        .values_list(*columns)
    )
    schema = {"sheet": pl.Int64, "row_number": pl.Int64, "reasons": pl.String, **dict.fromkeys(keys, pl.String)}
    return pl.DataFrame(list(values.iterator(chunk_size=10_000)), schema=schema, orient="row")


def _indonesian_labels() -> dict[str, str]:
    return dict(ReasonCode.objects.values_list("code", "label_id"))


def upload_report_rebuild(*, upload_id: int) -> bool:
    """Write the report of a DONE upload that has none (its worker died after the DONE commit) from its stored
    rows, the same rows and reasons a whole run reports. Idempotent: False when there is nothing to do.

    The election's template (``spec_for``) names the columns."""
    with transaction.atomic():
        # the row lock makes a second delivery (or the stale sweep's) wait and then find the report written
        upload = Upload.objects.select_for_update().filter(pk=upload_id).first()
        if upload is None or not report_missing(upload):
            return False
        spec = spec_for(upload.election)
        name = report_store(upload, stored_report_rows(upload, spec), spec, _indonesian_labels())
        Upload.objects.filter(pk=upload.pk).update(report=name, progress=100, phase=UploadPhase.DONE)
        audit_record(
            actor=None,
            action=actions.SUPPORT_UPLOAD_REPORT_REBUILT,
            obj=upload,
            region_code=upload.election.region_code,
            after={"rows": upload.rows_rejected + upload.rows_review},
        )
    return True


def report_rebuild_if_missing(upload: Upload) -> bool:
    """Called by the validation task for an upload already finished: rebuild its report when it is missing."""
    return report_missing(upload) and upload_report_rebuild(upload_id=upload.pk)


def report_missing(upload: Upload) -> bool:
    """A validated upload whose report was never written (or was marked stale by a re-evaluation)."""
    return upload.status == UploadStatus.DONE and (not upload.report or upload.progress < 100)


def upload_report_open(*, actor: User, upload: Upload, api: bool = False) -> tuple[IO[bytes], bool] | None:
    """The error report for ``actor`` to download, audited, or None when the upload has none yet.

    Returns the open file and whether it is masked. A reader who sees every personal column in full
    (``selectors.supporter_viewer``: KPU operators of the jurisdiction, and the pair's LO, who needs its own
    original values to correct its file) gets the stored report with the values as sent. Every other reader
    who may see the upload (Bawaslu among them) gets one built on the fly from the stored rows, each personal
    column shown as the masking policy shows it to that reader (``silon.privacy.POLICY``)."""
    if not upload.report or report_missing(upload):
        return None
    viewer = supporter_viewer(actor, upload.pair)
    full = all(viewer.full(kind) for kind in SUPPORTER_KINDS.values())
    if full:
        handle = upload.report.open("rb")
    else:
        spec = spec_for(upload.election)
        rows = stored_report_rows(upload, spec).with_columns(
            pl.col(key).map_elements(lambda value, kind=kind: viewer.show(kind, value), return_dtype=pl.String)
            for key, kind in SUPPORTER_KINDS.items()
            if key in {f.key for f in spec.fields}  # a DPD report has no No. KK or No. HP to mask
        )
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response that streams it)
        report_write(path=handle, rows=rows, spec=spec, labels=_indonesian_labels())
        handle.seek(0)
    after = {"rows": upload.rows_rejected + upload.rows_review, "masked": not full}
    if api:
        after["api"] = True
    audit_record(
        actor=actor,
        action=actions.SUPPORT_REPORT_DOWNLOAD,
        obj=upload,
        region_code=upload.election.region_code,
        after=after,
    )
    return handle, not full
