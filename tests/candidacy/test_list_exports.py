"""The pair list and the election list as CSV and xlsx, with the page's filters, audited, formulas neutralised
(#21)."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from candidacy.models import Path
from silon.audit import actions
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory, operator

from .factories import ElectionFactory, PairFactory, candidate

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def _xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[-1]  # a supervisor copy has a stamp sheet first
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def pairs():
    election = ElectionFactory(name="Pemilihan Bupati Uji", region_code="52.01", region_name="Lombok Barat")
    other = ElectionFactory(name="Pemilihan Lain", region_code="52.06", region_name="Bima")
    formula = PairFactory(election=election, path=Path.INDEPENDENT, name='=HYPERLINK("http://x")')
    candidate(formula, "head", name="@Lalu Uji")
    party = PairFactory(election=election, path=Path.PARTY, name="Koalisi Maju")
    PairFactory(election=other, path=Path.PARTY, name="Di Bima")
    return election, formula, party


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_pair_list_export_keeps_the_filters_and_neutralises_formulas(client, pairs, fmt):
    election, _formula, _party = pairs
    user = operator("52")
    client.force_login(user)
    query = {"election": election.pk, "path": Path.INDEPENDENT}
    response = client.get(reverse("candidacy:pair_list_export", args=[fmt]), query)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="pasangan-calon.{fmt}"'
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    assert rows[0][:4] == ["Pemilihan", "Kode wilayah", "Wilayah", "Pasangan calon"]
    assert len(rows) == 2  # the filter: one election, the independent path only
    assert rows[1][0] == "Pemilihan Bupati Uji" and rows[1][3] == '\'=HYPERLINK("http://x")'
    assert rows[1][8] == "'@Lalu Uji"
    event = AuditEvent.objects.get(action=actions.PAIR_LIST_EXPORT)
    assert event.actor == user and event.after == {
        "election": str(election.pk),
        "path": "independent",
        "format": fmt,
        "rows": 1,
    }


def test_pair_list_export_without_filters_lists_what_the_page_lists(client, pairs):
    client.force_login(operator("52.01"))
    rows = _csv(client.get(reverse("candidacy:pair_list_export", args=["csv"])))
    assert sorted(r[3] for r in rows[1:]) == ['\'=HYPERLINK("http://x")', "Koalisi Maju"]  # not Bima's pair


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_election_list_export(client, pairs, fmt):
    client.force_login(UserFactory(role="bawaslu", region_code="52"))
    response = client.get(reverse("candidacy:election_list_export", args=[fmt]), {"q": "Bupati"})
    assert response.status_code == 200
    rows = _csv(response) if fmt == "csv" else _xlsx(response)
    data = [r for r in rows if r and r[0] == "Pemilihan Bupati Uji"]
    assert len(data) == 1 and str(data[0][6]) == "2"  # two pairs
    assert "Pemilihan Lain" not in [r[0] for r in rows]
    event = AuditEvent.objects.get(action=actions.ELECTION_LIST_EXPORT)
    assert event.after["q"] == "Bupati" and event.after["rows"] == 1
    # Bawaslu's copy is also stamped and recorded as a supervision download
    assert AuditEvent.objects.filter(action=actions.SUPERVISION_DOWNLOAD).count() == 1


def test_an_unknown_format_is_not_found_and_the_lists_link_their_exports(client, pairs):
    client.force_login(operator("52"))
    assert client.get("/pemilihan/paslon/unduh.pdf").status_code == 404
    html = client.get(reverse("candidacy:pair_list"), {"path": "party"}).content.decode()
    assert f'href="{reverse("candidacy:pair_list_export", args=["xlsx"])}?path=party"' in html
    assert 'id="list-exports"' in client.get(reverse("candidacy:election_list")).content.decode()
