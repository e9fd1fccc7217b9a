"""Administrative verification: a selection or a whole desa marked MS, or TMS with a reason, and taken back
while the round is open. Set-based: one read of the target ids and one upsert, whatever their number."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from support_uploads.models import RowStatus

from ..models import RoundKind, Verdict, VerificationResult, VerificationRound
from ..selectors import round_population
from ._common import reason_for, require_open, require_operator, upsert_results


def _targets(
    round: VerificationRound, supporter_ids: list[int] | None, village_code: str, *, verdict: str, only_undecided: bool
):
    """The rows a marking covers: a bulk MS leaves potential duplicates out, ``only_undecided`` the decided."""
    rows = round_population(round)
    if verdict == Verdict.MS:
        rows = rows.exclude(status=RowStatus.REVIEW)
    if only_undecided:
        rows = rows.exclude(pk__in=VerificationResult.objects.filter(round=round).values("supporter_id"))
    if supporter_ids is not None:
        rows = rows.filter(pk__in=supporter_ids)
    if village_code:
        rows = rows.filter(Q(village_code=village_code) | Q(village_code__startswith=village_code + "."))
    if supporter_ids is None and not village_code:
        raise ValidationError(_("Pilih pendukung atau satu desa/kelurahan."))
    return rows


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
    only_undecided: bool = False,
) -> int:
    """Administrative verification: mark a selection, a whole desa or a whole kecamatan (``village_code``, a
    region prefix) MS, or TMS with a reason; ``only_undecided`` leaves the rows that have a result as they are.

    Potential duplicates (``review``) are left out of a bulk MS: ``duplicate_resolve`` decides them. Closing
    the round still needs a second operator who recorded nothing in it, and ``results_undo`` takes marks back
    by the same prefix."""
    require_operator(actor, round.election)
    if round.kind != RoundKind.ADMINISTRATIVE:
        raise ValidationError(_("Hasil verifikasi faktual dicatat oleh PPS per kunjungan."))
    require_open(round)
    if verdict not in (Verdict.MS, Verdict.TMS):
        raise ValidationError(_("Hasil harus MS atau TMS."))
    reason = reason_for(reason_code)
    if verdict == Verdict.TMS and reason is None:
        raise ValidationError(_("Hasil TMS wajib disertai alasan."))
    if verdict == Verdict.MS:
        reason = None
    targets = _targets(round, supporter_ids, village_code, verdict=verdict, only_undecided=only_undecided)
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
    upsert_results(round, rows)
    audit_record(
        actor=actor,
        action=actions.VERIFICATION_RESULT_MARK,
        obj=round,
        region_code=round.election.region_code,
        after={
            "verdict": verdict,
            "reason": reason_code,
            "count": len(rows),
            "village": village_code,
            **({"only_undecided": True} if only_undecided else {}),
        },
    )
    return len(rows)


@transaction.atomic
def results_undo(
    *, actor: User, round: VerificationRound, supporter_ids: list[int] | None = None, village_code: str = ""
) -> int:
    """Take back results while the round is open: the supporters return to the worklist."""
    require_operator(actor, round.election)
    require_open(round)
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
        action=actions.VERIFICATION_RESULT_UNDO,
        obj=round,
        region_code=round.election.region_code,
        after={"count": count, "village": village_code, "supporters": supporter_ids},
    )
    return count
