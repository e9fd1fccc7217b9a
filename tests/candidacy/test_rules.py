"""Threshold and spread arithmetic against published figures (docs/domain.md §4)."""

import datetime
from decimal import Decimal

import pytest

from candidacy.rules import Band, band_for, share_ceil, spread_required, support_minimum

PROVINCE = [
    Band(2_000_000, Decimal("10")),
    Band(6_000_000, Decimal("8.5")),
    Band(12_000_000, Decimal("7.5")),
    Band(None, Decimal("6.5")),
]
REGENCY = [
    Band(250_000, Decimal("10")),
    Band(500_000, Decimal("8.5")),
    Band(1_000_000, Decimal("7.5")),
    Band(None, Decimal("6.5")),
]


@pytest.mark.parametrize(
    ("dpt", "expected"),
    [
        (3_568_594, 303_331),  # NTB 2018
        (35_714_901, 2_321_469),  # Jawa Barat 2024
        (31_402_838, 2_041_185),  # Jawa Timur 2024
        (8_252_897, 618_968),  # DKI Jakarta 2024
        (6_670_582, 500_294),  # Sulawesi Selatan 2024
    ],
)
def test_published_governor_minimums(dpt, expected):
    assert support_minimum(dpt, PROVINCE) == expected


@pytest.mark.parametrize(
    ("dpt", "percent"),
    [
        (2_000_000, "10"),
        (2_000_001, "8.5"),
        (6_000_000, "8.5"),
        (6_000_001, "7.5"),
        (12_000_000, "7.5"),
        (12_000_001, "6.5"),
        (1, "10"),
    ],
)
def test_province_band_edges_are_inclusive(dpt, percent):
    assert band_for(dpt, PROVINCE).percent == Decimal(percent)


@pytest.mark.parametrize(
    ("dpt", "percent"),
    [(250_000, "10"), (250_001, "8.5"), (500_000, "8.5"), (500_001, "7.5"), (1_000_000, "7.5"), (1_000_001, "6.5")],
)
def test_regency_band_edges_are_inclusive(dpt, percent):
    assert band_for(dpt, REGENCY).percent == Decimal(percent)


def test_minimum_rounds_up_exactly():
    assert share_ceil(2_000_000, Decimal("10")) == 200_000
    assert share_ceil(2_000_001, Decimal("8.5")) == 170_001  # 170,000.085 → up
    assert share_ceil(250_001, Decimal("8.5")) == 21_251  # 21,250.085 → up


@pytest.mark.parametrize(("units", "required"), [(10, 6), (27, 14), (38, 20), (1, 1), (2, 2), (3, 2)])
def test_spread_is_more_than_half(units, required):
    assert spread_required(units) == required


# --- party path (UU 10/2016 Pasal 40; MK 60/PUU-XXII/2024) ----------------------------------------

from candidacy.rules import (  # noqa: E402
    age_on,
    coalition_qualifies_by_band,
    coalition_qualifies_by_seats_or_votes,
    party_votes_required_by_band,
)


@pytest.mark.parametrize(
    ("dpt", "total_votes", "required"),
    [
        (2_000_000, 1_000_000, 100_000),  # 10% band, top edge inclusive
        (2_000_001, 1_000_000, 85_000),  # 8.5%
        (6_000_000, 1_000_001, 85_001),  # 85,000.085 rounds up
        (6_000_001, 1_000_000, 75_000),  # 7.5%
        (12_000_001, 1_000_000, 65_000),  # 6.5%
    ],
)
def test_mk60_party_threshold_follows_the_dpt_bands(dpt, total_votes, required):
    assert party_votes_required_by_band(total_votes, dpt, PROVINCE) == required


def test_mk60_coalition_at_and_below_the_line():
    at = coalition_qualifies_by_band(votes=85_000, total_valid_votes=1_000_000, dpt=3_000_000, bands=PROVINCE)
    below = coalition_qualifies_by_band(votes=84_999, total_valid_votes=1_000_000, dpt=3_000_000, bands=PROVINCE)
    assert at.qualifies and at.votes_required == 85_000 and at.seats_required is None
    assert not below.qualifies


@pytest.mark.parametrize(
    ("votes", "seats", "qualifies"),
    [
        (0, 11, True),  # 20% of 55 seats = 11
        (0, 10, False),
        (250_000, 0, True),  # 25% of 1,000,000 votes
        (249_999, 10, False),
    ],
)
def test_pre_mk60_rule_is_seats_or_votes(votes, seats, qualifies):
    check = coalition_qualifies_by_seats_or_votes(
        votes=votes,
        seats=seats,
        total_valid_votes=1_000_000,
        total_seats=55,
        seat_percent=Decimal("20"),
        vote_percent=Decimal("25"),
    )
    assert (check.seats_required, check.votes_required) == (11, 250_000)
    assert check.qualifies is qualifies


def test_a_fraction_of_a_seat_rounds_up():
    check = coalition_qualifies_by_seats_or_votes(
        votes=0, seats=0, total_valid_votes=0, total_seats=62, seat_percent=Decimal("20"), vote_percent=Decimal("25")
    )
    assert check.seats_required == 13  # 12.4 → 13


def test_age_counts_completed_years():
    born = datetime.date(1996, 9, 22)
    assert age_on(born, datetime.date(2026, 9, 22)) == 30
    assert age_on(born, datetime.date(2026, 9, 21)) == 29


def test_dpd_minimum_bands_spread_and_penalty():
    """DPD (UU 7/2017 Pasal 183; docs/domain.md §9.1): fixed minimums by the province's DPT, "up to" inclusive;
    spread in at least half of the kab/kota (Pilkada: more than half); 50 deducted per proven case."""
    from candidacy.rules import FixedBand, dpd_counted, fixed_minimum

    bands = [
        FixedBand(1_000_000, 1_000),
        FixedBand(5_000_000, 2_000),
        FixedBand(10_000_000, 3_000),
        FixedBand(15_000_000, 4_000),
        FixedBand(None, 5_000),
    ]
    edges = {
        1: 1_000,
        1_000_000: 1_000,
        1_000_001: 2_000,
        5_000_000: 2_000,
        10_000_000: 3_000,
        15_000_000: 4_000,
        15_000_001: 5_000,
        35_714_901: 5_000,  # Jawa Barat 2024 (about 35.7 million)
    }
    assert {dpt: fixed_minimum(dpt, bands) for dpt in edges} == edges
    assert [spread_required(n, at_least_half=True) for n in (27, 35, 10, 1)] == [14, 18, 5, 1]
    assert [spread_required(n) for n in (27, 35, 10, 1)] == [14, 18, 6, 1]
    assert dpd_counted(1_204, 2) == 1_104 and dpd_counted(60, 2) == 0
