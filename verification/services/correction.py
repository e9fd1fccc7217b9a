"""The correction batch of a BMS pair (UU 10/2016 Pasal 48; PKPU 8/2024): submitted with at least twice the
shortfall of new supporters, or the pair becomes TMS when its window closes without it."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidacy.models import CandidatePair, Stage, SupportStatus
from candidacy.selectors import election_spread_level
from candidacy.services import pair_support_status_set, stage_deadline, stage_require_open
from regions.models import Level
from silon.accounts.models import Role, User
from silon.audit import actions
from silon.audit.services import audit_record
from support_uploads.models import COUNTED_STATUSES, Supporter, Upload, UploadStatus
from support_uploads.recap import shortfall
from support_uploads.selectors import lo_pairs

from ..models import Batch, CorrectionSubmission, PairOutcome
from ..selectors import CORRECTION_FACTOR, batch_uploads, correction_spread_regions
from ._common import EARLIER_BATCH_REASON, require_operator

# spread counts kab/kota for a governor election, kecamatan for a regent or mayor (UU 10/2016 Pasal 41)
SPREAD_SHORT_MESSAGE = {
    Level.REGENCY: gettext_lazy(
        "Sebaran dukungan perbaikan kurang %(missing)s kabupaten/kota: pendukung baru harus berasal dari "
        "paling sedikit %(needed)s kabupaten/kota yang belum memiliki pendukung MS (baru %(found)s)."
    ),
    Level.DISTRICT: gettext_lazy(
        "Sebaran dukungan perbaikan kurang %(missing)s kecamatan: pendukung baru harus berasal dari "
        "paling sedikit %(needed)s kecamatan yang belum memiliki pendukung MS (baru %(found)s)."
    ),
}


@transaction.atomic
def correction_submit(*, actor: User, pair: CandidatePair, uploads: list[Upload] | None = None) -> CorrectionSubmission:
    """Submit a BMS pair's correction batch: at least twice the shortfall (UU 10/2016 Pasal 48(6)) of
    supporters not already counted for the pair in its initial batch (MS or TMS); repeated ones are not
    counted. ``uploads`` defaults to every checked file of the correction batch; once submitted, the batch's
    files are locked and its administrative and factual rounds cover exactly their rows."""
    _correction_require_submitter(actor, pair)
    pair = CandidatePair.objects.select_for_update(of=("self",)).select_related("election").get(pk=pair.pk)
    if pair.support_status != SupportStatus.BMS:
        raise ValidationError(_("Hanya pasangan calon berstatus BMS yang menyerahkan dukungan perbaikan."))
    if CorrectionSubmission.objects.filter(pair=pair).exists():
        raise ValidationError(_("Dukungan perbaikan sudah diserahkan."))
    stage_require_open(election=pair.election, stage=Stage.CORRECTION_SUBMISSION, pair=pair)
    upload_ids = _correction_upload_ids(pair, uploads)
    outcome = PairOutcome.objects.get(pair=pair, batch=Batch.INITIAL)
    fresh_rows, fresh, repeated = _correction_counts(pair, upload_ids)
    required = CORRECTION_FACTOR * outcome.shortfall
    if fresh < required:
        raise ValidationError(
            _(
                "Dukungan perbaikan %(fresh)s kurang dari syarat %(required)s (2 × kekurangan %(short)s); "
                "%(repeated)s pendukung sudah pernah diserahkan dan tidak dihitung."
            )
            % {"fresh": fresh, "required": required, "short": outcome.shortfall, "repeated": repeated}
        )
    spread_short, new_regions = _correction_require_spread(pair, outcome, fresh_rows)
    submission = CorrectionSubmission.objects.create(
        pair=pair,
        shortfall=outcome.shortfall,
        required=required,
        submitted=fresh,
        repeated=repeated,
        submitted_by=actor,
    )
    submission.uploads.set(upload_ids)
    audit_record(
        actor=actor,
        action=actions.VERIFICATION_CORRECTION_SUBMIT,
        obj=submission,
        region_code=pair.election.region_code,
        after={
            "shortfall": outcome.shortfall,
            "required": required,
            "submitted": fresh,
            "repeated": repeated,
            "uploads": upload_ids,
            "spread_short": spread_short,
            "spread_new_regions": sorted(new_regions),
        },
    )
    return submission


def _correction_require_submitter(actor: User, pair: CandidatePair) -> None:
    """The pair's own LO, or a KPU operator over its election (or an admin), may submit."""
    if actor.role not in (Role.PAIR_OPERATOR, Role.KPU_OPERATOR, Role.ADMIN):
        raise PermissionDenied
    if actor.role == Role.PAIR_OPERATOR:
        if not lo_pairs(actor).filter(pk=pair.pk).exists():
            raise PermissionDenied
    else:
        require_operator(actor, pair.election)


def _correction_upload_ids(pair: CandidatePair, uploads: list[Upload] | None) -> list[int]:
    """The correction files submitted: ``uploads`` (each a checked file of the pair's correction batch) or, by
    default, every checked one; refused while a file of the batch is still being checked."""
    batch = Upload.objects.filter(pair=pair, batch=Batch.CORRECTION_1)
    if batch.filter(status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING]).exists():
        raise ValidationError(_("Masih ada berkas yang sedang diperiksa. Tunggu hingga selesai."))
    done = batch.filter(status=UploadStatus.DONE)
    if uploads is None:
        upload_ids = list(done.values_list("pk", flat=True))
        if not upload_ids:
            raise ValidationError(_("Belum ada berkas dukungan perbaikan yang selesai diperiksa."))
        return upload_ids
    upload_ids = sorted({u.pk for u in uploads})
    if not upload_ids or done.filter(pk__in=upload_ids).count() != len(upload_ids):
        raise ValidationError(
            _("Berkas perbaikan harus berkas dukungan perbaikan pasangan ini yang sudah selesai diperiksa.")
        )
    return upload_ids


def _correction_counts(pair: CandidatePair, upload_ids: list[int]) -> tuple[QuerySet[Supporter], int, int]:
    """The correction's counted rows not already counted in the initial batch, how many people they are, and
    how many submitted people repeat the initial batch."""
    earlier = Supporter.objects.filter(
        pair_id=pair.pk,
        upload_id__in=batch_uploads(pair=pair, batch=Batch.INITIAL).values("pk"),
        status__in=COUNTED_STATUSES,
    )
    new_rows = Supporter.objects.filter(upload_id__in=upload_ids, status__in=COUNTED_STATUSES)
    total = new_rows.values("nik").distinct().count()
    fresh = new_rows.exclude(nik__in=earlier.values("nik")).values("nik").distinct().count()
    # rows the validator already set aside as repeating the initial batch are reported with the others
    repeated = (
        total
        - fresh
        + sum(
            (counts or {}).get(EARLIER_BATCH_REASON, 0)
            for counts in Upload.objects.filter(pk__in=upload_ids).values_list("reason_counts", flat=True)
        )
    )
    return new_rows.exclude(nik__in=earlier.values("nik")), fresh, repeated


def _correction_require_spread(
    pair: CandidatePair, outcome: PairOutcome, fresh_rows: QuerySet[Supporter]
) -> tuple[int, set[str]]:
    """Short of spread: the fresh supporters must come from enough regions the initial MS did not reach, so
    that those and the correction's together can meet the spread (UU 10/2016 Pasal 41 and 48). The regions
    missing and the new regions reached."""
    spread_short = shortfall(outcome.spread_required, outcome.spread_met)
    new_regions = correction_spread_regions(pair=pair, supporters=fresh_rows)
    if len(new_regions) < spread_short:
        raise ValidationError(
            SPREAD_SHORT_MESSAGE[election_spread_level(pair.election)]
            % {"missing": spread_short - len(new_regions), "needed": spread_short, "found": len(new_regions)}
        )
    return spread_short, new_regions


def correction_missed_expire(*, now: datetime.datetime | None = None) -> int:
    """A BMS pair that has not submitted its correction batch by the end of the correction-submission window
    (or of an extension granted to it) does not meet the support requirement: TMS (UU 10/2016 Pasal 48;
    PKPU 8/2024). Run by celery beat; safe to run twice. Returns how many pairs it moved."""
    now = now or timezone.now()
    moved = 0
    waiting = (
        CandidatePair.objects.filter(support_status=SupportStatus.BMS)
        .exclude(pk__in=CorrectionSubmission.objects.values("pair_id"))
        .select_related("election")
    )
    for pair in waiting:  # BMS pairs are a handful per election
        deadline = stage_deadline(election=pair.election, stage=Stage.CORRECTION_SUBMISSION, pair=pair)
        if deadline is None or deadline >= now:
            continue
        with transaction.atomic():
            locked = CandidatePair.objects.select_for_update().select_related("election").get(pk=pair.pk)
            if locked.support_status != SupportStatus.BMS or CorrectionSubmission.objects.filter(pair=locked).exists():
                continue
            pair_support_status_set(
                actor=None,
                pair=locked,
                status=SupportStatus.TMS,
                detail={"reason": "correction_not_submitted", "deadline": deadline.isoformat()},
            )
            moved += 1
    return moved
