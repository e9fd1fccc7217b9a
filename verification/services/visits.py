"""Factual verification: the PPS visits, recorded and taken back, and the 3-day rule for supporters not met
(PKPU 8/2024)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silon.accounts.models import Role, User
from silon.audit import actions
from silon.audit.services import audit_record
from support_uploads.models import Supporter

from ..models import ExternalChoice, RoundKind, Verdict, VerificationResult, VerificationRound, Visit
from ..selectors import round_population
from ._common import NOT_PRESENTED_REASON, ROUND_OBJECT_TYPES, reason_for, require_open, require_verifier_reach

# The presentation window after a supporter was not met at home (PKPU 8/2024: 3 days at the PPS office).
PRESENTATION_WINDOW = datetime.timedelta(days=3)
# What a factual visit records, as data: the verdict and the TMS reason of each outcome of a visit.
VISIT_RESULT = {
    Visit.CONFIRMS: (Verdict.MS, None),
    Visit.DENIES: (Verdict.TMS, "TMS_DENIES"),
    Visit.NOT_MET: (Verdict.PENDING, None),
    Visit.DIED: (Verdict.TMS, "TMS_DIED"),
    Visit.MOVED: (Verdict.TMS, "TMS_MOVED"),
}


def _require_visit_overwritable(
    round: VerificationRound, supporter: Supporter, existing: VerificationResult | None
) -> None:
    """A visit is recorded over no result, or over a verifier-recorded visit that ``factual_visit_undo`` could
    also remove (the same guard): never over a pending visit expired by the 3-day rule (PKPU 8/2024), nor over
    an external duplicate's choice, which spans several pairs' rounds (docs/domain.md §4)."""
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
    require_verifier_reach(actor, supporter)
    now = at or timezone.now()
    require_open(round, at=now)
    if not round_population(round).filter(pk=supporter.pk).exists():
        raise ValidationError(_("Pendukung ini tidak termasuk putaran ini."))
    existing = VerificationResult.objects.select_for_update().filter(round=round, supporter_id=supporter.pk).first()
    if existing is not None and client_token and existing.client_token == client_token:
        return existing
    _require_visit_overwritable(round, supporter, existing)
    verdict, reason_code, due_at = _visit_outcome(visit, existing, now=now)
    if visit == Visit.DENIES and not note.strip():
        raise ValidationError(_("Isi pernyataan tidak mendukung (BA.5-KWK)."))
    before = {"verdict": existing.verdict, "visit": existing.visit} if existing else None
    result, _created = VerificationResult.objects.update_or_create(
        round=round,
        supporter_id=supporter.pk,
        defaults={
            "verdict": verdict,
            "reason": reason_for(reason_code),
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
        action=actions.VERIFICATION_RESULT_VISIT,
        obj=round,
        region_code=supporter.village_code,
        before=before,
        after={"supporter": supporter.pk, "visit": visit, "verdict": verdict},
    )
    return result


def _visit_outcome(
    visit: str, existing: VerificationResult | None, *, now: datetime.datetime
) -> tuple[str, str | None, datetime.datetime | None]:
    """The verdict, TMS reason code and presentation deadline a visit records over ``existing``: "presented"
    only for a supporter not met, within the 3 days; any other outcome not once those 3 days are past."""
    if visit == Visit.PRESENTED:
        if existing is None or existing.verdict != Verdict.PENDING:
            raise ValidationError(_("Hanya pendukung yang tidak ditemui yang dapat dihadirkan."))
        if now > existing.due_at:
            raise ValidationError(_("Batas 3 hari untuk menghadirkan pendukung sudah lewat."))
        return Verdict.MS, None, existing.due_at
    if visit not in VISIT_RESULT:
        raise ValidationError(_("Hasil kunjungan tidak dikenal."))
    if existing is not None and existing.verdict == Verdict.PENDING and existing.due_at and now > existing.due_at:
        # past the deadline only the 3-day rule decides (the beat task may simply not have run yet)
        raise ValidationError(_("Batas 3 hari untuk menghadirkan pendukung sudah lewat."))
    verdict, reason_code = VISIT_RESULT[visit]
    # the 3-day window runs from the first "not met": recording it again never moves the deadline
    first_due = existing.due_at if existing is not None else None
    due_at = (first_due or now + PRESENTATION_WINDOW) if verdict == Verdict.PENDING else first_due
    return verdict, reason_code, due_at


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
    require_verifier_reach(actor, supporter)
    require_open(round)
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
        action=actions.VERIFICATION_RESULT_VISIT_UNDO,
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
            action=actions.VERIFICATION_RESULT_EXPIRE,
            object_type=ROUND_OBJECT_TYPES[0],
            object_id=",".join(map(str, rounds))[:64],
            after={"count": count, "rounds": rounds},
        )
    return count
