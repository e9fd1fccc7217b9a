"""Duplicates: a potential duplicate within a pair (same NIK, different data) decided in the administrative
round, and an external duplicate's choice of one pair in the factual rounds (docs/domain.md §4)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidacy.models import CandidatePair, Election
from silon.accounts.models import Role, User
from silon.audit import actions
from silon.audit.services import audit_record
from support_uploads.models import COUNTED_STATUSES, Supporter
from support_uploads.selectors_duplicates import held_supporters
from support_uploads.services.decisions import potential_duplicate_decide

from ..models import ExternalChoice, RoundKind, Verdict, VerificationResult, VerificationRound, Visit
from ..selectors import round_population
from ._common import (
    DUPLICATE_REASON,
    OTHER_PAIR_REASON,
    reason_for,
    require_open,
    require_operator,
    require_verifier_reach,
    upsert_results,
)


@transaction.atomic
def duplicate_resolve(
    *, actor: User, round: VerificationRound, supporter_ids: list[int], keep_id: int | None, note: str = ""
) -> None:
    """Decide a potential duplicate (same NIK, different data): keep one as MS, or none; the rest are TMS."""
    require_operator(actor, round.election)
    if round.kind != RoundKind.ADMINISTRATIVE:
        raise ValidationError(_("Potensi ganda diputuskan pada verifikasi administrasi."))
    require_open(round)
    rows = list(round_population(round).filter(pk__in=supporter_ids).values_list("pk", "nik", "village_code"))
    if len(rows) != len(set(supporter_ids)) or len({nik for _pk, nik, _v in rows}) != 1:
        raise ValidationError(_("Pilih baris-baris dengan NIK yang sama."))
    if keep_id is not None and keep_id not in supporter_ids:
        raise ValidationError(_("Baris yang dipertahankan harus termasuk yang dipilih."))
    rows = _decide_held(actor=actor, round=round, rows=rows, keep_id=keep_id, note=note)
    reason = reason_for(DUPLICATE_REASON)
    now = timezone.now()
    upsert_results(
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
        action=actions.VERIFICATION_RESULT_DUPLICATE,
        obj=round,
        region_code=round.election.region_code,
        after={"supporters": sorted(supporter_ids), "kept": keep_id},
    )


def _decide_held(*, actor: User, round: VerificationRound, rows: list, keep_id: int | None, note: str) -> list:
    """Rows still held as potential duplicates (DUP_POTENTIAL, not yet decided before the round) are decided
    once, for the support as well as for the round: the pair's ``DuplicateDecision`` is recorded by
    ``support_uploads.services.decisions.potential_duplicate_decide`` (the kept row counts again, every other held
    row of the NIK in the batch becomes DUP_NOT_CHOSEN, and the counts follow), so the round's result and the
    support's decision never disagree. Returns the rows the round records results for: every row that decision
    covered."""
    held = held_supporters(pair=round.pair).filter(pk__in=[pk for pk, _nik, _v in rows])
    if held.count() != len(rows):
        return rows  # not (or no longer) held: the round records its own result only
    decision = potential_duplicate_decide(
        actor=actor,
        pair=round.pair,
        supporter_id=keep_id if keep_id is not None else rows[0][0],
        keep=keep_id is not None,
        note=note.strip() or _("Diputuskan pada verifikasi administrasi."),
    )
    return list(Supporter.objects.filter(pk__in=decision.rows).values_list("pk", "nik", "village_code"))


@transaction.atomic
def external_duplicate_choose(
    *, actor: User, election: Election, nik: str, chosen_pair: CandidatePair, note: str = ""
) -> ExternalChoice:
    """A supporter of two or more pairs chose one: MS for the chosen pair's open factual round, TMS
    "chose another pair" in every other pair's, all in this one transaction (docs/domain.md §4). Only rows in a
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
    rounds = _open_factual_rounds(pair_ids)
    rows = _in_population(rounds, rows)
    for _pk, _pair, village in rows:
        require_verifier_reach(actor, Supporter(village_code=village))
    if ExternalChoice.objects.filter(election=election, nik=nik).exists():  # a double submit, or a second try
        raise ValidationError(_("Pilihan pendukung ganda eksternal ini sudah dicatat."))
    choice = ExternalChoice.objects.create(election=election, nik=nik, chosen_pair=chosen_pair, recorded_by=actor)
    _external_results_write(rounds, rows, actor=actor, chosen_pair=chosen_pair, note=note)
    audit_record(
        actor=actor,
        action=actions.VERIFICATION_EXTERNAL_CHOOSE,
        obj=choice,
        region_code=election.region_code,
        after={
            "chosen_pair": chosen_pair.pk,
            "pairs": sorted(pair_ids),
            "supporters": sorted(pk for pk, _p, _v in rows),
        },
    )
    return choice


def _open_factual_rounds(pair_ids: set[int]) -> dict[int, VerificationRound]:
    """Each pair's open factual round, locked; refused unless every pair has one."""
    rounds = {
        r.pair_id: r
        for r in VerificationRound.objects.select_for_update().filter(
            pair_id__in=pair_ids, kind=RoundKind.FACTUAL, closed_at__isnull=True
        )
    }
    missing = pair_ids - set(rounds)
    if missing:
        raise ValidationError(_("Verifikasi faktual setiap pasangan calon yang bersangkutan harus sedang dibuka."))
    return rounds


def _in_population(rounds: dict[int, VerificationRound], rows: list[tuple]) -> list[tuple]:
    """The ``(pk, pair_id, village_code)`` rows in one of the open ``rounds``' populations; refused when none
    is (every round must also be open for recording)."""
    in_population = set()
    for round in rounds.values():
        require_open(round)
        in_population |= set(
            round_population(round).filter(pk__in=[pk for pk, _p, _v in rows]).values_list("pk", flat=True)
        )
    rows = [row for row in rows if row[0] in in_population]
    if not rows:
        raise ValidationError(_("Tidak ada baris NIK ini yang termasuk verifikasi faktual pasangan calon mana pun."))
    return rows


def _external_results_write(
    rounds: dict[int, VerificationRound], rows: list[tuple], *, actor: User, chosen_pair: CandidatePair, note: str
) -> None:
    """MS "confirms" in the chosen pair's round, TMS "chose another pair" in every other pair's."""
    reason = reason_for(OTHER_PAIR_REASON)
    now = timezone.now()
    for pair_id in sorted({pair_id for _pk, pair_id, _v in rows}):
        chosen = pair_id == chosen_pair.pk
        upsert_results(
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
