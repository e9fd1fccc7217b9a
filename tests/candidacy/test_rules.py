"""Threshold and spread arithmetic against published figures (DOMAIN.md §4)."""

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
