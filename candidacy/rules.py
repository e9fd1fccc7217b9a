"""The arithmetic of the law, free of the database so it can be tested against published figures."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    dpt_up_to: int | None
    percent: Decimal


def band_for(dpt: int, bands: list[Band]) -> Band:
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


def spread_required(units: int) -> int:
    """Supporters must come from more than 50% of the units: ``floor(n/2) + 1`` (UU 10/2016 Pasal 41(1)(e))."""
    return units // 2 + 1
