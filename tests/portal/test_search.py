"""The home search finds an election by any region inside its area and a pair by a candidate's name (#21), over
the real Kemendagri names of Nusa Tenggara Barat (the shared list, province 52 only to stay quick)."""

import datetime
import hashlib

import pytest
from django.utils import timezone

from candidacy.models import Candidate, CandidatePair, CandidateRole, Election, ElectionType, Path
from regions.codes import province_of
from regions.loading import ParsedRegionList, read_csv
from regions.services import region_list_load
from tests.candidacy.factories import current_regulation
from tests.conftest import SHARED_REGIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def ntb_rows():
    if not SHARED_REGIONS.exists():
        pytest.skip(f"../shared/data/regions not found beside the repository ({SHARED_REGIONS})")
    parsed = read_csv(SHARED_REGIONS / "regions.csv.gz")
    return ParsedRegionList(
        rows=[r for r in parsed.rows if province_of(r.code) == "52"],
        checksum=hashlib.sha256(b"ntb:" + parsed.checksum.encode()).hexdigest(),
    )


@pytest.fixture
def ntb(ntb_rows):
    version = region_list_load(regions=ntb_rows, name="NTB (uji pencarian)").version
    polling = timezone.localdate() + datetime.timedelta(days=90)

    def election(name, kind, code, region_name):
        return Election.objects.create(
            name=name,
            type=kind,
            region_version=version,
            regulation=current_regulation(),
            region_code=code,
            region_name=region_name,
            polling_day=polling,
            dpt=100_000,
        )

    governor = election("Pemilihan Gubernur NTB", ElectionType.GOVERNOR, "52", "Nusa Tenggara Barat")
    regent = election("Pemilihan Bupati Lombok Barat", ElectionType.REGENT, "52.01", "Lombok Barat")
    pair = CandidatePair.objects.create(election=governor, path=Path.PARTY, name="NTB Makmur")
    Candidate.objects.create(
        pair=pair,
        election=governor,
        role=CandidateRole.HEAD,
        nik="5201011705750001",
        name="Zulkieflimansyah Uji",
        birth_date=datetime.date(1975, 5, 17),
        sex="M",
    )
    return governor, regent


@pytest.mark.parametrize("query", ["Mataram", "Bima", "Gerung", "Kota Bima", "Sumbawa Barat", "Narmada"])
def test_a_region_inside_the_province_finds_the_governor_election(client, ntb, query):
    governor, _regent = ntb
    html = client.get("/", {"q": query}).content.decode()
    assert governor.name in html, query
    assert "Tidak ada pemilihan aktif" not in html


def test_the_regent_election_is_found_by_its_own_kecamatan_not_by_another_regency(client, ntb):
    _governor, regent = ntb
    assert regent.name in client.get("/", {"q": "Gerung"}).content.decode()  # kecamatan of Lombok Barat
    assert regent.name not in client.get("/", {"q": "Bima"}).content.decode()
    # the province's name finds the kab/kota elections under it too
    assert regent.name in client.get("/", {"q": "Nusa Tenggara Barat"}).content.decode()


def test_a_candidate_name_finds_the_pair_and_its_election(client, ntb):
    governor, regent = ntb
    html = client.get("/", {"q": "zulkiefliman"}).content.decode()
    assert governor.name in html and regent.name not in html
    assert 'id="pairs-found"' in html and "NTB Makmur" in html and "Zulkieflimansyah Uji" in html
    assert 'id="pairs-found"' not in client.get("/", {"q": "Gerung"}).content.decode()


def test_region_tiles_keep_the_names_apart():
    """NTB's kabupaten are no longer four tiles reading "Kabupaten Lom…" (#21)."""
    from portal.charts import TILE_LINE_CHARS, tile_lines

    names = ["Kabupaten Lombok Barat", "Kabupaten Lombok Tengah", "Kabupaten Lombok Timur", "Kabupaten Lombok Utara"]
    shown = [" ".join(tile_lines(n)) for n in names]
    assert shown == ["Kab. Lombok Barat", "Kab. Lombok Tengah", "Kab. Lombok Timur", "Kab. Lombok Utara"]
    assert all(len(line) <= TILE_LINE_CHARS for n in names for line in tile_lines(n))
    assert tile_lines("Kota Mataram") == ["Kota Mataram"]
