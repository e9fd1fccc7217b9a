import pytest
from django.urls import reverse

from candidacy.models import SupportStatus
from silon.audit.models import AuditEvent
from tests.accounts.factories import operator
from verification.models import Batch, RoundKind, Verdict, VerificationResult, Visit
from verification.services import results_mark, round_close, round_open

from .verification_helpers import DESA_A, DESA_B, DESA_C, add_supporters, make_election, make_pair, verifier

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    in_a = add_supporters(pair, [DESA_A] * 3, names=["BAIQ NURUL", "LALU AHMAD", "SITI AMINAH"])
    in_b = add_supporters(pair, [DESA_B])
    in_c = add_supporters(pair, [DESA_C])
    return election, pair, op1, op2, in_a, in_b, in_c


def _factual(pair, op1, op2):
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    for desa in (DESA_A, DESA_B, DESA_C):
        results_mark(actor=op1, round=admin, verdict=Verdict.MS, village_code=desa)
    round_close(actor=op2, round=admin)
    return round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL)


def test_operator_marks_a_whole_desa_and_the_second_operator_closes(client, setup):
    _election, pair, op1, op2, in_a, in_b, in_c = setup
    client.force_login(op1)
    response = client.post(reverse("verification:pair", args=[pair.pk]), {"kind": "administrative", "batch": "initial"})
    assert response.status_code == 302
    round = pair.verification_rounds.get()
    url = reverse("verification:round", args=[round.pk])
    assert url in client.get(reverse("verification:index")).content.decode()
    client.force_login(operator("51"))
    assert url not in client.get(reverse("verification:index")).content.decode()
    client.force_login(op1)
    page = client.get(url, {"wilayah": DESA_A})
    assert page.status_code == 200
    assert in_a[0].nik in page.content.decode()  # KPU operators of the region see the full NIK
    mark = reverse("verification:mark", args=[round.pk])
    client.post(mark, {"desa": DESA_A, "semua": "1", "verdict": "ms"})
    client.post(mark, {"desa": DESA_B, "pilih": [in_b[0].pk], "verdict": "tms", "reason": "TMS_NO_KTP", "note": "x"})
    client.post(mark, {"desa": DESA_C, "semua": "1", "verdict": "ms"})
    assert VerificationResult.objects.filter(round=round, verdict=Verdict.MS).count() == 4
    client.post(reverse("verification:undo", args=[round.pk]), {"desa": DESA_C, "pilih": [in_c[0].pk]})
    assert not VerificationResult.objects.filter(round=round, supporter_id=in_c[0].pk).exists()
    client.post(mark, {"desa": DESA_C, "semua": "1", "verdict": "ms"})
    # the operator who recorded results cannot close the round
    client.post(reverse("verification:close", args=[round.pk]))
    round.refresh_from_db()
    assert round.is_open
    client.force_login(op2)
    client.post(reverse("verification:close", args=[round.pk]))
    round.refresh_from_db()
    assert round.closed_by == op2


def test_pps_sees_only_own_desa(client, setup):
    _election, pair, op1, op2, in_a, in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    pps = verifier(DESA_A)
    client.force_login(pps)
    url = reverse("verification:round", args=[factual.pk])
    index = client.get(reverse("verification:index")).content.decode()
    assert url in index  # the PPS finds its round from the navigation entry
    assert reverse("verification:index") in index
    own = client.get(url)
    body = own.content.decode()
    assert own.status_code == 200
    assert "BAIQ NURUL" in body  # the PPS needs the name to find the supporter
    assert in_a[0].nik not in body  # but never the whole NIK
    assert client.get(url, {"wilayah": DESA_B}).status_code == 404
    assert client.get(url, {"wilayah": "52.01.02"}).status_code == 404
    visit_b = reverse("verification:visit", args=[factual.pk, in_b[0].pk])
    assert client.post(visit_b, {"visit": Visit.CONFIRMS, "token": "t"}).status_code == 404
    assert not VerificationResult.objects.filter(round=factual).exists()
    assert AuditEvent.objects.filter(action="verification.worklist.view", actor=pps, region_code=DESA_A).exists()


def test_pps_records_a_visit_and_a_double_submit_counts_once(client, setup):
    _election, pair, op1, op2, in_a, _in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    client.force_login(verifier(DESA_A))
    visit = reverse("verification:visit", args=[factual.pk, in_a[0].pk])
    for _ in range(2):
        assert client.post(visit, {"visit": Visit.CONFIRMS, "token": "abc-1"}).status_code == 302
    assert VerificationResult.objects.filter(round=factual, verdict=Verdict.MS).count() == 1


def test_verifier_of_another_province_gets_404(client, setup):
    _election, pair, op1, op2, _in_a, _in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    client.force_login(verifier("51.01.01.2001"))
    assert client.get(reverse("verification:round", args=[factual.pk])).status_code == 404


def test_pair_page_shows_bms_with_shortfall(client, setup):
    _election, pair, op1, op2, in_a, in_b, in_c = setup
    factual = _factual(pair, op1, op2)
    pps = {DESA_A: verifier(DESA_A), DESA_B: verifier(DESA_B), DESA_C: verifier(DESA_C)}
    for row in [*in_a, *in_b, *in_c]:
        client.force_login(pps[row.village_code])
        visit = Visit.DIED if row.pk == in_a[0].pk else Visit.CONFIRMS
        client.post(reverse("verification:visit", args=[factual.pk, row.pk]), {"visit": visit})
    client.force_login(op2)
    client.post(reverse("verification:close", args=[factual.pk]))
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.BMS
    page = client.get(reverse("verification:pair", args=[pair.pk])).content.decode()
    assert "Belum memenuhi syarat" in page
    assert 'id="shortfall">Kurang 1.' in page  # 4 MS of the minimum 5
    assert "paling sedikit 2 pendukung" in page  # twice the shortfall
    support_page = client.get(reverse("support_uploads:pair", args=[pair.pk])).content.decode()
    assert 'id="verification-link"' in support_page


def test_document_download_is_permission_checked(client, setup, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    _election, pair, op1, op2, _in_a, _in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    client.force_login(op1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("verification:document_request", args=[factual.pk]), {"kind": "b2", "fmt": "xlsx"})
    document = factual.documents.get()
    url = reverse("verification:document", args=[document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    client.force_login(operator("51"))
    assert client.get(url).status_code == 404
    client.force_login(verifier(DESA_A))
    assert client.get(url).status_code == 404  # recaps are for KPU; a PPS gets its own desa list only


def test_operator_sees_a_supporters_history_across_rounds(client, setup):
    _election, pair, op1, op2, in_a, _in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    client.force_login(verifier(DESA_A))
    client.post(reverse("verification:visit", args=[factual.pk, in_a[0].pk]), {"visit": Visit.MOVED})
    client.force_login(op2)
    page = client.get(reverse("verification:history", args=[factual.pk, in_a[0].pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Verifikasi administrasi" in body and "Pindah domisili" in body
    assert AuditEvent.objects.filter(action="verification.history.view", actor=op2).exists()
    client.force_login(verifier(DESA_A))
    url = reverse("verification:history", args=[factual.pk, in_a[0].pk])
    assert client.get(url).status_code == 404  # the history is for KPU operators


def test_pps_records_an_external_duplicates_choice_without_seeing_the_nik(client, setup):
    from support_uploads.models import RowStatus

    election, pair, op1, op2, _in_a, _in_b, _in_c = setup
    other = make_pair(election)
    nik = "5201014101900009"
    (mine,) = add_supporters(pair, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    mine.reasons = "DUP_EXTERNAL"
    mine.save(update_fields=["reasons"])
    (theirs,) = add_supporters(other, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    factual = _factual(pair, op1, op2)
    admin_other = round_open(actor=op1, pair=other, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=admin_other, verdict=Verdict.MS, village_code=DESA_A)
    round_close(actor=op2, round=admin_other)
    other_factual = round_open(actor=op1, pair=other, kind=RoundKind.FACTUAL)
    client.force_login(verifier(DESA_A))
    page = client.get(reverse("verification:round", args=[factual.pk])).content.decode()
    assert "ganda eksternal" in page and nik not in page
    response = client.post(
        reverse("verification:external", args=[factual.pk]),
        {"supporter": mine.pk, "pair": other.pk, "desa": DESA_A},
    )
    assert response.status_code == 302
    assert VerificationResult.objects.get(round=factual, supporter_id=mine.pk).reason_id == "TMS_OTHER_PAIR"
    assert VerificationResult.objects.get(round=other_factual, supporter_id=theirs.pk).verdict == Verdict.MS


def test_worklist_page_queries_do_not_grow_with_rows(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _election, pair, op1, _op2, _in_a, _in_b, _in_c = setup
    add_supporters(pair, [DESA_B] * 30)
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_A)
    results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_B)
    client.force_login(op1)
    url = reverse("verification:round", args=[round.pk])
    client.get(url, {"wilayah": DESA_A})  # warm caches (session, reasons)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, {"wilayah": DESA_A}).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(url, {"wilayah": DESA_B}).status_code == 200
    assert len(few) == len(many)


def test_correction_submitted_from_the_pair_page(client, setup):
    from verification.models import CorrectionSubmission

    _election, pair, op1, op2, in_a, in_b, in_c = setup
    factual = _factual(pair, op1, op2)
    for row in [*in_a, *in_b, *in_c]:
        client.force_login(verifier(row.village_code))
        visit = Visit.DIED if row.pk in (in_a[0].pk, in_a[1].pk) else Visit.CONFIRMS
        client.post(reverse("verification:visit", args=[factual.pk, row.pk]), {"visit": visit})
    client.force_login(op2)
    client.post(reverse("verification:close", args=[factual.pk]))
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.BMS  # 3 MS of 5: shortfall 2, correction needs 4
    three = add_supporters(pair, [DESA_C] * 3, batch=Batch.CORRECTION_1)
    client.force_login(op1)
    page = client.get(reverse("verification:pair", args=[pair.pk])).content.decode()
    assert f'value="{three[0].upload_id}"' in page
    url = reverse("verification:correction", args=[pair.pk])
    client.post(url, {"unggahan": [three[0].upload_id]})
    assert not CorrectionSubmission.objects.exists()  # 3 < 2 × 2
    one = add_supporters(pair, [DESA_C], batch=Batch.CORRECTION_1)
    client.post(url, {"unggahan": [three[0].upload_id, one[0].upload_id]})
    submission = CorrectionSubmission.objects.get(pair=pair)
    assert (submission.shortfall, submission.required, submission.submitted) == (2, 4, 4)


def test_pps_undoes_its_own_visit_from_the_page(client, setup):
    _election, pair, op1, op2, in_a, _in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    pps, colleague = verifier(DESA_A), verifier(DESA_A)
    client.force_login(pps)
    client.post(
        reverse("verification:visit", args=[factual.pk, in_a[0].pk]),
        {"visit": Visit.MOVED, "token": "x-1"},
    )
    url = reverse("verification:round", args=[factual.pk])
    undo = reverse("verification:visit_undo", args=[factual.pk, in_a[0].pk])
    assert f'action="{undo}"' in client.get(url).content.decode()
    client.force_login(colleague)  # another PPS of the desa did not record it: no button, and refused
    assert f'action="{undo}"' not in client.get(url).content.decode()
    assert client.post(undo, {"visit": Visit.MOVED}).status_code == 302
    assert VerificationResult.objects.filter(round=factual, supporter_id=in_a[0].pk).exists()
    client.force_login(verifier(DESA_B))
    assert client.post(undo, {"visit": Visit.MOVED}).status_code == 404
    client.force_login(pps)
    for _ in range(2):  # a double submit
        assert client.post(undo, {"visit": Visit.MOVED}).status_code == 302
    assert not VerificationResult.objects.filter(round=factual, supporter_id=in_a[0].pk).exists()
    assert AuditEvent.objects.filter(action="verification.result.visit_undo", actor=pps).count() == 1


def test_verifier_progress_page_is_scoped_to_its_area(client, setup):
    _election, pair, op1, op2, in_a, _in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    pps_a = verifier(DESA_A)
    client.force_login(pps_a)
    for row, visit in zip(in_a, (Visit.CONFIRMS, Visit.DENIES, Visit.NOT_MET), strict=True):
        client.post(reverse("verification:visit", args=[factual.pk, row.pk]), {"visit": visit, "note": "x"})
    url = reverse("verification:progress", args=[factual.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert f'id="area-{DESA_A}"' in body and DESA_B not in body and DESA_C not in body
    assert '<td class="num">3</td><td class="num">1</td><td class="num">1</td><td class="num">1</td>' in body
    assert "BAIQ NURUL" not in body  # counts only, never names
    assert client.get(url, {"wilayah": DESA_B}).status_code == 404
    assert client.get(url, {"wilayah": "52.01"}).status_code == 404
    assert 'id="area-totals"' in client.get(reverse("verification:round", args=[factual.pk])).content.decode()
    # a PPK sees the desa of its kecamatan only
    client.force_login(verifier("52.01.02"))
    body = client.get(url).content.decode()
    assert f'id="area-{DESA_B}"' in body and DESA_A not in body
    client.force_login(verifier("51.01.01.2001"))
    assert client.get(url).status_code == 404
    # the administrative round's recap is for KPU; operators see every desa of the election
    admin = pair.verification_rounds.get(kind=RoundKind.ADMINISTRATIVE)
    client.force_login(pps_a)
    assert client.get(reverse("verification:progress", args=[admin.pk])).status_code == 404
    client.force_login(op2)
    body = client.get(url).content.decode()
    assert all(f'id="area-{d}"' in body for d in (DESA_A, DESA_B, DESA_C))
    assert client.get(url, {"wilayah": "51"}).status_code == 404


def test_verifier_gets_404_on_the_administrative_round(client, setup):
    _election, pair, op1, op2, in_a, _in_b, _in_c = setup
    factual = _factual(pair, op1, op2)
    admin = pair.verification_rounds.get(kind=RoundKind.ADMINISTRATIVE)
    client.force_login(verifier(DESA_A))
    assert client.get(reverse("verification:round", args=[factual.pk])).status_code == 200
    for name, method in (
        ("round", "get"),
        ("progress", "get"),
        ("mark", "post"),
        ("undo", "post"),
        ("duplicate", "post"),
        ("duplicates", "get"),
        ("close", "post"),
        ("document_request", "post"),
    ):
        url = reverse(f"verification:{name}", args=[admin.pk])
        assert getattr(client, method)(url, {"wilayah": DESA_A, "desa": DESA_A}).status_code == 404, name
    url = reverse("verification:visit", args=[admin.pk, in_a[0].pk])
    assert client.post(url, {"visit": Visit.CONFIRMS}).status_code == 404
    assert not AuditEvent.objects.filter(action="verification.worklist.view", object_id=str(admin.pk)).exists()


def test_worklist_pages_reach_every_row_of_a_large_desa(client, setup, monkeypatch):
    from verification.views import common

    monkeypatch.setattr(common, "PAGE_ROWS", 5)
    _election, pair, op1, op2, in_a, _in_b, _in_c = setup
    more = add_supporters(pair, [DESA_A] * 9)  # 12 rows in DESA_A: pages of 5, 5, 2
    everyone = {s.pk for s in [*in_a, *more]}
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    client.force_login(op1)
    url = reverse("verification:round", args=[round.pk])
    seen = set()
    for number, size in ((1, 5), (2, 5), (3, 2)):
        body = client.get(url, {"wilayah": DESA_A, "halaman": number}).content.decode()
        on_page = {pk for pk in everyone if f'id="s{pk}"' in body}
        assert len(on_page) == size
        seen |= on_page
        assert 'id="pages"' in body
        for other in {1, 2, 3} - {number}:
            assert f'href="?wilayah={DESA_A}&amp;halaman={other}"' in body  # the desa filter is kept
    assert seen == everyone
    # "the whole desa" acts on every page, not the page shown; the redirect keeps the page
    response = client.post(
        reverse("verification:mark", args=[round.pk]),
        {"desa": DESA_A, "semua": "1", "verdict": "ms", "halaman": "2"},
    )
    assert response.url == f"{url}?wilayah={DESA_A}&halaman=2"
    assert VerificationResult.objects.filter(round=round, verdict=Verdict.MS).count() == 12
    # a verifier's visit list pages the same way
    admin_close_and_factual = _factual_after(round, pair, op1, op2)
    client.force_login(verifier(DESA_A))
    factual_url = reverse("verification:round", args=[admin_close_and_factual.pk])
    last = client.get(factual_url, {"halaman": 3}).content.decode()
    assert last.count('<li id="s') == 2
    assert last.count('name="halaman" value="3"') == 2  # each visit form brings the PPS back to this page
    on_last = next(pk for pk in everyone if f'id="s{pk}"' in last)
    visit = reverse("verification:visit", args=[admin_close_and_factual.pk, on_last])
    response = client.post(visit, {"visit": Visit.CONFIRMS, "token": "p3", "halaman": "3"})
    assert response.url == f"{factual_url}?wilayah={DESA_A}&halaman=3#s{on_last}"


def _factual_after(admin, pair, op1, op2):
    for desa in (DESA_B, DESA_C):
        results_mark(actor=op1, round=admin, verdict=Verdict.MS, village_code=desa)
    round_close(actor=op2, round=admin)
    return round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL)


def test_operator_resolves_potential_duplicates_group_by_group(client, setup):
    from support_uploads.models import RowStatus

    _election, pair, op1, _op2, _in_a, _in_b, _in_c = setup
    nik, nik2 = "5201014101900021", "5201014101900022"
    (first,) = add_supporters(pair, [DESA_A], nik=nik, names=["HAJI MUSTAFA"])
    (second,) = add_supporters(pair, [DESA_C], nik=nik, status=RowStatus.REVIEW, names=["MUSTAFA"])
    pair_of_two = add_supporters(pair, [DESA_B, DESA_B], nik=nik2, status=RowStatus.REVIEW)
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    client.force_login(op1)
    worklist_page = client.get(reverse("verification:round", args=[round.pk]), {"wilayah": DESA_A}).content.decode()
    duplicates_url = reverse("verification:duplicates", args=[round.pk])
    assert f'href="{duplicates_url}"' in worklist_page and 'name="keep"' not in worklist_page
    page = client.get(duplicates_url)
    body = page.content.decode()
    assert page.status_code == 200
    assert nik in body  # KPU of the jurisdiction sees the whole NIK, and so the dates of birth too
    # one group per NIK, across desa, the differing fields marked
    assert "<mark>HAJI MUSTAFA</mark>" in body and "<mark>MUSTAFA</mark>" in body
    assert f"<mark>{DESA_C} PRAYA BARAT</mark>" in body
    assert body.count('class="duplicate-group"') == 2
    assert f'name="keep" value="{first.pk}"' in body and f'name="keep" value="{second.pk}"' in body
    assert AuditEvent.objects.filter(action="verification.duplicates.view", actor=op1).exists()
    resolve = reverse("verification:duplicate", args=[round.pk])
    # a decision needs a choice and a reason
    client.post(resolve, {"pilih": [first.pk, second.pk], "note": "sama orang"})
    client.post(resolve, {"pilih": [first.pk, second.pk], "keep": str(first.pk), "note": " "})
    assert not VerificationResult.objects.filter(round=round).exists()
    response = client.post(resolve, {"pilih": [first.pk, second.pk], "keep": str(first.pk), "note": "KTP cocok"})
    assert response.status_code == 302 and response.url == duplicates_url
    client.post(resolve, {"pilih": [r.pk for r in pair_of_two], "keep": "none", "note": "dua orang berbeda"})
    verdicts = dict(VerificationResult.objects.filter(round=round).values_list("supporter_id", "verdict"))
    assert verdicts == {
        first.pk: Verdict.MS,
        second.pk: Verdict.TMS,
        pair_of_two[0].pk: Verdict.TMS,
        pair_of_two[1].pk: Verdict.TMS,
    }
    assert VerificationResult.objects.get(round=round, supporter_id=second.pk).note == "KTP cocok"
    # the factual round has no such page
    client.force_login(verifier(DESA_A))
    assert client.get(duplicates_url).status_code == 404


def test_reason_labels_follow_the_page_language(client, setup):
    from django.conf import settings

    from support_uploads.models import ReasonCode

    _election, pair, op1, op2, in_a, _in_b, _in_c = setup
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=round, verdict=Verdict.TMS, supporter_ids=[in_a[0].pk], reason_code="TMS_NO_KTP")
    reason = ReasonCode.objects.get(pk="TMS_NO_KTP")
    assert reason.label_en and reason.label_en != reason.label_id
    client.force_login(op2)
    worklist_url = reverse("verification:round", args=[round.pk])
    history_url = reverse("verification:history", args=[round.pk, in_a[0].pk])
    from django.utils.html import escape

    for language, label, other in (("id", reason.label_id, reason.label_en), ("en", reason.label_en, reason.label_id)):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        worklist_page = client.get(worklist_url, {"wilayah": DESA_A}).content.decode()
        assert f" · {escape(label)}" in worklist_page  # the row's result
        assert f'<option value="TMS_NO_KTP">{escape(label)}</option>' in worklist_page  # the reason list
        assert escape(other) not in worklist_page
        history = client.get(history_url).content.decode()
        assert f"<td>{escape(label)}</td>" in history and escape(other) not in history


def test_pair_page_shows_a_spread_shortfall_without_a_count_shortfall(client):
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    rows = add_supporters(pair, [DESA_A] * 3 + [DESA_B] * 2)  # the minimum 5, all in kab/kota 52.01
    factual = _factual(pair, op1, op2)
    client.force_login(verifier(DESA_A))
    for row in rows:
        client.force_login(verifier(row.village_code))
        client.post(reverse("verification:visit", args=[factual.pk, row.pk]), {"visit": "confirms"})
    client.force_login(op2)
    client.post(reverse("verification:close", args=[factual.pk]))
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.BMS
    page = client.get(reverse("verification:pair", args=[pair.pk])).content.decode()
    assert 'id="spread-shortfall">Sebaran kurang 1 kabupaten/kota.' in page
    assert 'id="shortfall"' not in page and "paling sedikit 0" not in page
    assert "paling sedikit 1 kabupaten/kota yang belum memiliki pendukung MS" in page
    support_page = client.get(reverse("support_uploads:pair", args=[pair.pk])).content.decode()
    assert 'id="correction-spread">' in support_page and "paling sedikit <strong>0</strong>" not in support_page
    assert "paling sedikit 1 kabupaten/kota yang belum memiliki pendukung MS" in support_page
