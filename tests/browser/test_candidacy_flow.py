"""A KPU operator creates an election, nominates a coalition pair with its documents, and moves the pair
to "meets requirements", in a real browser against the live server."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from candidacy.models import CandidatePair, PairStatus, RegulationVersion
from tests import clock
from tests.accounts.factories import PASSWORD, operator
from tests.candidacy.factories import PDF, RegionListVersionFactory, province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ensure_reference_data():
    """Seeded by data migrations; a transactional test before this one may have flushed them."""
    if not RegulationVersion.objects.exists():
        importlib.import_module("candidacy.migrations.0002_regulation_versions").seed(apps, None)
        importlib.import_module("candidacy.migrations.0005_seed_parties_and_checklist").seed(apps, None)


def _local(dt: datetime.datetime) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%dT%H:%M")


def test_operator_creates_election_nominates_coalition_and_reaches_meets(
    browser, live_server, screenshot_dir, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    _ensure_reference_data()
    version = RegionListVersionFactory(name="Kepmendagri uji")
    province(version, "52", regencies=8, kota=2)
    user = operator("52", username="kpu-ntb-uji")
    regulation = RegulationVersion.objects.get(name="UU 10/2016 jo. Putusan MK 60/PUU-XXII/2024")
    document = tmp_path / "dokumen.pdf"
    document.write_bytes(PDF)

    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/akun/masuk/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]:has-text('Masuk')")
        page.wait_for_url(f"{live_server.url}/akun/")

        # 1. the election
        page.goto(f"{live_server.url}/pemilihan/")
        page.click("text=Pemilihan baru")
        page.fill("#id_name", "Pemilihan Gubernur NTB (uji peramban)")
        page.select_option("#id_type", "governor")
        page.select_option("#id_region_version", str(version.pk))
        page.select_option("#id_regulation", str(regulation.pk))
        page.fill("#id_region_code", "52")
        page.fill("#id_polling_day", clock.polling_day().isoformat())
        page.fill("#id_dpt", "3568594")
        page.fill("#id_total_valid_votes", "3000000")
        page.fill("#id_total_seats", "65")
        page.click("button:has-text('Simpan')")
        page.wait_for_selector("#support-minimum")
        assert page.inner_text("#support-minimum").replace(".", "").replace(",", "") == "303331"
        assert page.inner_text("#spread-required") == "6"
        assert "255" in page.inner_text("#party-threshold")
        page.screenshot(path=str(screenshot_dir / "candidacy-1-election.png"), full_page=True)

        # 2. the registration window, open now
        page.click("tr:has-text('Pendaftaran pasangan calon') >> text=Atur")
        now = timezone.now()
        page.fill("#id_starts_at", _local(now - datetime.timedelta(days=1)))
        page.fill("#id_ends_at", _local(now + datetime.timedelta(days=10)))
        page.click("button:has-text('Simpan')")
        page.wait_for_selector("tr:has-text('Pendaftaran pasangan calon') mark")

        # 3. DPRD results, by CSV
        page.click("text=Perolehan suara dan kursi partai")
        page.fill("#id_csv-text", "party_number,votes,seats\n2,150000,7\n4,120000,6\n8,90000,5\n")
        page.click("button:has-text('Impor')")
        page.wait_for_selector("text=Perolehan 3 partai diimpor.")
        page.click("nav.breadcrumbs >> text=Pemilihan Gubernur NTB (uji peramban)")

        # 4. the pair, its candidates and its coalition
        page.click("text=Pasangan calon baru")
        page.select_option("#id_path", "party")
        page.fill("#id_name", "Lalu Uji – Baiq Uji")
        page.click("button:has-text('Simpan')")
        page.wait_for_selector("#pair-status")
        pair = CandidatePair.objects.get(name="Lalu Uji – Baiq Uji")
        for role, nik, name, born, sex in (
            ("kepala", "5201011203750001", "Lalu Uji", "1975-03-12", "M"),
            ("wakil", "5271016108800002", "Baiq Uji", "1980-08-21", "F"),
        ):
            page.goto(f"{live_server.url}/pemilihan/paslon/{pair.pk}/calon/{role}/")
            page.fill("#id_nik", nik)
            page.fill("#id_name", name)
            page.fill("#id_birth_place", "Mataram")
            page.fill("#id_birth_date", born)
            page.select_option("#id_sex", sex)
            page.fill("#id_address", "Jl. Pejanggik 1")
            page.fill("#id_education", "S2")
            page.fill("#id_occupation", "Wiraswasta")
            page.click("button:has-text('Simpan')")
            page.wait_for_selector("#pair-status")
        page.click("text=Atur partai pengusul")
        page.check("label:has-text('Gerindra') input")  # 150,000 alone is short of 255,000
        page.click("button:has-text('Simpan')")
        page.wait_for_selector("text=belum memenuhi syarat")
        page.check("label:has-text('Golkar') input")
        page.click("button:has-text('Simpan')")
        page.wait_for_selector("text=memenuhi ambang batas")

        # 5. every required document, uploaded and checked complete
        page.goto(f"{live_server.url}/pemilihan/paslon/{pair.pk}/dokumen/")
        rows = page.locator("tr[data-required=yes]")
        keys = [rows.nth(i).get_attribute("data-doc") for i in range(rows.count())]
        assert len(keys) == 25
        for key in keys:
            row = page.locator(f"tr[data-doc='{key}']")
            row.locator("input[type=file]").set_input_files(str(document))
            row.locator("button:has-text('Unggah')").click()
            page.wait_for_selector(f"tr[data-doc='{key}'] form.doc-check")
        page.screenshot(path=str(screenshot_dir / "candidacy-2-documents.png"), full_page=True)
        for key in keys:
            row = page.locator(f"tr[data-doc='{key}']")
            row.locator("select[name=status]").select_option("complete")
            row.locator("button:has-text('Simpan hasil')").click()
            page.wait_for_selector(f"tr[data-doc='{key}'] .status-ok")

        # 6. the status machine
        page.goto(f"{live_server.url}/pemilihan/paslon/{pair.pk}/")
        for target, label in (
            ("submitted", "Didaftarkan"),
            ("under_review", "Penelitian dokumen"),
            ("meets", "Memenuhi syarat"),
        ):
            page.fill("#id_reason", f"Uji peramban: {label}")
            page.click(f"button[name=to][value={target}]")
            page.wait_for_selector(f"#pair-status[data-status={target}]")
        assert page.inner_text("#pair-status") == "Memenuhi syarat"
        assert page.locator("#status-history tr").count() == 4  # draft + three moves
        page.screenshot(path=str(screenshot_dir / "candidacy-3-meets.png"), full_page=True)
    except Exception:
        page.screenshot(path=str(screenshot_dir / "candidacy-failure.png"), full_page=True)
        raise
    finally:
        context.close()
    pair.refresh_from_db()
    assert pair.status == PairStatus.MEETS
    assert pair.documents.count() == 25
