"""Region-code arithmetic: one module, exact on segment boundaries, the same in Python and in a query."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regions import codes
from regions.models import Kind, Level, Region
from silon.accounts import jurisdiction
from tests.candidacy.factories import RegionListVersionFactory

VILLAGE = "52.01.01.2001"


def test_ancestors_by_level():
    assert codes.province_of(VILLAGE) == "52"
    assert codes.regency_of(VILLAGE) == "52.01"
    assert codes.district_of(VILLAGE) == "52.01.01"
    assert codes.province_of("52") == "52"
    assert codes.regency_of("52.71") == "52.71"
    assert codes.district_of("52.01.01") == "52.01.01"


@pytest.mark.parametrize(
    ("code", "level"),
    [("52", Level.PROVINCE), ("52.01", Level.REGENCY), ("52.01.01", Level.DISTRICT), (VILLAGE, Level.VILLAGE)],
)
def test_level_and_length(code, level):
    assert codes.level_of(code) == level
    assert len(code) == codes.CODE_LENGTH[level]


def test_level_of_more_than_four_segments_is_none():
    assert codes.level_of("52.01.01.2001.01") is None


def test_parent_ancestors_and_children():
    assert codes.parent_of(VILLAGE) == "52.01.01"
    assert codes.parent_of("52") == ""
    assert codes.ancestors_of(VILLAGE) == ["52", "52.01", "52.01.01"]
    assert codes.ancestors_of("52") == []
    assert [codes.child_length(c) for c in ("", "52", "52.01", "52.01.01")] == [2, 5, 8, 13]
    assert codes.child_length(VILLAGE) == len(VILLAGE)  # a village has no children


def test_is_within_stops_at_segment_boundaries():
    assert codes.is_within(VILLAGE, "52.01")
    assert codes.is_within("52.01", "52.01")
    assert codes.is_within("11", "")
    assert not codes.is_within("52.010", "52.01")
    assert not codes.is_within("52.02", "52.01")
    assert not codes.is_within("52", "52.01")  # a province is not within its own kab/kota
    # the user-reach rule of silon.accounts is this very function, not a copy of it
    assert codes.is_within is jurisdiction.code_within
    assert codes.within_q is jurisdiction.within_q


def test_shape_and_kind():
    assert all(codes.is_well_shaped(c) for c in ("52", "52.01", "52.01.01", VILLAGE))
    assert not any(codes.is_well_shaped(c) for c in ("5", "52.1", "52.01.01.201", "٥٢", "52.01.", " 52"))
    assert codes.kind_for("52.71") == Kind.KOTA
    assert codes.kind_for(VILLAGE) == Kind.DESA
    assert codes.kind_for("00.01") is None


_segment = st.integers(1, 99).map("{:02d}".format)
_village = st.integers(1001, 3999).map(str)
code_strategy = st.builds(
    lambda p, k, c, d, depth: ".".join([p, k, c, d][:depth]), _segment, _segment, _segment, _village, st.integers(1, 4)
)


@settings(max_examples=200, deadline=None)
@given(code_strategy, code_strategy)
def test_is_within_is_the_ancestor_relation(code, prefix):
    assert codes.is_within(code, prefix) == (prefix == code or prefix in codes.ancestors_of(code))
    assert codes.is_within(code, codes.parent_of(code))
    assert codes.level_of(code) is not None
    assert len(code) == codes.CODE_LENGTH[codes.level_of(code)]


@pytest.mark.django_db
def test_the_queries_match_the_python_rule():
    version = RegionListVersionFactory()
    rows = ["52", "52.01", "52.01.01", VILLAGE, "52.010", "52.02", "53"]
    Region.objects.bulk_create(
        Region(version=version, code=c, name=c, level=codes.level_of(c) or Level.REGENCY, parent_code="") for c in rows
    )
    for prefix in ("", "52", "52.01", "52.01.01", VILLAGE):
        mine = Region.objects.filter(version=version)
        within = set(mine.filter(codes.within_q("code", prefix)).values_list("code", flat=True))
        under = set(mine.filter(codes.under_q("code", prefix)).values_list("code", flat=True))
        assert within == {c for c in rows if codes.is_within(c, prefix)}
        assert under == within - {prefix}
