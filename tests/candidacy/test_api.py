"""The candidacy API: jurisdiction (404), read-only roles (403), services behind it, and the schema."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from candidacy.models import CandidatePair, ElectionType, PairStatus, Party, PartyAdmin, Path, Stage
from candidacy.services import pair_nominate, party_admin_issue
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests import clock
from tests.accounts.factories import UserFactory, operator

from .factories import (
    ElectionFactory,
    PairFactory,
    RegionListVersionFactory,
    candidate,
    current_regulation,
    districts,
    open_stage,
    province,
    required_documents,
    result,
)

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
        "polling_day": clock.polling_day().isoformat(),
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
    # registration is closed: a new pair is refused with the stage's message
    late = client.post(
        f"{API}/pairs/",
        {"election": election.pk, "path": "party", "name": "Terlambat"},
        content_type="application/json",
    )
    assert late.status_code == 400 and "sudah ditutup" in str(late.json())
    pair_id = PairFactory(election=election, path=Path.PARTY, name="Koalisi").pk
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
    response = client.post(
        f"{API}/pairs/",
        {"election": election.pk, "path": "party", "name": "Koalisi 2"},
        content_type="application/json",
    )
    assert response.status_code == 201
    pair_nominate(actor=operator("52"), pair=pair, parties=[Party.objects.get(number=2)])
    refused = client.post(f"{API}/pairs/{pair_id}/transitions/", {"to": "meets", "reason": "x"})
    assert refused.status_code == 400 and "tidak dapat diubah" in str(refused.json())
    early = client.post(f"{API}/pairs/{pair_id}/transitions/", {"to": "submitted", "reason": "Diterima"})
    assert early.status_code == 400 and "dokumen wajib belum diunggah" in str(early.json())
    required_documents(pair, operator("52"))
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


def test_rename_a_pair_through_the_api(client, elections):
    lobar, bima = elections
    pair = PairFactory(election=lobar, name="Lama")
    client.force_login(operator("52.01"))
    url = f"{API}/pairs/{pair.pk}/"
    empty = client.patch(url, {}, content_type="application/json")
    assert empty.status_code == 400 and "name" in empty.json()
    blank = client.patch(url, {"name": "  "}, content_type="application/json")
    assert blank.status_code == 400
    response = client.patch(url, {"name": "Baru", "path": "party"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["name"] == "Baru"
    pair.refresh_from_db()
    assert (pair.name, pair.path) == ("Baru", Path.INDEPENDENT)  # only the name is KPU's to change here
    event = AuditEvent.objects.get(action="pair.rename")
    assert (event.before, event.after) == ({"name": "Lama"}, {"name": "Baru"})
    other = PairFactory(election=bima)
    assert client.put(f"{API}/pairs/{other.pk}/", {"name": "x"}, content_type="application/json").status_code == 404


def test_nominate_a_coalition_through_the_api(client):
    election = ElectionFactory(dpt=3_568_594, total_valid_votes=3_000_000, total_seats=65)
    open_stage(election, Stage.REGISTRATION)
    result(election, 2, 200_000, 10)
    result(election, 6, 55_000, 0)
    result(election, 4, 50_000, 5)
    pair = PairFactory(election=election, path=Path.PARTY, name="Koalisi")
    rival = PairFactory(election=election, path=Path.PARTY, name="Rival")
    client.force_login(operator("52"))
    url = f"{API}/pairs/{pair.pk}/nominations/"
    assert client.get(url).json() == {"parties": [], "coalition": None}
    short = client.post(url, {"parties": [2]}, content_type="application/json")
    assert short.status_code == 400 and "belum memenuhi syarat" in str(short.json())
    unknown = client.post(url, {"parties": [99]}, content_type="application/json")
    assert unknown.status_code == 400 and "parties" in unknown.json()
    ok = client.post(url, {"parties": [2, 6]}, content_type="application/json")
    assert ok.status_code == 201, ok.json()
    body = ok.json()
    assert [p["number"] for p in body["parties"]] == [2, 6]
    assert body["coalition"] == {
        "votes": 255_000,
        "seats": 0,  # MK 60/PUU-XXII/2024: only votes count
        "votes_required": 255_000,
        "seats_required": None,
        "qualifies": True,
    }
    taken = client.post(f"{API}/pairs/{rival.pk}/nominations/", {"parties": [6, 4]}, content_type="application/json")
    assert taken.status_code == 400 and "sudah mengusulkan pasangan Koalisi" in str(taken.json())
    independent = PairFactory(election=election)
    refused = client.post(
        f"{API}/pairs/{independent.pk}/nominations/", {"parties": [4]}, content_type="application/json"
    )
    assert refused.status_code == 400 and "perseorangan" in str(refused.json())
    assert client.get(f"{API}/pairs/{pair.pk}/").json()["parties"] == [2, 6]


def test_issue_the_party_admin_through_the_api(client):
    pair = PairFactory(path=Path.PARTY)
    client.force_login(UserFactory(role=Role.BAWASLU, region_code="52"))
    assert client.post(f"{API}/pairs/{pair.pk}/party-admin/").status_code == 403
    client.force_login(operator("52"))
    response = client.post(f"{API}/pairs/{pair.pk}/party-admin/")
    assert response.status_code == 201 and response["Cache-Control"] == "no-store"
    body = response.json()
    admin = PartyAdmin.objects.get(pair=pair).user
    assert body["username"] == admin.username == f"partai-{pair.election_id}-{pair.pk}"
    assert admin.check_password(body["password"]) and body["expires_at"]
    again = client.post(f"{API}/pairs/{pair.pk}/party-admin/")
    assert again.status_code == 400 and "sudah memiliki" in str(again.json())
    independent = PairFactory(election=pair.election)
    assert client.post(f"{API}/pairs/{independent.pk}/party-admin/").status_code == 400


def test_ballot_number_is_assigned_through_a_transition(client):
    election = ElectionFactory()
    open_stage(election, Stage.BALLOT_DRAW)
    first = PairFactory(election=election, status=PairStatus.DETERMINED)
    second = PairFactory(election=election, status=PairStatus.DETERMINED)
    client.force_login(operator("52"))
    move = {"to": "ballot_assigned", "reason": "Hasil pengundian"}
    missing = client.post(f"{API}/pairs/{first.pk}/transitions/", move, content_type="application/json")
    assert missing.status_code == 400 and "Nomor urut" in str(missing.json())
    ok = client.post(
        f"{API}/pairs/{first.pk}/transitions/", move | {"ballot_number": 1}, content_type="application/json"
    )
    assert ok.status_code == 201
    assert client.get(f"{API}/pairs/{first.pk}/").json()["ballot_number"] == 1
    dup = client.post(
        f"{API}/pairs/{second.pk}/transitions/", move | {"ballot_number": 1}, content_type="application/json"
    )
    assert dup.status_code == 400 and "sudah dipakai" in str(dup.json())


def test_area_dpt_and_party_results_from_csv_through_the_api(client):
    version = RegionListVersionFactory()
    province(version, "52", regencies=1)
    districts(version, "52.01", 3)
    election = ElectionFactory(
        region_version=version, type=ElectionType.REGENT, region_code="52.01", total_valid_votes=500_000
    )
    client.force_login(operator("52.01"))
    url = f"{API}/elections/{election.pk}/area-dpt/"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    bad = client.post(url, {"text": "52.01.01,100\n52.02,5\n"}, content_type="application/json")
    assert bad.status_code == 400 and any("Baris 2" in m for m in bad.json()["non_field_errors"])
    assert client.get(url).json() == []
    csv_file = io.BytesIO(b"region_code,dpt\n52.01.01,1.200\n52.01.02,3400\n")
    csv_file.name = "dpt.csv"
    ok = client.post(url, {"file": csv_file})
    assert ok.status_code == 201
    assert [(r["region_code"], r["dpt"]) for r in ok.json()] == [("52.01.01", 1200), ("52.01.02", 3400)]
    latin = io.BytesIO("52.01.03,5\n# Lombok Barat ü\n".encode("latin-1"))
    latin.name = "dpt.csv"
    assert "UTF-8" in client.post(url, {"file": latin}).json()["file"][0]

    url = f"{API}/elections/{election.pk}/party-results/import/"
    bad = client.post(url, {"text": "2,100000,5\n99,1,1\n"}, content_type="application/json")
    assert bad.status_code == 400 and "Baris 2: nomor partai «99» tidak dikenal." in bad.json()["non_field_errors"]
    assert not election.party_results.exists()
    ok = client.post(
        url, {"text": "party_number,votes,seats\n2,100.000,5\n4,90000,4\n"}, content_type="application/json"
    )
    assert ok.status_code == 201
    assert [(r["party"], r["votes"], r["seats"]) for r in ok.json()] == [(2, 100_000, 5), (4, 90_000, 4)]
    assert AuditEvent.objects.filter(action__in=["election.area_dpt_import", "party_result.import"]).count() == 2
    client.force_login(UserFactory(role=Role.BAWASLU, region_code="52"))
    assert client.get(f"{API}/elections/{election.pk}/area-dpt/").status_code == 200
    assert client.post(url, {"text": "2,1,1\n"}, content_type="application/json").status_code == 403
    client.force_login(operator("52.06"))
    assert client.post(url, {"text": "2,1,1\n"}, content_type="application/json").status_code == 404


def test_openapi_schema_is_valid_without_warnings():
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in (
        "/api/candidacy/elections/",
        "/api/candidacy/pairs/{id}/transitions/",
        "/api/candidacy/elections/{id}/party-results/",
        "/api/candidacy/elections/{id}/stages/",
        "/api/candidacy/elections/{id}/area-dpt/",
        "/api/candidacy/elections/{id}/party-results/import/",
        "/api/candidacy/pairs/{id}/candidates/",
        "/api/candidacy/pairs/{id}/candidates/{role}/",
        "/api/candidacy/pairs/{id}/candidates/{role}/photo/",
        "/api/candidacy/pairs/{id}/documents/",
        "/api/candidacy/pairs/{id}/nominations/",
        "/api/candidacy/pairs/{id}/party-admin/",
        "/api/candidacy/documents/{id}/",
        "/api/candidacy/documents/{id}/check/",
        "/api/candidacy/documents/{id}/file/",
    ):
        assert path in schema
    assert Stage.REGISTRATION.value in schema


def test_party_admin_revoke_and_reissue_through_the_api(client):
    pair = PairFactory(election=ElectionFactory(), path=Path.PARTY)
    first, _ = party_admin_issue(actor=operator("52"), pair=pair)
    client.force_login(operator("52"))
    url = f"{API}/pairs/{pair.pk}/party-admin/revoke/"
    missing = client.post(url, {}, content_type="application/json")
    assert missing.status_code == 400 and "reason" in missing.json()
    response = client.post(url, {"reason": "Pengurus diganti"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["username"] == first.username and response.json()["revoke_reason"] == "Pengurus diganti"
    again = client.post(url, {"reason": "Lagi"}, content_type="application/json")
    assert again.status_code == 400
    reissued = client.post(f"{API}/pairs/{pair.pk}/party-admin/")
    assert reissued.status_code == 201 and reissued.json()["username"] != first.username
    assert (
        PartyAdmin.objects.filter(pair=pair, revoked_at__isnull=True).get().user.username == reissued.json()["username"]
    )


@pytest.mark.parametrize("value", ["99999999999999999999999", "1000000001", "9" * 5000, "-1", "١٢٣"])
def test_an_area_dpt_out_of_range_is_refused_with_a_message_on_the_page_and_the_api(client, value):
    """F4: a DPT past any column's range answered 500 ("bigint out of range"); now 400 naming the line."""
    version = RegionListVersionFactory()
    province(version, "53", name="Nusa Tenggara Timur", regencies=2)
    election = ElectionFactory(region_version=version, region_code="53", region_name="NTT")
    client.force_login(operator("53"))
    text = f"53.01,{value}\n"
    api = client.post(f"{API}/elections/{election.pk}/area-dpt/", {"text": text}, content_type="application/json")
    assert api.status_code == 400
    assert any("Baris 1" in message for message in api.json()["non_field_errors"]), api.json()
    page = client.post(reverse("candidacy:area_dpt_import", kwargs={"pk": election.pk}), {"text": text})
    assert page.status_code == 400 and "Baris 1" in page.content.decode()
    assert not election.area_dpts.exists()
