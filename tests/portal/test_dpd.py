"""The public portal and open data show Pemilu DPD candidates and their progress beside the Pilkada pairs
(issue #20): "Calon DPD", not "Pasangan", the fixed minimum and the inclusive spread, and the penalty apart
from the count ("1.204 dihitung − 2 × 50 penalti = 1.104")."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from candidacy.models import (
    Candidate,
    CandidatePair,
    CandidateRole,
    Election,
    ElectionType,
    Path,
    RegulationVersion,
    Sex,
    SupportStatus,
)
from support_uploads.models import Upload, UploadStatus
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpd(world):
    election = Election.objects.create(
        name="Pemilu Anggota DPD Nusa Tenggara Barat 2029",
        type=ElectionType.DPD,
        region_version=world.version,
        regulation=RegulationVersion.objects.get(name="UU 7/2017 (Pemilu DPD) jo. PKPU 10/2022"),
        region_code="52",
        region_name="Nusa Tenggara Barat",
        polling_day=world.governor.polling_day,
        dpt=3_800_000,
    )
    pair = CandidatePair.objects.create(
        election=election, path=Path.INDEPENDENT, name="Lalu Senator Uji", support_status=SupportStatus.COLLECTING
    )
    Candidate.objects.create(
        pair=pair,
        election=election,
        role=CandidateRole.DPD,
        nik="5201011705750091",
        name="Lalu Senator Uji",
        birth_place="Mataram",
        birth_date=datetime.date(1975, 5, 17),
        sex=Sex.MALE,
        address="Jl. Rahasia DPD No. 9",
        education="S1",
        occupation="Wiraswasta",
    )
    Upload.objects.create(
        election=election,
        pair=pair,
        uploaded_by=UserFactory(region_code="52"),
        file="support/2029/dpd.csv",
        original_name="dpd.csv",
        size=1000,
        status=UploadStatus.DONE,
        rows_read=1_210,
        rows_accepted=1_204,
        rows_rejected=6,
        recap={"52.01.01": 1_000, "52.71.01": 204},
        reason_counts={"DUP_NOT_CHOSEN": 2, "RT_INVALID": 4},
        finished_at=timezone.now(),
    )
    return election, pair


def test_the_dpd_election_page_shows_its_candidate_and_the_penalty_apart(client, dpd):
    election, pair = dpd
    html = client.get(reverse("portal:election", args=[election.pk])).content.decode()
    assert "Pemilu DPD" in html and "Calon DPD" in html and "Lalu Senator Uji" in html
    assert reverse("portal:pair", args=[pair.pk]) in html
    assert "paling sedikit separuh" in html and "2.000" in html  # NTB's band: 1-5 million DPT
    assert "1.204 dihitung − 2 × 50 penalti = 1.104" in html
    assert "Jl. Rahasia DPD" not in html and "5201011705750091" not in html


def test_the_dpd_candidate_page_and_the_region_beside_the_governors_pairs(client, world, dpd):
    election, pair = dpd
    html = client.get(reverse("portal:pair", args=[pair.pk])).content.decode()
    assert "Calon anggota DPD" in html and "1.204 dihitung − 2 × 50 penalti = 1.104" in html
    assert "paling sedikit separuh kabupaten/kota: 1 dari 2" in html  # the world's NTB has 2 kab/kota
    region = client.get(reverse("portal:region", args=["52"])).content.decode()
    assert election.name in region and world.governor.name in region and "Lalu Senator Uji" in region


def test_open_data_lists_the_dpd_candidate_and_its_support(client, dpd):
    election, pair = dpd

    def rows(name):
        body = b"".join(client.get(reverse("portal:csv", args=[name])).streaming_content).decode()
        return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))

    elections = {r["id"]: r for r in rows("pemilihan")}
    assert elections[str(election.pk)]["jenis"] == ElectionType.DPD
    pairs = {r["id"]: r for r in rows("paslon")}
    assert pairs[str(pair.pk)]["calon_dpd"] == "Lalu Senator Uji" and pairs[str(pair.pk)]["calon_kepala_daerah"] == ""
    support = [r for r in rows("dukungan") if r["paslon_id"] == str(pair.pk) and r["tingkat"] == "regency"]
    assert {r["kode_wilayah"]: int(r["dukungan_dihitung"]) for r in support} == {"52.01": 1_000, "52.71": 204}


def test_the_public_support_api_carries_the_penalty(client, dpd):
    election, pair = dpd
    blocks = client.get(reverse("portal_api:support-list"), {"election": election.pk}).json()
    block = next(b for b in blocks if b["pair_id"] == pair.pk)
    assert (block["accepted"], block["penalty_cases"], block["penalty_per_case"], block["net"]) == (1_204, 2, 50, 1_104)
    assert block["minimum"] == 2_000 and block["minimum_met"] is False
