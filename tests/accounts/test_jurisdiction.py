import pytest

from candidacy.models import Election, ElectionType
from regions.models import RegionListVersion
from silon.accounts.jurisdiction import code_within, region_in_reach, scope_by_region
from silon.accounts.models import Role
from tests import clock
from tests.candidacy.factories import current_regulation

from .factories import UserFactory, operator


def test_code_within_respects_segment_boundaries():
    assert code_within("52.01.01.1001", "52.01")
    assert code_within("52.01", "52.01")
    assert not code_within("52.010", "52.01")
    assert not code_within("52.02", "52.01")
    assert code_within("11", "")


@pytest.mark.django_db
def test_regency_operator_reaches_its_regency_only():
    op = operator("52.01")
    assert region_in_reach(op, "52.01.01.1001")
    assert not region_in_reach(op, "52.02")
    assert not region_in_reach(op, "52")  # the governor election is the province's


@pytest.mark.django_db
def test_province_operator_reaches_the_province_and_its_regencies():
    op = operator("52")
    assert region_in_reach(op, "52")
    assert region_in_reach(op, "52.71")
    assert not region_in_reach(op, "53.01")


@pytest.mark.django_db
def test_pair_operators_reach_no_region():
    lo = UserFactory(role=Role.PAIR_OPERATOR, region_code="")
    assert not region_in_reach(lo, "52")


@pytest.mark.django_db
def test_scope_by_region_filters_querysets():
    version = RegionListVersion.objects.create(name="v")
    day = clock.polling_day()
    regulation = current_regulation()
    mk = lambda code, t: Election.objects.create(  # noqa: E731
        name=code,
        type=t,
        region_version=version,
        regulation=regulation,
        region_code=code,
        region_name=code,
        polling_day=day,
        dpt=1000,
    )
    gov, lombok_barat, mataram, other = (
        mk("52", ElectionType.GOVERNOR),
        mk("52.01", ElectionType.REGENT),
        mk("52.71", ElectionType.MAYOR),
        mk("53.01", ElectionType.REGENT),
    )
    assert set(scope_by_region(Election.objects.all(), operator("52.01"), "region_code")) == {lombok_barat}
    assert set(scope_by_region(Election.objects.all(), operator("52"), "region_code")) == {gov, lombok_barat, mataram}
    assert set(scope_by_region(Election.objects.all(), operator(""), "region_code")) == {
        gov,
        lombok_barat,
        mataram,
        other,
    }
    lo = UserFactory(role=Role.PAIR_OPERATOR, region_code="")
    assert not scope_by_region(Election.objects.all(), lo, "region_code").exists()


@pytest.mark.django_db
def test_what_the_audit_trail_asks_of_a_user():
    """The audit app reads roles only through these, never by importing accounts."""
    bawaslu = UserFactory(role=Role.BAWASLU, level="", region_code="52")
    lo = UserFactory(role=Role.PAIR_OPERATOR, region_code="")
    assert operator("52.01").is_official and bawaslu.is_official
    assert not lo.is_official and not UserFactory(role=Role.VERIFIER, region_code="52.01.01").is_official
    assert bawaslu.is_supervisor and not operator("52").is_supervisor
    version = RegionListVersion.objects.create(name="v-reach")
    regulation = current_regulation()
    day = clock.polling_day()
    inside, _outside = (
        Election.objects.create(
            name=code,
            type=ElectionType.REGENT,
            region_version=version,
            regulation=regulation,
            region_code=code,
            region_name=code,
            polling_day=day,
            dpt=1,
        )
        for code in ("52.01", "53.01")
    )
    assert set(Election.objects.filter(bawaslu.reach_q("region_code"))) == {inside}
    assert not Election.objects.filter(lo.reach_q("region_code")).exists()
