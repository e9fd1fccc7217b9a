"""What independent support asks of the verification app, without importing it.

Dependencies point one way: verification builds on support_uploads, never the reverse. Two answers of this app
nonetheless depend on what verification decided about a pair (docs/domain.md §3.5): whether the pair already
handed in its correction batch (its uploads are then locked for good), and the correction panel of the pair
page. Verification registers both from its ``AppConfig.ready()``; until it does (support_uploads alone), no
pair has a correction batch.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from candidacy.models import CandidatePair


@dataclass(frozen=True)
class CorrectionHooks:
    # whether the pair submitted its correction batch
    submitted: Callable[[CandidatePair], bool]
    # what the pair must bring in its correction batch and how far its files go; None when it has none
    overview: Callable[[CandidatePair], Any | None]


_NO_CORRECTION = CorrectionHooks(submitted=lambda pair: False, overview=lambda pair: None)
_hooks = _NO_CORRECTION


def correction_hooks_register(
    *, submitted: Callable[[CandidatePair], bool], overview: Callable[[CandidatePair], Any | None]
) -> None:
    """Called once, by the verification app's ``ready()``."""
    global _hooks  # one registration at start-up, read-only afterwards
    _hooks = CorrectionHooks(submitted=submitted, overview=overview)


def correction_submitted(pair: CandidatePair) -> bool:
    return _hooks.submitted(pair)


def correction_overview(pair: CandidatePair) -> Any | None:
    return _hooks.overview(pair)
