"""Pemilu DPD in Chromium (issue #20): the candidate's LO uploads a DPD file (the template without No. KK and
No. HP) and submits; after the administrative round, on the factual round by sample, the LO picks the start
number with form MODEL.AWAL.SAMPEL.DPD; a PPS records the sampled supporters of its desa on a phone; a second
operator closes the round and the candidate's count, decided per kab/kota by its sample, is on the page.

The regulation is a copy of the seeded DPD one with a minimum of 5 (its bands start at 1,000), on the
verification tests' three-kab/kota province: at least half of 3 is 2."""

import pytest
from celery import current_app
from django.core.files.uploadedfile import SimpleUploadedFile

from candidacy.models import CandidatePair, ElectionType, Path, RegulationVersion, SupportStatus, ThresholdBand
from regions.models import Region, RegionListVersion
from support_uploads.models import Supporter
from support_uploads.sample_data import sample_row
from support_uploads.services import lo_account_issue, pair_team_register
from support_uploads.template_spec import spec_for
from tests import clock
from tests.accounts.factories import PASSWORD, operator
from tests.candidacy.factories import ElectionFactory
from tests.support_uploads.conftest import PDF, open_support_window
from tests.support_uploads.test_dpd import DPD_REGULATION, dpd_csv
from tests.verification.verification_helpers import (
    DESA_A,
    DESA_C,
    DESA_D,
    REGIONS,
    ensure_verification_seed,
    open_stages,
    verifier,
)
from verification.models import PairOutcome, RoundKind, SampleDrawRow, Verdict, Visit
from verification.selectors import sample_decisions
from verification.services import factual_visit_record, results_mark, round_close, round_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LO_PASSWORD = "Sandi-LO-DPD-2026!x"


@pytest.fixture(autouse=True)
def _tasks_in_process():
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def _small_dpd_election():
    ensure_verification_seed()
    base = RegulationVersion.objects.get(name=DPD_REGULATION)
    regulation = RegulationVersion.objects.get(pk=base.pk)
    regulation.pk, regulation.name = None, f"{base.name} (uji peramban)"
    regulation.save()
    scope = base.bands.first().scope
    ThresholdBand.objects.create(regulation=regulation, scope=scope, dpt_up_to=None, minimum=5)
    version = RegionListVersion.objects.create(name="Uji DPD peramban")
    Region.objects.bulk_create(
        [
            Region(version=version, code=c, name=n, level=lvl, kind=k, parent_code=p, search_name=n.lower())
            for c, n, lvl, p, k in REGIONS
        ]
    )
    election = ElectionFactory(
        region_version=version,
        type=ElectionType.DPD,
        regulation=regulation,
        region_code="52",
        dpt=900_000,
        polling_day=clock.polling_day(),
    )
    open_support_window(election)
    open_stages(election)
    return election


def _login(page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_dpd_lo_uploads_submits_picks_the_start_and_the_sample_decides_the_count(
    browser, live_server, tmp_path, screenshot_dir
):
    election = _small_dpd_election()
    op1, op2 = operator("52"), operator("52")
    candidate = CandidatePair.objects.create(election=election, path=Path.INDEPENDENT, name="Lalu Calon DPD")
    pair_team_register(actor=op1, pair=candidate, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="LO")
    lo = lo_account_issue(actor=op1, pair=candidate, password=LO_PASSWORD)[0].user
    villages = [DESA_A] * 4 + [DESA_C] * 2 + [DESA_D]
    file = tmp_path / "dukungan-dpd.csv"
    file.write_bytes(dpd_csv([sample_row(700 + i, v) for i, v in enumerate(villages)], spec_for(election)))
    base = live_server.url

    desk = browser.new_context(locale="id-ID")
    page = desk.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    _login(page, base, lo.username, LO_PASSWORD)
    page.goto(f"{base}/dukungan/pasangan/{candidate.pk}/")
    page.set_input_files("#id_file", str(file))
    page.click("#upload-button")
    page.wait_for_url("**/dukungan/unggahan/**")
    page.wait_for_selector(".progress-wrap[data-status=done]", timeout=60_000)
    page.goto(f"{base}/dukungan/pasangan/{candidate.pk}/")
    with page.expect_navigation():
        page.click("#submit-support")
    candidate.refresh_from_db()
    assert candidate.support_status == SupportStatus.SUBMITTED
    rows = list(Supporter.objects.filter(upload__pair=candidate).order_by("row_number"))
    assert len(rows) == 7 and all(r.kk == "" and r.phone == "" for r in rows)  # no KK, no phone in the template

    # the administrative round (desk work), then the factual round, by sample under the DPD regulation
    admin = round_open(actor=op1, pair=candidate, kind=RoundKind.ADMINISTRATIVE)
    for desa in (DESA_A, DESA_C, DESA_D):
        results_mark(actor=op1, round=admin, verdict=Verdict.MS, village_code=desa)
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op2, pair=candidate, kind=RoundKind.FACTUAL)
    assert factual.by_sample

    page.goto(f"{base}/dukungan/verifikasi/putaran/{factual.pk}/sampel/")
    page.fill("#sample-start-form input[name=nomor_awal]", "1")
    form = tmp_path / "model-awal-sampel-dpd.pdf"
    form.write_bytes(PDF)
    page.set_input_files("#sample-start-form input[name=formulir]", str(form))
    with page.expect_navigation():
        page.click("#sample-start-form button[type=submit]")
    page.wait_for_selector("#sample-draws")
    page.screenshot(path=str(screenshot_dir / "dpd-1-sample-drawn.png"), full_page=True)
    desk.close()
    drawn = set(SampleDrawRow.objects.filter(draw__round=factual).values_list("supporter_id", flat=True))
    in_a = [r for r in rows if r.village_code == DESA_A and r.pk in drawn]
    assert in_a, "the sample of 52.01 holds desa A's supporters"

    # the PPS of desa A, on a phone, sees only the sampled supporters of its desa and records them
    pps = verifier(DESA_A)
    phone = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    _login(page, base, pps.username)
    page.goto(f"{base}/dukungan/verifikasi/putaran/{factual.pk}/")
    page.wait_for_selector("#visit-list")
    assert page.locator("#visit-list > li").count() == len(in_a)
    for row in in_a:
        item = page.locator(f"#s{row.pk}")
        item.locator("select[name=visit]").select_option(Visit.CONFIRMS)
        with page.expect_navigation():
            item.locator("button[type=submit]").click()
        assert "Hasil kunjungan dicatat" in page.inner_text(".messages")
    phone.close()
    # the other kab/kota's sampled supporters, recorded by the KPU: one of 52.02's two denies its support
    others = [r for r in rows if r.village_code != DESA_A and r.pk in drawn]
    for i, row in enumerate(others):
        visit = Visit.DENIES if row.village_code == DESA_C and i == 0 else Visit.CONFIRMS
        factual_visit_record(actor=op1, round=factual, supporter=row, visit=visit, note="kunjungan")

    decided = sum(d.counted for d in sample_decisions(pair=candidate, round=factual))
    desk = browser.new_context(locale="id-ID")
    page = desk.new_page()
    _login(page, base, op2.username)
    page.goto(f"{base}/dukungan/verifikasi/putaran/{factual.pk}/")
    page.click("#close-round")
    page.wait_for_url(f"**/dukungan/verifikasi/pasangan/{candidate.pk}/")
    assert page.inner_text("#support-status") == str(SupportStatus.MS.label)
    assert page.inner_text("#support-outcome").startswith(f"{decided} pendukung MS dari syarat minimal 5")
    page.screenshot(path=str(screenshot_dir / "dpd-2-outcome.png"), full_page=True)
    desk.close()
    outcome = PairOutcome.objects.get(pair=candidate, batch="initial")
    assert outcome.ms_total == decided and 5 <= decided < len(rows)
