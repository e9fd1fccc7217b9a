"""What the pair's own team (its LO) reads of its verification rounds: each supporter's result in a round, the
supporters it must bring to the PPS office and the moment each window closes (docs/domain.md §3.4, §9.3).

An LO reaches only the rounds of the pair it operates (``support_uploads.selectors.lo_pairs``); any other
round answers 404, so that another pair's round is not even confirmed to exist."""

from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404

from candidacy.models import CandidatePair
from regions.codes import ancestor_at_sql, is_well_shaped, level_of
from regions.models import Level, Region
from silon.accounts.jurisdiction import code_within, within_q
from silon.accounts.models import User
from support_uploads.models import Supporter
from support_uploads.selectors import lo_pairs

from .models import Verdict, VerificationResult, VerificationRound
from .selectors import round_population

# the result filter of the team's page: a verdict, or "undecided" (no result recorded yet)
UNDECIDED = "undecided"
RESULT_FILTERS = (Verdict.MS, Verdict.TMS, Verdict.PENDING, UNDECIDED)
# the rows the team must act on: bring the supporter to the PPS office (pending), or know why it was refused
ACTIONABLE = (Verdict.PENDING, Verdict.TMS)


def team_round(user: User, round_id: int) -> VerificationRound:
    """The round, when ``user`` is the LO of its pair; 404 otherwise (another pair's round, any other role)."""
    round = VerificationRound.objects.select_related("pair", "election").filter(pk=round_id).first()
    if round is None or not lo_pairs(user).filter(pk=round.pair_id).exists():
        raise Http404
    return round


def team_rounds(user: User, pair: CandidatePair) -> QuerySet[VerificationRound]:
    """The rounds of ``pair`` its LO may read (none for anyone else)."""
    if not lo_pairs(user).filter(pk=pair.pk).exists():
        return VerificationRound.objects.none()
    return VerificationRound.objects.filter(pair=pair).order_by("opened_at")


def team_results(*, round: VerificationRound, result: str = "", kecamatan: str = "") -> QuerySet[Supporter]:
    """The round's supporters, each annotated with this round's ``verdict``, ``reason_code``, ``note``, ``visit``
    and ``due_at`` (None when undecided); filtered by ``result`` (``RESULT_FILTERS``) and by a kecamatan code.
    Pending rows come first, the nearest due moment first: they are the team's work."""
    results = VerificationResult.objects.filter(round=round, supporter_id=OuterRef("pk"))
    rows = round_population(round).annotate(
        verdict=Subquery(results.values("verdict")[:1]),
        reason_code=Subquery(results.values("reason_id")[:1]),
        note=Subquery(results.values("note")[:1]),
        visit=Subquery(results.values("visit")[:1]),
        due_at=Subquery(results.values("due_at")[:1]),
    )
    if kecamatan:
        rows = rows.filter(within_q("village_code", kecamatan))
    if result == UNDECIDED:
        rows = rows.filter(verdict__isnull=True)
    elif result in RESULT_FILTERS:
        rows = rows.filter(verdict=result)
    return rows.order_by(F("due_at").asc(nulls_last=True), "village_code", "name", "pk")


def team_actionable(*, round: VerificationRound) -> QuerySet[Supporter]:
    """The rows the team must act on (pending with their due moment, and TMS with their reason), for the
    download: pending first, by due moment."""
    return team_results(round=round).filter(verdict__in=ACTIONABLE)


def team_kecamatans(*, round: VerificationRound) -> list[tuple[str, str]]:
    """The kecamatan (code, name) of the round's population, for the filter."""
    codes = (
        round_population(round)
        .annotate(district=ancestor_at_sql("village_code", Level.DISTRICT))
        .values_list("district", flat=True)
        .distinct()
        .order_by()
    )
    found = sorted({code for code in codes if code})
    names = dict(
        Region.objects.filter(version_id=round.election.region_version_id, code__in=found).values_list("code", "name")
    )
    return [(code, names.get(code, code)) for code in found]


def round_kecamatan(*, round: VerificationRound, code: str) -> str:
    """``code`` when it names a kecamatan of the round's election, else '' (an unknown filter shows all; the
    operators' bulk marking per kecamatan refuses it)."""
    if not is_well_shaped(code) or level_of(code) != Level.DISTRICT:
        return ""
    return code if code_within(code, round.election.region_code) else ""


def team_pending_count(*, round: VerificationRound) -> int:
    return VerificationResult.objects.filter(round=round, verdict=Verdict.PENDING).count()
