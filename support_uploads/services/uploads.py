"""Writes of a pair's supporter files: upload, withdraw, retry, and the submission of the initial batch.
One function per state change, keyword-only, each auditing in its own transaction; the validation itself is
the worker's (``pipeline``), queued by name after commit (``silon.queue``)."""

import datetime
from collections.abc import Collection

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from candidacy.models import CandidatePair, Stage, SupportStatus
from candidacy.services import StageClosedError, pair_support_status_set, stage_deadline, stage_require_open
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.numbers import grouped
from silon.queue import enqueue, enqueue_on_commit

from .. import receipts, storage
from ..models import Batch, Upload, UploadStatus
from ..recap import support_recap
from ..selectors import BATCH_STAGE, lo_pairs, upload_batch_open
from .pipeline import VALIDATE_TASK
from .reevaluation import duplicates_reevaluate
from .teams import require_independent


def _require_pair_operator(actor: User, pair: CandidatePair) -> None:
    """Only the pair's own LO uploads, withdraws and submits (its guardian grant and an active account)."""
    if not lo_pairs(actor).filter(pk=pair.pk).exists():
        raise PermissionDenied(_("Hanya LO pasangan calon ini yang boleh melakukannya."))


def _require_collecting(pair: CandidatePair) -> None:
    require_independent(pair)
    if pair.support_status not in ("", SupportStatus.COLLECTING):
        raise ValidationError(_("Dukungan pasangan calon ini sudah diserahkan; unggahan dan penarikan dikunci."))


def _require_batch_open(pair: CandidatePair, batch: str | None) -> None:
    """Files of ``batch`` may be added or withdrawn now: the pair's status admits that batch, and its stage
    window (or an extension granted to the pair) is open."""
    require_independent(pair)
    open_batch = upload_batch_open(pair=pair)
    if batch is None or open_batch != batch:
        if open_batch == Batch.CORRECTION_1:
            message = _("Berkas dukungan awal tidak dapat diubah lagi; yang dapat diunggah kini dukungan perbaikan.")
        elif batch == Batch.CORRECTION_1 or pair.support_status == SupportStatus.BMS:
            message = _("Dukungan perbaikan sudah diserahkan; unggahan dan penarikan dikunci.")
        else:
            message = _("Dukungan pasangan calon ini sudah diserahkan; unggahan dan penarikan dikunci.")
        raise ValidationError(message)
    stage_require_open(election=pair.election, stage=BATCH_STAGE[batch], pair=pair)


@transaction.atomic
def upload_create(*, actor: User, pair: CandidatePair, file: UploadedFile, max_bytes: int) -> Upload:
    """Keep the raw file (Django streamed it to disk already) and queue its validation after commit.

    While the pair collects, the file joins the initial batch; while it is BMS and its correction is not yet
    submitted, the correction batch (the same validator applies; rows repeating the initial batch are
    reported and not counted)."""
    _require_pair_operator(actor, pair)
    # the pair's row is locked until commit: a submission running meanwhile waits and then sees this file
    pair = CandidatePair.objects.select_for_update(of=("self",)).select_related("election").get(pk=pair.pk)
    batch = upload_batch_open(pair=pair)
    _require_batch_open(pair, batch)
    if file.size > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(max)s MB.")
            % {"size": file.size // (1024 * 1024), "max": max_bytes // (1024 * 1024)}
        )
    if file.size == 0:
        raise ValidationError(_("Berkas kosong."))
    upload = Upload(
        election=pair.election,
        pair=pair,
        uploaded_by=actor,
        original_name=(file.name or "berkas")[:255],
        size=file.size,
        batch=batch,
    )
    upload.file.save(f"pair-{pair.pk}-{timezone.now():%Y%m%d%H%M%S%f}.bin", file, save=False)
    upload.save()
    _receipt_issue(upload, pair)
    if not pair.support_status:
        pair_support_status_set(actor=actor, pair=pair, status=SupportStatus.COLLECTING)
    audit_record(
        actor=actor,
        action=actions.SUPPORT_UPLOAD_CREATE,
        obj=upload,
        region_code=pair.election.region_code,
        after={
            "pair": pair.pk,
            "name": upload.original_name,
            "size": upload.size,
            "batch": batch,
            "sha256": upload.sha256,
            "received_at": upload.received_at,
        },
    )
    enqueue_on_commit(VALIDATE_TASK, upload.pk)
    return upload


def _receipt_issue(upload: Upload, pair: CandidatePair) -> None:
    """The receipt, once the last byte is stored: digest of the stored file, the server's time, signed
    (``receipts``). Its time is the one the deadline is judged by (``pair_support_submit``)."""
    with upload.file.open("rb") as stored:
        upload.sha256 = receipts.file_sha256(iter(lambda: stored.read(1024 * 1024), b""))
    upload.received_at = timezone.now()
    fields = receipts.receipt_fields(
        upload_id=upload.pk,
        name=upload.original_name,
        size=upload.size,
        sha256=upload.sha256,
        received_at=upload.received_at,
        election_id=pair.election_id,
        election_name=pair.election.name,
        pair_id=pair.pk,
        batch=upload.batch,
    )
    upload.receipt = receipts.receipt_text(fields)
    upload.save(update_fields=["sha256", "received_at", "receipt"])


@transaction.atomic
def upload_withdraw(*, actor: User, upload: Upload) -> Upload:
    """Withdraw a file before its batch is submitted: its rows leave the count (they stay stored for the
    record). Initial files while collecting, correction files while the correction is open.

    Rows of the pair's other files held back as duplicates of the withdrawn rows are checked again, and other
    pairs' DUP_EXTERNAL flags that no longer have a counterpart go (``reevaluation``), in this transaction and
    under the election lock the validator takes (taken first, as the validator does, so the two never cross)."""
    pair = upload.pair
    _require_pair_operator(actor, pair)
    storage.lock_election(pair.election_id)
    pair = CandidatePair.objects.select_for_update(of=("self",)).select_related("election").get(pk=pair.pk)
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    _require_batch_open(pair, upload.batch)
    if upload.status not in (UploadStatus.DONE, UploadStatus.FAILED):
        raise ValidationError(_("Hanya unggahan yang sudah selesai diperiksa yang dapat ditarik."))
    before = upload.status
    upload.status = UploadStatus.WITHDRAWN
    upload.withdrawn_at = timezone.now()
    upload.save(update_fields=["status", "withdrawn_at"])
    audit_record(
        actor=actor,
        action=actions.SUPPORT_UPLOAD_WITHDRAW,
        obj=upload,
        region_code=pair.election.region_code,
        before={"status": before},
        after={"status": upload.status, "batch": upload.batch},
    )
    if before == UploadStatus.DONE:
        duplicates_reevaluate(actor=actor, upload=upload)
    return upload


@transaction.atomic
def upload_retry(*, actor: User, upload: Upload) -> Upload:
    """Check again, as it is, a file whose validation failed by a fault of the server (``is_retryable``: a
    worker lost again and again, the time limit, the database). A file refused for what it contains is not
    retried: the uploader fixes it and uploads it again. Allowed while the file's batch is open."""
    pair = upload.pair
    _require_pair_operator(actor, pair)
    pair = CandidatePair.objects.select_for_update(of=("self",)).select_related("election").get(pk=pair.pk)
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    _require_batch_open(pair, upload.batch)
    if not upload.is_retryable:
        raise ValidationError(
            _(
                "Hanya berkas yang gagal diperiksa karena gangguan server yang dapat diperiksa ulang. "
                "Berkas yang ditolak harus diperbaiki lalu diunggah lagi."
            )
        )
    before = {"status": upload.status, "error_code": upload.error_code, "attempts": upload.attempts}
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.QUEUED,
        attempts=0,
        progress=0,
        phase="",
        error_code="",
        error_message="",
        error_detail={},
        started_at=None,
        finished_at=None,
    )
    upload.refresh_from_db()
    audit_record(
        actor=actor,
        action=actions.SUPPORT_UPLOAD_RETRY,
        obj=upload,
        region_code=pair.election.region_code,
        before=before,
        after={"status": upload.status},
    )
    enqueue_on_commit(VALIDATE_TASK, upload.pk)
    return upload


def _require_submission_open(pair: CandidatePair) -> None:
    """The submission window is open, or it closed while a file received before its end (the receipt's time)
    was still being checked: the pair may then submit for ``SUPPORT_SUBMIT_GRACE_MINUTES`` after that check
    finished. The time a file arrived decides, not when the server got round to it (docs/domain.md §9.4)."""
    try:
        stage_require_open(election=pair.election, stage=Stage.SUPPORT_SUBMISSION, pair=pair)
    except StageClosedError:
        deadline = stage_deadline(election=pair.election, stage=Stage.SUPPORT_SUBMISSION, pair=pair)
        if deadline is None:
            raise
        checked_late = Upload.objects.filter(
            pair=pair, batch=Batch.INITIAL, received_at__lte=deadline, finished_at__gt=deadline
        ).aggregate(last=Max("finished_at"))["last"]
        grace = datetime.timedelta(minutes=settings.SUPPORT_SUBMIT_GRACE_MINUTES)
        if checked_late is None or timezone.now() > checked_late + grace:
            raise


@transaction.atomic
def pair_support_submit(*, actor: User, pair: CandidatePair) -> CandidatePair:
    """Submit the pair's support; refused with the exact shortfall of count or spread (UU 10/2016 Pasal 41)."""
    _require_pair_operator(actor, pair)
    _require_collecting(pair)
    _require_submission_open(pair)
    CandidatePair.objects.select_for_update().get(pk=pair.pk)
    if Upload.objects.filter(pair=pair, status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING]).exists():
        raise ValidationError(_("Masih ada berkas yang sedang diperiksa. Tunggu hingga selesai."))
    recap = support_recap(pair=pair)
    problems = []
    if recap.shortfall:
        problems.append(
            _("Jumlah dukungan %(total)s kurang %(short)s dari syarat minimal %(min)s.")
            % {"total": grouped(recap.net), "short": grouped(recap.shortfall), "min": grouped(recap.minimum)}
        )
    if recap.spread_shortfall:
        problems.append(
            _("Sebaran dukungan baru di %(met)s dari %(req)s %(level)s yang disyaratkan; kurang %(short)s.")
            % {
                "met": recap.spread_met,
                "req": recap.spread_required,
                "level": recap.spread_level_label,
                "short": recap.spread_shortfall,
            }
        )
    if problems:
        raise ValidationError(" ".join(problems))
    pair_support_status_set(
        actor=actor,
        pair=pair,
        status=SupportStatus.SUBMITTED,
        detail={"total": recap.total, "spread_met": recap.spread_met},
    )
    audit_record(
        actor=actor,
        action=actions.SUPPORT_SUBMIT,
        obj=pair,
        region_code=pair.election.region_code,
        after={"total": recap.total, "minimum": recap.minimum, "spread_met": recap.spread_met},
    )
    return pair


def upload_requeue_stale(*, older_than: datetime.timedelta, keep: Collection[int] = ()) -> list[int]:
    """Queue again uploads left QUEUED or RUNNING longer than ``older_than`` (a whole worker host lost, so
    no worker will redeliver its message before the broker's visibility timeout), and DONE uploads whose
    error report was never written that long after they finished (the worker died between the two), except
    those in ``keep`` (held by a live worker, or queued again lately). Safe to run any time: the task is
    idempotent, the final transaction admits one run only, and for a DONE upload it only writes the report."""
    cutoff = timezone.now() - older_than
    unfinished = Upload.objects.filter(
        status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING], created_at__lt=cutoff
    ).exclude(started_at__gte=cutoff)
    without_report = Upload.objects.filter(status=UploadStatus.DONE, finished_at__lt=cutoff).filter(
        Q(report="") | Q(progress__lt=100)
    )
    stale = sorted(
        set(unfinished.exclude(pk__in=list(keep)).values_list("pk", flat=True))
        | set(without_report.exclude(pk__in=list(keep)).values_list("pk", flat=True))
    )
    for upload_id in stale:
        audit_record(
            actor=None, action=actions.SUPPORT_UPLOAD_REQUEUE, object_type="support_uploads.upload", object_id=upload_id
        )
        enqueue(VALIDATE_TASK, upload_id)
    return stale
