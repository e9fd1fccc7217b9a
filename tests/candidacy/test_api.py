"""The candidacy API: jurisdiction (404), read-only roles (403), services behind it, and the schema."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from candidacy.models import CandidatePair, ElectionType, PairStatus, Party, Path, Stage
from candidacy.services import pair_nominate, party_admin_issue
from silon.accounts.models import Role
from tests.accounts.factories import UserFactory, operator

from .factories import ElectionFactory, PairFactory, RegionListVersionFactory, candidate, current_regulation, province

pytestmark = pytest.mark.django_db
API = "/api/candidacy"


@pytest.fixture
def elections():
    lobar = ElectionFactory(type=ElectionType.REGENT, region_code="52.01", name="Pilbup Lobar")
    bima = ElectionFactory(type=ElectionType.REGENT, region_code="52.06", name="Pilbup Bima")
    return lobar, bima


def test_regency_operator_gets_404_for_another_regency(client, elections):
    lobar, bima = elections
    pair = PairFactory(election=bima)
    client.force_login(operator("52.01"))
    assert client.get(f"{API}/elections/{bima.pk}/").status_code == 404
    assert client.patch(f"{API}/elections/{bima.pk}/", {"dpt": 1}, content_type="application/json").status_code == 404
    assert client.get(f"{API}/elections/{bima.pk}/stages/").status_code == 404
    assert client.get(f"{API}/pairs/{pair.pk}/").status_code == 404
    assert client.post(f"{API}/pairs/{pair.pk}/transitions/", {"to": "submitted", "reason": "x"}).status_code == 404
    names = [e["name"] for e in client.get(f"{API}/elections/").json()["results"]]
    assert names == ["Pilbup Lobar"]
    assert client.get(f"{API}/elections/{lobar.pk}/").status_code == 200


def test_province_operator_reaches_both(client, elections):
    client.force_login(operator("52"))
    assert {e["name"] for e in client.get(f"{API}/elections/").json()["results"]} == {"Pilbup Lobar", "Pilbup Bima"}
    for election in elections:
        assert client.get(f"{API}/elections/{election.pk}/").status_code == 200


def test_bawaslu_gets_but_cannot_post(client, elections):
    lobar, _ = elections
    pair = PairFactory(election=lobar)
    client.force_login(UserFactory(role=Role.BAWASLU, region_code="52"))
    assert client.get(f"{API}/elections/").status_code == 200
    assert client.get(f"{API}/pairs/{pair.pk}/transitions/").status_code == 200
    assert client.post(f"{API}/elections/", {"name": "x"}).status_code == 403
    assert client.post(f"{API}/pairs/{pair.pk}/transitions/", {"to": "submitted", "reason": "x"}).status_code == 403
    assert client.post(f"{API}/elections/{lobar.pk}/stages/", {}).status_code == 403
    assert client.patch(f"{API}/elections/{lobar.pk}/", {}, content_type="application/json").status_code == 403


def test_anonymous_is_refused(client, elections):
    assert client.get(f"{API}/elections/").status_code == 403


def test_create_election_with_computed_requirements(client):
    version = RegionListVersionFactory()
    province(version, "52", regencies=8, kota=2)
    data = {
        "name": "Pilgub NTB",
        "type": "governor",
        "region_version": version.pk,
        "regulation": current_regulation().pk,
        "region_code": "52",
        "polling_day": "2026-11-27",
        "dpt": 3_568_594,
        "total_valid_votes": 3_000_000,
        "total_seats": 65,
    }
    client.force_login(operator("52.01"))
    assert client.post(f"{API}/elections/", data, content_type="application/json").status_code == 403
    client.force_login(operator("52"))
    bad = client.post(f"{API}/elections/", data | {"region_code": "52.01"}, content_type="application/json")
    assert bad.status_code == 400 and "bukan wilayah" in bad.json()["region_code"][0]
    response = client.post(f"{API}/elections/", data | {"region_name": "typed in"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["region_name"] == "Nusa Tenggara Barat"
    assert body["support_requirement"]["minimum"] == 303_331
    assert body["support_requirement"]["spread_required"] == 6
    assert body["party_threshold"]["votes_required"] == 255_000
    updated = client.patch(f"{API}/elections/{body['id']}/", {"dpt": 2_000_000}, content_type="application/json")
    assert updated.status_code == 200 and updated.json()["support_requirement"]["minimum"] == 200_000


def test_stages_extensions_party_results_and_transitions(client):
    election = ElectionFactory(total_valid_votes=1_000_000, total_seats=65)
    client.force_login(operator("52"))
    now = timezone.now()
    response = client.post(
        f"{API}/elections/{election.pk}/stages/",
        {
            "stage": "registration",
            "starts_at": (now - timedelta(days=2)).isoformat(),
            "ends_at": (now - timedelta(days=1)).isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()[0]["stage"] == "registration"
    response = client.post(
        f"{API}/pairs/", {"election": election.pk, "path": "party", "name": "Koalisi"}, content_type="application/json"
    )
    assert response.status_code == 201
    pair_id = response.json()["id"]
    response = client.post(
        f"{API}/elections/{election.pk}/party-results/",
        {"party": 2, "votes": 100_000, "seats": 9},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json() == [
        {"party": 2, "party_name": "Gerindra", "votes": 100_000, "seats": 9}
    ]
    pair = CandidatePair.objects.get(pk=pair_id)
    candidate(pair, "head")
    candidate(pair, "deputy")
    # registration is closed: nomination and submission refused with the stage's message
    closed = client.post(f"{API}/pairs/{pair_id}/transitions/", {"to": "submitted", "reason": "x"})
    assert closed.status_code == 400 and "sudah ditutup" in str(closed.json())
    response = client.post(
        f"{API}/elections/{election.pk}/extensions/",
        {"stage": "registration", "extended_until": (now + timedelta(hours=48)).isoformat(), "reason": "Gangguan"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pair_nominate(actor=operator("52"), pair=pair, parties=[Party.objects.get(number=2)])
    refused = client.post(f"{API}/pairs/{pair_id}/transitions/", {"to": "meets", "reason": "x"})
    assert refused.status_code == 400 and "tidak dapat diubah" in str(refused.json())
    ok = client.post(f"{API}/pairs/{pair_id}/transitions/", {"to": "submitted", "reason": "Diterima"})
    assert ok.status_code == 201 and ok.json()[-1]["to_status"] == PairStatus.SUBMITTED
    detail = client.get(f"{API}/pairs/{pair_id}/").json()
    assert detail["status"] == "submitted" and detail["next_statuses"] == ["under_review"]
    assert detail["parties"] == [2]
    assert {c["nik_masked"] for c in detail["candidates"]} == {"520101******0001", "527101******0002"}


def test_party_admin_reads_its_pair_and_confirms_only(client):
    election = ElectionFactory()
    pair = PairFactory(election=election, path=Path.PARTY)
    other = PairFactory(election=election, path=Path.PARTY)
    admin, _ = party_admin_issue(actor=operator("52"), pair=pair)
    admin.must_change_password = False  # as after the first login
    admin.save()
    client.force_login(admin)
    assert [p["id"] for p in client.get(f"{API}/pairs/").json()["results"]] == [pair.pk]
    assert client.get(f"{API}/pairs/{other.pk}/").status_code == 404
    assert client.get(f"{API}/elections/{election.pk}/").status_code == 404
    assert client.post(f"{API}/pairs/{pair.pk}/transitions/", {"to": "submitted", "reason": "x"}).status_code == 403
    assert client.post(f"{API}/pairs/{other.pk}/confirm/", {"note": "x"}).status_code == 404
    response = client.post(f"{API}/pairs/{pair.pk}/confirm/", {"note": "Sesuai"})
    assert response.status_code == 201 and response.json()["confirmed_by"] == admin.username
    client.force_login(operator("52"))
    assert client.post(f"{API}/pairs/{pair.pk}/confirm/", {"note": "x"}).status_code == 403


def test_openapi_schema_is_valid_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/candidacy/elections/",
        "/api/candidacy/pairs/{id}/transitions/",
        "/api/candidacy/elections/{id}/party-results/",
        "/api/candidacy/elections/{id}/stages/",
    ):
        assert path in schema
    assert Stage.REGISTRATION.value in schema
