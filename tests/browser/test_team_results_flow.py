"""The pair's LO in Chromium, on a phone-sized screen: from its dashboard it opens its factual round's results,
sees the supporter the PPS did not find with the moment the 3 days end (docs/domain.md §3.4, §9.3), filters to
the pending ones, and the NIKs in the list are masked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import date
from django.utils import timezone, translation

from support_uploads.services import lo_account_issue, pair_team_register
from tests.accounts.factories import operator
from tests.support_uploads.conftest import PDF
from tests.verification.verification_helpers import DESA_A, DESA_C, add_supporters, make_election, make_pair, verifier
from verification.models import RoundKind, Verdict, VerificationResult, Visit
from verification.services import factual_visit_record, results_mark, round_close, round_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LO_PASSWORD = "Sandi-LO-Hasil-2026!"


def test_lo_sees_its_not_found_supporter_and_its_due_time(django_db_setup, browser, live_server, screenshot_dir):
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    met, missed = add_supporters(pair, [DESA_A, DESA_A], names=["BAIQ NURUL", "LALU AHMAD"])
    (other,) = add_supporters(pair, [DESA_C])
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    for desa in (DESA_A, DESA_C):
        results_mark(actor=op1, round=admin, verdict=Verdict.MS, village_code=desa)
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL)
    pps = verifier(DESA_A)
    factual_visit_record(actor=pps, round=factual, supporter=met, visit=Visit.CONFIRMS)
    factual_visit_record(actor=pps, round=factual, supporter=missed, visit=Visit.NOT_MET)
    due_at = VerificationResult.objects.get(round=factual, supporter_id=missed.pk).due_at
    with translation.override("id"):
        due = date(timezone.localtime(due_at), "DATETIME_FORMAT")
    pair_team_register(actor=op1, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="LO")
    lo = lo_account_issue(actor=op1, pair=pair, password=LO_PASSWORD)[0].user
    lo.must_change_password = False
    lo.save(update_fields=["must_change_password"])

    base = live_server.url
    phone = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", lo.username)
    page.fill("#id_password", LO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.goto(f"{base}/akun/")
    panel = page.locator("#team-verification")
    assert "1 pendukung belum ditemui" in panel.inner_text()
    assert due in panel.inner_text()
    with page.expect_navigation():
        panel.locator(f"a[href$='/putaran/{factual.pk}/hasil-tim/']").click()
    pending = page.locator("#team-pending")
    assert pending.is_visible()
    assert pending.locator(".team-pending-row").count() == 1
    assert due in pending.inner_text()
    assert "L*** A****" in pending.inner_text()
    html = page.content()
    assert missed.nik not in html and met.nik not in html and other.nik not in html
    page.screenshot(path=str(screenshot_dir / "team-results-1-pending.png"), full_page=True)
    page.select_option("#team-filter select[name=hasil]", "pending")
    with page.expect_navigation():
        page.click("#team-filter button[type=submit]")
    assert page.locator("#team-results .team-row").count() == 1
    assert page.locator("#team-results .result-pending").count() == 1
    assert page.locator("#team-download-xlsx").is_visible()
    page.screenshot(path=str(screenshot_dir / "team-results-2-filtered.png"), full_page=True)
    phone.close()
