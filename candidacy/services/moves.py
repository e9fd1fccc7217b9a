"""The pair status machine applied: ``pair_transition`` (the one write) and ``pair_move_options`` (what each open
move would lock and why it is refused, for the page before the operator presses a button). The moves, their
stages and their preconditions are data in ``candidacy.status``; this module holds one check per precondition."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record

from ..access import require_manage_election
from ..models import Candidate, CandidatePair, CandidateRole, PairStatus, PairStatusChange, Path, SupportStatus
from ..selectors import (
    coalition_check,
    determination_date,
    pair_document_checklist,
    pair_documents_complete,
    pair_documents_missing,
)
from ..status import (
    INPUT_PRECONDITIONS,
    TRANSITION_REQUIRES,
    TRANSITION_STAGE,
    Precondition,
    move_effects,
    next_statuses,
    transition_allowed,
)
from .pairs import candidate_problems
from .stages import StageClosedError, stage_require_open


@dataclass
class PairFacts:
    """What the checks read about one pair, fetched once."""

    pair: CandidatePair
    candidates: list[Candidate]
    ballot_number: int | None = None
    _checklist: list[dict] | None = field(default=None, repr=False)

    @property
    def checklist(self) -> list[dict]:
        if self._checklist is None:
            self._checklist = pair_document_checklist(self.pair)
        return self._checklist


def _candidates_entered(facts: PairFacts) -> list[str]:
    if {c.role for c in facts.candidates} != {CandidateRole.HEAD, CandidateRole.DEPUTY}:
        return [_("Calon kepala daerah dan calon wakil harus diisi lebih dulu.")]
    return []


def _coalition_qualifies(facts: PairFacts) -> list[str]:
    if facts.pair.path != Path.PARTY:
        return []
    parties = [n.party for n in facts.pair.nominations.select_related("party")]
    if not parties:
        return [_("Partai politik pengusul belum diisi.")]
    if not coalition_check(election=facts.pair.election, parties=parties).qualifies:
        return [_("Partai pengusul belum memenuhi ambang batas pencalonan.")]
    return []


def _documents_uploaded(facts: PairFacts) -> list[str]:
    missing = pair_documents_missing(facts.pair, checklist=facts.checklist)
    if not missing:
        return []
    return [
        _("%(n)s dokumen wajib belum diunggah: %(docs)s.")
        % {"n": len(missing), "docs": "; ".join(missing[:5]) + ("; …" if len(missing) > 5 else "")}
    ]


def _support_meets(facts: PairFacts) -> list[str]:
    if facts.pair.path == Path.INDEPENDENT and facts.pair.support_status != SupportStatus.MS:
        return [_("Dukungan pasangan calon perseorangan belum berstatus Memenuhi Syarat.")]
    return []


def _documents_complete(facts: PairFacts) -> list[str]:
    missing = pair_documents_complete(facts.pair, checklist=facts.checklist)
    return [_("Dokumen belum lengkap: %(docs)s.") % {"docs": "; ".join(missing)}] if missing else []


def _candidates_eligible(facts: PairFacts) -> list[str]:
    election = facts.pair.election
    on = determination_date(election)
    return [
        f"{c.name}: {problem}"
        for c in facts.candidates
        for problem in candidate_problems(election=election, nik=c.nik, birth_date=c.birth_date, sex=c.sex, on=on)
    ]


def _ballot_number_free(facts: PairFacts) -> list[str]:
    number = facts.ballot_number
    if not number or number < 1:
        return [_("Nomor urut hasil pengundian wajib diisi.")]
    taken = CandidatePair.objects.filter(election=facts.pair.election, ballot_number=number)
    if taken.exclude(pk=facts.pair.pk).exists():
        return [_("Nomor urut %(n)s sudah dipakai pasangan lain.") % {"n": number}]
    return []


# One check per precondition of ``candidacy.status.TRANSITION_REQUIRES``; each returns its Indonesian problems.
CHECKS: dict[Precondition, Callable[[PairFacts], list[str]]] = {
    Precondition.CANDIDATES_ENTERED: _candidates_entered,
    Precondition.COALITION_QUALIFIES: _coalition_qualifies,
    Precondition.DOCUMENTS_UPLOADED: _documents_uploaded,
    Precondition.SUPPORT_MEETS: _support_meets,
    Precondition.DOCUMENTS_COMPLETE: _documents_complete,
    Precondition.CANDIDATES_ELIGIBLE: _candidates_eligible,
    Precondition.BALLOT_NUMBER_FREE: _ballot_number_free,
}


def move_problems(facts: PairFacts, to: str, *, with_inputs: bool = True) -> list[str]:
    """The unmet preconditions of a move into ``to``, in the order the table declares them."""
    return [
        problem
        for precondition in TRANSITION_REQUIRES.get(to, ())
        if with_inputs or precondition not in INPUT_PRECONDITIONS
        for problem in CHECKS[precondition](facts)
    ]


@dataclass(frozen=True)
class MoveOption:
    """One open move as the pair page shows it: what it locks and, while refused, why."""

    status: PairStatus
    effects: list[str]
    problems: list[str]

    @property
    def allowed(self) -> bool:
        return not self.problems


def pair_move_options(pair: CandidatePair) -> list[MoveOption]:
    """Every move the table opens from the pair's status, with its effects and its unmet preconditions (the
    stage window included). The same checks ``pair_transition`` applies, except the typed inputs."""
    facts = PairFacts(pair=pair, candidates=list(pair.candidates.all()))
    options = []
    for target in next_statuses(pair.status):
        problems = []
        stage = TRANSITION_STAGE.get(target)
        if stage:
            try:
                stage_require_open(election=pair.election, stage=stage, pair=pair)
            except StageClosedError as exc:
                problems.extend(exc.messages)
        problems.extend(move_problems(facts, target, with_inputs=False))
        options.append(MoveOption(PairStatus(target), move_effects(pair.status, target), problems))
    return options


@transaction.atomic
def pair_transition(
    *, actor: User, pair: CandidatePair, to: str, reason: str, ballot_number: int | None = None
) -> CandidatePair:
    """Move a pair to status ``to`` if ``candidacy.status.PAIR_TRANSITIONS`` allows it, its preconditions hold
    and its stage is open; record who, when and why in the history and the audit log."""
    require_manage_election(actor, pair.election)
    pair = CandidatePair.objects.select_for_update().select_related("election__regulation").get(pk=pair.pk)
    current = PairStatus(pair.status)
    if to not in PairStatus.values:
        raise ValidationError(_("Status «%(to)s» tidak dikenal.") % {"to": to})
    target = PairStatus(to)
    if not transition_allowed(current, target):
        raise ValidationError(
            _("Status pasangan calon tidak dapat diubah dari «%(from)s» ke «%(to)s».")
            % {"from": current.label, "to": target.label},
            code="transition",
        )
    if not reason.strip():
        raise ValidationError(_("Alasan perubahan status wajib diisi."), code="reason")
    stage = TRANSITION_STAGE.get(target)
    if stage:
        stage_require_open(election=pair.election, stage=stage, pair=pair)
    facts = PairFacts(pair=pair, candidates=list(pair.candidates.all()), ballot_number=ballot_number)
    problems = move_problems(facts, target)
    if problems:
        raise ValidationError(problems, code="guard")
    pair.status = target
    fields = ["status"]
    if target == PairStatus.BALLOT_ASSIGNED:
        pair.ballot_number = ballot_number
        fields.append("ballot_number")
    pair.save(update_fields=fields)
    change = PairStatusChange.objects.create(
        pair=pair, from_status=current, to_status=target, reason=reason.strip(), actor=actor
    )
    audit_record(
        actor=actor,
        action=actions.PAIR_TRANSITION,
        obj=pair,
        region_code=pair.election.region_code,
        after={"status": target, "reason": change.reason, "ballot_number": pair.ballot_number},
        before={"status": current},
    )
    return pair
