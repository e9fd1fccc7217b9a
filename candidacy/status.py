"""The pair status machine, declared once as data. Services read these tables; nothing else encodes a move."""

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


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in PAIR_TRANSITIONS.get(from_status, frozenset())


def next_statuses(status: str) -> list[str]:
    """The moves open from ``status``, in the order the statuses are declared."""
    allowed = PAIR_TRANSITIONS.get(status, frozenset())
    return [s for s in PairStatus.values if s in allowed]
