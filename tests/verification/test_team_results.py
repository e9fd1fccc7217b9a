"""The pair's own team sees its verification results (docs/domain.md §3.4, §9.3): per round, its supporters
with their result, the not-met ones with the moment they must be at the PPS office, and the lists to act on
as CSV/xlsx. Another pair's LO, and every other role, gets 404."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from silon.audit import actions
from silon.audit.models import AuditEvent
from support_uploads.services import lo_account_issue, pair_team_register
from tests.accounts.factories import operator
from tests.support_uploads.conftest import PDF
from verification.models import RoundKind, Verdict, VerificationResult, Visit
from verification.services import factual_visit_record, results_mark, round_close, round_open

from .verification_helpers import DESA_A, DESA_B, DESA_C, add_supporters, make_election, make_pair, verifier

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x")'


def team_lo(pair, kpu):
    pair_team_register(actor=kpu, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="LO")
    user = lo_account_issue(actor=kpu, pair=pair, password="Sandi-LO-2026!t")[0].user
    user.must_change_password = False
    user.save(update_fields=["must_change_password"])
    return user


@pytest.fixture
def team():
    """Pair A's factual round: one supporter confirmed (MS), one not met (pending, due in 3 days), one who
    denies (TMS), one not yet visited; pair B with its own LO."""
    election = make_election()
    pair, other = make_pair(election), make_pair(election)
    op1, op2 = operator("52"), operator("52")
    lo_a, lo_b = team_lo(pair, op1), team_lo(other, op1)
    rows = add_supporters(pair, [DESA_A, DESA_A, DESA_B, DESA_C], names=["BAIQ NURUL", HOSTILE, "LALU AHMAD", "SITI"])
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    for desa in (DESA_A, DESA_B, DESA_C):
        results_mark(actor=op1, round=admin, verdict=Verdict.MS, village_code=desa)
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL)
    pps_a, pps_b = verifier(DESA_A), verifier(DESA_B)
    factual_visit_record(actor=pps_a, round=factual, supporter=rows[0], visit=Visit.CONFIRMS)
    factual_visit_record(actor=pps_a, round=factual, supporter=rows[1], visit=Visit.NOT_MET)
    factual_visit_record(actor=pps_b, round=factual, supporter=rows[2], visit=Visit.DENIES, note="tidak mendukung")
    return {"pair": pair, "other": other, "lo_a": lo_a, "lo_b": lo_b, "op": op1, "round": factual, "rows": rows}


def test_the_lo_sees_its_results_with_the_due_moment_masked(client, team):
    client.force_login(team["lo_a"])
    url = reverse("verification:team_results", args=[team["round"].pk])
    before = AuditEvent.objects.count()
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    pending = VerificationResult.objects.get(round=team["round"], verdict=Verdict.PENDING)
    assert pending.due_at > timezone.now()
    assert 'id="team-pending"' in html
    with translation.override("id"):
        due = date(timezone.localtime(pending.due_at), "DATETIME_FORMAT")
    assert f"<strong>{due}</strong>" in html  # the due moment, prominently
    for supporter in team["rows"]:
        assert supporter.nik not in html  # a listing: NIK masked (silon.privacy, Viewer.listing)
        assert supporter.nik[:6] + "******" + supporter.nik[-4:] in html
    assert "BAIQ NURUL" not in html and "B*** N****" in html
    assert "BA.5" in html or "tidak mendukung" in html  # the TMS reason or its note
    events = AuditEvent.objects.filter(pk__gt=before, action=actions.VERIFICATION_TEAM_RESULTS_VIEW)
    assert events.count() == 1 and events.get().actor == team["lo_a"]


def test_filters_by_result_and_kecamatan(client, team):
    client.force_login(team["lo_a"])
    url = reverse("verification:team_results", args=[team["round"].pk])
    by_result = {
        value: client.get(url, {"hasil": value}).content.decode().count('class="team-row')
        for value in ("ms", "tms", "pending", "undecided", "")
    }
    assert by_result == {"ms": 1, "tms": 1, "pending": 1, "undecided": 1, "": 4}
    kedir = client.get(url, {"kecamatan": "52.01.02"}).content.decode()
    assert kedir.count('class="team-row') == 1 and "result-tms" in kedir
    api = client.get(reverse("verification_api:round-team-results", args=[team["round"].pk]), {"hasil": "pending"})
    assert api.status_code == 200
    body = api.json()
    assert body["count"] == 1 and body["results"][0]["verdict"] == "pending"
    assert body["results"][0]["due_at"] and body["pending"][0]["due_at"] == body["results"][0]["due_at"]
    assert team["rows"][1].nik not in api.content.decode()


@pytest.mark.parametrize("page", ["page", "api"])
def test_another_pair_and_other_roles_get_404(client, team, page):
    name = "verification:team_results" if page == "page" else "verification_api:round-team-results"
    url = reverse(name, args=[team["round"].pk])
    for user in (team["lo_b"], team["op"], operator("51")):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(team["lo_b"])
    download = reverse("verification:team_download", args=[team["round"].pk])
    assert client.get(download, {"berkas": "csv"}).status_code == 404


def test_download_lists_pending_and_tms_formula_safe_and_audited(client, team):
    client.force_login(team["lo_a"])
    before = AuditEvent.objects.count()
    url = reverse("verification:team_download", args=[team["round"].pk])
    response = client.get(url, {"berkas": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3  # header, pending, TMS
    pending, tms = rows[1], rows[2]
    assert pending[0] == team["rows"][1].nik  # the team's own rows, full (as its error report)
    assert pending[1] == "'" + HOSTILE  # neutralised
    assert pending[-1]  # the due moment
    assert tms[0] == team["rows"][2].nik and tms[6]
    xlsx = client.get(reverse("verification_api:round-team-download", args=[team["round"].pk]), {"berkas": "xlsx"})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert len(values) == 3 and values[1][1] == "'" + HOSTILE
    assert not any(isinstance(v, str) and v.startswith("=") for row in values for v in row)
    downloads = AuditEvent.objects.filter(pk__gt=before, action=actions.VERIFICATION_TEAM_RESULTS_DOWNLOAD)
    assert downloads.count() == 2
    assert client.get(url, {"berkas": "pdf"}).status_code == 404


def test_pair_page_and_dashboard_link_to_the_results(client, team):
    client.force_login(team["lo_a"])
    url = reverse("verification:team_results", args=[team["round"].pk])
    pair_page = client.get(reverse("verification:pair", args=[team["pair"].pk])).content.decode()
    assert url in pair_page and "belum ditemui" in pair_page
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    assert url in dashboard and 'id="team-verification"' in dashboard
    client.force_login(team["lo_b"])
    assert url not in client.get(reverse("dashboard:home")).content.decode()
