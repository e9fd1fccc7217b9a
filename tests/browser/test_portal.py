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
    # the regent's election of Lombok Barat, and the province's governor election, whose area holds it (#21)
    assert page.locator(".election-card").count() == 2
    assert page.locator(".election-card", has_text=world.regent.name).count() == 1
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


# --- Accessibility (WCAG 2.1 AA checks that a script can make) ----------------------------------------------

# Problems a page has, as readable strings: form controls without a name, images and charts without a text
# alternative, headings (one h1, no skipped level), and text whose contrast with what is behind it is below
# 4.5:1 (3:1 for large text, WCAG 1.4.3). Colours are normalised through a canvas, so any CSS colour syntax
# the browser computes (rgb, color(srgb …), oklch) compares the same way; translucent colours are blended onto
# what is behind them.
A11Y_PROBLEMS = r"""() => {
  const problems = [];
  const where = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
    (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
  const rendered = e => {
    for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden' || n.getAttribute('aria-hidden') === 'true') return false;
    }
    return true;
  };
  const text = e => (e ? e.textContent.replace(/\s+/g, ' ').trim() : '');
  const byIds = ids => ids.split(/\s+/).map(id => text(document.getElementById(id))).join(' ').trim();

  // Form controls: a label, aria-label or aria-labelledby (a button's own text counts).
  for (const c of document.querySelectorAll('input, select, textarea, button')) {
    if (c.type === 'hidden' || !rendered(c)) continue;
    const labelled = (c.labels && Array.from(c.labels).some(l => text(l))) ||
      (c.getAttribute('aria-label') || '').trim() ||
      (c.getAttribute('aria-labelledby') && byIds(c.getAttribute('aria-labelledby'))) ||
      (c.tagName === 'BUTTON' && text(c)) ||
      (['submit', 'button', 'reset'].includes(c.type) && (c.value || '').trim());
    if (!labelled) problems.push('form control without an accessible name: ' + where(c));
  }

  // Images and charts: alt (empty only for decoration), title, aria-label or aria-labelledby.
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt') && !img.getAttribute('aria-label') && !img.getAttribute('title'))
      problems.push('img without alt: ' + img.getAttribute('src'));
  }
  for (const svg of document.querySelectorAll('svg')) {
    if (svg.parentElement.closest('svg') || svg.getAttribute('aria-hidden') === 'true') continue;
    const named = (svg.getAttribute('aria-label') || '').trim() ||
      (svg.getAttribute('aria-labelledby') && byIds(svg.getAttribute('aria-labelledby'))) ||
      text(svg.querySelector(':scope > title'));
    if (!named) problems.push('svg without a text alternative: ' + where(svg));
    else if (svg.getAttribute('role') !== 'img') problems.push('svg chart without role="img": ' + where(svg));
  }

  // Headings: exactly one h1, and no level skipped on the way down.
  const headings = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter(rendered);
  const h1s = headings.filter(h => h.tagName === 'H1');
  if (h1s.length !== 1) problems.push('expected one h1, found ' + h1s.length);
  let previous = 0;
  for (const h of headings) {
    const level = Number(h.tagName[1]);
    if (level > previous + 1)
      problems.push(`heading level skipped: h${previous} → h${level} "${text(h).slice(0, 40)}"`);
    previous = level;
  }

  // Contrast of every element with text of its own.
  const ctx = document.createElement('canvas').getContext('2d');
  const rgba = css => {
    ctx.fillStyle = '#000'; ctx.fillStyle = css;
    const v = ctx.fillStyle;
    if (v[0] === '#') return [1, 3, 5].map(i => parseInt(v.slice(i, i + 2), 16)).concat([1]);
    const m = v.match(/[\d.]+/g).map(Number);
    return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
  };
  const over = (top, bottom) => top.slice(0, 3).map((c, i) => c * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = e => {
    const layers = [];
    for (let n = e; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reduceRight((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = rgb => {
    // WCAG 2.1 relative luminance of an sRGB colour.
    const [r, g, b] = rgb.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const seen = new Set();
  for (const e of document.body.querySelectorAll('*')) {
    if (e.closest('svg') || !rendered(e)) continue;
    if (!Array.from(e.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const box = e.getBoundingClientRect();
    if (box.width < 2 || box.height < 2 || box.right < 0 || box.bottom < 0) continue;  // visually hidden
    const s = getComputedStyle(e);
    const bg = background(e);
    const fg = over(rgba(s.color), bg);
    const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    const r = ratio(fg, bg);
    const key = where(e) + s.color + s.backgroundColor;
    if (r < needed && !seen.has(key)) {
      seen.add(key);
      const behind = 'rgb(' + bg.slice(0, 3).map(Math.round) + ')';
      const sample = text(e).slice(0, 30);
      problems.push(`contrast ${r.toFixed(2)} < ${needed}: ${where(e)} "${sample}" ${s.color} on ${behind}`);
    }
  }
  return problems;
}"""

# Everything a keyboard user must reach: links, buttons, form fields, summaries, anything with tabindex ≥ 0.
# Elements are tagged with data-a11y so the Tab walk can name them; the style recorded is the unfocused one.
INTERACTIVE = r"""() => {
  const visible = e => {
    for (let n = e; n && n.nodeType === 1; n = n.parentElement) {
      const s = getComputedStyle(n);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    // Inside a closed <details> only its own summary can take the focus.
    const closed = e.closest('details:not([open])');
    return !closed || (e.tagName === 'SUMMARY' && e.parentElement === closed);
  };
  const all = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])');
  return Array.from(all).filter(e => !e.disabled && visible(e)).map((e, i) => {
    e.setAttribute('data-a11y', String(i));
    return i;
  });
}"""

# Read once any transition has run to its end (Pico animates box-shadow): a half-way shadow is no indicator.
FOCUS_STYLE = r"""e => { e.getAnimations().forEach(a => a.finish()); const s = getComputedStyle(e);
  return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.borderColor, s.backgroundColor].join('|'); }"""

# An outline or a shadow that can be seen: some width, a colour that is not fully transparent.
VISIBLE_FOCUS = r"""e => { e.getAnimations().forEach(a => a.finish()); const s = getComputedStyle(e);
  const transparent = c => /rgba\([^)]*,\s*0\)/.test(c) || c === 'transparent';
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !transparent(s.outlineColor);
  const shadow = s.boxShadow !== 'none' && /[1-9][\d.]*px/.test(s.boxShadow) &&
    s.boxShadow.split(/,(?![^(]*\))/).some(layer => !transparent(layer));
  return outline || shadow; }"""


def _keyboard_problems(page) -> list[str]:
    """Tab from the top of the page: every interactive element is reached, and each shows a focus
    indicator (an outline or a box shadow that differs from its unfocused style)."""
    ids = page.evaluate(INTERACTIVE)
    unfocused = {i: page.locator(f'[data-a11y="{i}"]').evaluate(FOCUS_STYLE) for i in ids}
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("window.scrollTo(0, 0)")
    problems, reached = [], set()
    for _ in range(len(ids) + 5):
        page.keyboard.press("Tab")
        current = page.evaluate("document.activeElement.getAttribute('data-a11y')")
        if current is None:
            if page.evaluate("document.activeElement === document.body"):
                break  # past the last element
            problems.append(
                "Tab stops on an element not counted as interactive: "
                + page.evaluate("document.activeElement.outerHTML.slice(0, 80)")
            )
            continue
        index = int(current)
        if index in reached:
            break
        reached.add(index)
        element = page.locator(f'[data-a11y="{index}"]')
        style = element.evaluate(FOCUS_STYLE)
        if style == unfocused[index] or not element.evaluate(VISIBLE_FOCUS):
            problems.append("no visible focus style: " + element.evaluate("e => e.outerHTML.slice(0, 100)"))
    for i in ids:
        if i not in reached:
            problems.append(
                "not reachable by Tab: " + page.locator(f'[data-a11y="{i}"]').evaluate("e => e.outerHTML.slice(0, 100)")
            )
    return problems


def _a11y_pages(world) -> dict[str, str]:
    return {
        "home": "/",
        "search": "/?q=lombok+barat",
        "region": "/publik/wilayah/52.01/",
        "election": f"/publik/pemilihan/{world.regent.pk}/",
        "pair": f"/publik/paslon/{world.party_pair.pk}/",
        "pair-independent": f"/publik/paslon/{world.independent.pk}/",
        "open-data": "/publik/data/",
    }


@pytest.mark.parametrize("kind", ["home", "search", "region", "election", "pair", "pair-independent", "open-data"])
def test_public_pages_are_accessible_in_both_languages(live_server, browser, world, kind):
    """Each public page type, in Indonesian and (through the header's language link) in English: the page's
    language is declared, controls and charts have names, headings are in order, text is readable, and the
    keyboard reaches everything with a visible focus."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="id-ID")
    page = context.new_page()
    page.goto(live_server.url + _a11y_pages(world)[kind])
    for language, switch_to in (("id", "English"), ("en", None)):
        assert page.locator("html").get_attribute("lang") == language
        problems = page.evaluate(A11Y_PROBLEMS) + _keyboard_problems(page)
        assert problems == [], f"{kind} ({language}): " + "\n".join(problems)
        if switch_to:
            path = page.url
            with page.expect_navigation():
                page.get_by_role("link", name=switch_to).click()
            assert page.url == path  # the same page, now in the other language
    context.close()


def test_the_accessibility_checks_would_catch_a_problem(live_server, browser, world):
    """Guard against checks that check nothing: a page given one problem of each kind fails each check."""
    context = browser.new_context(viewport=VIEWPORTS["desktop"], locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server.url}/publik/data/")
    assert page.evaluate(A11Y_PROBLEMS) == [] and _keyboard_problems(page) == []
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        const pale = document.createElement('p'); pale.textContent = 'Teks pucat'; pale.style.color = '#b0b0b0';
        const field = document.createElement('input'); field.type = 'text';
        const deep = document.createElement('h4'); deep.textContent = 'Terlalu dalam';
        const second = document.createElement('h1'); second.textContent = 'Judul kedua';
        const chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
        const photo = document.createElement('img'); photo.src = '/static/none.png'; photo.width = 10;
        const plain = document.createElement('a'); plain.href = '#x'; plain.textContent = 'Tanpa fokus';
        plain.style.outline = 'none'; plain.style.boxShadow = 'none';
        main.prepend(pale, field, chart, photo, plain); document.querySelector('h1').after(deep); main.append(second);
    }"""
    )
    problems = "\n".join(page.evaluate(A11Y_PROBLEMS))
    for expected in (
        "contrast",
        "form control without an accessible name: input",
        "heading level skipped: h1 → h4",
        "expected one h1, found 2",
        "svg without a text alternative",
        "img without alt",
    ):
        assert expected in problems, (expected, problems)
    keyboard = "\n".join(_keyboard_problems(page))
    assert "no visible focus style" in keyboard and "Tanpa fokus" in keyboard, keyboard
    context.close()
