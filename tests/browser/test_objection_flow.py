"""A citizen holds the list to account, in Chromium with the real ALTCHA widget (solving a cheap challenge):
checks a NIK, objects, follows the receipt; the KPU operator confirms after the clarification, and the pair's
public count of confirmed objections moves. No CSP violation and no script error on the citizen's pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from support_uploads.models import Supporter
from support_uploads.services import upload_create
from tests.support_uploads.conftest import (  # noqa: F401
    csv_bytes,
    election,
    kpu,
    lo,
    pair,
    regions_version,
    rows_for,
    villages,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOLVED = "(sel) => { const i = document.querySelector(sel); return !!(i && i.value); }"


def _watch(page, problems: list[str]) -> None:
    # a failed resource shows as its response (the browser's own favicon probe is not the page's); a CSP
    # violation as a console error
    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on(
        "console",
        lambda msg: (msg.type == "error" and "Failed to load resource" not in msg.text) and problems.append(msg.text),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and problems.append(f"{r.status} {r.url}"),
    )


def _login(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def test_citizen_objects_and_the_public_count_moves(
    settings,
    browser,
    live_server,
    screenshot_dir,
    pair,  # noqa: F811
    lo,  # noqa: F811
    kpu,  # noqa: F811
    villages,  # noqa: F811
):
    settings.PUBLIC_CHECK_POW_MAX_NUMBER = 50
    from celery import current_app

    from tests.accounts.factories import PASSWORD

    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True  # the supporters' file is validated here, not by a worker
    try:
        upload = upload_create(
            actor=lo, pair=pair, file=SimpleUploadedFile("a.csv", csv_bytes(rows_for(villages, 3))), max_bytes=10**7
        )
    finally:
        current_app.conf.task_always_eager = eager
    row = Supporter.objects.filter(upload_id=upload.pk).order_by("row_number").first()
    base = live_server.url
    problems: list[str] = []

    citizen = browser.new_context(locale="id-ID")
    page = citizen.new_page()
    _watch(page, problems)
    page.goto(f"{base}/keberatan/cek/")
    page.fill("#id_nik", row.nik)
    page.fill("#id_name", row.name.title())
    page.wait_for_function(SOLVED, arg="#check-form input[name=altcha]", timeout=20_000)
    page.screenshot(path=str(screenshot_dir / "objection-1-check.png"))
    page.click("#check-form button[type=submit]")
    page.wait_for_selector(".check-listed")
    assert pair.name in page.inner_text(".check-listed")
    assert row.nik not in page.inner_text("#answer")

    page.click(".check-entry summary")
    page.fill(".objection-form input[name=phone]", "081234567890")
    page.wait_for_function(SOLVED, arg=".objection-form input[name=altcha]", timeout=20_000)
    page.screenshot(path=str(screenshot_dir / "objection-2-form.png"))
    page.click(".objection-form button[type=submit]")
    page.wait_for_selector("#receipt-code")
    receipt = page.inner_text("#receipt-code").strip()
    page.click("text=Lihat status keberatan")
    page.wait_for_selector("#receipt-status")
    assert "menunggu klarifikasi" in page.inner_text("#receipt-status")
    page.goto(f"{base}/publik/paslon/{pair.pk}/")
    assert "dikonfirmasi KPU: 0 dukungan" in page.inner_text("#objections-confirmed")

    operator = browser.new_context(locale="id-ID")
    kpu_page = operator.new_page()
    _login(kpu_page, base, kpu.username, PASSWORD)
    kpu_page.goto(f"{base}/keberatan/antrean/")
    kpu_page.click("#objection-queue tbody a")
    kpu_page.check("input[name=decision][value=confirm]")
    kpu_page.fill("#id_clarified_on", timezone.localdate().isoformat())
    kpu_page.fill("#id_notes", "BA.5-KWK: warga hadir, menyatakan tidak mendukung")
    kpu_page.click("#decide-form button[type=submit]")
    kpu_page.wait_for_selector("#objection-status")
    assert "Dikonfirmasi" in kpu_page.inner_text("#objection-status")
    kpu_page.screenshot(path=str(screenshot_dir / "objection-3-decided.png"))
    operator.close()

    page.goto(f"{base}/keberatan/status/?kode={receipt}")
    assert "Dikonfirmasi" in page.inner_text("#receipt-status")
    page.goto(f"{base}/publik/paslon/{pair.pk}/")
    assert "dikonfirmasi KPU: 1 dukungan" in page.inner_text("#objections-confirmed")
    page.screenshot(path=str(screenshot_dir / "objection-4-public.png"))
    citizen.close()
    assert not problems, problems
