"""The pair status machine, declared once as data. Services read these tables; nothing else encodes a move."""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from .models import PairStatus, Stage

S = PairStatus

# from → the statuses a pair may move to (docs/domain.md §3.7; PKPU 8/2024 on research and correction)
PAIR_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.UNDER_REVIEW}),
    S.UNDER_REVIEW: frozenset({S.NEEDS_CORRECTION, S.MEETS, S.DOES_NOT_MEET}),
    S.NEEDS_CORRECTION: frozenset({S.CORRECTED}),
    S.CORRECTED: frozenset({S.NEEDS_CORRECTION, S.MEETS, S.DOES_NOT_MEET}),
    S.MEETS: frozenset({S.DETERMINED}),
    S.DOES_NOT_MEET: frozenset(),
    S.DETERMINED: frozenset({S.BALLOT_ASSIGNED}),
    S.BALLOT_ASSIGNED: frozenset(),
}

# The stage whose window must be open for a move into a status. The registration stage runs from the hand-over
# of the pair's file through KPU's research of the requirements and the correction it asks for, up to
# determination (docs/domain.md §3.7; PKPU 8/2024 schedule: pendaftaran, penelitian persyaratan, perbaikan), so
# the research and correction moves belong to its window; KPU extends it (for one pair or all) when needed.
TRANSITION_STAGE: dict[str, str] = {
    S.SUBMITTED: Stage.REGISTRATION,
    S.UNDER_REVIEW: Stage.REGISTRATION,
    S.NEEDS_CORRECTION: Stage.REGISTRATION,
    S.CORRECTED: Stage.REGISTRATION,
    S.MEETS: Stage.REGISTRATION,
    S.DOES_NOT_MEET: Stage.REGISTRATION,
    S.DETERMINED: Stage.DETERMINATION,
    S.BALLOT_ASSIGNED: Stage.BALLOT_DRAW,
}

# Statuses in which KPU may still enter or change a pair's candidates, parties and documents.
EDITABLE_STATUSES = frozenset({S.DRAFT, S.NEEDS_CORRECTION})


class Precondition(StrEnum):
    """What must hold in a pair before it may enter a status; ``candidacy.services.moves.CHECKS`` tests each."""

    CANDIDATES_ENTERED = "candidates_entered"
    COALITION_QUALIFIES = "coalition_qualifies"
    DOCUMENTS_UPLOADED = "documents_uploaded"
    SUPPORT_MEETS = "support_meets"
    DOCUMENTS_COMPLETE = "documents_complete"
    CANDIDATES_ELIGIBLE = "candidates_eligible"
    BALLOT_NUMBER_FREE = "ballot_number_free"


P = Precondition

# The preconditions of a move into a status (docs/domain.md §3.7). The pair's file is handed over complete: both
# candidates, on the party path a coalition over the threshold, and every required document uploaded, because
# handing over locks them (PKPU 8/2024: documents are handed over at registration, changed only in correction).
TRANSITION_REQUIRES: dict[str, tuple[Precondition, ...]] = {
    S.SUBMITTED: (P.CANDIDATES_ENTERED, P.COALITION_QUALIFIES, P.DOCUMENTS_UPLOADED),
    S.CORRECTED: (P.CANDIDATES_ENTERED, P.COALITION_QUALIFIES, P.DOCUMENTS_UPLOADED),
    # UU 10/2016 Pasal 41 and 48: an independent pair must have met its support requirement.
    S.MEETS: (P.SUPPORT_MEETS, P.DOCUMENTS_COMPLETE),
    # MK 70/PUU-XXII/2024: eligibility (age) is counted again on the determination day.
    S.DETERMINED: (P.CANDIDATES_ELIGIBLE,),
    S.BALLOT_ASSIGNED: (P.BALLOT_NUMBER_FREE,),
}

# Preconditions on what the operator types with the move (checked on the move, not before it is offered).
INPUT_PRECONDITIONS = frozenset({P.BALLOT_NUMBER_FREE})

# What a move does to the pair's data, shown beside its button before the operator presses it.
LOCKS_TEXT = _("Setelah ini data calon, partai pengusul dan unggahan dokumen terkunci; tidak dapat diubah lagi.")
UNLOCKS_TEXT = _("Setelah ini data calon, partai pengusul dan dokumen dapat diubah kembali untuk perbaikan.")
FINAL_TEXT = _("Status ini akhir: tidak ada perubahan status sesudahnya.")
BALLOT_TEXT = _("Nomor urut yang ditetapkan tidak dapat diubah lagi.")


def move_effects(from_status: str, to_status: str) -> list[str]:
    """What moving ``from_status`` → ``to_status`` locks or opens, derived from the tables above."""
    effects = []
    if from_status in EDITABLE_STATUSES and to_status not in EDITABLE_STATUSES:
        effects.append(str(LOCKS_TEXT))
    if to_status in EDITABLE_STATUSES and from_status not in EDITABLE_STATUSES:
        effects.append(str(UNLOCKS_TEXT))
    if to_status == S.BALLOT_ASSIGNED:
        effects.append(str(BALLOT_TEXT))
    if not PAIR_TRANSITIONS.get(to_status):
        effects.append(str(FINAL_TEXT))
    return effects


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in PAIR_TRANSITIONS.get(from_status, frozenset())


def next_statuses(status: str) -> list[str]:
    """The moves open from ``status``, in the order the statuses are declared."""
    allowed = PAIR_TRANSITIONS.get(status, frozenset())
    return [s for s in PairStatus.values if s in allowed]
