"""The public portal in a real browser: every page type on a desktop and a phone, reached by following links
from the home page, with no CSP violation (no inline script or style) and nothing wider than the screen."""

import pytest

from portal import cache
from tests.portal.conftest import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def world(transactional_db):
    cache.local_clear()
    yield build_world()
    cache.local_clear()


def _open(browser, name):
    phone = name == "phone"
    context = browser.new_context(viewport=VIEWPORTS[name], is_mobile=phone, has_touch=phone, locale="id-ID")
    page = context.new_page()
    problems = []
    # A failed resource shows as its response; the browser's own favicon probe is not the page's.
    page.on(
        "console",
        lambda msg: msg.type == "error" and "Failed to load resource" not in msg.text and problems.append(msg.text),
    )
    page.on(
        "response",
        lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico") and problems.append(f"{r.status} {r.url}"),
    )
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return context, page, problems


# The elements sticking out past the right edge, for the failure message.
WIDER_THAN = """w => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > w)
    .slice(0, 6).map(e => e.tagName.toLowerCase() + '.' + e.className).join(', ')"""


def _fits(page, width):
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width + 1, (
        f"{page.url} is {scroll}px wide on a {width}px screen: {page.evaluate(WIDER_THAN, width + 1)}"
    )


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_follow_links_from_home_to_a_pair(live_server, browser, screenshot_dir, world, viewport):
    context, page, problems = _open(browser, viewport)
    width = VIEWPORTS[viewport]["width"]

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Pencalonan kepala daerah"
    assert page.locator("section.province").count() == 2
    countdown = page.locator(".countdown").first
    assert "lagi" in countdown.inner_text()
    _fits(page, width)
    page.screenshot(path=str(screenshot_dir / f"portal-home-{viewport}.png"), full_page=True)

    # Keyboard: the skip link is the first stop and leads to the content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"

    page.fill("#portal-q", "lombok barat")
    page.locator(".portal-search button").click()
    page.wait_for_url("**/?q=lombok*")
    assert page.locator(".election-card").count() == 1
    page.screenshot(path=str(screenshot_dir / f"portal-search-{viewport}.png"), full_page=True)

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Nusa Tenggara Barat").first.click()
    page.wait_for_url("**/publik/wilayah/52/")
    assert page.locator("h1").inner_text() == "Nusa Tenggara Barat"
    _fits(page, width)
    page.screenshot(path=str(screenshot_dir / f"portal-region-{viewport}.png"), full_page=True)

    page.get_by_role("link", name=world.regent.name).first.click()
    page.wait_for_url(f"**/publik/pemilihan/{world.regent.pk}/")
    current = page.locator(".timeline-item.state-current")
    assert current.count() == 1 and "Penyerahan dukungan" in current.inner_text()
    assert page.locator("svg.support-chart").count() == 1
    assert page.locator("svg.support-grid rect").count() == 3  # one tile per kecamatan of Lombok Barat
    # MS after each closed verification round: two green bars, and the rounds table.
    assert page.locator('svg.support-chart rect[fill="#15803d"]').count() == 2
    assert page.locator("table.support-rounds tbody tr").count() == 2
    _fits(page, width)
    page.screenshot(path=str(screenshot_dir / f"portal-election-{viewport}.png"), full_page=True)

    page.get_by_role("link", name="Koalisi Maju").click()
    page.wait_for_url(f"**/publik/paslon/{world.party_pair.pk}/")
    assert page.locator("h1").inner_text().endswith("Koalisi Maju")
    assert "Didaftarkan" in page.locator("#history-title + ol").inner_text()
    _fits(page, width)
    page.screenshot(path=str(screenshot_dir / f"portal-pair-{viewport}.png"), full_page=True)

    page.goto(f"{live_server.url}/publik/data/")
    page.screenshot(path=str(screenshot_dir / f"portal-open-data-{viewport}.png"), full_page=True)

    # The language switch is a plain link in the header, on this screen too; it comes back to the same page.
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.url.endswith("/publik/data/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Open data"
    _fits(page, width)
    page.screenshot(path=str(screenshot_dir / f"portal-open-data-en-{viewport}.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="Bahasa Indonesia").click()
    assert page.locator("html").get_attribute("lang") == "id"

    assert problems == [], problems
    context.close()


def test_independent_pair_and_english(live_server, browser, screenshot_dir, world):
    context, page, problems = _open(browser, "desktop")
    page.goto(f"{live_server.url}/publik/paslon/{world.independent.pk}/")
    assert "Calon tidak bersedia riwayat hidupnya dipublikasikan." in page.content()
    assert page.locator("table.support-rounds tbody tr").count() == 2  # MS per closed round on the pair page
    page.screenshot(path=str(screenshot_dir / "portal-pair-independent-desktop.png"), full_page=True)
    page.goto(f"{live_server.url}/publik/pemilihan/{world.governor.pk}/")
    assert page.locator("svg.support-grid rect").count() == 2  # the governor's spread counts kab/kota
    page.screenshot(path=str(screenshot_dir / "portal-election-governor-desktop.png"), full_page=True)
    # The language switch in base.html works on a cached page: a link, no per-visitor token needed.
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url == f"{live_server.url}/"
    page.screenshot(path=str(screenshot_dir / "portal-home-en-desktop.png"), full_page=True)
    assert problems == [], problems
    context.close()
