"""Pemilu DPD as an election kind (issue #20): the rule engine reads the seeded DPD regulation (fixed bands, the
inclusive spread, the penalty); a KPU province operator registers a DPD candidate (one person, path independent)
from the page and the API; its document checklist and its calendar are its own."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from candidacy.kinds import DPD_2024_SCHEDULE, election_kind
from candidacy.models import CandidatePair, CandidateRole, ElectionType, Path, RegulationVersion, Stage, StageWindow
from candidacy.selectors import document_requirements, election_support_requirement
from candidacy.services import candidate_set, election_schedule_apply, pair_create
from tests import clock
from tests.accounts.factories import operator

from .factories import ElectionFactory, RegionListVersionFactory, open_stage, province

pytestmark = pytest.mark.django_db

DPD_REGULATION = "UU 7/2017 (Pemilu DPD) jo. PKPU 10/2022"
PERSON = {
    "nik": "5201011203750001",
    "name": "Lalu Uji",
    "birth_place": "Mataram",
    "birth_date": datetime.date(1975, 3, 12),
    "sex": "M",
    "address": "Jl. Pejanggik 1",
    "education": "SMA",
    "occupation": "Wiraswasta",
}


def dpd_regulation() -> RegulationVersion:
    return RegulationVersion.objects.get(name=DPD_REGULATION)


def dpd_election(**kwargs):
    return ElectionFactory(type=ElectionType.DPD, regulation=dpd_regulation(), **kwargs)


@pytest.mark.parametrize(
    ("dpt", "minimum"),
    [
        (1, 1_000),
        (1_000_000, 1_000),  # "up to" inclusive (UU 7/2017 Pasal 183(1))
        (1_000_001, 2_000),
        (5_000_000, 2_000),
        (5_000_001, 3_000),
        (10_000_000, 3_000),
        (10_000_001, 4_000),
        (15_000_000, 4_000),
        (15_000_001, 5_000),
        (35_714_901, 5_000),  # Jawa Barat's DPT of Pemilu 2024
    ],
)
def test_the_dpd_minimum_is_the_fixed_number_of_the_regulations_band(dpt, minimum):
    requirement = election_support_requirement(dpd_election(dpt=dpt))
    assert (requirement.minimum, requirement.percent) == (minimum, "")


def test_jawa_barat_needs_14_of_27_and_ten_units_need_5_for_dpd_but_6_for_a_governor():
    version = RegionListVersionFactory()
    province(version, "32", "Jawa Barat", regencies=18, kota=9)
    province(version, "52", "Nusa Tenggara Barat", regencies=8, kota=2)
    west_java = election_support_requirement(dpd_election(region_version=version, region_code="32", dpt=35_714_901))
    assert (west_java.spread_total, west_java.spread_required, west_java.spread_at_least_half) == (27, 14, True)
    governor = election_support_requirement(ElectionFactory(region_version=version, region_code="32"))
    assert (governor.spread_total, governor.spread_required, governor.spread_at_least_half) == (27, 14, False)
    ntb_dpd = election_support_requirement(dpd_election(region_version=version, region_code="52", dpt=3_800_000))
    ntb_governor = election_support_requirement(ElectionFactory(region_version=version, region_code="52"))
    assert (ntb_dpd.spread_total, ntb_dpd.spread_required) == (10, 5)  # at least half
    assert (ntb_governor.spread_total, ntb_governor.spread_required) == (10, 6)  # more than half
    assert (ntb_dpd.penalty_per_case, ntb_governor.penalty_per_case) == (50, 0)


def test_the_spread_predicate_and_penalty_are_the_regulations_data():
    regulation = dpd_regulation()
    version = RegionListVersionFactory()
    province(version, "52", regencies=8, kota=2)
    election = dpd_election(region_version=version, region_code="52")
    regulation.spread_at_least_half, regulation.duplicate_penalty = False, 0
    regulation.save()
    election.refresh_from_db()
    requirement = election_support_requirement(election)
    assert (requirement.spread_required, requirement.penalty_per_case) == (6, 0)


def test_a_dpd_candidacy_is_one_person_on_the_independent_path():
    election = dpd_election()
    open_stage(election, Stage.REGISTRATION)
    kpu = operator("52")
    with pytest.raises(ValidationError) as refused:
        pair_create(actor=kpu, election=election, path=Path.PARTY, name="Partai")
    assert "path" in refused.value.message_dict
    pair = pair_create(actor=kpu, election=election, path=Path.INDEPENDENT, name="Lalu Uji")
    with pytest.raises(ValidationError) as refused:
        candidate_set(actor=kpu, pair=pair, role=CandidateRole.HEAD, **PERSON)
    assert "role" in refused.value.message_dict
    person = candidate_set(actor=kpu, pair=pair, role=CandidateRole.DPD, **PERSON)
    assert list(pair.candidates.values_list("role", flat=True)) == [CandidateRole.DPD]
    assert person.get_role_display() == "Calon anggota DPD"
    assert election_kind(election).minimum_age == 21  # UU 7/2017 Pasal 182 huruf a


def test_a_kpu_province_operator_registers_a_dpd_candidate_from_the_page(client):
    election = dpd_election()
    open_stage(election, Stage.REGISTRATION)
    client.force_login(operator("52"))
    form = client.get(reverse("candidacy:pair_create", args=[election.pk])).content.decode()
    assert "Calon DPD baru" in form and "Nama calon DPD" in form
    assert 'value="party"' not in form
    response = client.post(
        reverse("candidacy:pair_create", args=[election.pk]), {"path": Path.INDEPENDENT, "name": "Lalu Uji"}
    )
    pair = CandidatePair.objects.get(election=election)
    assert response.status_code == 302 and pair.path == Path.INDEPENDENT
    page = client.get(reverse("candidacy:pair_detail", args=[pair.pk])).content.decode()
    assert "Calon DPD" in page and "Calon anggota DPD" in page and "Calon wakil kepala daerah" not in page
    assert reverse("candidacy:candidate_set", args=[pair.pk, "dpd"]) in page
    assert client.get(reverse("candidacy:candidate_set", args=[pair.pk, "kepala"])).status_code == 404
    election_page = client.get(reverse("candidacy:election_detail", args=[election.pk])).content.decode()
    assert "paling sedikit 50% dari" in election_page and "UU 7/2017 Pasal 183" in election_page
    assert "Ambang batas jalur partai" not in election_page


def test_the_api_registers_a_dpd_candidate_and_refuses_the_party_path():
    election = dpd_election()
    open_stage(election, Stage.REGISTRATION)
    api = APIClient()
    api.force_authenticate(operator("52"))
    url = reverse("candidacy_api:pair-list")
    refused = api.post(url, {"election": election.pk, "path": Path.PARTY, "name": "Partai"}, format="json")
    assert refused.status_code == 400 and "path" in refused.json()
    made = api.post(url, {"election": election.pk, "path": Path.INDEPENDENT, "name": "Lalu Uji"}, format="json")
    assert made.status_code == 201, made.json()
    detail = api.get(reverse("candidacy_api:election-detail", args=[election.pk])).json()
    assert detail["support_requirement"]["spread_at_least_half"] is True
    assert detail["support_requirement"]["penalty_per_case"] == 50
    assert detail["party_threshold"] is None


def test_the_dpd_checklist_is_its_own():
    election = dpd_election()
    pair = CandidatePair.objects.create(election=election, path=Path.INDEPENDENT, name="Lalu Uji")
    codes = set(document_requirements(pair).values_list("code", flat=True))
    assert "not_party_official" in codes and "vision" not in codes
    pilkada = CandidatePair.objects.create(election=ElectionFactory(), path=Path.INDEPENDENT, name="Pasangan")
    assert "not_party_official" not in set(document_requirements(pilkada).values_list("code", flat=True))


def test_the_dpd_calendar_is_laid_out_from_polling_day_in_its_own_order(client):
    election = dpd_election(polling_day=clock.polling_day(500))
    kpu = operator("52")
    client.force_login(kpu)
    response = client.post(reverse("candidacy:schedule_apply", args=[election.pk]))
    assert response.status_code == 302
    windows = {w.stage: w for w in StageWindow.objects.filter(election=election)}
    assert set(windows) == set(DPD_2024_SCHEDULE)
    for stage, (first, last) in DPD_2024_SCHEDULE.items():
        assert timezone.localtime(windows[stage].starts_at).date() == election.polling_day + datetime.timedelta(first)
        assert timezone.localtime(windows[stage].ends_at).date() == election.polling_day + datetime.timedelta(last)
    # Pemilu 2024: support handed in over 14 days, the repair and its verification before factual verification
    support = windows[Stage.SUPPORT_SUBMISSION]
    assert (timezone.localtime(support.ends_at).date() - timezone.localtime(support.starts_at).date()).days == 13
    assert windows[Stage.CORRECTION_VERIFICATION].ends_at < windows[Stage.FACTUAL_VERIFICATION].starts_at
    with pytest.raises(ValidationError):
        election_schedule_apply(actor=kpu, election=ElectionFactory(polling_day=clock.polling_day(500)))
