"""Rounds: opened and closed under four eyes; closing a factual round decides the pair's support for the
batch (UU 10/2016 Pasal 41 and 48)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidacy.models import CandidatePair, SupportStatus
from candidacy.services import pair_support_status_set, stage_require_open
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.models import AuditEvent
from silon.audit.services import audit_record

from ..models import (
    Batch,
    CorrectionSubmission,
    PairOutcome,
    RoundKind,
    SampleDraw,
    VerificationResult,
    VerificationRound,
)
from ..selectors import factual_census, pair_support_result, round_population, round_totals
from ._common import ROUND_OBJECT_TYPES, ROUND_STAGE, require_open, require_operator

ROUND_REQUIRES_PAIR_STATUS = {Batch.INITIAL: SupportStatus.SUBMITTED, Batch.CORRECTION_1: SupportStatus.BMS}


@transaction.atomic
def round_open(*, actor: User, pair: CandidatePair, kind: str, batch: str = Batch.INITIAL) -> VerificationRound:
    """Open a round. Factual follows the closed administrative round of the same batch."""
    require_operator(actor, pair.election)
    if kind not in RoundKind.values or batch not in Batch.values:
        raise ValidationError(_("Jenis atau gelombang putaran tidak dikenal."))
    pair = CandidatePair.objects.select_for_update().select_related("election").get(pk=pair.pk)
    if pair.support_status != ROUND_REQUIRES_PAIR_STATUS[batch]:
        raise ValidationError(_("Status dukungan pasangan calon tidak memungkinkan putaran ini dibuka."))
    if batch == Batch.CORRECTION_1 and not CorrectionSubmission.objects.filter(pair=pair).exists():
        raise ValidationError(_("Dukungan perbaikan belum diserahkan."))
    if (
        kind == RoundKind.FACTUAL
        and not VerificationRound.objects.filter(
            pair=pair, kind=RoundKind.ADMINISTRATIVE, batch=batch, closed_at__isnull=False
        ).exists()
    ):
        raise ValidationError(_("Verifikasi administrasi harus ditutup lebih dahulu."))
    stage_require_open(election=pair.election, stage=ROUND_STAGE[(kind, batch)], pair=pair)
    if VerificationRound.objects.filter(pair=pair, kind=kind, batch=batch).exists():
        raise ValidationError(_("Putaran ini sudah dibuka."))
    # the regulation decides, once, whether this factual round is a census or a sample (PKPU 10/2022)
    by_sample = kind == RoundKind.FACTUAL and pair.election.regulation.factual_by_sample
    round = VerificationRound.objects.create(
        election=pair.election, pair=pair, kind=kind, batch=batch, opened_by=actor, by_sample=by_sample
    )
    population = (factual_census(round) if by_sample else round_population(round)).count()
    audit_record(
        actor=actor,
        action=actions.VERIFICATION_ROUND_OPEN,
        obj=round,
        region_code=pair.election.region_code,
        after={"kind": kind, "batch": batch, "population": population, "by_sample": by_sample},
    )
    return round


def _recorded_in(round: VerificationRound, actor: User) -> bool:
    """Whether ``actor`` recorded (or undid) any result of the round: such a person cannot close it."""
    if VerificationResult.objects.filter(round=round, recorded_by=actor).exists():
        return True
    return AuditEvent.objects.filter(
        actor=actor,
        action__startswith=actions.VERIFICATION_RESULT_PREFIX,
        object_type__in=ROUND_OBJECT_TYPES,
        object_id=str(round.pk),
    ).exists()


@transaction.atomic
def round_close(*, actor: User, round: VerificationRound) -> VerificationRound:
    """Close a round under four eyes: the closer recorded no result in it. Every supporter must be decided
    (no pending visits). Closing a factual round decides the pair's support for that batch."""
    require_operator(actor, round.election)
    round = VerificationRound.objects.select_for_update().select_related("pair", "election").get(pk=round.pk)
    require_open(round)
    if _recorded_in(round, actor):
        raise PermissionDenied(_("Putaran harus ditutup oleh operator kedua yang tidak mencatat hasil di putaran ini."))
    if round.by_sample and not SampleDraw.objects.filter(round=round).exists():
        raise ValidationError(_("Sampel belum diambil: tim pasangan calon belum memilih nomor awal sampel."))
    totals = round_totals(round)
    if totals.undecided or totals.pending:
        raise ValidationError(
            _("Masih ada %(n)s pendukung yang belum diputuskan.") % {"n": totals.undecided + totals.pending}
        )
    round.closed_at = timezone.now()
    round.closed_by = actor
    round.save(update_fields=["closed_at", "closed_by"])
    audit_record(
        actor=actor,
        action=actions.VERIFICATION_ROUND_CLOSE,
        obj=round,
        region_code=round.election.region_code,
        after={"ms": totals.ms, "tms": totals.tms, "tms_by_reason": totals.tms_by_reason},
    )
    if round.kind == RoundKind.FACTUAL:
        pair_outcome_decide(actor=actor, pair=round.pair, batch=round.batch)
    return round


@transaction.atomic
def pair_outcome_decide(*, actor: User, pair: CandidatePair, batch: str) -> PairOutcome:
    """MS total and spread on MS supporters against the minimum (UU 10/2016 Pasal 41 and 48): meets → MS;
    short after the initial batch → BMS (correction of twice the shortfall); short after correction → TMS."""
    result = pair_support_result(pair=pair)
    if result.meets:
        status = SupportStatus.MS
    elif batch == Batch.INITIAL:
        status = SupportStatus.BMS
    else:
        status = SupportStatus.TMS
    outcome = PairOutcome.objects.create(
        pair=pair,
        batch=batch,
        status=status,
        ms_total=result.ms_total,
        minimum=result.minimum,
        shortfall=result.shortfall,
        spread_met=result.spread_met,
        spread_required=result.spread_required,
        decided_by=actor,
    )
    pair_support_status_set(
        actor=actor,
        pair=pair,
        status=status,
        detail={
            "batch": batch,
            "ms_total": result.ms_total,
            "shortfall": result.shortfall,
            "spread_met": result.spread_met,
            "spread_required": result.spread_required,
        },
    )
    return outcome
