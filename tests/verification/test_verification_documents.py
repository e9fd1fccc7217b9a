import hashlib
import io
import re
import time
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from silon.audit.models import AuditEvent
from tests.accounts.factories import operator
from verification.documents import build, check_code, document_find
from verification.documents import content as content_module
from verification.models import (
    DocumentKind,
    RoundKind,
    Verdict,
    VerificationDocument,
    VerificationResult,
    Visit,
)
from verification.selectors import round_population
from verification.services import (
    document_build,
    document_request,
    factual_visit_record,
    results_mark,
    round_close,
    round_open,
)
from verification.services import documents as documents_service

from .verification_helpers import (
    DESA_A,
    DESA_B,
    DESA_C,
    DESA_D,
    add_supporters,
    make_election,
    make_pair,
    verifier,
)

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


# --- helpers to read what a document prints --------------------------------------------------------------

HASH_ON_PAGE = re.compile(r"SHA-256 isi dokumen: ([0-9a-f]{64})")
CODE_ON_PAGE = re.compile(r"Kode verifikasi: ([0-9A-F]{4}(?:-[0-9A-F]{4}){3})")


def _build(round, actor, kind, fmt, capture, village_code=""):
    with capture(execute=True):
        document = document_request(actor=actor, round=round, kind=kind, fmt=fmt, village_code=village_code)
    document.refresh_from_db()
    content = document.file.read()
    document.file.close()
    return document, content


def _pdf_pages(content) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def _sheet_rows(content) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def _xlsx_value(rows, label):
    return next(r[1] for r in rows if r and r[0] == label)


def _reason_counts(round, verdict=Verdict.TMS) -> dict:
    return dict(
        VerificationResult.objects.filter(round=round, verdict=verdict)
        .values_list("reason_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


# --- 1. the content hash is printed, stored, audited and can be looked up ------------------------------


@pytest.mark.parametrize("kind", [DocumentKind.MINUTES, DocumentKind.RECAP, DocumentKind.SUPPORTER_LIST])
def test_printed_hash_equals_the_stored_and_audited_one(closed_round, django_capture_on_commit_callbacks, kind):
    round, op2, _rows = closed_round
    area = "52" if kind == DocumentKind.SUPPORTER_LIST else ""
    pdf, pdf_content = _build(round, op2, kind, "pdf", django_capture_on_commit_callbacks, area)
    xlsx, xlsx_content = _build(round, op2, kind, "xlsx", django_capture_on_commit_callbacks, area)
    for document in (pdf, xlsx):
        assert re.fullmatch(r"[0-9a-f]{64}", document.content_hash)
        assert document.check_code == check_code(document.content_hash)
        event = AuditEvent.objects.get(action="verification.document.generate", object_id=str(document.pk))
        assert event.after["content_hash"] == document.content_hash
        assert event.after["code"] == document.check_code
    assert pdf.content_hash != xlsx.content_hash  # kind, format and time are part of what is hashed
    pages = _pdf_pages(pdf_content)
    if kind == DocumentKind.SUPPORTER_LIST:
        assert len(pages) == 4  # one page per desa
    for text in pages:  # in the footer of every page
        assert HASH_ON_PAGE.findall(text) == [pdf.content_hash]
        assert CODE_ON_PAGE.findall(text) == [pdf.check_code]
    rows = _sheet_rows(xlsx_content)
    assert _xlsx_value(rows, "SHA-256 isi dokumen") == xlsx.content_hash
    assert _xlsx_value(rows, "Kode verifikasi") == xlsx.check_code
    assert rows.index(next(r for r in rows if r and r[0] == "Kode verifikasi")) < 10  # at the top, visible


def test_content_hash_covers_every_printed_row(closed_round, django_capture_on_commit_callbacks):
    round, op2, rows = closed_round
    document, _content = _build(
        round, op2, DocumentKind.SUPPORTER_LIST, "xlsx", django_capture_on_commit_callbacks, "52"
    )
    assert build.content_read(document, io.BytesIO())[0] == document.content_hash  # the same data, the same hash
    VerificationResult.objects.filter(round=round, supporter_id=rows[10].pk).update(verdict=Verdict.TMS)
    assert build.content_read(document, io.BytesIO())[0] != document.content_hash  # one verdict changed


def test_lookup_by_code_or_hash_and_a_changed_code_is_unknown(closed_round, django_capture_on_commit_callbacks):
    round, op2, _rows = closed_round
    document, _content = _build(round, op2, DocumentKind.MINUTES, "pdf", django_capture_on_commit_callbacks)
    assert document_find(code=document.check_code) == document
    assert document_find(code=document.check_code.lower().replace("-", " ")) == document
    assert document_find(code=document.content_hash.upper()) == document
    code = document.check_code
    changed = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert document_find(code=changed) is None
    assert document_find(code=document.content_hash[:-1] + "x") is None
    assert document_find(code="") is None and document_find(code="ABCD") is None


def test_public_check_answers_only_the_document_or_unknown(closed_round, django_capture_on_commit_callbacks, client):
    round, op2, rows = closed_round
    document, _content = _build(
        round, op2, DocumentKind.SUPPORTER_LIST, "pdf", django_capture_on_commit_callbacks, DESA_A
    )
    url = reverse("verification:document_verify")
    page = client.get(url, {"kode": document.check_code}).content.decode()
    assert 'data-valid="1"' in page
    for shown in (round.election.name, round.pair.name, str(DocumentKind.SUPPORTER_LIST.label)):
        assert escape(shown) in page
    # nothing personal and nothing internal: no names, NIKs, requester, file hash
    for hidden in (op2.username, document.sha256, *(r.name for r in rows), *(r.nik for r in rows)):
        assert hidden not in page
    changed = document.check_code.replace(document.check_code[0], "0" if document.check_code[0] != "0" else "1", 1)
    page = client.get(url, {"kode": changed}).content.decode()
    assert 'data-valid="0"' in page and escape(round.pair.name) not in page


def test_operator_check_page_shows_details_within_reach(closed_round, django_capture_on_commit_callbacks, client):
    round, op2, _rows = closed_round
    document, _content = _build(round, op2, DocumentKind.RECAP, "xlsx", django_capture_on_commit_callbacks)
    url = reverse("verification:document_check")
    client.force_login(operator("52"))
    page = client.get(url, {"kode": document.content_hash}).content.decode()
    assert 'data-valid="1"' in page and document.sha256 in page and op2.username in page
    client.force_login(operator("53"))  # another province's operator: not among its documents
    page = client.get(url, {"kode": document.content_hash}).content.decode()
    assert 'data-valid="0"' in page and document.sha256 not in page
    client.force_login(verifier(DESA_A))
    assert client.get(url, {"kode": document.content_hash}).status_code == 404


# --- 2. progress ------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_progress_is_written_in_its_own_transactions(closed_round, monkeypatch):
    round, op2, _rows = closed_round
    monkeypatch.setattr(build, "PROGRESS_STEP", 1)
    seen = []
    original = documents_service.document_progress_set

    def spy(*, document_id, value):
        original(document_id=document_id, value=value)
        seen.append((value, connection.in_atomic_block, VerificationDocument.objects.get(pk=document_id).progress))

    monkeypatch.setattr(documents_service, "document_progress_set", spy)
    document = document_request(actor=op2, round=round, kind=DocumentKind.SUPPORTER_LIST, fmt="pdf", village_code="52")
    document.refresh_from_db()
    values = [v for v, _atomic, _stored in seen]
    assert values == sorted(set(values)) and len(values) >= 10  # 11 rows read, 11 rendered
    assert values[0] > 0 and values[-1] < 100
    assert all(not atomic for _v, atomic, _stored in seen)  # autocommit: visible to a polling page at once
    assert all(v == stored for v, _atomic, stored in seen)
    assert (document.progress, document.finished_at is not None) == (100, True)


def test_round_page_polls_the_progress_until_the_document_is_stored(
    closed_round, django_capture_on_commit_callbacks, client
):
    round, op2, _rows = closed_round
    with django_capture_on_commit_callbacks(execute=False):  # the worker has not run yet
        document = document_request(actor=op2, round=round, kind=DocumentKind.MINUTES, fmt="pdf")
    VerificationDocument.objects.filter(pk=document.pk).update(progress=40)
    progress_url = reverse("verification:document_progress", args=[document.pk])
    client.force_login(op2)
    page = client.get(reverse("verification:round", args=[round.pk])).content.decode()
    assert f'hx-get="{progress_url}"' in page and '<progress value="40"' in page
    document_build(document_id=document.pk)
    document.refresh_from_db()
    line = client.get(progress_url).content.decode()
    assert "hx-get" not in line and document.check_code in line and document.content_hash in line
    client.force_login(verifier(DESA_A))  # the minutes are not a verifier's
    assert client.get(progress_url).status_code == 404


# --- 3. the supporter list of a kecamatan, a kab/kota or the whole region --------------------------------


def _db_area(round, prefix):
    rows = VerificationResult.objects.filter(round=round, village_code__startswith=prefix)
    return rows.count(), rows.filter(verdict=Verdict.MS).count(), rows.filter(verdict=Verdict.TMS).count()


def test_supporter_list_of_the_whole_region_is_grouped_per_desa(closed_round, django_capture_on_commit_callbacks):
    round, op2, rows = closed_round
    document, content = _build(round, op2, DocumentKind.SUPPORTER_LIST, "xlsx", django_capture_on_commit_callbacks)
    assert document.village_code == "52"  # blank: the election's whole region
    values = _sheet_rows(content)
    headers = [r[0] for r in values if r and str(r[0]).startswith("Desa/kelurahan")]
    assert [h.split("(")[1].split(")")[0] for h in headers] == [DESA_A, DESA_B, DESA_C, DESA_D]
    assert "Kecamatan GERUNG" in headers[0] and "KAB. LOMBOK BARAT" in headers[0]
    notes = [r[0] for r in values if r and str(r[0]).startswith("Jumlah")]
    expected = [
        "Jumlah: {}; MS: {}; TMS: {}".format(*_db_area(round, desa)) for desa in (DESA_A, DESA_B, DESA_C, DESA_D)
    ]
    assert notes == [*expected, "Jumlah seluruh wilayah: {}; MS: {}; TMS: {}".format(*_db_area(round, "52"))]
    printed = [r for r in values if r and isinstance(r[0], int)]
    assert len(printed) == len(rows) == 11
    assert not any(r.nik in map(str, c) for r in rows for c in values if c)


def test_supporter_list_of_a_kab_kota_pdf_has_a_page_per_desa(closed_round, django_capture_on_commit_callbacks):
    round, op2, _rows = closed_round
    _document, content = _build(
        round, op2, DocumentKind.SUPPORTER_LIST, "pdf", django_capture_on_commit_callbacks, "52.01"
    )
    pages = _pdf_pages(content)
    assert len(pages) == 2
    assert DESA_A in pages[0] and DESA_B not in pages[0] and DESA_B in pages[1]
    assert "Jumlah: {}; MS: {}; TMS: {}".format(*_db_area(round, DESA_B)) in pages[1]
    assert "Jumlah seluruh wilayah: {}; MS: {}; TMS: {}".format(*_db_area(round, "52.01")) in pages[1]


def test_supporter_list_streams_in_chunks_with_a_constant_number_of_queries(
    closed_round, django_capture_on_commit_callbacks, monkeypatch
):
    round, op2, _rows = closed_round
    monkeypatch.setattr(content_module, "ROW_CHUNK", 2)
    counted = {}
    for area in (DESA_A, "52"):  # one desa, or four: the same queries
        with django_capture_on_commit_callbacks(execute=False):
            document = document_request(
                actor=op2, round=round, kind=DocumentKind.SUPPORTER_LIST, fmt="xlsx", village_code=area
            )
        with CaptureQueriesContext(connection) as queries:
            document_build(document_id=document.pk)
        counted[area] = len([q for q in queries.captured_queries if "support_uploads_supporter" in q["sql"]])
        document.refresh_from_db()
        assert document.progress == 100
    assert counted[DESA_A] == counted["52"]
    notes = [r[0] for r in _sheet_rows(document.file.read()) if r and str(r[0]).startswith("Jumlah seluruh")]
    assert notes == ["Jumlah seluruh wilayah: {}; MS: {}; TMS: {}".format(*_db_area(round, "52"))]


def test_supporter_list_areas_stay_within_jurisdiction(closed_round):
    round, op2, _rows = closed_round
    request = partial(document_request, round=round, kind=DocumentKind.SUPPORTER_LIST, fmt="pdf")
    with pytest.raises(PermissionDenied):
        request(actor=operator("52.02"), village_code="52.01")
    assert request(actor=operator("52.02"), village_code="").village_code == "52.02"  # its own kab/kota
    with pytest.raises(PermissionDenied):
        request(actor=verifier("52.01.02"), village_code="52.01")
    assert request(actor=verifier("52.01.02"), village_code="").village_code == "52.01.02"
    assert request(actor=verifier(DESA_A), village_code=DESA_A).village_code == DESA_A
    with pytest.raises(ValidationError):
        request(actor=op2, village_code="52.09")  # not a region of this election
    with pytest.raises(ValidationError):
        request(actor=operator(""), village_code="53")  # outside the election's region


# --- 4. totals of the minutes and the recap equal the database -------------------------------------------


def test_minutes_xlsx_totals_and_reasons_equal_the_database(closed_round, django_capture_on_commit_callbacks):
    round, op2, _rows = closed_round
    _document, content = _build(round, op2, DocumentKind.MINUTES, "xlsx", django_capture_on_commit_callbacks)
    values = _sheet_rows(content)
    by_label = {r[1]: r[2] for r in values if r and len(r) > 2 and not r[0]}  # an empty cell reads None
    counts = _db_counts(round)
    assert by_label["MS"] == counts[Verdict.MS] and by_label["TMS"] == counts[Verdict.TMS]
    assert by_label["Jumlah pendukung diverifikasi"] == 11
    printed = {r[0]: r[2] for r in values if r and str(r[0]).startswith("TMS_")}
    assert printed == _reason_counts(round) == {"TMS_NO_KTP": 1, "TMS_UNSIGNED": 2}


def test_minutes_pdf_reasons_equal_the_database(closed_round, django_capture_on_commit_callbacks):
    round, op2, _rows = closed_round
    _document, content = _build(round, op2, DocumentKind.MINUTES, "pdf", django_capture_on_commit_callbacks)
    lines = "\n".join(_pdf_pages(content)).splitlines()
    for code, n in _reason_counts(round).items():
        (line,) = [line for line in lines if line.startswith(code + " ")]
        assert line.endswith(f" {n}")


def test_recap_pdf_totals_equal_the_database(closed_round, django_capture_on_commit_callbacks):
    round, op2, _rows = closed_round
    _document, content = _build(round, op2, DocumentKind.RECAP, "pdf", django_capture_on_commit_callbacks)
    lines = "\n".join(_pdf_pages(content)).splitlines()
    counts = _db_counts(round)
    assert f"JUMLAH 11 {counts[Verdict.MS]} {counts[Verdict.TMS]}" in lines
    for code in ("52.01", "52.01.01", "52.01.02", "52.02", "52.03"):
        (line,) = [line for line in lines if line.startswith(code + " ")]
        assert line.endswith(" {} {} {}".format(*_db_area_population(round, code)))


def _db_area_population(round, prefix):
    population = sum(1 for s in round_population(round) if s.village_code.startswith(prefix + "."))
    return (population, *_db_area(round, prefix)[1:])


@pytest.fixture
def factual_round(closed_round):
    """The factual round after the administrative one: visits of every kind, one pending, one not visited."""
    admin, op2, _rows = closed_round
    op1 = admin.opened_by
    factual = round_open(actor=op1, pair=admin.pair, kind=RoundKind.FACTUAL)
    ms = list(round_population(factual).order_by("pk"))
    assert len(ms) == 8
    pps = verifier("52")
    visits = [Visit.CONFIRMS, Visit.CONFIRMS, Visit.CONFIRMS, Visit.DENIES, Visit.DIED, Visit.MOVED, Visit.NOT_MET]
    for supporter, visit in zip(ms, visits, strict=False):
        factual_visit_record(actor=pps, round=factual, supporter=supporter, visit=visit, note="tidak mendukung")
    factual_visit_record(actor=pps, round=factual, supporter=ms[6], visit=Visit.PRESENTED)  # came to the PPS
    factual_visit_record(actor=pps, round=factual, supporter=ms[1], visit=Visit.NOT_MET)  # now pending
    return factual, op2  # ms[7] not visited yet


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_factual_minutes_equal_the_database(factual_round, django_capture_on_commit_callbacks, fmt):
    round, op2 = factual_round
    _document, content = _build(round, op2, DocumentKind.MINUTES, fmt, django_capture_on_commit_callbacks)
    db = dict(VerificationResult.objects.filter(round=round).values_list("verdict").annotate(n=Count("pk")).order_by())
    ms_by_visit = dict(
        VerificationResult.objects.filter(round=round, verdict=Verdict.MS)
        .values_list("visit")
        .annotate(n=Count("pk"))
        .order_by()
    )
    assert db == {Verdict.MS: 3, Verdict.TMS: 3, Verdict.PENDING: 1}
    assert ms_by_visit == {Visit.CONFIRMS: 2, Visit.PRESENTED: 1}
    expected = {
        "MS": db[Verdict.MS],
        "TMS": db[Verdict.TMS],
        "MS:confirms": ms_by_visit[Visit.CONFIRMS],
        "MS:presented": ms_by_visit[Visit.PRESENTED],
        **_reason_counts(round),  # TMS_DENIES, TMS_DIED, TMS_MOVED: one each
    }
    pending, undecided = db[Verdict.PENDING], 8 - sum(db.values())
    if fmt == "xlsx":
        values = _sheet_rows(content)
        printed = {r[0] or r[1]: r[2] for r in values if r and len(r) > 2 and isinstance(r[2], int)}
        assert {k: printed[k] for k in expected} == expected
        assert printed["Menunggu (belum ditemui)"] == pending and printed["Belum diputuskan"] == undecided == 1
        assert printed["Jumlah pendukung diverifikasi"] == 8
    else:
        text = "\n".join(_pdf_pages(content))
        lines = text.splitlines()
        for key, n in expected.items():
            assert any(line.startswith(key + " ") and line.endswith(f" {n}") for line in lines), key
        assert f"Belum diputuskan {undecided}" in text and "Verifikasi faktual" in text
    assert set(_reason_counts(round)) == {"TMS_DENIES", "TMS_DIED", "TMS_MOVED"}


# --- a real worker (PostgreSQL + Redis) -------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_region_list_with_progress(celery_worker_process):
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    add_supporters(pair, [DESA_A, DESA_B, DESA_C, DESA_D] * 30)
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_C)
    document = document_request(actor=op2, round=round, kind=DocumentKind.SUPPORTER_LIST, fmt="pdf")
    deadline = time.time() + 120
    while time.time() < deadline:
        document.refresh_from_db()
        if document.finished_at:
            break
        time.sleep(0.1)
    assert document.finished_at is not None, f"stuck at {document.progress}%"
    assert document.progress == 100
    pages = _pdf_pages(document.file.read())
    document.file.close()
    assert len(pages) >= 4 and all(HASH_ON_PAGE.findall(text) == [document.content_hash] for text in pages)
    assert "Jumlah seluruh wilayah: 120; MS: 30; TMS: 0" in pages[-1]
    assert document_find(code=document.check_code) == document
