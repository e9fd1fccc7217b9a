"""The arithmetic of the law, free of the database so it can be tested against published figures."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar


@dataclass(frozen=True)
class Band:
    dpt_up_to: int | None
    percent: Decimal


B = TypeVar("B", "Band", "FixedBand")  # a percent band (Pilkada) or a fixed-minimum band (DPD)


def band_for(dpt: int, bands: list[B]) -> B:
    """The band whose range holds ``dpt``: "up to 2,000,000" includes 2,000,000 (UU 10/2016 Pasal 41)."""
    ordered = sorted(bands, key=lambda b: (b.dpt_up_to is None, b.dpt_up_to or 0))
    for band in ordered:
        if band.dpt_up_to is None or dpt <= band.dpt_up_to:
            return band
    raise ValueError(f"no band covers a DPT of {dpt}")


def share_ceil(total: int, percent: Decimal) -> int:
    """``ceil(total × percent / 100)`` in exact integer arithmetic (floats would misround at the edges)."""
    numerator, denominator = Decimal(percent).as_integer_ratio()
    return -(-total * numerator // (denominator * 100))


def support_minimum(dpt: int, bands: list[Band]) -> int:
    """Minimum supporters for an independent pair: ``ceil(DPT × pct)``. NTB 2018: 3,568,594 × 8.5% = 303,331."""
    return share_ceil(dpt, band_for(dpt, bands).percent)


def spread_required(units: int, *, at_least_half: bool = False) -> int:
    """Pilkada: supporters must come from more than 50% of the units, ``floor(n/2) + 1`` (UU 10/2016 Pasal
    41(1)(e)). DPD (``at_least_half``): from at least half of the province's kab/kota, ``ceil(n/2)`` (UU 7/2017
    Pasal 183; docs/domain.md §9.1): Jawa Barat's 27 need 14 either way, 10 need 6 or 5."""
    return -(-units // 2) if at_least_half else units // 2 + 1


@dataclass(frozen=True)
class FixedBand:
    """A band of a fixed minimum (DPD: 1,000 supporters up to a DPT of 1 million, ...)."""

    dpt_up_to: int | None
    minimum: int


def fixed_minimum(dpt: int, bands: list[FixedBand]) -> int:
    """The minimum of the band whose range holds ``dpt``, "up to" inclusive as in ``band_for`` (DPD: UU 7/2017
    Pasal 183(1); docs/domain.md §9.1)."""
    return band_for(dpt, bands).minimum


def band_minimum(dpt: int, bands: "list[Band] | list[FixedBand]") -> int:
    """The minimum the regulation's bands set for ``dpt``: a share of it (``Band``, Pilkada) or a fixed number
    (``FixedBand``, Pemilu DPD)."""
    band = band_for(dpt, bands)
    return band.minimum if isinstance(band, FixedBand) else share_ceil(dpt, band.percent)


DPD_PENALTY_PER_PROVEN_CASE = 50  # supports deducted per proven duplicate or forged support (docs/domain.md §9.1)


def dpd_counted(counted: int, proven_cases: int, *, penalty: int = DPD_PENALTY_PER_PROVEN_CASE) -> int:
    """A DPD candidate's count after the penalty: "1,204 counted - 2 x 50 penalty = 1,104" (never below 0)."""
    return max(counted - proven_cases * penalty, 0)


def age_on(birth_date: date, on: date) -> int:
    """Completed years of age on a day (a birthday on 29 February counts from 1 March in common years)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


@dataclass(frozen=True)
class CoalitionCheck:
    """Whether a party or coalition may nominate a pair (UU 10/2016 Pasal 40; MK 60/PUU-XXII/2024)."""

    votes: int
    seats: int
    votes_required: int | None
    seats_required: int | None
    qualifies: bool


def party_votes_required_by_band(total_valid_votes: int, dpt: int, bands: list[Band]) -> int:
    """MK 60/PUU-XXII/2024: valid DPRD votes at the support band of the region's DPT, rounded up."""
    return share_ceil(total_valid_votes, band_for(dpt, bands).percent)


def coalition_qualifies_by_band(*, votes: int, total_valid_votes: int, dpt: int, bands: list[Band]) -> CoalitionCheck:
    required = party_votes_required_by_band(total_valid_votes, dpt, bands)
    return CoalitionCheck(
        votes=votes, seats=0, votes_required=required, seats_required=None, qualifies=votes >= required
    )


def coalition_qualifies_by_seats_or_votes(
    *,
    votes: int,
    seats: int,
    total_valid_votes: int,
    total_seats: int,
    seat_percent: Decimal,
    vote_percent: Decimal,
) -> CoalitionCheck:
    """UU 10/2016 Pasal 40(1): 20% of DPRD seats or 25% of valid votes; a fraction of a seat rounds up
    (PKPU 3/2017 Pasal 5(3))."""
    seats_required = share_ceil(total_seats, seat_percent)
    votes_required = share_ceil(total_valid_votes, vote_percent)
    return CoalitionCheck(
        votes=votes,
        seats=seats,
        votes_required=votes_required,
        seats_required=seats_required,
        qualifies=seats >= seats_required or votes >= votes_required,
    )


def outage_extension_hours(outage_seconds: float, *, min_hours: int, round_hours: int) -> int:
    """How many hours a stage is extended for an outage: its length rounded up to whole multiples of
    ``round_hours``, at least ``min_hours`` (the RegulationVersion's rule; Bawaslu's 24 hours after the
    Jakarta 2024 outage, docs/domain.md §9.4)."""
    step = max(round_hours, 1) * 3600
    rounded = -(-int(outage_seconds) // step) * step // 3600
    return max(rounded, min_hours)
