import hashlib
import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from silon.audit.models import AuditEvent
from support_uploads.verification.models import DocumentKind, RoundKind, Verdict, VerificationResult
from support_uploads.verification.services import document_request, results_mark, round_close, round_open
from tests.accounts.factories import operator

from .verification_helpers import DESA_A, DESA_B, DESA_C, DESA_D, add_supporters, make_election, make_pair

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_round(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    rows = add_supporters(pair, [DESA_A] * 5 + [DESA_B] * 2 + [DESA_C] * 3 + [DESA_D])
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    for desa in (DESA_A, DESA_B, DESA_C, DESA_D):
        results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=desa)
    results_mark(actor=op1, round=round, verdict=Verdict.TMS, supporter_ids=[rows[0].pk], reason_code="TMS_NO_KTP")
    results_mark(
        actor=op1, round=round, verdict=Verdict.TMS, supporter_ids=[rows[5].pk, rows[7].pk], reason_code="TMS_UNSIGNED"
    )
    round_close(actor=op2, round=round)
    round.refresh_from_db()
    return round, op2, rows


def _generate(round, actor, kind, fmt, capture, village_code=""):
    with capture(execute=True):
        document = document_request(actor=actor, round=round, kind=kind, fmt=fmt, village_code=village_code)
    document.refresh_from_db()
    content = document.file.read()
    document.file.close()
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    event = AuditEvent.objects.get(action="verification.document.generate", object_id=str(document.pk))
    assert event.after["sha256"] == document.sha256
    return content


def _db_counts(round):
    return {v: VerificationResult.objects.filter(round=round, verdict=v).count() for v in (Verdict.MS, Verdict.TMS)}


def test_minutes_pdf_totals_equal_the_database(closed_round, django_capture_on_commit_callbacks):
    round, op2, _rows = closed_round
    content = _generate(round, op2, DocumentKind.MINUTES, "pdf", django_capture_on_commit_callbacks)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    counts = _db_counts(round)
    assert counts == {Verdict.MS: 8, Verdict.TMS: 3}
    assert round.election.name in text and round.pair.name in text
    assert f"MS {counts[Verdict.MS]}" in text
    assert f"TMS {counts[Verdict.TMS]}" in text
    assert "TMS_UNSIGNED" in text and "TMS_NO_KTP" in text
    assert "Tanda tangan" in text
    assert op2.username in text


def test_recap_xlsx_totals_equal_the_database(closed_round, django_capture_on_commit_callbacks):
    round, op2, _rows = closed_round
    content = _generate(round, op2, DocumentKind.RECAP, "xlsx", django_capture_on_commit_callbacks)
    ws = load_workbook(io.BytesIO(content)).active
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r and r[0]}
    assert rows["52.01"][2:5] == (7, 5, 2)  # kab/kota: 5 + 2 supporters; TMS one in each kecamatan
    assert rows["52.01.02"][2:5] == (2, 1, 1)
    assert rows["52.02"][2:5] == (3, 2, 1)
    total = next(r for r in ws.iter_rows(values_only=True) if r and r[1] == "JUMLAH")
    counts = _db_counts(round)
    assert total[2:5] == (11, counts[Verdict.MS], counts[Verdict.TMS])


def test_supporter_list_masks_the_nik(closed_round, django_capture_on_commit_callbacks):
    round, op2, rows = closed_round
    content = _generate(round, op2, DocumentKind.SUPPORTER_LIST, "xlsx", django_capture_on_commit_callbacks, DESA_A)
    values = [c for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True) for c in r if c]
    in_desa = [r for r in rows if r.village_code == DESA_A]
    assert not any(r.nik in map(str, values) for r in rows)
    assert sum(1 for v in values if v == "TMS (tidak memenuhi syarat)") == 1
    assert "Jumlah: 5; MS: 4; TMS: 1" in values
    assert len(in_desa) == 5


def test_supporter_list_pdf(closed_round, django_capture_on_commit_callbacks):
    round, op2, rows = closed_round
    content = _generate(round, op2, DocumentKind.SUPPORTER_LIST, "pdf", django_capture_on_commit_callbacks, DESA_C)
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Jumlah: 3; MS: 2; TMS: 1" in text
    assert rows[7].nik not in text
