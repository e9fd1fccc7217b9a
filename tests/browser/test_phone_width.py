"""At 390 px wide no page a person uses scrolls sideways (#21): every HTML page of the permission matrix that a
role opens with 200, in the matrix's world, in one phone-sized Chromium, each role signed in once.

Each page is opened once, by the role that sees the most on it (``WIDEST_FIRST``: the area's operator, whose
tables carry the most columns and controls, then the team, the verifier…), and every role also opens at least
one of its pages, so each role's own navigation is measured too. Every role on every page took 2.5 minutes of
CI for the same layouts."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError

from tests.security.conftest import (  # noqa: F401 (the matrix's world and the fixtures it is built from)
    regions_version,
    villages,
    world,
)
from tests.security.test_permission_matrix import ROLES, _expected, build_url, url_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NOT_PAGES = ("/api/", "/admin/", "/static/", "/media/")
# the widest element that is wider than the viewport, for the failure message
WIDEST = """() => {
  const w = document.documentElement.clientWidth; let worst = null, right = w;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > right + 0.5 && !el.closest('.overflow-auto')) { right = r.right; worst = el; }
  }
  if (!worst) return '';
  const id = worst.id ? '#' + worst.id : '';
  return `${worst.tagName.toLowerCase()}${id}.${[...worst.classList].join('.')} → ${Math.round(right)}px`;
}"""


@pytest.fixture(autouse=True)
def _world_tasks_in_process():
    """The matrix's world validates its uploads as it is built: in-process here, as in the matrix's own test (a
    browser test otherwise sends tasks to the broker, where no worker of this test listens)."""
    from celery import current_app

    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


def phone_pages(world):  # noqa: F811 (the imported fixture's value)
    """``(role, url)`` of every HTML page the matrix says each role opens with 200 (one URL per name)."""
    for name, pattern in url_names():
        if name.startswith("admin:") or "logout" in name or name in {"language", "set_language"}:
            continue
        url = build_url(name, pattern, world)
        if url.startswith(NOT_PAGES):
            continue
        for role in ROLES:
            if _expected(name, url, "GET", role) == "200":
                yield role, name, url


def signed_in_context(browser, live_server, user):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return context


WIDEST_FIRST = ("kpu_r", "lo_a", "verifier_x", "bawaslu", "party_admin_p", "kpu_province", "admin", "anonymous")


def pages_to_open(world) -> dict[str, list[tuple[str, str]]]:  # noqa: F811
    """Role → ``(name, url)``: each page once, by the first role of ``WIDEST_FIRST`` that opens it (others
    after them), plus the first page of every role that got none."""
    rank = {role: i for i, role in enumerate(WIDEST_FIRST)}
    best: dict[str, tuple[str, str]] = {}
    first: dict[str, tuple[str, str]] = {}
    for role, name, url in phone_pages(world):
        first.setdefault(role, (name, url))
        if name not in best or rank.get(role, len(rank)) < rank.get(best[name][0], len(rank)):
            best[name] = (role, url)
    by_role: dict[str, list[tuple[str, str]]] = {}
    for name, (role, url) in best.items():
        by_role.setdefault(role, []).append((name, url))
    for role, page in first.items():
        by_role.setdefault(role, [page])
    return by_role


def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, world):  # noqa: F811
    by_role = pages_to_open(world)
    assert set(by_role) == {role for role, _name, _url in phone_pages(world)}, "every role opens a page"
    problems, checked = [], 0
    for role, pages in by_role.items():
        context = signed_in_context(browser, live_server, world.users[role])
        page = context.new_page()
        for name, url in pages:
            try:
                response = page.goto(live_server.url + url, wait_until="domcontentloaded")
            except PlaywrightError as exc:  # a file download, not a page
                if "Download is starting" in str(exc):
                    continue
                raise
            if response is None or "text/html" not in response.headers.get("content-type", ""):
                continue
            if not page.evaluate("!!document.querySelector('meta[name=viewport]')"):
                continue  # an htmx fragment (progress, ping), shown inside a page, not a page
            checked += 1
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"{url} ({name}) as {role}: {width}px wide, {page.evaluate(WIDEST)}")
        context.close()
    assert checked > 40
    assert not problems, "\n".join(problems)
