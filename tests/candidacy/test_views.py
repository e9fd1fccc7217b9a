"""Operator and party-admin pages: jurisdiction (404 out of reach), read-only roles, forms and privacy."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Election, ElectionType, PairStatus, Party, Path, Stage
from candidacy.services import party_admin_issue
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
    open_stage,
    province,
    required_documents,
    result,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def elections():
    lobar = ElectionFactory(
        type=ElectionType.REGENT, region_code="52.01", region_name="Lombok Barat", name="Pilbup Lobar"
    )
    bima = ElectionFactory(type=ElectionType.REGENT, region_code="52.06", region_name="Bima", name="Pilbup Bima")
    return lobar, bima


def election_urls(e):
    return [
        reverse("candidacy:election_detail", args=[e.pk]),
        reverse("candidacy:election_update", args=[e.pk]),
        reverse("candidacy:stage_set", args=[e.pk]),
        reverse("candidacy:extension_grant", args=[e.pk]),
        reverse("candidacy:party_results", args=[e.pk]),
        reverse("candidacy:area_dpt_import", args=[e.pk]),
        reverse("candidacy:pair_create", args=[e.pk]),
    ]


def pair_urls(p):
    return [
        reverse("candidacy:pair_detail", args=[p.pk]),
        reverse("candidacy:documents", args=[p.pk]),
        reverse("candidacy:candidate_detail", args=[p.pk, "kepala"]),
    ]


def test_regency_operator_gets_404_for_another_regency(client, elections):
    lobar, bima = elections
    bima_pair = PairFactory(election=bima)
    candidate(bima_pair, "head")
    client.force_login(operator("52.01"))
    for url in election_urls(bima) + pair_urls(bima_pair):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("candidacy:stage_set", args=[bima.pk]), {}).status_code == 404
    assert client.get(reverse("candidacy:election_detail", args=[lobar.pk])).status_code == 200
    listing = client.get(reverse("candidacy:election_list")).content.decode()
    assert "Pilbup Lobar" in listing and "Pilbup Bima" not in listing


def test_province_operator_reaches_both(client, elections):
    client.force_login(operator("52"))
    for election in elections:
        pair = PairFactory(election=election)
        candidate(pair, "head")
        for url in election_urls(election) + pair_urls(pair):
            assert client.get(url).status_code == 200, url


def test_bawaslu_reads_but_cannot_post(client, elections):
    lobar, _ = elections
    pair = PairFactory(election=lobar)
    client.force_login(UserFactory(role=Role.BAWASLU, region_code="52"))
    assert client.get(reverse("candidacy:election_detail", args=[lobar.pk])).status_code == 200
    assert client.get(reverse("candidacy:pair_detail", args=[pair.pk])).status_code == 200
    assert client.get(reverse("candidacy:election_create")).status_code == 403
    for url in (
        reverse("candidacy:stage_set", args=[lobar.pk]),
        reverse("candidacy:pair_transition", args=[pair.pk]),
        reverse("candidacy:pair_create", args=[lobar.pk]),
        reverse("candidacy:party_results", args=[lobar.pk]),
    ):
        assert client.post(url, {"to": "submitted", "reason": "x"}).status_code == 403, url
    assert pair.status_history.count() == 0
    # every view Bawaslu makes is recorded
    assert AuditEvent.objects.filter(action="supervision.view", actor_role=Role.BAWASLU).count() == 2


def test_election_list_filters(client, elections):
    ElectionFactory(name="Pilgub NTB", type=ElectionType.GOVERNOR)
    client.force_login(operator(""))
    url = reverse("candidacy:election_list")
    html = client.get(url, {"type": "governor"}).content.decode()
    assert "Pilgub NTB" in html and "Pilbup Bima" not in html
    html = client.get(url, {"region": "52.06"}).content.decode()
    assert "Pilbup Bima" in html and "Pilbup Lobar" not in html
    html = client.get(url, {"q": "lobar"}).content.decode()
    assert "Pilbup Lobar" in html and "Pilbup Bima" not in html


def test_election_list_query_count_does_not_grow_with_rows(client, django_assert_max_num_queries):
    for i in range(15):
        ElectionFactory(name=f"P{i}")
    client.force_login(operator("52"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("candidacy:election_list")).status_code == 200


def test_create_election_through_the_form(client):
    version = RegionListVersionFactory()
    province(version, "52", regencies=8, kota=2)
    data = {
        "name": "Pilgub NTB 2026",
        "type": "governor",
        "region_version": version.pk,
        "regulation": current_regulation().pk,
        "region_code": "52",
        "polling_day": clock.polling_day().isoformat(),
        "dpt": "3568594",
    }
    client.force_login(operator("52.01"))
    response = client.post(reverse("candidacy:election_create"), data)
    assert "di luar yurisdiksi" in response.content.decode()
    client.force_login(operator("52"))
    response = client.post(reverse("candidacy:election_create"), data | {"region_code": "52.99"})
    assert "tidak ada pada" in response.content.decode()
    response = client.post(reverse("candidacy:election_create"), data)
    election = Election.objects.get()
    assert response.status_code == 302 and election.region_name == "Nusa Tenggara Barat"
    html = client.get(reverse("candidacy:election_detail", args=[election.pk])).content.decode()
    assert 'id="support-minimum" class="num">303' in html
    assert 'id="spread-required" class="num">6<' in html


def test_party_results_csv_errors_are_shown_with_line_numbers(client):
    election = ElectionFactory(total_valid_votes=1_000_000, total_seats=65)
    client.force_login(operator("52"))
    response = client.post(
        reverse("candidacy:party_results", args=[election.pk]), {"csv-text": "party_number,votes,seats\n99,1,1\n"}
    )
    assert "Baris 2: nomor partai «99» tidak dikenal." in response.content.decode()
    response = client.post(reverse("candidacy:party_results", args=[election.pk]), {"csv-text": "2,100000,5\n"})
    assert response.status_code == 302 and election.party_results.get().votes == 100_000


def test_nominate_and_move_a_pair_through_the_pages(client):
    election = ElectionFactory(total_valid_votes=1_000_000, total_seats=65)
    open_stage(election, Stage.REGISTRATION)
    result(election, 2, 50_000, 3)
    result(election, 4, 40_000, 3)
    pair = PairFactory(election=election, path=Path.PARTY)
    candidate(pair, "head")
    candidate(pair, "deputy")
    client.force_login(operator("52"))
    url = reverse("candidacy:nomination", args=[pair.pk])
    response = client.post(url, {"parties": [pair_party.pk for pair_party in _parties(2)]})
    assert "belum memenuhi syarat" in response.content.decode()  # 50,000 of 85,000 needed
    assert client.post(url, {"parties": [p.pk for p in _parties(2, 4)]}).status_code == 302
    transition = reverse("candidacy:pair_transition", args=[pair.pk])
    client.post(transition, {"to": "under_review", "reason": "x"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.DRAFT  # refused: not a move of the table
    client.post(transition, {"to": "submitted", "reason": "Berkas diterima"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.DRAFT  # refused: no document uploaded yet
    required_documents(pair, operator("52"))
    client.post(transition, {"to": "submitted", "reason": "Berkas diterima"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.SUBMITTED
    html = client.get(reverse("candidacy:pair_detail", args=[pair.pk])).content.decode()
    assert "Berkas diterima" in html and 'value="under_review"' in html


def _parties(*numbers):
    return list(Party.objects.filter(number__in=numbers))


def test_lists_mask_nik_and_the_full_record_is_audited(client):
    pair = PairFactory()
    candidate(pair, "head")
    client.force_login(operator("52"))
    html = client.get(reverse("candidacy:pair_detail", args=[pair.pk])).content.decode()
    assert "520101******0001" in html and "5201011203750001" not in html and "Pejanggik" not in html
    html = client.get(reverse("candidacy:candidate_detail", args=[pair.pk, "kepala"])).content.decode()
    assert "5201011203750001" in html and "Pejanggik" in html
    event = AuditEvent.objects.get(action="candidate.view")
    assert event.after == {"nik": "520101******0001"}


def test_party_admin_sees_its_pair_confirms_and_cannot_edit(client):
    election = ElectionFactory()
    pair = PairFactory(election=election, path=Path.PARTY)
    other = PairFactory(election=election, path=Path.PARTY)
    candidate(pair, "head")
    admin, _password = party_admin_issue(actor=operator("52"), pair=pair)
    admin.must_change_password = False
    admin.save()
    client.force_login(admin)
    assert client.get(reverse("candidacy:pair_detail", args=[pair.pk])).status_code == 200
    assert client.get(reverse("candidacy:candidate_detail", args=[pair.pk, "kepala"])).status_code == 200
    assert client.get(reverse("candidacy:pair_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("candidacy:election_detail", args=[election.pk])).status_code == 404
    assert client.get(reverse("candidacy:candidate_set", args=[pair.pk, "kepala"])).status_code == 403
    assert (
        client.post(
            reverse("candidacy:pair_transition", args=[pair.pk]), {"to": "submitted", "reason": "x"}
        ).status_code
        == 403
    )
    assert client.post(reverse("candidacy:party_admin_issue", args=[pair.pk])).status_code == 403
    response = client.post(reverse("candidacy:pair_confirm", args=[pair.pk]), {"note": "Data sesuai"}, follow=True)
    assert "Data sesuai" in response.content.decode()
    assert pair.confirmations.get().confirmed_by == admin


def test_party_admin_password_is_shown_once(client):
    pair = PairFactory(path=Path.PARTY)
    client.force_login(operator("52"))
    response = client.post(reverse("candidacy:party_admin_issue", args=[pair.pk]))
    issued = reverse("candidacy:party_admin_issued", args=[pair.pk])
    assert response.status_code == 302 and response["Location"] == issued  # post/redirect/get (#21)
    first = client.get(issued)
    html = first.content.decode()
    assert 'id="issued-password"' in html and first["Cache-Control"] == "no-store" and "data-print" in html
    password = re.search(r'id="issued-password">([^<]+)<', html).group(1)
    again = client.get(issued)  # a refresh: the password is gone, the account is not issued again
    assert password not in again.content.decode() and 'id="secret-gone"' in again.content.decode()
    assert again["Cache-Control"] == "no-store"
    assert AuditEvent.objects.filter(action="pair.party_admin_issue").count() == 1
    html = client.get(reverse("candidacy:pair_detail", args=[pair.pk])).content.decode()
    assert "issued-password" not in html and f"partai-{pair.election_id}-{pair.pk}" in html


def test_pages_have_no_inline_script_or_style(client):
    pair = PairFactory(path=Path.PARTY)
    candidate(pair, "head")
    client.force_login(operator("52"))
    for url in (
        election_urls(pair.election)
        + pair_urls(pair)
        + [reverse("candidacy:election_list"), reverse("candidacy:nomination", args=[pair.pk])]
    ):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "style=" not in html and "<style" not in html, url


def test_navigation_has_candidacy_entries(client):
    client.force_login(operator("52"))
    html = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("candidacy:election_list") in html
    client.force_login(UserFactory(role=Role.PARTY_ADMIN, region_code=""))
    html = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("candidacy:pair_list") in html and reverse("candidacy:election_list") + '"' not in html


def test_reference_data_is_editable_in_the_admin(client):
    client.force_login(UserFactory(role=Role.ADMIN, region_code="", is_superuser=True, is_staff=True))
    html = client.get("/admin/candidacy/party/").content.decode()
    assert "Gerindra" in html and "Ummat" in html
    assert client.get("/admin/candidacy/documentrequirement/").status_code == 200
    party = Party.objects.get(number=24)
    response = client.post(
        f"/admin/candidacy/party/{party.pk}/change/",
        {"number": 24, "short_name": "Ummat", "name": "Partai Ummat", "is_active": ""},
    )
    assert response.status_code == 302
    party.refresh_from_db()
    assert not party.is_active


def test_stage_and_extension_pages(client):
    election = ElectionFactory()
    pair = PairFactory(election=election)
    client.force_login(operator("52"))
    stage_url = reverse("candidacy:stage_set", args=[election.pk])
    day = clock.today() + datetime.timedelta(days=30)  # a window ahead: day 1 to day 10
    start, end = clock.local_dt(day, 8), clock.local_dt(day + datetime.timedelta(days=9), 23, 59)
    response = client.post(
        stage_url, {"stage": "support_submission", "starts_at": clock.form_dt(end), "ends_at": clock.form_dt(start)}
    )
    assert "Akhir tahapan harus sesudah awalnya." in response.content.decode()
    response = client.post(
        stage_url, {"stage": "support_submission", "starts_at": clock.form_dt(start), "ends_at": clock.form_dt(end)}
    )
    assert response.status_code == 302
    extension_url = reverse("candidacy:extension_grant", args=[election.pk])
    short = end - datetime.timedelta(days=1, hours=15, minutes=59)
    response = client.post(
        extension_url,
        {"stage": "support_submission", "pair": pair.pk, "extended_until": clock.form_dt(short), "reason": "Server"},
    )
    assert "Perpanjangan harus melewati akhir jadwal tahapan." in response.content.decode()
    longer = end + datetime.timedelta(days=2)
    response = client.post(
        extension_url,
        {"stage": "support_submission", "pair": pair.pk, "extended_until": clock.form_dt(longer), "reason": "Server"},
    )
    assert response.status_code == 302
    html = client.get(reverse("candidacy:election_detail", args=[election.pk])).content.decode()
    assert timezone.localtime(longer).strftime("%d-%m-%Y %H:%M") in html and pair.name in html


def test_area_dpt_page_shows_line_errors(client):
    version = RegionListVersionFactory()
    province(version, "52", regencies=2)
    election = ElectionFactory(region_version=version)
    client.force_login(operator("52"))
    url = reverse("candidacy:area_dpt_import", args=[election.pk])
    response = client.post(url, {"text": "region_code,dpt\n52.01,100\n52.09,5\n"})
    assert "Baris 3: kode wilayah 52.09 tidak ada pada versi daftar wilayah" in response.content.decode()
    assert client.post(url, {"text": "52.01,100\n52.02,200\n"}).status_code == 302
    assert election.area_dpts.count() == 2


def test_pair_list_filters_by_election_path_status_and_name_within_reach(client, elections):
    lobar, bima = elections
    lobar_2 = ElectionFactory(type=ElectionType.REGENT, region_code="52.01", name="Pilbup Lobar ulang")
    independent = PairFactory(election=lobar, name="Ahmad – Baiq", path=Path.INDEPENDENT)
    party = PairFactory(election=lobar, name="Lalu – Siti", path=Path.PARTY, status=PairStatus.SUBMITTED)
    candidate(party, "head", name="Lalu Zulkifli")
    other = PairFactory(election=lobar_2, name="Made – Putu", path=Path.PARTY)
    PairFactory(election=bima, name="Ahmad Bima – Dewi")  # out of reach of a Lombok Barat operator
    client.force_login(operator("52.01"))
    url = reverse("candidacy:pair_list")

    def names(**params):
        response = client.get(url, params)
        assert response.status_code == 200
        return [p.name for p in response.context["page"]]

    assert sorted(names()) == sorted([independent.name, party.name, other.name])
    assert sorted(names(election=lobar.pk)) == sorted([independent.name, party.name])
    assert sorted(names(path=Path.PARTY)) == sorted([party.name, other.name])
    assert names(status=PairStatus.SUBMITTED) == [party.name]
    assert names(q="ahmad") == [independent.name]  # the Bima pair stays out of reach
    assert names(q="zulkifli") == [party.name]  # a candidate's name finds the pair
    assert names(election=lobar.pk, path=Path.PARTY, status=PairStatus.DRAFT) == []
    # An election outside the operator's reach is not a choice; the form says so and nothing is filtered by it.
    response = client.get(url, {"election": bima.pk})
    assert response.context["form"].errors["election"]
    html = client.get(url).content.decode()
    for label in ("Pemilihan", "Jalur", "Status", "Cari nama"):
        assert f">{label}</label>" in html
    assert "Pilbup Bima" not in html


def test_pair_list_pages_keep_the_filters(client, elections):
    lobar, _bima = elections
    for n in range(51):
        PairFactory(election=lobar, name=f"Pasangan partai {n:02d}", path=Path.PARTY)
    PairFactory(election=lobar, name="Perseorangan", path=Path.INDEPENDENT)
    client.force_login(operator("52.01"))
    response = client.get(reverse("candidacy:pair_list"), {"path": Path.PARTY})
    html = response.content.decode()
    assert "path=party&amp;page=2" in html
    page_2 = client.get(reverse("candidacy:pair_list"), {"path": Path.PARTY, "page": 2})
    assert [p.name for p in page_2.context["page"]] == ["Pasangan partai 50"]


def test_party_admin_is_revoked_and_reissued_from_the_pair_page(client):
    pair = PairFactory(path=Path.PARTY)
    first, _password = party_admin_issue(actor=operator("52"), pair=pair)
    client.force_login(operator("52"))
    detail = reverse("candidacy:pair_detail", args=[pair.pk])
    revoke = reverse("candidacy:party_admin_revoke", args=[pair.pk])
    html = client.get(detail).content.decode()
    assert f'action="{revoke}"' in html and "Alasan pencabutan" in html
    assert f'action="{reverse("candidacy:party_admin_issue", args=[pair.pk])}"' not in html
    response = client.post(revoke, {"reason": ""}, follow=True)
    assert "Alasan pencabutan wajib diisi." in response.content.decode()
    first.refresh_from_db()
    assert first.is_active
    response = client.post(revoke, {"reason": "Pengurus diganti"}, follow=True)
    html = response.content.decode()
    assert f"Akun admin partai {first.username} dicabut." in html and "Pengurus diganti" in html
    first.refresh_from_db()
    assert not first.is_active
    response = client.post(reverse("candidacy:party_admin_issue", args=[pair.pk]), follow=True)
    assert 'id="issued-password"' in response.content.decode()
    assert AuditEvent.objects.filter(action="pair.party_admin_revoke").count() == 1
