"""Requirements computed through the Election model against published figures (docs/domain.md §4)."""

import pytest
from guardian.shortcuts import assign_perm

from candidacy.models import ElectionType, PartyRule, RegulationVersion
from candidacy.selectors import (
    coalition_check,
    election_party_threshold,
    election_support_requirement,
    pair_list,
    pair_public_profile,
)
from regions.models import Level
from silon.accounts.models import Role
from tests.accounts.factories import UserFactory, operator

from .factories import (
    ElectionFactory,
    PairFactory,
    RegionListVersionFactory,
    candidate,
    districts,
    party,
    province,
    result,
)

pytestmark = pytest.mark.django_db


def test_ntb_2018():
    version = RegionListVersionFactory()
    province(version, "52", regencies=8, kota=2)
    election = ElectionFactory(region_version=version, region_code="52", dpt=3_568_594)
    req = election_support_requirement(election)
    assert (req.minimum, req.percent, req.spread_total, req.spread_required) == (303_331, "8.5", 10, 6)
    assert req.spread_level == Level.REGENCY


def test_jawa_barat_2024():
    version = RegionListVersionFactory()
    province(version, "32", "Jawa Barat", regencies=18, kota=9)
    province(version, "52", regencies=10)  # another province's kab/kota must not count
    election = ElectionFactory(region_version=version, region_code="32", region_name="Jawa Barat", dpt=35_714_901)
    req = election_support_requirement(election)
    assert (req.minimum, req.percent, req.spread_total, req.spread_required) == (2_321_469, "6.5", 27, 14)


def test_dki_jakarta_2024():
    version = RegionListVersionFactory()
    province(version, "31", "DKI Jakarta", regencies=1, kota=5)
    election = ElectionFactory(region_version=version, region_code="31", region_name="DKI Jakarta", dpt=8_252_897)
    req = election_support_requirement(election)
    assert (req.minimum, req.percent, req.spread_total, req.spread_required) == (618_968, "7.5", 6, 4)


def test_spread_counts_the_elections_own_region_list_version():
    old, new = RegionListVersionFactory(name="2022"), RegionListVersionFactory(name="2025")
    province(old, "52", regencies=9)
    province(new, "52", regencies=10)
    assert election_support_requirement(ElectionFactory(region_version=old)).spread_required == 5
    assert election_support_requirement(ElectionFactory(region_version=new)).spread_required == 6


@pytest.mark.parametrize(
    ("dpt", "percent", "minimum"),
    [(250_000, "10", 25_000), (250_001, "8.5", 21_251), (1_000_000, "7.5", 75_000), (1_000_001, "6.5", 65_001)],
)
def test_regent_election_reads_the_regency_bands_and_counts_kecamatan(dpt, percent, minimum):
    version = RegionListVersionFactory()
    districts(version, "52.01", 10)
    election = ElectionFactory(type=ElectionType.REGENT, region_version=version, region_code="52.01", dpt=dpt)
    req = election_support_requirement(election)
    assert (req.percent, req.minimum, req.spread_level, req.spread_required) == (percent, minimum, Level.DISTRICT, 6)


@pytest.mark.parametrize(
    ("dpt", "required"), [(2_000_000, 300_000), (2_000_001, 255_000), (6_000_001, 225_000), (12_000_001, 195_000)]
)
def test_mk60_party_threshold_through_the_election(dpt, required):
    election = ElectionFactory(dpt=dpt, total_valid_votes=3_000_000, total_seats=65)
    threshold = election_party_threshold(election)
    assert threshold.rule == PartyRule.VOTES_AT_DPT_BANDS
    assert threshold.votes_required == required
    assert threshold.seats_required is None
    assert threshold.seatless_may_join


def test_pre_mk60_threshold_through_the_election():
    regulation = RegulationVersion.objects.get(party_rule=PartyRule.SEATS_OR_VOTES)
    election = ElectionFactory(regulation=regulation, total_valid_votes=2_000_001, total_seats=62)
    threshold = election_party_threshold(election)
    assert (threshold.seats_required, threshold.votes_required) == (13, 500_001)
    assert not threshold.seatless_may_join


def test_threshold_is_unknown_until_totals_are_entered():
    assert election_party_threshold(ElectionFactory(total_valid_votes=None)).votes_required is None


def test_coalition_accumulates_votes_of_its_parties():
    election = ElectionFactory(dpt=3_568_594, total_valid_votes=3_000_000, total_seats=65)  # needs 255,000
    result(election, 2, 200_000, 10)
    result(election, 6, 55_000, 0)
    result(election, 8, 54_999, 0)
    assert coalition_check(election=election, parties=[party(2), party(6)]).qualifies
    assert not coalition_check(election=election, parties=[party(2), party(8)]).qualifies


def test_public_profile_omits_personal_data_and_cv_without_consent():
    pair = PairFactory()
    candidate(pair, "head", cv_summary="Riwayat kepala", cv_publication_consent=True)
    candidate(pair, "deputy", cv_summary="Riwayat wakil", cv_publication_consent=False)
    profile = pair_public_profile(pair)
    text = repr(profile)
    for secret in ("5201011203750001", "5271016108800002", "Pejanggik", "1975"):
        assert secret not in text
    cvs = {c["role"]: c["cv"] for c in profile["candidates"]}
    assert cvs == {"head": "Riwayat kepala", "deputy": None}
    # Education and occupation belong to the CV (Model BB.2-KWK): public only with the same consent.
    people = {c["role"]: c for c in profile["candidates"]}
    assert people["head"]["education"] == "S1" and people["head"]["occupation"]
    assert people["deputy"]["education"] is None and people["deputy"]["occupation"] is None


def test_pair_list_scopes_operators_by_region_and_teams_by_grant():
    ntb, bima = PairFactory(), PairFactory(election=ElectionFactory(region_code="52.06", type=ElectionType.REGENT))
    team = UserFactory(role=Role.PARTY_ADMIN, region_code="")
    assign_perm("candidacy.operate_pair", team, bima)
    assert list(pair_list(user=team)) == [bima]
    assert set(pair_list(user=operator("52"))) == {ntb, bima}
    assert list(pair_list(user=operator("52.06"))) == [bima]
    assert list(pair_list(user=operator("52.01"))) == []
