"""The one KPU-operator check (``silon/accounts/access.py``): a KPU operator or admin, and for the object's
region, an operator whose jurisdiction covers it."""

import pytest
from django.core.exceptions import PermissionDenied

from silon.accounts.access import is_kpu_operator, kpu_operator_reaches, require_kpu_operator
from silon.accounts.models import Role
from tests.accounts.factories import UserFactory, operator

pytestmark = pytest.mark.django_db


def test_only_kpu_operators_and_admins_are_kpu_operators():
    assert is_kpu_operator(operator("52.01"))
    assert is_kpu_operator(UserFactory(role=Role.ADMIN, region_code=""))
    for role in (Role.VERIFIER, Role.BAWASLU, Role.PAIR_OPERATOR, Role.PARTY_ADMIN):
        assert not is_kpu_operator(UserFactory(role=role))


def test_an_operator_reaches_its_own_region_only():
    kab = operator("52.01")
    assert kpu_operator_reaches(kab, "52.01") and kpu_operator_reaches(kab, "52.01.01.2001")
    assert not kpu_operator_reaches(kab, "52.02") and not kpu_operator_reaches(kab, "52")
    assert kpu_operator_reaches(UserFactory(role=Role.ADMIN, region_code=""), "52.02")
    # Bawaslu of the same region reaches it, but is no operator
    assert not kpu_operator_reaches(UserFactory(role=Role.BAWASLU, region_code="52.01"), "52.01")
    inactive = operator("52.01", is_active=False)
    assert not kpu_operator_reaches(inactive, "52.01")


def test_require_kpu_operator_refuses_with_the_given_or_default_message():
    kab = operator("52.01")
    require_kpu_operator(kab, "52.01.01")
    with pytest.raises(PermissionDenied, match="operator KPU di wilayah pemilihan ini"):
        require_kpu_operator(kab, "52.02")
    with pytest.raises(PermissionDenied, match="di luar wilayah kerja Anda"):
        require_kpu_operator(UserFactory(role=Role.VERIFIER), "52.01", "Pendukung ini di luar wilayah kerja Anda.")
