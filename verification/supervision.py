"""What a supervisor (Bawaslu) follows of verification across its area: per pair, each round and its progress,
split by the regencies (a governor election) or districts (a regent or mayor election) below the election's
region. Counts only, never a supporter's name or result (UU 10/2016 Pasal 48; docs/domain.md §2: Bawaslu
supervises every stage, read-only)."""

from dataclasses import dataclass, field

from django.db.models import Count

from regions.codes import child_length, child_sql
from regions.models import Region
from silon.accounts.jurisdiction import region_q
from silon.accounts.models import User

from .models import Verdict, VerificationResult, VerificationRound
from .selectors import round_population

ROUNDS_SHOWN = 40  # newest rounds first; the page says when more exist


@dataclass
class UnitProgress:
    """One regency or district of a round: its supporters to decide and how many are decided."""

    code: str
    name: str = ""
    total: int = 0
    ms: int = 0
    tms: int = 0
    pending: int = 0

    @property
    def undecided(self) -> int:
        return max(0, self.total - self.ms - self.tms - self.pending)

    @property
    def percent_decided(self) -> int:
        return round(100 * (self.ms + self.tms) / self.total) if self.total else 0


@dataclass
class RoundProgress:
    round: VerificationRound
    total: UnitProgress
    units: list[UnitProgress] = field(default_factory=list)


def unit_width(region_code: str) -> int:
    """The code length of the level below ``region_code``: kab/kota under a province, kecamatan under a
    kab/kota (``52`` → ``52.01``, ``52.01`` → ``52.01.01``)."""
    return child_length(region_code)


def round_progress_by_unit(*, user: User, round: VerificationRound) -> RoundProgress:
    """The round's supporters within the user's reach, and their results, per unit below the election's
    region: two grouped queries."""
    unit_expr = child_sql("village_code", round.election.region_code)
    population = round_population(round).filter(region_q(user, "village_code"))
    units: dict[str, UnitProgress] = {}
    for code, n in population.annotate(unit=unit_expr).values_list("unit").annotate(n=Count("pk")).order_by():
        units[code] = UnitProgress(code, total=n)
    results = (
        VerificationResult.objects.filter(round=round, supporter_id__in=population.values("pk"))
        .annotate(unit=unit_expr)
        .values_list("unit", "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for code, verdict, n in results:
        unit = units.get(code)
        if unit is None:
            continue
        if verdict == Verdict.MS:
            unit.ms += n
        elif verdict == Verdict.TMS:
            unit.tms += n
        else:
            unit.pending += n
    total = UnitProgress(round.election.region_code)
    for unit in units.values():
        total.total += unit.total
        total.ms += unit.ms
        total.tms += unit.tms
        total.pending += unit.pending
    return RoundProgress(round, total, [units[c] for c in sorted(units)])


def supervision_progress(*, user: User, pairs) -> tuple[list[RoundProgress], int]:
    """Every verification round of ``pairs`` (the pairs in the user's reach), newest first, with its progress
    per unit; and how many rounds there are in all (at most ``ROUNDS_SHOWN`` are built)."""
    rounds = VerificationRound.objects.filter(pair__in=pairs).select_related("pair", "election")
    count = rounds.count()
    shown = [round_progress_by_unit(user=user, round=r) for r in rounds.order_by("-opened_at", "-pk")[:ROUNDS_SHOWN]]
    codes = {u.code for p in shown for u in p.units}
    versions = {p.round.election.region_version_id for p in shown}
    names = (
        dict(Region.objects.filter(version_id__in=versions, code__in=codes).values_list("code", "name"))
        if shown
        else {}
    )
    for progress in shown:
        for unit in progress.units:
            unit.name = names.get(unit.code, "")
    shown.sort(key=lambda p: (p.round.pair.name, p.round.batch, p.round.kind))
    return shown, count
