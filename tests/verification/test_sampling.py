"""DPD factual verification by sample (verification/sampling.py, docs/domain.md §9.1): Krejcie-Morgan sizes
against the published table, and a systematic draw that anyone with the same inputs repeats."""

import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from candidacy.models import RegulationVersion
from verification.sampling import (
    KREJCIE_MORGAN,
    Person,
    SampleRule,
    counted,
    draw,
    effective_start,
    positions,
    sample_size,
    start_numbers,
)
from verification.sampling import rule_of as sampling_rule_of

# Krejcie & Morgan (1970), Table 1: population N -> sample size S
PUBLISHED = {10: 10, 50: 44, 100: 80, 200: 132, 500: 217, 1_000: 278, 2_000: 322, 5_000: 357, 10_000: 370}


@pytest.mark.parametrize(("population", "size"), [*PUBLISHED.items(), (1_000_000, 384)])
def test_sizes_follow_the_published_table(population, size):
    assert sample_size(population) == size


def test_every_kabkota_with_supporters_is_sampled_and_a_sample_never_exceeds_its_population():
    assert [sample_size(n) for n in (0, 1, 2, 3)] == [0, 1, 2, 3]
    # "rounded up" (docs/domain.md) is the other reading: it differs from the table where the fraction is small
    up = SampleRule(rounding="up")
    assert (sample_size(50, up), sample_size(500, up), sample_size(1_000, up)) == (45, 218, 278)
    assert KREJCIE_MORGAN.chi_square == Fraction("3.841") and KREJCIE_MORGAN.margin == Fraction(1, 20)


@given(st.integers(min_value=1, max_value=200_000), st.data())
def test_positions_are_distinct_within_the_list_and_as_many_as_the_size(population, data):
    size = sample_size(population)
    start = data.draw(st.sampled_from(start_numbers(population, size)))
    taken = positions(population, size, start)
    assert len(taken) == len(set(taken)) == size
    assert taken == sorted(taken) and 1 <= taken[0] == start and taken[-1] <= population


def test_a_start_number_outside_the_interval_is_refused():
    assert start_numbers(1_000, 278) == range(1, 4)  # k = 1000/278 = 3.6: start 1, 2 or 3
    with pytest.raises(ValueError, match=r"outside 1\.\.3"):
        positions(1_000, 278, 4)


def _people(n: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    return [
        Person(
            key=i,
            address=rng.choice(["JL. MAWAR 1", "Jl.  Mawar 1", "JL. MELATI 2", "DUSUN BARAT"]),
            sex=rng.choice("LP"),
            age=rng.randint(17, 90),
            nik=f"5201{i:012d}",
        )
        for i in range(n)
    ]


def test_the_draw_is_the_same_for_anyone_with_the_same_inputs_whatever_order_they_come_in():
    people = _people(1_000, seed=7)
    first = draw(people, start=2)
    shuffled = people[:]
    random.Random(1).shuffle(shuffled)
    again = draw(shuffled, start=2)
    assert first == again
    assert (first.population, first.size, first.interval, first.start) == (1_000, 278, Fraction(1000, 278), 2)
    by_key = {p.key: p for p in people}
    ordered = [by_key[k] for k in first.order]
    # sorted by address (case and spacing ignored), sex, age, then NIK
    assert ordered == sorted(ordered, key=lambda p: (" ".join(p.address.upper().split()), p.sex, p.age, p.nik))
    assert first.drawn[:3] == (first.order[1], first.order[4], first.order[8])  # 2 + floor(i * 3.597...)
    assert draw(people, start=3).drawn != first.drawn


def test_a_single_supporter_is_the_sample():
    (only,) = _people(1, seed=1)
    result = draw([only], start=1)
    assert (result.size, result.drawn) == (1, (only.key,))


def test_the_regulations_parameters_are_the_rule_and_the_defaults_are_krejcie_morgans():
    version = RegulationVersion(effective_from=None)  # the field defaults (a new regulation version)
    assert sampling_rule_of(version) == KREJCIE_MORGAN
    assert (version.sample_chi2, version.sample_proportion, version.sample_margin) == (
        Decimal("3.841"),
        Decimal("0.5"),
        Decimal("0.05"),
    )
    wider = RegulationVersion(effective_from=None, sample_margin=Decimal("0.1"))
    assert sample_size(1_000, sampling_rule_of(wider)) == 88  # 3.841·250 / (0.01·999 + 0.96025) = 87.7


def test_one_start_number_lands_in_every_interval():
    assert start_numbers(1_000, 278) == range(1, 4)
    assert [effective_start(s, 1_000, 278) for s in (1, 2, 3, 4, 7)] == [1, 2, 3, 1, 1]
    assert [effective_start(s, 1, 1) for s in (1, 2, 5)] == [1, 1, 1]  # a lone supporter is always drawn
    with pytest.raises(ValueError):
        effective_start(0, 1_000, 278)


@pytest.mark.parametrize(
    ("eligible", "size", "population", "expected"),
    [(278, 278, 1_000, 1_000), (0, 278, 1_000, 0), (139, 278, 1_000, 500), (200, 278, 1_000, 719), (1, 1, 1, 1)],
)
def test_the_sample_decides_the_kabkota_count_rounded_down(eligible, size, population, expected):
    # 200/278 × 1000 = 719.4 → 719 (PKPU 10/2022; rounding down is SILON's reading, verification/sampling.py)
    assert counted(eligible, size, population) == expected
