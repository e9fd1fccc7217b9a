"""Reads of elections and pairs, scoped by the acting user's reach."""

from dataclasses import dataclass

from django.db.models import QuerySet

from regions.models import Level, Region
from silon.accounts.jurisdiction import scope_by_region

from .models import BandScope, CandidatePair, Election, ElectionType
from .rules import Band, band_for, spread_required, support_minimum


@dataclass(frozen=True)
class SupportRequirement:
    """What an independent pair of ``election`` must gather (UU 10/2016 Pasal 41)."""

    dpt: int
    percent: str
    minimum: int
    spread_level: str  # Level.REGENCY for governor elections, Level.DISTRICT for regent/mayor
    spread_total: int
    spread_required: int


def election_band_scope(election: Election) -> BandScope:
    return BandScope.PROVINCE if election.type == ElectionType.GOVERNOR else BandScope.REGENCY


def election_spread_level(election: Election) -> Level:
    """Spread counts kab/kota for a governor election and kecamatan for a regent or mayor election."""
    return Level.REGENCY if election.type == ElectionType.GOVERNOR else Level.DISTRICT


def election_spread_units(election: Election) -> QuerySet[Region]:
    """The regions (of the election's list version) that spread is counted over."""
    return Region.objects.filter(
        version_id=election.region_version_id,
        level=election_spread_level(election),
        parent_code=election.region_code,
    )


def election_support_requirement(election: Election) -> SupportRequirement:
    bands = [
        Band(dpt_up_to=b.dpt_up_to, percent=b.percent)
        for b in election.regulation.bands.filter(scope=election_band_scope(election))
    ]
    minimum = support_minimum(election.dpt, bands)
    units = election_spread_units(election).count()
    return SupportRequirement(
        dpt=election.dpt,
        percent=str(band_for(election.dpt, bands).percent.normalize()),
        minimum=minimum,
        spread_level=election_spread_level(election),
        spread_total=units,
        spread_required=spread_required(units),
    )


def election_list(*, user) -> QuerySet[Election]:
    """Elections an operator, verifier or Bawaslu user reaches by region."""
    return scope_by_region(Election.objects.select_related("region_version", "regulation"), user, "region_code")


def pair_list(*, user) -> QuerySet[CandidatePair]:
    return CandidatePair.objects.filter(election__in=election_list(user=user)).select_related("election")
