"""Factual verification by sample (DPD, docs/domain.md §9.1; UU 7/2017 Pasal 183, PKPU 10/2022): the size of
each kab/kota's sample and the systematic draw, free of the database so that anyone holding the same inputs
draws the same sample.

**Size.** Krejcie and Morgan (1970): ``n = χ²·N·P(1−P) / (d²·(N−1) + χ²·P(1−P))`` with χ² = 3.841 (one degree of
freedom, 95 %), P = 0.5 and d = 0.05. The parameters are the regulation's (``SampleRule``). The published
table rounds ``n`` to the nearest whole number: N = 50 gives 44 (44.34), N = 500 gives 217 (217.47), N = 100
gives 80, N = 1,000 gives 278, N = 10,000 gives 370 and N = 1,000,000 gives 384. docs/domain.md §9.1 says
"rounded up", which gives 45 and 218 for the first two, so the rounding is part of the rule
(``SampleRule.rounding``); the default follows the published table. Every kab/kota with supporters is
sampled, one with a single supporter too (n = 1), and a sample never exceeds N.

**Draw.** The kab/kota's supporters are sorted by address, sex and age (then NIK, so that the order is total
and anyone can repeat it). The interval is ``k = N / n`` (a fraction); the candidate chooses the start number
``s`` from 1 to ``floor(k)`` (form MODEL.AWAL.SAMPEL.DPD); the i-th supporter drawn (i = 0 … n−1) is the one at
position ``s + floor(i·k)`` of the sorted list, counted from 1. The positions are distinct and never pass N.
The candidate picks one start number for the whole province; a kab/kota whose interval is shorter takes it
modulo its interval (``effective_start``: s' = (s − 1) mod floor(k) + 1), so the one number always lands in
range. **Assumption**: the public reports describe one start number per candidate; how a number larger than a
kab/kota's interval is applied is not stated in what was found, this reduction is SILON's reading.

**Decision.** The sample decides its kab/kota: the share of the sample found eligible (MS) is applied to the
kab/kota's population (PKPU 10/2022). ``counted`` rounds ``MS/n × N`` down to a whole supporter.
**Assumption**: the rounding direction (down) is SILON's reading, chosen so that a sample never credits a
candidate with a supporter it did not prove; the text found does not state it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import floor


@dataclass(frozen=True)
class SampleRule:
    """The sampling parameters of a regulation version."""

    chi_square: Fraction = Fraction("3.841")
    proportion: Fraction = Fraction(1, 2)
    margin: Fraction = Fraction(5, 100)
    rounding: str = "nearest"  # "nearest" (halves up, as the published table) or "up"


KREJCIE_MORGAN = SampleRule()


def sample_size(population: int, rule: SampleRule = KREJCIE_MORGAN) -> int:
    """How many of ``population`` supporters of one kab/kota are drawn (exact rational arithmetic)."""
    if population <= 0:
        return 0
    spread = rule.chi_square * rule.proportion * (1 - rule.proportion)
    n = spread * population / (rule.margin**2 * (population - 1) + spread)
    whole = -(-n.numerator // n.denominator) if rule.rounding == "up" else floor(n + Fraction(1, 2))
    return max(1, min(population, whole))


def rule_of(regulation) -> SampleRule:
    """The parameters a regulation version holds (``RegulationVersion.sample_chi2``, ``sample_proportion``,
    ``sample_margin``; any object with those attributes) as a rule."""
    return SampleRule(
        chi_square=Fraction(regulation.sample_chi2),
        proportion=Fraction(regulation.sample_proportion),
        margin=Fraction(regulation.sample_margin),
    )


def effective_start(chosen: int, population: int, size: int) -> int:
    """The candidate's one start number as this kab/kota applies it: within 1..floor(N / n)."""
    if chosen < 1:
        raise ValueError("the start number is at least 1")
    return (chosen - 1) % len(start_numbers(population, size)) + 1


def counted(eligible: int, size: int, population: int) -> int:
    """The kab/kota's count decided by its sample: ``eligible`` of ``size`` drawn, applied to ``population``,
    rounded down (exact integer arithmetic; PKPU 10/2022, rounding: see the module's docstring)."""
    if size <= 0:
        return 0
    return eligible * population // size


def interval(population: int, size: int) -> Fraction:
    return Fraction(population, size)


def start_numbers(population: int, size: int) -> range:
    """The start numbers the candidate may choose from: 1 to ``floor(N / n)``."""
    return range(1, floor(interval(population, size)) + 1)


def positions(population: int, size: int, start: int) -> list[int]:
    """The 1-based positions in the sorted list that the draw takes."""
    if start not in start_numbers(population, size):
        raise ValueError(f"start number {start} is outside 1..{floor(interval(population, size))}")
    step = interval(population, size)
    return [start + floor(i * step) for i in range(size)]


@dataclass(frozen=True)
class Person:
    """What the sort order of a draw reads of one supporter."""

    key: int  # the supporter's id, returned for the drawn ones
    address: str
    sex: str
    age: int
    nik: str


def order_key(person: Person) -> tuple:
    return (" ".join(person.address.upper().split()), person.sex, person.age, person.nik)


@dataclass(frozen=True)
class Draw:
    """One kab/kota's draw, every input recorded so that it can be repeated and checked."""

    population: int
    size: int
    interval: Fraction
    start: int
    order: tuple[int, ...]  # every supporter's key, in the sort order
    drawn: tuple[int, ...]  # the drawn supporters' keys, in the order drawn


def draw(people: Sequence[Person], start: int, rule: SampleRule = KREJCIE_MORGAN) -> Draw:
    """The sample of one kab/kota's supporters from the candidate's ``start`` number."""
    ordered = sorted(people, key=order_key)
    size = sample_size(len(ordered), rule)
    taken = positions(len(ordered), size, start) if size else []
    return Draw(
        population=len(ordered),
        size=size,
        interval=interval(len(ordered), size) if size else Fraction(0),
        start=start,
        order=tuple(p.key for p in ordered),
        drawn=tuple(ordered[i - 1].key for i in taken),
    )
