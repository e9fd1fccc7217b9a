"""When objections are accepted and decided, from the election's schedule (``candidacy.schedule``).

From the opening of support submission to the effective end (extensions included) of the last support stage
the election schedules, the correction batch's verification included: ``OBJECTION_STAGES``. A denial is
recorded on BA.5-KWK during verification (docs/domain.md §3.4 and §9.2; PKPU 8/2024), and each confirmed case
comes off the pair's count, which stays open to change until the last verification stage closes; after that
the pair's support result is final and an objection could no longer change it. Filing and deciding share the
window, so an objection filed on the last day can still be decided within it (the operator's deadline is the
window's end, shown on the queue).
"""

import datetime

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from candidacy.models import Election, Stage
from candidacy.schedule import stage_windows
from candidacy.services.stages import StageClosedError

OBJECTION_STAGES = (
    Stage.SUPPORT_SUBMISSION,
    Stage.ADMIN_VERIFICATION,
    Stage.FACTUAL_VERIFICATION,
    Stage.CORRECTION_SUBMISSION,
    Stage.CORRECTION_VERIFICATION,
)


def objection_window(election: Election) -> tuple[datetime.datetime, datetime.datetime] | None:
    """(opens, effective end) of the objection window, or None when no support stage is scheduled."""
    span = (
        stage_windows(election_ids=[election.pk])
        .filter(stage__in=OBJECTION_STAGES)
        .aggregate(opens=Min("starts_at"), ends=Max("effective_ends_at"))
    )
    if span["opens"] is None:
        return None
    return span["opens"], span["ends"]


def objection_require_open(election: Election, *, at: datetime.datetime | None = None) -> None:
    """Refuse (``StageClosedError``) outside the objection window."""
    at = at or timezone.now()
    window = objection_window(election)
    if window is None or at < window[0]:
        raise StageClosedError(_("Masa keberatan atas dukungan pemilihan ini belum dibuka."))
    if at > window[1]:
        raise StageClosedError(
            _("Masa keberatan atas dukungan pemilihan ini sudah ditutup pada %(end)s.")
            % {"end": date_format(timezone.localtime(window[1]), "DATETIME_FORMAT")}
        )
