"""The support recap: counted supporters per kecamatan and kab/kota against the legal minimum and spread.

The one home of this arithmetic (docs/architecture.md, "One home per rule"). Uploads (the LO's page, the
API, the submission check, the dashboard), verification (the outcome of a pair, the correction overview,
the B.2-KWK document) and the public portal all count with these functions:

- ``district_counts`` / ``counted_by_pair`` add up the per-kecamatan counts each DONE upload stores when it
  is validated (``Upload.recap``, kept equal to its rows by ``services.counts.upload_counts_refresh`` on
  every later change of them), so no supporter row is read for them;
- ``submitted_by_pair`` is *Diserahkan*: each NIK of the pair's current uploads counted once;
- ``district_tally`` sums ``(village code, n)`` pairs per kecamatan, for counts taken from rows (MS rows of
  a verification round);
- ``unit_counts`` rolls kecamatan counts up to the election's spread unit (kab/kota for a governor,
  kecamatan for a regent or mayor: UU 10/2016 Pasal 41), ``units_met`` counts the units reached,
  ``shortfall`` and ``percent_of_minimum`` compare a total with the minimum;
- ``regency_groups`` orders kecamatan under their kab/kota for the per-region tables;
- ``penalty_cases_by_pair`` counts the proven duplicates a regulation's ``duplicate_penalty`` deducts for
  (Pemilu DPD: 50 each), ``penalised`` applies it and ``penalty_text`` writes it out;
- ``support_recap`` is the LO's recap of one batch (``SupportRecap``).

The requirement itself (minimum, spread units) is ``candidacy.selectors.election_support_requirement``.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from candidacy.models import CandidatePair
from candidacy.rules import dpd_counted
from candidacy.selectors import election_support_requirement
from regions.codes import district_of, regency_of
from regions.models import Level
from regions.selectors import region_names_under
from silon.numbers import grouped

from .models import Batch, Supporter, Upload, UploadStatus


def district_counts(recaps: Iterable[dict | None]) -> dict[str, int]:
    """The per-kecamatan maps of several uploads (``Upload.recap``), added up."""
    per_district: dict[str, int] = defaultdict(int)
    for recap in recaps:
        for code, count in (recap or {}).items():
            per_district[code] += count
    return dict(per_district)


def district_tally(rows: Iterable[tuple[str, int]]) -> dict[str, int]:
    """``(village or kecamatan code, n)`` pairs summed per kecamatan."""
    per_district: dict[str, int] = defaultdict(int)
    for code, n in rows:
        per_district[district_of(code)] += n
    return dict(per_district)


def done_uploads(*, pair_ids: list[int], batch: str = Batch.INITIAL):
    """The DONE uploads of one batch of these pairs: the files the recap counts."""
    return Upload.objects.filter(pair_id__in=pair_ids, status=UploadStatus.DONE, batch=batch)


def submitted_by_pair(pair_ids: list[int], batch: str = Batch.INITIAL) -> dict[int, int]:
    """*Diserahkan*, the one definition: each NIK of the pair's current uploads of the batch (DONE: neither
    withdrawn nor refused as a file) counted once, whatever the rows' result. A file sent again, or a NIK
    repeated across files, adds nothing; a withdrawn file leaves. Every page, API answer and CSV that shows
    the submitted count uses this. One grouped query over the rows, by the (upload, status) index."""
    uploads = done_uploads(pair_ids=pair_ids, batch=batch).values("pk")
    counts = dict(
        Supporter.objects.filter(upload_id__in=uploads)
        .exclude(nik="")
        .values_list("pair_id")
        .annotate(n=Count("nik", distinct=True))
        .order_by()
    )
    return {pid: counts.get(pid, 0) for pid in pair_ids}


def counted_by_pair(pair_ids: list[int], batch: str = Batch.INITIAL) -> dict[int, dict]:
    """Per pair, over its DONE uploads of one batch: the submitted count (``submitted``, ``submitted_by_pair``)
    and counted supporters per kecamatan (``districts``) from the per-upload recap. Two queries."""
    submitted = submitted_by_pair(pair_ids, batch)
    totals: dict[int, dict] = {pid: {"submitted": submitted[pid], "districts": defaultdict(int)} for pid in pair_ids}
    for pair_id, recap in done_uploads(pair_ids=pair_ids, batch=batch).values_list("pair_id", "recap"):
        for code, count in (recap or {}).items():
            totals[pair_id]["districts"][code] += count
    return totals


# The proven duplicates a regulation's ``duplicate_penalty`` deducts for (Pemilu DPD: 50 supports per case found to
# be forged or deliberately duplicated, PKPU 10/2022; docs/domain.md §9.1): a potential duplicate (same NIK, other
# data) a KPU operator decided against, ``DUP_NOT_CHOSEN`` (``services.decisions``). An identical duplicate is
# dropped without a decision (one row kept) and is not a case proven by anyone. Forged support: a citizen's
# objection (``objections``) the area's KPU confirmed after hearing the pair, ``SUPPORTER_DENIED``: support
# given in the name of a person who never gave it. (A supporter who denies it to the PPS during factual
# verification only makes the row TMS: a statement, not a proven forgery. SILON's reading; a decision for KPU.)
PENALISED_REASONS = ("DUP_NOT_CHOSEN", "SUPPORTER_DENIED")


def penalty_cases_by_pair(pair_ids: list[int], batch: str = Batch.INITIAL) -> dict[int, int]:
    """Proven duplicate cases per pair over its DONE uploads of one batch, from each upload's stored counts per
    reason (kept equal to its rows like ``Upload.recap``). One query."""
    cases = dict.fromkeys(pair_ids, 0)
    for pair_id, reasons in done_uploads(pair_ids=pair_ids, batch=batch).values_list("pair_id", "reason_counts"):
        cases[pair_id] += sum((reasons or {}).get(code, 0) for code in PENALISED_REASONS)
    return cases


def penalised(counted: int, cases: int, per_case: int) -> int:
    """The count after the penalty (never below zero); ``counted`` itself where the regulation has none."""
    return dpd_counted(counted, cases, penalty=per_case) if per_case else counted


def penalty_text(counted: int, cases: int, per_case: int) -> str:
    """ "1.204 dihitung − 2 × 50 penalti = 1.104", the numbers grouped as the active language writes them."""
    return _("%(counted)s dihitung − %(cases)s × %(per_case)s penalti = %(net)s") % {
        "counted": grouped(counted),
        "cases": grouped(cases),
        "per_case": grouped(per_case),
        "net": grouped(penalised(counted, cases, per_case)),
    }


def unit_counts(districts: dict[str, int], spread_level: str) -> dict[str, int]:
    """Counts per spread unit: kecamatan as they are, or summed to their kab/kota (governor)."""
    if spread_level == Level.DISTRICT:
        return dict(districts)
    regencies: dict[str, int] = defaultdict(int)
    for code, count in districts.items():
        regencies[regency_of(code)] += count
    return dict(regencies)


def units_met(per_unit: dict[str, int], units: Iterable[str] | None = None) -> int:
    """How many spread units have at least one supporter (only among ``units`` when given)."""
    if units is None:
        return sum(1 for n in per_unit.values() if n > 0)
    return sum(1 for code in units if per_unit.get(code, 0) > 0)


def shortfall(required: int, reached: int) -> int:
    """How many are missing to reach ``required`` (never below zero)."""
    return max(0, required - reached)


def percent_of_minimum(total: int, minimum: int) -> int:
    """``total`` as a whole percentage of the minimum, capped at 100 (100 when there is no minimum)."""
    return min(100, total * 100 // minimum) if minimum else 100


def regency_groups(districts: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Kecamatan codes under their kab/kota, both sorted: ``[("52.01", ["52.01.01", ...]), ...]``."""
    groups: dict[str, list[str]] = defaultdict(list)
    for code in sorted(districts):
        groups[regency_of(code)].append(code)
    return sorted(groups.items())


@dataclass
class RecapUnit:
    code: str
    name: str
    count: int
    children: list["RecapUnit"] = field(default_factory=list)


@dataclass
class SupportRecap:
    submitted: int  # *Diserahkan* (``submitted_by_pair``)
    total: int  # counted rows, before any penalty
    minimum: int
    shortfall: int
    spread_level: str
    spread_level_label: str
    spread_total: int
    spread_required: int
    spread_met: int
    spread_shortfall: int
    regencies: list[RecapUnit]
    spread_at_least_half: bool = False
    penalty_cases: int = 0  # proven duplicates (``PENALISED_REASONS``)
    penalty_per_case: int = 0  # the regulation's ``duplicate_penalty``; 0: none (Pilkada)

    @property
    def net(self) -> int:
        """What counts toward the minimum: ``total`` less the penalty."""
        return penalised(self.total, self.penalty_cases, self.penalty_per_case)

    @property
    def penalty_text(self) -> str:
        return penalty_text(self.total, self.penalty_cases, self.penalty_per_case)

    @property
    def percent_of_minimum(self) -> int:
        return percent_of_minimum(self.net, self.minimum)


def support_recap(*, pair: CandidatePair, batch: str = Batch.INITIAL) -> SupportRecap:
    """Counted supporters of the pair's DONE uploads of one batch (the initial one unless told) per kab/kota
    and kecamatan, against the requirement: a correction batch is never mixed into the initial count.

    Each upload stores its own per-kecamatan counts when it is validated, so the recap sums a handful of
    small JSON maps instead of scanning millions of rows on every page view.
    """
    election = pair.election
    per_district = district_counts(done_uploads(pair_ids=[pair.pk], batch=batch).values_list("recap", flat=True))
    requirement = election_support_requirement(election)
    names = region_names_under(
        version_id=election.region_version_id, code=election.region_code, levels=[Level.REGENCY, Level.DISTRICT]
    )
    # A regent's or mayor's election is itself the one kab/kota of its recap ("52.01 52.01" without it, #21).
    names.setdefault(election.region_code, election.region_name)
    regencies = []
    for regency, districts in regency_groups(per_district):
        children = [RecapUnit(code, names.get(code, code), per_district[code]) for code in districts]
        regencies.append(RecapUnit(regency, names.get(regency, regency), sum(c.count for c in children), children))
    total = sum(per_district.values())
    met = units_met(unit_counts(per_district, requirement.spread_level))
    per_case = requirement.penalty_per_case
    cases = penalty_cases_by_pair([pair.pk], batch)[pair.pk] if per_case else 0
    return SupportRecap(
        submitted=submitted_by_pair([pair.pk], batch)[pair.pk],
        total=total,
        minimum=requirement.minimum,
        shortfall=shortfall(requirement.minimum, penalised(total, cases, per_case)),
        spread_level=requirement.spread_level,
        spread_level_label=str(Level(requirement.spread_level).label),
        spread_total=requirement.spread_total,
        spread_required=requirement.spread_required,
        spread_met=met,
        spread_shortfall=shortfall(requirement.spread_required, met),
        regencies=regencies,
        spread_at_least_half=requirement.spread_at_least_half,
        penalty_cases=cases,
        penalty_per_case=per_case,
    )
