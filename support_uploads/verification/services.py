"""Writes of the verification rounds (DOMAIN.md §3-5; UU 10/2016 Pasal 48; PKPU 8/2024). One function per
state change, keyword-only, each auditing in the transaction of its change. Bulk marking is set-based:
one read of the target ids and one upsert, whatever the number of supporters."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from candidacy.models import CandidatePair, Election, Stage, SupportStatus
from candidacy.selectors import election_spread_level
from candidacy.services import pair_support_status_set, stage_deadline, stage_require_open
from regions.models import Level
from silon.accounts.jurisdiction import code_within, region_in_reach
from silon.accounts.models import Role, User
from silon.audit.models import AuditEvent
from silon.audit.services import audit_record

from ..models import COUNTED_STATUSES, ReasonCode, RowStatus, Supporter, Upload, UploadStatus
from .models import (
    Batch,
    CorrectionSubmission,
    DocumentKind,
    ExternalChoice,
    PairOutcome,
    RoundKind,
    Verdict,
    VerificationDocument,
    VerificationResult,
    VerificationRound,
    Visit,
)
from .selectors import (
    CORRECTION_FACTOR,
    batch_uploads,
    correction_spread_regions,
    pair_support_result,
    round_population,
    round_totals,
)

# The presentation window after a supporter was not met at home (PKPU 8/2024: 3 days at the PPS office).
PRESENTATION_WINDOW = datetime.timedelta(days=3)

# Transitions, as data: which stage window governs a round, and what a factual visit records.
ROUND_STAGE = {
    (RoundKind.ADMINISTRATIVE, Batch.INITIAL): Stage.ADMIN_VERIFICATION,
    (RoundKind.FACTUAL, Batch.INITIAL): Stage.FACTUAL_VERIFICATION,
    (RoundKind.ADMINISTRATIVE, Batch.CORRECTION_1): Stage.CORRECTION_VERIFICATION,
    (RoundKind.FACTUAL, Batch.CORRECTION_1): Stage.CORRECTION_VERIFICATION,
}
ROUND_REQUIRES_PAIR_STATUS = {Batch.INITIAL: SupportStatus.SUBMITTED, Batch.CORRECTION_1: SupportStatus.BMS}
VISIT_RESULT = {
    Visit.CONFIRMS: (Verdict.MS, None),
    Visit.DENIES: (Verdict.TMS, "TMS_DENIES"),
    Visit.NOT_MET: (Verdict.PENDING, None),
    Visit.DIED: (Verdict.TMS, "TMS_DIED"),
    Visit.MOVED: (Verdict.TMS, "TMS_MOVED"),
}
NOT_PRESENTED_REASON = "TMS_NOT_PRESENTED"
OTHER_PAIR_REASON = "TMS_OTHER_PAIR"
DUPLICATE_REASON = "TMS_DUPLICATE"
EARLIER_BATCH_REASON = "DUP_EARLIER_BATCH"  # set by the upload validator on correction rows
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


def _require_operator(actor: User, election: Election) -> None:
    if actor.role not in (Role.KPU_OPERATOR, Role.ADMIN) or not region_in_reach(actor, election.region_code):
        raise PermissionDenied(_("Hanya operator KPU di wilayah pemilihan ini yang boleh melakukannya."))


def _require_open(round: VerificationRound, *, at: datetime.datetime | None = None) -> None:
    # read from the database: the caller's instance may predate a concurrent close
    if not VerificationRound.objects.filter(pk=round.pk, closed_at__isnull=True).exists():
        raise ValidationError(_("Putaran verifikasi ini sudah ditutup."))
    stage_require_open(election=round.election, stage=ROUND_STAGE[(round.kind, round.batch)], pair=round.pair, at=at)


def _reason(code: str | None) -> ReasonCode | None:
    if not code:
        return None
    reason = ReasonCode.objects.filter(pk=code).first()
    if reason is None:
        raise ValidationError(_("Alasan %(code)s tidak dikenal.") % {"code": code})
    return reason


@transaction.atomic
def round_open(*, actor: User, pair: CandidatePair, kind: str, batch: str = Batch.INITIAL) -> VerificationRound:
    """Open a round. Factual follows the closed administrative round of the same batch."""
    _require_operator(actor, pair.election)
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
    round = VerificationRound.objects.create(election=pair.election, pair=pair, kind=kind, batch=batch, opened_by=actor)
    audit_record(
        actor=actor,
        action="verification.round.open",
        obj=round,
        region_code=pair.election.region_code,
        after={"kind": kind, "batch": batch, "population": round_population(round).count()},
    )
    return round


def _targets(round: VerificationRound, supporter_ids: list[int] | None, village_code: str):
    rows = round_population(round)
    if supporter_ids is not None:
        rows = rows.filter(pk__in=supporter_ids)
    if village_code:
        rows = rows.filter(Q(village_code=village_code) | Q(village_code__startswith=village_code + "."))
    if supporter_ids is None and not village_code:
        raise ValidationError(_("Pilih pendukung atau satu desa/kelurahan."))
    return rows


def _upsert(round: VerificationRound, rows: list[VerificationResult]) -> None:
    VerificationResult.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["round", "supporter"],
        update_fields=["verdict", "reason", "note", "visit", "due_at", "client_token", "recorded_by", "recorded_at"],
    )


@transaction.atomic
def results_mark(
    *,
    actor: User,
    round: VerificationRound,
    verdict: str,
    supporter_ids: list[int] | None = None,
    village_code: str = "",
    reason_code: str = "",
    note: str = "",
) -> int:
    """Administrative verification: mark a selection or a whole desa MS, or TMS with a reason.

    Potential duplicates (``review``) are left out of a bulk MS: ``duplicate_resolve`` decides them."""
    _require_operator(actor, round.election)
    if round.kind != RoundKind.ADMINISTRATIVE:
        raise ValidationError(_("Hasil verifikasi faktual dicatat oleh PPS per kunjungan."))
    _require_open(round)
    if verdict not in (Verdict.MS, Verdict.TMS):
        raise ValidationError(_("Hasil harus MS atau TMS."))
    reason = _reason(reason_code)
    if verdict == Verdict.TMS and reason is None:
        raise ValidationError(_("Hasil TMS wajib disertai alasan."))
    if verdict == Verdict.MS:
        reason = None
    targets = _targets(round, supporter_ids, village_code)
    if verdict == Verdict.MS:
        targets = targets.exclude(status=RowStatus.REVIEW)
    now = timezone.now()
    rows = [
        VerificationResult(
            round=round,
            supporter_id=pk,
            verdict=verdict,
            reason=reason,
            note=note,
            village_code=village,
            recorded_by=actor,
            recorded_at=now,
        )
        for pk, village in targets.values_list("pk", "village_code")
    ]
    _upsert(round, rows)
    audit_record(
        actor=actor,
        action="verification.result.mark",
        obj=round,
        region_code=round.election.region_code,  # the object acted on, never the request's desa (F5)
        after={"verdict": verdict, "reason": reason_code, "count": len(rows), "village": village_code},
    )
    return len(rows)


@transaction.atomic
def results_undo(
    *, actor: User, round: VerificationRound, supporter_ids: list[int] | None = None, village_code: str = ""
) -> int:
    """Take back results while the round is open: the supporters return to the worklist."""
    _require_operator(actor, round.election)
    _require_open(round)
    results = VerificationResult.objects.filter(round=round)
    if supporter_ids is not None:
        results = results.filter(supporter_id__in=supporter_ids)
    if village_code:
        results = results.filter(Q(village_code=village_code) | Q(village_code__startswith=village_code + "."))
    if supporter_ids is None and not village_code:
        raise ValidationError(_("Pilih pendukung atau satu desa/kelurahan."))
    count, _detail = results.delete()
    audit_record(
        actor=actor,
        action="verification.result.undo",
        obj=round,
        region_code=round.election.region_code,  # the object acted on, never the request's desa (F5)
        after={"count": count, "village": village_code, "supporters": supporter_ids},
    )
    return count


@transaction.atomic
def duplicate_resolve(
    *, actor: User, round: VerificationRound, supporter_ids: list[int], keep_id: int | None, note: str = ""
) -> None:
    """Decide a potential duplicate (same NIK, different data): keep one as MS, or none; the rest are TMS."""
    _require_operator(actor, round.election)
    if round.kind != RoundKind.ADMINISTRATIVE:
        raise ValidationError(_("Potensi ganda diputuskan pada verifikasi administrasi."))
    _require_open(round)
    rows = list(round_population(round).filter(pk__in=supporter_ids).values_list("pk", "nik", "village_code"))
    if len(rows) != len(set(supporter_ids)) or len({nik for _pk, nik, _v in rows}) != 1:
        raise ValidationError(_("Pilih baris-baris dengan NIK yang sama."))
    if keep_id is not None and keep_id not in supporter_ids:
        raise ValidationError(_("Baris yang dipertahankan harus termasuk yang dipilih."))
    reason = _reason(DUPLICATE_REASON)
    now = timezone.now()
    _upsert(
        round,
        [
            VerificationResult(
                round=round,
                supporter_id=pk,
                verdict=Verdict.MS if pk == keep_id else Verdict.TMS,
                reason=None if pk == keep_id else reason,
                note=note,
                village_code=village,
                recorded_by=actor,
                recorded_at=now,
            )
            for pk, _nik, village in rows
        ],
    )
    audit_record(
        actor=actor,
        action="verification.result.duplicate",
        obj=round,
        region_code=round.election.region_code,
        after={"supporters": sorted(supporter_ids), "kept": keep_id},
    )


def _recorded_in(round: VerificationRound, actor: User) -> bool:
    """Whether ``actor`` recorded (or undid) any result of the round: such a person cannot close it."""
    if VerificationResult.objects.filter(round=round, recorded_by=actor).exists():
        return True
    return AuditEvent.objects.filter(
        actor=actor,
        action__startswith="verification.result.",
        object_type=VerificationRound._meta.label_lower,
        object_id=str(round.pk),
    ).exists()


@transaction.atomic
def round_close(*, actor: User, round: VerificationRound) -> VerificationRound:
    """Close a round under four eyes: the closer recorded no result in it. Every supporter must be decided
    (no pending visits). Closing a factual round decides the pair's support for that batch."""
    _require_operator(actor, round.election)
    round = VerificationRound.objects.select_for_update().select_related("pair", "election").get(pk=round.pk)
    _require_open(round)
    if _recorded_in(round, actor):
        raise PermissionDenied(_("Putaran harus ditutup oleh operator kedua yang tidak mencatat hasil di putaran ini."))
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
        action="verification.round.close",
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


def _require_verifier_reach(actor: User, supporter: Supporter) -> None:
    if actor.role == Role.VERIFIER:
        if not actor.region_code or not code_within(supporter.village_code, actor.region_code):
            raise PermissionDenied(_("Pendukung ini di luar wilayah kerja Anda."))
    elif actor.role not in (Role.KPU_OPERATOR, Role.ADMIN) or not region_in_reach(actor, supporter.village_code):
        raise PermissionDenied(_("Pendukung ini di luar wilayah kerja Anda."))


def _require_visit_overwritable(
    round: VerificationRound, supporter: Supporter, existing: VerificationResult | None
) -> None:
    """A visit is recorded over no result, or over a verifier-recorded visit that ``factual_visit_undo`` could
    also remove (the same guard): never over a pending visit expired by the 3-day rule (PKPU 8/2024), nor over
    an external duplicate's choice, which spans several pairs' rounds (DOMAIN.md §4)."""
    if ExternalChoice.objects.filter(election_id=round.election_id, nik=supporter.nik).exists():
        raise ValidationError(
            _("Pilihan pendukung ganda eksternal sudah dicatat untuk semua pasangan calon; kunjungan tidak dicatat.")
        )
    if existing is None:
        return
    if existing.reason_id == NOT_PRESENTED_REASON:
        raise ValidationError(_("Hasil ini ditetapkan oleh aturan 3 hari; kunjungan tidak dapat dicatat ulang."))
    if not existing.visit:
        raise ValidationError(_("Hasil ini tidak berasal dari kunjungan; kunjungan tidak dapat dicatat di atasnya."))


@transaction.atomic
def factual_visit_record(
    *,
    actor: User,
    round: VerificationRound,
    supporter: Supporter,
    visit: str,
    client_token: str = "",
    note: str = "",
    at: datetime.datetime | None = None,
) -> VerificationResult:
    """Record a PPS visit. Keyed by (round, supporter): a repeated submit with the same token changes nothing.

    Not met → pending for 3 days; presented at the PPS office within them → MS (PKPU 8/2024)."""
    if round.kind != RoundKind.FACTUAL:
        raise ValidationError(_("Kunjungan dicatat pada verifikasi faktual."))
    _require_verifier_reach(actor, supporter)
    now = at or timezone.now()
    _require_open(round, at=now)
    if not round_population(round).filter(pk=supporter.pk).exists():
        raise ValidationError(_("Pendukung ini tidak termasuk putaran ini."))
    existing = VerificationResult.objects.select_for_update().filter(round=round, supporter_id=supporter.pk).first()
    if existing is not None and client_token and existing.client_token == client_token:
        return existing
    _require_visit_overwritable(round, supporter, existing)
    if visit == Visit.PRESENTED:
        if existing is None or existing.verdict != Verdict.PENDING:
            raise ValidationError(_("Hanya pendukung yang tidak ditemui yang dapat dihadirkan."))
        if now > existing.due_at:
            raise ValidationError(_("Batas 3 hari untuk menghadirkan pendukung sudah lewat."))
        verdict, reason_code, due_at = Verdict.MS, None, existing.due_at
    elif visit in VISIT_RESULT:
        if existing is not None and existing.verdict == Verdict.PENDING and existing.due_at and now > existing.due_at:
            # past the deadline only the 3-day rule decides (the beat task may simply not have run yet)
            raise ValidationError(_("Batas 3 hari untuk menghadirkan pendukung sudah lewat."))
        verdict, reason_code = VISIT_RESULT[visit]
        # the 3-day window runs from the first "not met": recording it again never moves the deadline
        first_due = existing.due_at if existing is not None else None
        due_at = (first_due or now + PRESENTATION_WINDOW) if verdict == Verdict.PENDING else first_due
    else:
        raise ValidationError(_("Hasil kunjungan tidak dikenal."))
    if visit == Visit.DENIES and not note.strip():
        raise ValidationError(_("Isi pernyataan tidak mendukung (BA.5-KWK)."))
    before = {"verdict": existing.verdict, "visit": existing.visit} if existing else None
    result, _created = VerificationResult.objects.update_or_create(
        round=round,
        supporter_id=supporter.pk,
        defaults={
            "verdict": verdict,
            "reason": _reason(reason_code),
            "visit": visit,
            "note": note,
            "due_at": due_at,
            "village_code": supporter.village_code,
            "client_token": client_token,
            "recorded_by": actor,
            "recorded_at": now,
        },
    )
    audit_record(
        actor=actor,
        action="verification.result.visit",
        obj=round,
        region_code=supporter.village_code,
        before=before,
        after={"supporter": supporter.pk, "visit": visit, "verdict": verdict},
    )
    return result


@transaction.atomic
def factual_visit_undo(*, actor: User, round: VerificationRound, supporter: Supporter, visit: str) -> bool:
    """Take back a recorded visit while the factual round is open: by the verifier who recorded it, or a KPU
    operator reaching the supporter. ``visit`` is the result the caller saw and takes back, so a repeated
    (double-submitted) undo finds nothing matching and changes nothing; returns whether anything changed.

    Undoing "presented at the PPS office" returns the supporter to "not met", pending until the original
    3-day deadline. Results the system or another pair decided are not undone here: a pending visit expired
    by the 3-day rule (PKPU 8/2024), and an external duplicate's choice (it spans several pairs' rounds)."""
    if round.kind != RoundKind.FACTUAL:
        raise ValidationError(_("Kunjungan dicatat pada verifikasi faktual."))
    _require_verifier_reach(actor, supporter)
    _require_open(round)
    existing = VerificationResult.objects.select_for_update().filter(round=round, supporter_id=supporter.pk).first()
    if existing is None or existing.visit != visit:
        return False
    if actor.role == Role.VERIFIER and existing.recorded_by_id != actor.pk:
        raise PermissionDenied(
            _("Hanya petugas yang mencatat kunjungan ini atau operator KPU yang dapat membatalkannya.")
        )
    if existing.reason_id == NOT_PRESENTED_REASON:
        raise ValidationError(_("Hasil ini ditetapkan oleh aturan 3 hari dan tidak dapat dibatalkan."))
    if ExternalChoice.objects.filter(election_id=round.election_id, nik=supporter.nik).exists():
        raise ValidationError(
            _("Pilihan pendukung ganda eksternal berlaku untuk semua pasangan calon; tidak dibatalkan di sini.")
        )
    before = {
        "verdict": existing.verdict,
        "visit": existing.visit,
        "reason": existing.reason_id,
        "recorded_by": existing.recorded_by_id,
    }
    if existing.visit == Visit.PRESENTED:
        existing.verdict, existing.visit, existing.reason = Verdict.PENDING, Visit.NOT_MET, None
        existing.client_token, existing.recorded_by, existing.recorded_at = "", actor, timezone.now()
        existing.save(update_fields=["verdict", "visit", "reason", "client_token", "recorded_by", "recorded_at"])
        after = {"supporter": supporter.pk, "verdict": Verdict.PENDING, "visit": Visit.NOT_MET}
    else:
        existing.delete()
        after = {"supporter": supporter.pk, "verdict": None}
    audit_record(
        actor=actor,
        action="verification.result.visit_undo",
        obj=round,
        region_code=supporter.village_code,
        before=before,
        after=after,
    )
    return True


@transaction.atomic
def factual_pending_expire(*, now: datetime.datetime | None = None) -> int:
    """Supporters not met and not presented within 3 days become TMS (PKPU 8/2024). One UPDATE per run;
    safe to run twice (the beat task calls it)."""
    now = now or timezone.now()
    expired = VerificationResult.objects.filter(verdict=Verdict.PENDING, due_at__lt=now, round__closed_at__isnull=True)
    rounds = sorted(set(expired.values_list("round_id", flat=True)))
    count = expired.update(verdict=Verdict.TMS, reason_id=NOT_PRESENTED_REASON)
    if count:
        audit_record(
            actor=None,
            action="verification.result.expire",
            object_type="support_uploads.verificationround",
            object_id=",".join(map(str, rounds))[:64],
            after={"count": count, "rounds": rounds},
        )
    return count


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


@transaction.atomic
def external_duplicate_choose(
    *, actor: User, election: Election, nik: str, chosen_pair: CandidatePair, note: str = ""
) -> ExternalChoice:
    """A supporter of two or more pairs chose one: MS for the chosen pair's open factual round, TMS
    "chose another pair" in every other pair's, all in this one transaction (DOMAIN.md §4). Only rows in a
    round's population (found MS by the administrative round) get a result there: a row that round already
    found TMS stays out of it, so it never counts again."""
    if actor.role not in (Role.KPU_OPERATOR, Role.ADMIN, Role.VERIFIER):
        raise PermissionDenied
    rows = list(
        Supporter.objects.filter(election=election, nik=nik, status__in=COUNTED_STATUSES).values_list(
            "pk", "pair_id", "village_code"
        )
    )
    pair_ids = {pair_id for _pk, pair_id, _v in rows}
    if chosen_pair.pk not in pair_ids or len(pair_ids) < 2:
        raise ValidationError(_("NIK ini bukan pendukung ganda eksternal dari pasangan yang dipilih."))
    rounds = {
        r.pair_id: r
        for r in VerificationRound.objects.select_for_update().filter(
            pair_id__in=pair_ids, kind=RoundKind.FACTUAL, closed_at__isnull=True
        )
    }
    missing = pair_ids - set(rounds)
    if missing:
        raise ValidationError(_("Verifikasi faktual setiap pasangan calon yang bersangkutan harus sedang dibuka."))
    in_population = set()
    for round in rounds.values():
        _require_open(round)
        in_population |= set(
            round_population(round).filter(pk__in=[pk for pk, _p, _v in rows]).values_list("pk", flat=True)
        )
    rows = [row for row in rows if row[0] in in_population]
    if not rows:
        raise ValidationError(_("Tidak ada baris NIK ini yang termasuk verifikasi faktual pasangan calon mana pun."))
    for _pk, _pair, village in rows:
        _require_verifier_reach(actor, Supporter(village_code=village))
    if ExternalChoice.objects.filter(election=election, nik=nik).exists():  # a double submit, or a second try
        raise ValidationError(_("Pilihan pendukung ganda eksternal ini sudah dicatat."))
    choice = ExternalChoice.objects.create(election=election, nik=nik, chosen_pair=chosen_pair, recorded_by=actor)
    reason = _reason(OTHER_PAIR_REASON)
    now = timezone.now()
    for pair_id in sorted({pair_id for _pk, pair_id, _v in rows}):
        chosen = pair_id == chosen_pair.pk
        _upsert(
            rounds[pair_id],
            [
                VerificationResult(
                    round=rounds[pair_id],
                    supporter_id=pk,
                    verdict=Verdict.MS if chosen else Verdict.TMS,
                    reason=None if chosen else reason,
                    visit=Visit.CONFIRMS if chosen else "",
                    note=note,
                    village_code=village,
                    recorded_by=actor,
                    recorded_at=now,
                )
                for pk, row_pair, village in rows
                if row_pair == pair_id
            ],
        )
    audit_record(
        actor=actor,
        action="verification.external.choose",
        obj=choice,
        region_code=election.region_code,
        after={
            "chosen_pair": chosen_pair.pk,
            "pairs": sorted(pair_ids),
            "supporters": sorted(pk for pk, _p, _v in rows),
        },
    )
    return choice


@transaction.atomic
def correction_submit(*, actor: User, pair: CandidatePair, uploads: list[Upload] | None = None) -> CorrectionSubmission:
    """Submit a BMS pair's correction batch: at least twice the shortfall (UU 10/2016 Pasal 48(6)) of
    supporters not already counted for the pair in its initial batch (MS or TMS); repeated ones are not
    counted. ``uploads`` defaults to every checked file of the correction batch; once submitted, the batch's
    files are locked and its administrative and factual rounds cover exactly their rows."""
    if actor.role not in (Role.PAIR_OPERATOR, Role.KPU_OPERATOR, Role.ADMIN):
        raise PermissionDenied
    if actor.role == Role.PAIR_OPERATOR:
        from ..selectors import lo_pairs

        if not lo_pairs(actor).filter(pk=pair.pk).exists():
            raise PermissionDenied
    else:
        _require_operator(actor, pair.election)
    pair = CandidatePair.objects.select_for_update(of=("self",)).select_related("election").get(pk=pair.pk)
    if pair.support_status != SupportStatus.BMS:
        raise ValidationError(_("Hanya pasangan calon berstatus BMS yang menyerahkan dukungan perbaikan."))
    if CorrectionSubmission.objects.filter(pair=pair).exists():
        raise ValidationError(_("Dukungan perbaikan sudah diserahkan."))
    stage_require_open(election=pair.election, stage=Stage.CORRECTION_SUBMISSION, pair=pair)
    batch = Upload.objects.filter(pair=pair, batch=Batch.CORRECTION_1)
    if batch.filter(status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING]).exists():
        raise ValidationError(_("Masih ada berkas yang sedang diperiksa. Tunggu hingga selesai."))
    done = batch.filter(status=UploadStatus.DONE)
    if uploads is None:
        upload_ids = list(done.values_list("pk", flat=True))
        if not upload_ids:
            raise ValidationError(_("Belum ada berkas dukungan perbaikan yang selesai diperiksa."))
    else:
        upload_ids = sorted({u.pk for u in uploads})
        if not upload_ids or done.filter(pk__in=upload_ids).count() != len(upload_ids):
            raise ValidationError(
                _("Berkas perbaikan harus berkas dukungan perbaikan pasangan ini yang sudah selesai diperiksa.")
            )
    outcome = PairOutcome.objects.get(pair=pair, batch=Batch.INITIAL)
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
    required = CORRECTION_FACTOR * outcome.shortfall
    if fresh < required:
        raise ValidationError(
            _(
                "Dukungan perbaikan %(fresh)s kurang dari syarat %(required)s (2 × kekurangan %(short)s); "
                "%(repeated)s pendukung sudah pernah diserahkan dan tidak dihitung."
            )
            % {"fresh": fresh, "required": required, "short": outcome.shortfall, "repeated": repeated}
        )
    # short of spread: the fresh supporters must come from enough regions the initial MS did not reach, so
    # that those and the correction's together can meet the spread (UU 10/2016 Pasal 41 and 48)
    spread_short = max(0, outcome.spread_required - outcome.spread_met)
    new_regions = correction_spread_regions(pair=pair, supporters=new_rows.exclude(nik__in=earlier.values("nik")))
    if len(new_regions) < spread_short:
        raise ValidationError(
            SPREAD_SHORT_MESSAGE[election_spread_level(pair.election)]
            % {"missing": spread_short - len(new_regions), "needed": spread_short, "found": len(new_regions)}
        )
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
        action="verification.correction.submit",
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


@transaction.atomic
def document_request(
    *, actor: User, round: VerificationRound, kind: str, fmt: str, village_code: str = ""
) -> VerificationDocument:
    """Ask for a document; a worker generates and stores it (on commit) and audits its hash. A supporter
    list covers ``village_code``: a desa, kecamatan, kab/kota or (blank) the largest area the actor reaches."""
    from .documents import document_area
    from .tasks import document_build_task

    if fmt not in ("pdf", "xlsx") or kind not in DocumentKind.values:
        raise ValidationError(_("Jenis dokumen tidak dikenal."))
    if kind == DocumentKind.SUPPORTER_LIST:
        village_code = document_area(actor=actor, round=round, code=village_code)
    else:
        _require_operator(actor, round.election)
        village_code = ""  # the recap and the minutes cover the whole round
    document = VerificationDocument.objects.create(
        round=round, kind=kind, fmt=fmt, village_code=village_code, requested_by=actor
    )
    audit_record(
        actor=actor,
        action="verification.document.request",
        obj=document,
        region_code=village_code or round.election.region_code,
        after={"kind": kind, "fmt": fmt},
    )
    transaction.on_commit(lambda: document_build_task.delay(document.pk))
    return document
