"""Reads of verification rounds, scoped by the acting user: KPU operators reach the election's region,
verifiers (PPK/PPS) only supporters whose ``village_code`` lies in their kecamatan or desa."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from candidacy.models import CandidatePair
from candidacy.selectors import election_spread_level, election_support_requirement
from regions.codes import ancestor_at_sql, child_of, district_of, province_of, regency_of
from regions.models import Level, Region
from silon.accounts.access import kpu_operator_reaches
from silon.accounts.jurisdiction import code_within, region_q
from silon.accounts.models import Role, User
from support_uploads.models import COUNTED_STATUSES, RowStatus, Supporter, Upload, UploadStatus
from support_uploads.recap import district_tally, penalised, penalty_cases_by_pair, shortfall, unit_counts, units_met

from .models import (
    Batch,
    CorrectionSubmission,
    RoundKind,
    SampleDraw,
    SampleDrawRow,
    Verdict,
    VerificationResult,
    VerificationRound,
)
from .sampling import counted

CORRECTION_FACTOR = 2  # UU 10/2016 Pasal 48(6): a BMS pair submits twice the shortfall


def batch_uploads(*, pair: CandidatePair, batch: str) -> QuerySet[Upload]:
    """The DONE uploads a batch's rounds cover: the initial batch's files, or the files the correction
    submission named (none before it is submitted)."""
    uploads = Upload.objects.filter(pair=pair, status=UploadStatus.DONE, batch=batch)
    if batch == Batch.CORRECTION_1:
        correction = CorrectionSubmission.objects.filter(pair=pair).first()
        return uploads.filter(pk__in=correction.uploads.values("pk")) if correction else uploads.none()
    return uploads


def round_population(round: VerificationRound) -> QuerySet[Supporter]:
    """Who a round must decide on. Administrative: the batch's counted rows plus potential duplicates
    (``review``) left to the operator. Factual: the rows found MS by the same batch's administrative round; a
    round by sample (``VerificationRound.by_sample``, PKPU 10/2022) only the rows its draws took (none before
    the candidate chose its start number)."""
    if round.kind == RoundKind.FACTUAL:
        rows = factual_census(round)
        if round.by_sample:
            rows = rows.filter(pk__in=SampleDrawRow.objects.filter(draw__round=round).values("supporter_id"))
        return rows
    statuses = [*COUNTED_STATUSES, RowStatus.REVIEW]
    rows = Supporter.objects.filter(
        pair_id=round.pair_id,
        upload_id__in=batch_uploads(pair=round.pair, batch=round.batch).values("pk"),
        status__in=statuses,
    )
    if round.batch == Batch.CORRECTION_1:
        # a correction must not repeat a supporter already counted (MS or TMS) in the initial batch
        earlier = Supporter.objects.filter(
            pair_id=round.pair_id,
            upload_id__in=batch_uploads(pair=round.pair, batch=Batch.INITIAL).values("pk"),
            status__in=COUNTED_STATUSES,
        ).values("nik")
        rows = rows.exclude(nik__in=earlier)
    return rows


def factual_census(round: VerificationRound) -> QuerySet[Supporter]:
    """Every supporter a factual round would visit as a census: the rows the same batch's administrative round
    found MS. A round by sample draws from these, per kab/kota."""
    admin = VerificationRound.objects.filter(
        pair_id=round.pair_id, batch=round.batch, kind=RoundKind.ADMINISTRATIVE
    ).first()
    ms_ids = VerificationResult.objects.filter(round=admin, verdict=Verdict.MS).values("supporter_id")
    return Supporter.objects.filter(pk__in=ms_ids)


def round_for_user(user: User, round_id: int) -> VerificationRound:
    """The round, or 404 when the user reaches neither the election nor (for verifiers) any of its desa.
    A verifier (PPK/PPS) works on factual rounds only: the administrative round is the KPU's desk work."""
    round = VerificationRound.objects.select_related("pair", "election").filter(pk=round_id).first()
    if round is None:
        raise Http404
    if user.role == Role.VERIFIER:
        # a PPK/PPS reaches the factual rounds of elections covering its kecamatan/desa; rows are scoped later
        if round.kind != RoundKind.FACTUAL or not (
            user.is_active and user.region_code and code_within(user.region_code, round.election.region_code)
        ):
            raise Http404
    elif not kpu_operator_reaches(user, round.election.region_code):
        raise Http404
    return round


def worklist(*, user: User, round: VerificationRound, village_prefix: str = "") -> QuerySet[Supporter]:
    """The round's supporters the user may work on, each annotated with this round's result (if any)."""
    rows = round_population(round).filter(region_q(user, "village_code") if user.role == Role.VERIFIER else Q())
    if village_prefix:
        rows = rows.filter(Q(village_code=village_prefix) | Q(village_code__startswith=village_prefix + "."))
    results = VerificationResult.objects.filter(round=round, supporter_id=OuterRef("pk"))
    return rows.annotate(
        has_result=Exists(results),
    ).order_by("village_code", "name", "pk")


def supporter_in_worklist(*, user: User, round: VerificationRound, supporter_id: int) -> Supporter:
    supporter = worklist(user=user, round=round).filter(pk=supporter_id).first()
    if supporter is None:
        raise Http404
    return supporter


def worklist_units(*, user: User, round: VerificationRound, prefix: str = "") -> list[dict]:
    """Counts per next-level unit (kab/kota → kecamatan → desa) under ``prefix``: total and decided."""
    rows = worklist(user=user, round=round, village_prefix=prefix).values_list("village_code", "has_result")
    totals: Counter = Counter()
    done: Counter = Counter()
    for code, has_result in rows.iterator():
        unit = child_of(code, prefix or province_of(code))  # below the whole region: kab/kota
        totals[unit] += 1
        done[unit] += bool(has_result)
    return [{"code": c, "total": totals[c], "done": done[c]} for c in sorted(totals)]


@dataclass
class AreaProgress:
    """One desa (or the sum over the listed ones) of a round: counts only, never names (UU 10/2016 Pasal 48)."""

    code: str
    name: str
    total: int = 0
    ms: int = 0
    tms: int = 0
    pending: int = 0

    @property
    def not_visited(self) -> int:
        return max(0, self.total - self.ms - self.tms - self.pending)


def round_progress(
    *, user: User, round: VerificationRound, prefix: str = ""
) -> tuple[list[AreaProgress], AreaProgress]:
    """Per desa/kelurahan under ``prefix``, within the user's reach, the round's supporters and how many are
    MS, TMS, pending (not met, within the 3 days) or not yet visited; and the sum. A verifier (PPK/PPS) gets
    only its own kecamatan/desa whatever it asks; an operator the election's region. Two grouped queries."""
    scope = region_q(user, "village_code") if user.role == Role.VERIFIER else Q()
    if user.role == Role.VERIFIER and not user.region_code:
        scope = Q(pk__in=[])  # a verifier without an area reaches nothing (region_q would grant everything)
    if prefix:
        scope &= Q(village_code=prefix) | Q(village_code__startswith=prefix + ".")
    population = round_population(round).filter(scope)
    areas: dict[str, AreaProgress] = {}
    for code, n in population.values_list("village_code").annotate(n=Count("pk")).order_by():
        areas[code] = AreaProgress(code, "", total=n)
    verdicts = (
        VerificationResult.objects.filter(round=round, supporter_id__in=population.values("pk"))
        .filter(scope)
        .values_list("village_code", "verdict")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for code, verdict, n in verdicts:
        area = areas.get(code)
        if area is None:
            continue  # a result outside the population cannot count towards it
        if verdict == Verdict.MS:
            area.ms += n
        elif verdict == Verdict.TMS:
            area.tms += n
        else:
            area.pending += n
    names = dict(
        Region.objects.filter(version_id=round.election.region_version_id, code__in=list(areas)).values_list(
            "code", "name"
        )
    )
    rows = [areas[code] for code in sorted(areas)]
    for row in rows:
        row.name = names.get(row.code, "")
    total = AreaProgress(prefix or (user.region_code if user.role == Role.VERIFIER else round.election.region_code), "")
    for row in rows:
        total.total, total.ms, total.tms, total.pending = (
            total.total + row.total,
            total.ms + row.ms,
            total.tms + row.tms,
            total.pending + row.pending,
        )
    return rows, total


def supporter_history(*, supporter: Supporter) -> QuerySet[VerificationResult]:
    """Every round's result for one supporter, oldest round first."""
    return (
        VerificationResult.objects.filter(supporter_id=supporter.pk)
        .select_related("round", "reason", "recorded_by")
        .order_by("round__opened_at")
    )


@dataclass
class RoundTotals:
    population: int
    ms: int
    tms: int
    pending: int
    undecided: int
    tms_by_reason: dict[str, int]


def round_totals(round: VerificationRound) -> RoundTotals:
    """The round's counts. Only results of rows in its population count: a result left on a row outside it
    (say, one the administrative round found TMS) must not stand in for an undecided supporter."""
    members = round_population(round)
    population = members.count()
    results = VerificationResult.objects.filter(round=round, supporter_id__in=members.values("pk"))
    counts = dict(results.values_list("verdict").annotate(n=Count("pk")).order_by())
    by_reason = dict(
        results.filter(verdict=Verdict.TMS).values_list("reason_id").annotate(n=Count("pk")).order_by("reason_id")
    )
    decided = sum(counts.values())
    return RoundTotals(
        population=population,
        ms=counts.get(Verdict.MS, 0),
        tms=counts.get(Verdict.TMS, 0),
        pending=counts.get(Verdict.PENDING, 0),
        undecided=max(0, population - decided),
        tms_by_reason={k or "": v for k, v in by_reason.items()},
    )


@dataclass
class SampleDecision:
    """What one kab/kota's sample decided (PKPU 10/2022): ``eligible`` MS of the ``size`` drawn, applied to its
    ``population`` (``sampling.counted``: rounded down)."""

    round_id: int
    draw_id: int
    regency_code: str
    population: int
    size: int
    eligible: int
    eligible_by_district: dict[str, int]

    @property
    def counted(self) -> int:
        return counted(self.eligible, self.size, self.population)


def sample_decisions(*, pair: CandidatePair, round: VerificationRound | None = None) -> list[SampleDecision]:
    """Per kab/kota draw of the pair's closed sampled factual rounds (or of ``round``, open or closed), what its
    sample decided. Two queries."""
    draws = SampleDraw.objects.filter(round__pair=pair, round__by_sample=True)
    draws = draws.filter(round=round) if round is not None else draws.filter(round__closed_at__isnull=False)
    decisions = {
        (d.round_id, d.regency_code): SampleDecision(d.round_id, d.pk, d.regency_code, d.population, d.size, 0, {})
        for d in draws
    }
    if not decisions:
        return []
    ms = (
        VerificationResult.objects.filter(
            round_id__in={key[0] for key in decisions},
            verdict=Verdict.MS,
            supporter_id__in=SampleDrawRow.objects.filter(draw__in=draws).values("supporter_id"),
        )
        .values_list("round_id", "village_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for round_id, village, n in ms:
        decision = decisions.get((round_id, regency_of(village)))
        if decision is not None:
            decision.eligible += n
            district = district_of(village)
            decision.eligible_by_district[district] = decision.eligible_by_district.get(district, 0) + n
    return [decisions[key] for key in sorted(decisions)]


@dataclass
class PairSupportResult:
    ms_total: int
    minimum: int
    shortfall: int
    spread_level: str
    spread_met: int
    spread_required: int
    per_unit: dict[str, int]
    counted: int = 0  # MS before any penalty; ``ms_total`` is after it
    penalty_cases: int = 0
    penalty_per_case: int = 0

    @property
    def meets(self) -> bool:
        return self.shortfall == 0 and self.spread_met >= self.spread_required


def correction_spread_regions(*, pair: CandidatePair, supporters: QuerySet[Supporter]) -> set[str]:
    """The spread regions (kab/kota or kecamatan) of ``supporters`` where the pair has no MS supporter yet."""
    level = election_spread_level(pair.election)
    met = {unit for unit, n in pair_support_result(pair=pair).per_unit.items() if n > 0}
    units = supporters.annotate(unit=ancestor_at_sql("village_code", level)).values_list("unit", flat=True).distinct()
    return set(units.order_by()) - met


def pair_support_result(*, pair: CandidatePair) -> PairSupportResult:
    """MS supporters of every closed factual round of the pair, against the minimum and the spread
    (UU 10/2016 Pasal 41: kab/kota for a governor, kecamatan for a regent or mayor; MS rows only). A round by
    sample adds, per kab/kota, the count its sample decided (``sample_decisions``, PKPU 10/2022), not its rows."""
    requirement = election_support_requirement(pair.election)
    level = election_spread_level(pair.election)
    ms = VerificationResult.objects.filter(
        round__pair=pair,
        round__kind=RoundKind.FACTUAL,
        round__closed_at__isnull=False,
        round__by_sample=False,
        verdict=Verdict.MS,
    )
    per_district = district_tally(ms.values_list("village_code").annotate(n=Count("pk")).order_by())
    per_unit = unit_counts(per_district, level)
    total = sum(per_district.values())
    for decision in sample_decisions(pair=pair):
        total += decision.counted
        if level == Level.DISTRICT:
            # a sample decides a kab/kota, not each kecamatan: a kecamatan counts towards the spread where the
            # sample found an MS supporter in it (SILON's reading for a kecamatan-spread election by sample)
            for code, n in decision.eligible_by_district.items():
                per_unit[code] = per_unit.get(code, 0) + n
        else:
            per_unit[decision.regency_code] = per_unit.get(decision.regency_code, 0) + decision.counted
    # Pemilu DPD: each proven duplicate or forged support, in any batch, deducts the regulation's penalty
    # (``support_uploads.recap.PENALISED_REASONS``; UU 7/2017 Pasal 183, PKPU 10/2022)
    per_case = requirement.penalty_per_case
    cases = sum(penalty_cases_by_pair([pair.pk], batch)[pair.pk] for batch in Batch.values) if per_case else 0
    net = penalised(total, cases, per_case)
    return PairSupportResult(
        ms_total=net,
        minimum=requirement.minimum,
        shortfall=shortfall(requirement.minimum, net),
        spread_level=requirement.spread_level,
        spread_met=units_met(per_unit),
        spread_required=requirement.spread_required,
        per_unit=per_unit,
        counted=total,
        penalty_cases=cases,
        penalty_per_case=per_case,
    )
