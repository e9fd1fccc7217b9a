"""The correction batch of a pair whose initial batch ended BMS (docs/domain.md §3.5): what it must bring, how far
its files go, whether it was handed in. Split from ``selectors.py``."""

from dataclasses import dataclass

from candidacy.models import CandidatePair, SupportStatus
from candidacy.selectors import election_spread_level
from regions.models import Level
from support_uploads.models import Upload, UploadStatus
from support_uploads.recap import district_counts, shortfall

from .models import Batch, CorrectionSubmission
from .selectors import CORRECTION_FACTOR


@dataclass
class CorrectionOverview:
    """What a BMS pair must bring in its correction batch, and how far its files go (docs/domain.md §3.5)."""

    shortfall: int  # minimum − MS after the initial batch's factual round
    spread_shortfall: int  # regions the correction's new supporters must add (UU 10/2016 Pasal 41)
    spread_level: str  # "kabupaten/kota" or "kecamatan", for the page
    required: int  # twice the shortfall (UU 10/2016 Pasal 48(6))
    collected: int  # counted rows of the batch's checked files (new supporters only)
    repeated: int  # rows set aside as repeating the initial batch
    checking: int  # files still queued or running
    starts_at: object
    deadline: object  # the window's end, or the pair's latest extension
    extended: bool
    is_open: bool
    submission: CorrectionSubmission | None

    @property
    def remaining(self) -> int:
        return max(0, self.required - self.collected)


def correction_submitted(*, pair: CandidatePair) -> bool:
    """Whether the pair handed in its correction batch (its correction files are then locked for good)."""
    return CorrectionSubmission.objects.filter(pair=pair).exists()


def correction_overview(*, pair: CandidatePair, now=None) -> CorrectionOverview | None:
    """The correction batch of a pair whose initial batch ended BMS; None when it never did."""
    from django.utils import timezone

    from candidacy.models import Stage, StageWindow
    from candidacy.services.stages import stage_deadline

    from .models import PairOutcome

    outcome = PairOutcome.objects.filter(pair=pair, batch=Batch.INITIAL).first()
    if outcome is None or outcome.status != SupportStatus.BMS:
        return None
    now = now or timezone.now()
    repeated = checking = 0
    done = []
    uploads = Upload.objects.filter(pair=pair, batch=Batch.CORRECTION_1).values_list("status", "recap", "reason_counts")
    for status, recap, reason_counts in uploads:
        if status == UploadStatus.DONE:
            done.append(recap)
            repeated += (reason_counts or {}).get("DUP_EARLIER_BATCH", 0)
        elif status in (UploadStatus.QUEUED, UploadStatus.RUNNING):
            checking += 1
    window = StageWindow.objects.filter(election_id=pair.election_id, stage=Stage.CORRECTION_SUBMISSION).first()
    deadline = stage_deadline(election=pair.election, stage=Stage.CORRECTION_SUBMISSION, pair=pair)
    return CorrectionOverview(
        shortfall=outcome.shortfall,
        spread_shortfall=shortfall(outcome.spread_required, outcome.spread_met),
        spread_level=str(Level(election_spread_level(pair.election)).label).lower(),
        required=CORRECTION_FACTOR * outcome.shortfall,
        collected=sum(district_counts(done).values()),
        repeated=repeated,
        checking=checking,
        starts_at=window.starts_at if window else None,
        deadline=deadline,
        extended=bool(window and deadline and deadline > window.ends_at),
        is_open=bool(window and window.starts_at <= now <= deadline),
        submission=CorrectionSubmission.objects.filter(pair=pair).first(),
    )
