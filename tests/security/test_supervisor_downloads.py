"""Every file a supervisor (Bawaslu) downloads carries a visible watermark (who, when, a download id) and the
download id names a ``supervision.download`` audit event (``silon.audit.downloads``).

The downloads are found, not listed: every URL of the permission matrix that Bawaslu reads with 200 is
requested, and every answer that is a PDF, xlsx or CSV is checked (PDF read with pypdf, xlsx with openpyxl).
The known downloads must all be among them, so the test cannot pass by finding none.
"""

import csv
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from silon.audit import actions
from silon.audit.downloads import download_kind
from silon.audit.models import AuditEvent
from silon.watermark import SHEET_TITLE
from tests.security.test_permission_matrix import ADMIN_EXPECTED, EXPECTED, ROLES, build_url, url_names

pytestmark = pytest.mark.django_db

# what Bawaslu can download today (pages and API); a new download joins the check by itself
KNOWN_DOWNLOADS = {
    "audit:export",
    "candidacy:document_download",
    "candidacy_api:document-file",
    "support_uploads:template",
    "support_uploads_api:template",
    "support_uploads:upload_report",
    "support_uploads_api:upload_report",
}  # not KTP scans: an image cannot be masked, Bawaslu does not open them (SECURITY.md "Images")
DOWNLOAD_ID = re.compile(r"ID unduhan ([0-9A-F]{16})")


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def watermark_texts(kind: str, body: bytes) -> list[str]:
    """The watermark as a reader of the file sees it: each PDF page's text, the xlsx's first sheet and each
    sheet's header, the CSV's first row."""
    if kind == "pdf":  # lines joined: a PDF's text breaks where the page does
        return [" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(body)).pages]
    if kind == "xlsx":
        book = load_workbook(io.BytesIO(body))
        assert book.worksheets[0].title == SHEET_TITLE
        texts = [str(book.worksheets[0]["A1"].value)]
        return texts + [sheet.oddHeader.center.text or "" for sheet in book.worksheets[1:]]
    first = next(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    return [",".join(first)]


def _bawaslu_reads(world):
    column = ROLES.index("bawaslu")
    for name, pattern in url_names():
        if name in ADMIN_EXPECTED:
            continue
        row = EXPECTED[name]["GET"].split()
        if (row[0] if len(row) == 1 else row[column]) == "200":
            yield name, build_url(name, pattern, world)


def test_every_supervisor_download_is_watermarked_and_audited(world, client):
    bawaslu = world.users["bawaslu"]
    client.force_login(bawaslu)
    found, failures = set(), []
    for name, url in _bawaslu_reads(world):
        response = client.get(url)
        kind = download_kind(response)
        if response.status_code != 200 or kind is None:
            continue
        found.add(name)
        texts = watermark_texts(kind, _body(response))
        ids = {m for text in texts for m in DOWNLOAD_ID.findall(text)}
        if not texts or not all(DOWNLOAD_ID.search(t) and bawaslu.username in t for t in texts):
            failures.append(f"{name} ({kind}): not every page/sheet carries the watermark: {texts[:3]}")
            continue
        if len(ids) != 1:
            failures.append(f"{name}: one download, one id; found {ids}")
            continue
        (download_id,) = ids
        event = AuditEvent.objects.filter(
            action=actions.SUPERVISION_DOWNLOAD, object_id=download_id, actor=bawaslu
        ).first()
        if event is None or event.after["route"] != name or event.after["format"] != kind:
            failures.append(f"{name}: no supervision.download event for download id {download_id}")
        if response.get("Cache-Control") != "no-store":
            failures.append(f"{name}: a stamped copy may be cached ({response.get('Cache-Control')})")
    missing = KNOWN_DOWNLOADS - found
    assert not missing, f"downloads Bawaslu should reach, not found as files: {sorted(missing)}"
    assert not failures, "\n".join(failures)


def test_two_downloads_get_two_ids(world, client):
    client.force_login(world.users["bawaslu"])
    url = build_url("support_uploads:upload_report", dict(url_names())["support_uploads:upload_report"], world)
    first, second = (watermark_texts("xlsx", _body(client.get(url)))[0] for _ in range(2))
    assert DOWNLOAD_ID.search(first).group(1) != DOWNLOAD_ID.search(second).group(1)
    assert AuditEvent.objects.filter(action=actions.SUPERVISION_DOWNLOAD).count() == 2


@pytest.mark.parametrize("role", ["kpu_r", "lo_a", "admin"])
def test_other_roles_get_the_file_as_stored(world, client, role):
    client.force_login(world.users[role])
    url = build_url("support_uploads:upload_report", dict(url_names())["support_uploads:upload_report"], world)
    response = client.get(url)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(_body(response)))
    assert SHEET_TITLE not in book.sheetnames
    assert not AuditEvent.objects.filter(action=actions.SUPERVISION_DOWNLOAD).exists()
