import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from candidacy.models import ElectionAreaDpt, ElectionType
from candidacy.services import election_area_dpt_import, election_create, election_update
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests import clock
from tests.accounts.factories import UserFactory, operator

from .factories import ElectionFactory, PairFactory, RegionListVersionFactory, current_regulation, districts, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    v = RegionListVersionFactory()
    province(v, "52", regencies=8, kota=2)
    districts(v, "52.01", 3)
    return v


def create(actor, version, **kwargs):
    fields = {
        "name": "Pilkada uji",
        "type": ElectionType.GOVERNOR,
        "region_version": version,
        "regulation": current_regulation(),
        "region_code": "52",
        "polling_day": clock.polling_day(),
        "dpt": 3_568_594,
    } | kwargs
    return election_create(actor=actor, **fields)


def test_create_derives_the_region_name_and_audits(version):
    election = create(operator("52"), version)
    assert election.region_name == "Nusa Tenggara Barat"
    assert AuditEvent.objects.filter(action="election.create", object_id=str(election.pk), region_code="52").exists()


@pytest.mark.parametrize(
    ("type", "code", "message"),
    [
        (ElectionType.GOVERNOR, "52.01", "bukan wilayah"),  # a kab/kota is not a province
        (ElectionType.REGENT, "52", "bukan wilayah"),
        (ElectionType.MAYOR, "52.01", "bukan wilayah"),  # a kabupaten has no mayor
        (ElectionType.REGENT, "52.71", "bukan wilayah"),  # a kota has no regent
        (ElectionType.GOVERNOR, "53", "tidak ada pada"),
    ],
)
def test_region_must_exist_at_the_right_level_in_the_version(version, type, code, message):
    with pytest.raises(ValidationError, match=message):
        create(UserFactory(role=Role.ADMIN, region_code="", is_superuser=True), version, type=type, region_code=code)


def test_regent_and_mayor_elections(version):
    assert create(operator("52.01"), version, type=ElectionType.REGENT, region_code="52.01").region_name == (
        "Kabupaten 52.01"
    )
    assert create(operator("52"), version, type=ElectionType.MAYOR, region_code="52.71").region_name == "Kota 52.71"


@pytest.mark.parametrize(
    ("operator_region", "type", "code", "allowed"),
    [
        ("52", ElectionType.GOVERNOR, "52", True),
        ("52", ElectionType.REGENT, "52.02", True),  # the province reaches the regency elections under it
        ("52.01", ElectionType.REGENT, "52.01", True),
        ("52.01", ElectionType.REGENT, "52.02", False),
        ("52.01", ElectionType.GOVERNOR, "52", False),
        ("", ElectionType.GOVERNOR, "52", True),  # KPU RI
        ("51", ElectionType.GOVERNOR, "52", False),
    ],
)
def test_operators_create_within_their_jurisdiction_only(version, operator_region, type, code, allowed):
    actor = operator(operator_region)
    if allowed:
        assert create(actor, version, type=type, region_code=code).pk
    else:
        with pytest.raises(PermissionDenied):
            create(actor, version, type=type, region_code=code)


def test_bawaslu_cannot_create(version):
    with pytest.raises(PermissionDenied):
        create(UserFactory(role=Role.BAWASLU, region_code="52"), version)


def test_update_keeps_region_fixed_once_pairs_exist(version):
    actor = operator("52")
    election = create(actor, version)
    fields = {
        "name": "Pilgub NTB",
        "type": ElectionType.GOVERNOR,
        "region_version": version,
        "regulation": current_regulation(),
        "region_code": "52",
        "polling_day": clock.polling_day() + datetime.timedelta(days=1),
        "dpt": 3_600_000,
        "total_valid_votes": 2_900_000,
        "total_seats": 65,
    }
    election = election_update(actor=actor, election=election, **fields)
    assert (election.name, election.dpt, election.total_seats) == ("Pilgub NTB", 3_600_000, 65)
    PairFactory(election=election)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        election_update(
            actor=actor, election=election, **(fields | {"type": ElectionType.REGENT, "region_code": "52.01"})
        )


def test_area_dpt_import_validates_every_line(version):
    election = ElectionFactory(region_version=version)
    text = "region_code,dpt\n52.01,400000\n52.01,1\n52.01.01,5\n99.01,5\n52.02,banyak\n52.03\n"
    with pytest.raises(ValidationError) as exc:
        election_area_dpt_import(actor=operator("52"), election=election, text=text)
    messages = exc.value.messages
    assert "Baris 3: kode wilayah 52.01 ganda." in messages
    assert any(m.startswith("Baris 4: wilayah 52.01.01 bukan Kabupaten/Kota") for m in messages)
    assert any(m.startswith("Baris 5: kode wilayah 99.01 tidak ada pada versi") for m in messages)
    assert "Baris 6: DPT «banyak» bukan bilangan bulat." in messages
    assert "Baris 7: harus 2 kolom (region_code,dpt)." in messages
    assert not ElectionAreaDpt.objects.exists()


def test_area_dpt_import_for_a_regent_election_reads_kecamatan(version):
    election = ElectionFactory(region_version=version, type=ElectionType.REGENT, region_code="52.01")
    count = election_area_dpt_import(
        actor=operator("52.01"), election=election, text="52.01.01,1.200\n52.01.02,3400\n52.01.03,5000\n"
    )
    assert count == 3
    assert list(election.area_dpts.values_list("region_code", "dpt")) == [
        ("52.01.01", 1200),
        ("52.01.02", 3400),
        ("52.01.03", 5000),
    ]
    with pytest.raises(ValidationError, match=r"Baris 1: wilayah 52\.02"):
        election_area_dpt_import(actor=operator("52.01"), election=election, text="52.02,10\n")
