"""Verification in Chromium: a PPS on a phone-sized screen records the visits of its desa; the operator who
recorded a result cannot close the factual round, a second operator does; the pair is then BMS with its
shortfall shown; its LO sees what the correction requires, uploads a correction file (checked by the real
worker) and submits the correction batch."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from candidacy.models import SupportStatus
from support_uploads.models import Batch, Upload
from support_uploads.sample_data import sample_row
from support_uploads.services import lo_account_issue, pair_team_register
from tests.accounts.factories import PASSWORD, operator
from tests.support_uploads.conftest import PDF, csv_bytes
from tests.verification.verification_helpers import (
    DESA_A,
    DESA_C,
    DESA_D,
    add_supporters,
    make_election,
    make_pair,
    verifier,
)
from verification.models import CorrectionSubmission, RoundKind, Verdict, VerificationResult, Visit
from verification.services import factual_visit_record, results_mark, round_close, round_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


LO_PASSWORD = "Sandi-LO-Perbaikan-2026!"


def _login(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_verification_flow(django_db_setup, request, browser, live_server, screenshot_dir, tmp_path):
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        request.getfixturevalue("celery_worker_process")  # with a broker, a real worker checks the correction file
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    in_a = add_supporters(pair, [DESA_A] * 4, names=["BAIQ NURUL", "LALU AHMAD", "SITI AMINAH", "ZAINUDIN"])
    (in_c,) = add_supporters(pair, [DESA_C])
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    for desa in (DESA_A, DESA_C):
        results_mark(actor=op1, round=admin, verdict=Verdict.MS, village_code=desa)
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op2, pair=pair, kind=RoundKind.FACTUAL)
    # the other desa's supporter is recorded by the first operator (KPU may record within its region)
    factual_visit_record(actor=op1, round=factual, supporter=in_c, visit=Visit.CONFIRMS)
    pps = verifier(DESA_A)
    base = live_server.url

    phone = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    _login(page, base, pps.username)
    page.goto(f"{base}/dukungan/verifikasi/")
    page.click(f"#round-list a[href$='/putaran/{factual.pk}/']")
    page.wait_for_selector("#visit-list")
    assert page.locator("#visit-list > li").count() == 4
    assert in_a[0].nik not in page.content()
    page.screenshot(path=str(screenshot_dir / "verification-1-pps-phone.png"), full_page=True)
    for row in in_a:
        item = page.locator(f"#s{row.pk}")
        item.locator("select[name=visit]").select_option(Visit.DIED if row.name == "ZAINUDIN" else Visit.CONFIRMS)
        button = item.locator("button[type=submit]")
        box = button.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 250  # a large target on a 390 px phone screen
        with page.expect_navigation():
            button.click()
        assert "Hasil kunjungan dicatat" in page.inner_text(".messages")
    page.screenshot(path=str(screenshot_dir / "verification-2-pps-done.png"), full_page=True)
    phone.close()
    assert VerificationResult.objects.filter(round=factual, verdict=Verdict.MS).count() == 4

    desk = browser.new_context(locale="id-ID")
    page = desk.new_page()
    _login(page, base, op1.username)
    page.goto(f"{base}/dukungan/verifikasi/putaran/{factual.pk}/")
    with page.expect_navigation():
        page.click("#close-round")
    assert "operator kedua" in page.inner_text(".messages")
    desk.close()
    factual.refresh_from_db()
    assert factual.is_open

    desk = browser.new_context(locale="id-ID")
    page = desk.new_page()
    _login(page, base, op2.username)
    page.goto(f"{base}/dukungan/verifikasi/putaran/{factual.pk}/")
    page.click("#close-round")
    page.wait_for_url(f"**/dukungan/verifikasi/pasangan/{pair.pk}/")
    assert page.inner_text("#support-status") == str(SupportStatus.BMS.label)
    assert page.inner_text("#shortfall") == "Kurang 1."
    assert "paling sedikit 2" in page.inner_text("#correction-required")
    page.screenshot(path=str(screenshot_dir / "verification-3-pair-bms.png"), full_page=True)
    desk.close()
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.BMS

    # the pair's LO: what the correction requires, a correction file, the submission
    pair_team_register(actor=op1, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="LO")
    lo = lo_account_issue(actor=op1, pair=pair, password=LO_PASSWORD)[0].user
    desk = browser.new_context(locale="id-ID")
    page = desk.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, base, lo.username, LO_PASSWORD)
    page.goto(f"{base}/dukungan/pasangan/{pair.pk}/")
    assert "kurang 1 pendukung MS" in page.inner_text("#correction-shortfall")
    assert "paling sedikit 2 pendukung baru" in page.inner_text("#correction-required")
    assert "dibuka" in page.inner_text("#correction-window")
    assert page.inner_text("#upload-title") == "Unggah dukungan perbaikan"
    correction_file = tmp_path / "perbaikan.csv"
    correction_file.write_bytes(csv_bytes([sample_row(900, DESA_C), sample_row(901, DESA_D)]))
    page.set_input_files("#id_file", str(correction_file))
    page.click("#upload-button")
    page.wait_for_url("**/dukungan/unggahan/**")
    page.wait_for_selector(".progress-wrap[data-status=done]", timeout=60_000)
    page.goto(f"{base}/dukungan/pasangan/{pair.pk}/")
    assert "Terkumpul 2 dari 2" in page.inner_text("#correction-count")
    page.screenshot(path=str(screenshot_dir / "verification-4-lo-correction.png"), full_page=True)
    with page.expect_navigation():
        page.click("#submit-correction")
    assert "Dukungan perbaikan diserahkan" in page.inner_text("#correction-submitted")
    assert page.locator("#upload-button").count() == 0
    page.screenshot(path=str(screenshot_dir / "verification-5-correction-submitted.png"), full_page=True)
    desk.close()
    submission = CorrectionSubmission.objects.get(pair=pair)
    assert (submission.required, submission.submitted) == (2, 2)
    assert list(submission.uploads.values_list("batch", flat=True)) == [Batch.CORRECTION_1]
    assert Upload.objects.filter(pair=pair, batch=Batch.CORRECTION_1).count() == 1
