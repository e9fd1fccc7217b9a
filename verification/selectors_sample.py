"""Reads of factual verification by sample (PKPU 10/2022; ``verification.sampling``): each kab/kota's
population and what its draw will be before the candidate picks the start number, the recorded draws, and the
draw re-derived from the database to check that it is the one recorded."""

import datetime
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet
from django.http import Http404

from regions.codes import regency_of
from regions.models import Region
from silon.accounts.access import kpu_operator_reaches
from silon.accounts.jurisdiction import region_in_reach
from silon.accounts.models import User
from silon.accounts.roles import Role
from support_uploads.models import Supporter
from support_uploads.selectors import lo_pairs

from . import sampling
from .models import RoundKind, SampleDraw, SampleDrawRow, SampleStart, VerificationRound
from .selectors import factual_census

# the sort order of a draw, as recorded on it: the full address (desa code, street, RT/RW), sex, age, then NIK
SORT_ORDER = "alamat (kode desa, jalan, RT/RW), jenis kelamin, umur, NIK"


def sample_round_for_user(user: User, round_id: int) -> VerificationRound:
    """A factual round by sample, for the LO of its pair, a KPU operator reaching its election, or Bawaslu of the
    election's area, which supervises the draw read-only (UU 10/2016 Pasal 48: Bawaslu supervises verification;
    its reads are audited by ``SupervisionAuditMiddleware``, its downloads watermarked); 404 for anyone else (a
    verifier works from the worklist) and for a census round."""
    round = (
        VerificationRound.objects.select_related("pair", "election__regulation")
        .filter(pk=round_id, kind=RoundKind.FACTUAL, by_sample=True)
        .first()
    )
    if round is None:
        raise Http404
    if lo_pairs(user).filter(pk=round.pair_id).exists():
        return round
    if user.is_authenticated and kpu_operator_reaches(user, round.election.region_code):
        return round
    if user.is_authenticated and user.role == Role.BAWASLU and region_in_reach(user, round.election.region_code):
        return round
    raise Http404


def round_sample_start(round: VerificationRound) -> SampleStart | None:
    return SampleStart.objects.filter(round=round).select_related("submitted_by").first()


def age_on(birth_date: datetime.date | None, day: datetime.date) -> int:
    """Whole years on ``day``; −1 when the row has no birth date (such rows sort first)."""
    if birth_date is None:
        return -1
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def draw_age_on(round: VerificationRound) -> datetime.date:
    """Ages are counted on polling day, the day the age rule reads (UU 10/2016 Pasal 1(6), 17 years)."""
    return round.election.polling_day


def population_people(rows: QuerySet[Supporter], day: datetime.date) -> dict[str, list[sampling.Person]]:
    """The rows as ``sampling.Person`` per kab/kota code (one query)."""
    people: dict[str, list[sampling.Person]] = defaultdict(list)
    fields = ("pk", "village_code", "address", "rt", "rw", "sex", "birth_date", "nik")
    for pk, village, address, rt, rw, sex, birth, nik in rows.values_list(*fields).order_by().iterator():
        people[regency_of(village)].append(
            sampling.Person(
                key=pk,
                address=f"{village} {address} RT {rt} RW {rw}",
                sex=(sex or "").strip().upper(),
                age=age_on(birth, day),
                nik=nik,
            )
        )
    return dict(people)


def order_digest(order: tuple[int, ...]) -> str:
    """SHA-256 over the sorted population's supporter ids: the recorded fingerprint of the sort."""
    return hashlib.sha256(",".join(map(str, order)).encode()).hexdigest()


@dataclass
class PlannedDraw:
    """One kab/kota's population before the draw: N, n, the interval and the start numbers it allows."""

    regency_code: str
    name: str
    population: int
    size: int

    @property
    def interval(self) -> Fraction:
        return sampling.interval(self.population, self.size)

    @property
    def interval_decimal(self) -> str:
        return f"{float(self.interval):.2f}"

    @property
    def last_start(self) -> int:
        return len(sampling.start_numbers(self.population, self.size))


def sample_plan(round: VerificationRound) -> list[PlannedDraw]:
    """Every kab/kota with supporters in the round's census population (each is sampled, even one with a single
    supporter), with the size the regulation's parameters give. Two queries."""
    rule = sampling.rule_of(round.election.regulation)
    counts: dict[str, int] = defaultdict(int)
    for village in factual_census(round).values_list("village_code", flat=True).order_by().iterator():
        counts[regency_of(village)] += 1
    names = dict(
        Region.objects.filter(version_id=round.election.region_version_id, code__in=list(counts)).values_list(
            "code", "name"
        )
    )
    return [
        PlannedDraw(code, names.get(code, ""), n, sampling.sample_size(n, rule)) for code, n in sorted(counts.items())
    ]


def start_limit(plan: list[PlannedDraw]) -> int:
    """The highest start number the candidate may choose: the longest interval's (at least 1)."""
    return max((p.last_start for p in plan), default=1)


def round_draws(round: VerificationRound) -> QuerySet[SampleDraw]:
    return SampleDraw.objects.filter(round=round).order_by("regency_code")


def draw_rows(draw: SampleDraw) -> QuerySet[SampleDrawRow]:
    """The drawn rows with their supporter's NIK and desa (for the export), in position order."""
    supporters = Supporter.objects.filter(pk__in=SampleDrawRow.objects.filter(draw=draw).values("supporter_id"))
    by_pk = {pk: (nik, village) for pk, nik, village in supporters.values_list("pk", "nik", "village_code")}
    rows = list(SampleDrawRow.objects.filter(draw=draw).order_by("position"))
    for row in rows:
        row.nik, row.village_code = by_pk.get(row.supporter_id, ("", ""))
    return rows


@dataclass
class Rederived:
    """A recorded draw against the one the recorded inputs give today."""

    draw: SampleDraw
    result: sampling.Draw
    digest: str
    recorded_positions: list[tuple[int, int]]  # (position, supporter id)
    derived_positions: list[tuple[int, int]]

    @property
    def differences(self) -> list[str]:
        found = []
        if self.result.population != self.draw.population:
            found.append(f"population {self.draw.population} recorded, {self.result.population} now")
        if self.result.size != self.draw.size:
            found.append(f"size {self.draw.size} recorded, {self.result.size} now")
        if self.digest != self.draw.order_digest:
            found.append("the sorted population differs from the recorded one (order digest)")
        if self.recorded_positions != self.derived_positions:
            changed = len(set(self.recorded_positions) ^ set(self.derived_positions))
            found.append(f"drawn supporters differ ({changed} position/supporter pairs)")
        return found

    @property
    def matches(self) -> bool:
        return not self.differences


def draw_rederive(draw: SampleDraw) -> Rederived:
    """Draw again from the recorded inputs (population from the administrative round's MS rows in the kab/kota,
    the recorded age date, start number and parameters) and compare it with the recorded draw."""
    round = VerificationRound.objects.select_related("election").get(pk=draw.round_id)
    rows = factual_census(round).filter(village_code__startswith=draw.regency_code + ".")
    people = population_people(rows, draw.age_on).get(draw.regency_code, [])
    rule = sampling.SampleRule(
        chi_square=Fraction(draw.chi_square), proportion=Fraction(draw.proportion), margin=Fraction(draw.margin)
    )
    try:
        result = sampling.draw(people, draw.start, rule)
        positions = sampling.positions(result.population, result.size, draw.start) if result.size else []
    except ValueError:  # the population changed so much that the recorded start no longer fits its interval
        ordered = tuple(p.key for p in sorted(people, key=sampling.order_key))
        size = sampling.sample_size(len(people), rule)
        result = sampling.Draw(len(people), size, sampling.interval(len(people), size), draw.start, ordered, ())
        positions = []
    derived = [(p, result.order[p - 1]) for p in positions]
    recorded = list(
        SampleDrawRow.objects.filter(draw=draw).order_by("position").values_list("position", "supporter_id")
    )
    return Rederived(draw, result, order_digest(result.order), recorded, derived)
