"""Screens match permissions: no page shows a form, a button or a write link that the viewer's role cannot use.

Each role's pages are rendered (the demo's accounts, crawled as ``test_link_crawl`` does, and the security
``world``'s users, crawled from every page the permission matrix lets them read). Every ``<form method=post>``
action and every ``formaction`` of a button is resolved to its URL name and checked against the permission
matrix: the viewer's role must be able to use it. A link to a write page (a URL name ``test_write_refusals``
sends a payload to) must open for the viewer (its GET answers 200; the object is the page's own, which the
matrix's columns do not always name); the forms on that page are then checked there.

"Able to use" is read from the matrix's POST row: a role may use a write if some column of that role answers
it as handled (200, 302) or as a bad body (400), or sends its valid payload in ``test_write_refusals``, and
that column is not one ``test_write_refusals`` shows refused with a valid payload (Bawaslu, being read-only,
is refused every write; its 200 on a form page is the form shown again with an error). For the ``world``'s
users a control on the very object the matrix asks about is also checked against the user's own column.
"""

from collections import deque
from functools import partial
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from silon.accounts.models import Role, User
from tests.security.test_link_crawl import PER_PATTERN, PER_ROLE, _pattern
from tests.security.test_permission_matrix import EXPECTED, ROLES, build_url, url_names
from tests.security.test_write_refusals import PAYLOADS, REFUSERS

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

USABLE = {"200", "302", "400"}
# the matrix's columns for each role (docs/domain.md §2); a role may use a write if one of its columns may
COLUMNS = {
    Role.PAIR_OPERATOR: ("lo_a", "lo_b"),
    Role.PARTY_ADMIN: ("party_admin_p",),
    Role.VERIFIER: ("verifier_x",),
    Role.KPU_OPERATOR: ("kpu_r", "kpu_province", "kpu_other"),
    Role.BAWASLU: ("bawaslu",),
    Role.ADMIN: ("admin",),
}
WRITE_NAMES = set(PAYLOADS)  # write pages and endpoints (a link to one opens its form)
SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/admin/")


class Controls(HTMLParser):
    """The write controls of one page: (kind, method, target URL, label) for each form, formaction and link."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.found: list[tuple[str, str]] = []  # (what, url)
        self.links: list[str] = []
        self._form_method: str | None = None

    def _url(self, raw: str | None) -> str:
        return urldefrag(urljoin(self.page_url, raw or ""))[0]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form_method = (a.get("method") or "get").lower()
            if self._form_method == "post":
                self.found.append(("form", self._url(a.get("action"))))
        elif tag in ("button", "input") and a.get("formaction"):
            method = (a.get("formmethod") or self._form_method or "get").lower()
            if method == "post":
                self.found.append(("formaction", self._url(a["formaction"])))
        elif tag == "a" and a.get("href"):
            url = self._url(a["href"])
            if url.startswith("/") and not url.startswith("//"):
                self.links.append(url)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form_method = None


def _url_name(url: str) -> str | None:
    path = urlsplit(url).path
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def column_may_post(column: str, name: str) -> bool:
    """Whether the matrix's ``column`` may send ``name`` a write it acts on."""
    write = PAYLOADS.get(name)
    if column in REFUSERS and write and not (write.region_field and column == "kpu_other"):
        return False  # refused with a valid payload (test_write_refusals); a create form is another area's too
    if name in PAYLOADS and PAYLOADS[name].by == column:
        return True  # its valid payload is sent by this column (an empty body may answer 404 for everyone)
    row = EXPECTED[name]["POST"].split()
    return (row[0] if len(row) == 1 else row[ROLES.index(column)]) in USABLE


def role_may_post(role: str, name: str) -> bool:
    return any(column_may_post(column, name) for column in COLUMNS.get(role, ()))


def page_problems(
    html: str, page: str, role: str, own_column: str | None, exact: dict[str, str], opens=lambda url: True
) -> list[str]:
    """The controls of ``page`` that ``role`` cannot use (``exact``: URL name → the matrix's own URL;
    ``opens``: whether the viewer's GET of a URL answers 200)."""
    parser = Controls(page)
    parser.feed(html)
    controls = list(parser.found)
    controls += [("link", url) for url in parser.links if _url_name(url) in WRITE_NAMES and not opens(url)]
    problems = []
    for what, url in controls:
        name = _url_name(url)
        if name is None or name.startswith("admin:") or urlsplit(url).path.startswith(SKIP_PREFIXES):
            continue
        if name not in EXPECTED:
            problems.append(f"{page}: {what} to {url} ({name}) has no row in the permission matrix")
        elif what == "link":  # a write page the role cannot even open
            problems.append(f"{page}: link to {url} ({name}), a page a {role} cannot open")
        elif not role_may_post(role, name):
            problems.append(f"{page}: {what} to {url} ({name}), which a {role} cannot use")
        elif own_column and exact.get(name) == urlsplit(url).path and not column_may_post(own_column, name):
            problems.append(f"{page}: {what} to {url} ({name}), which {own_column} cannot use on this object")
    return problems


def opener(client: Client):
    """``opens(url)``: whether the client's GET of ``url`` answers 200 (a redirect to the login does not)."""
    answers: dict[str, bool] = {}

    def opens(url: str) -> bool:
        if url not in answers:
            answers[url] = client.get(url).status_code == 200
        return answers[url]

    return opens


def crawl(client: Client, seeds: list[str], check) -> tuple[int, list[str]]:
    """Pages visited from ``seeds`` (breadth-first, bounded like test_link_crawl) and the problems ``check``
    finds in each."""
    queue = deque((url, "(start)") for url in seeds)
    seen: set[str] = set()
    per_pattern: dict[tuple, int] = {}
    problems: list[str] = []
    visited = 0
    while queue and visited < PER_ROLE:
        url, _source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        pattern = _pattern(url)
        if pattern is None or per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url, follow=True)
        visited += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        final = response.redirect_chain[-1][0] if response.redirect_chain else url
        problems += check(html, final)
        parser = Controls(final)
        parser.feed(html)
        queue.extend((link, url) for link in parser.links if link not in seen)
    return visited, problems


def test_demo_roles_are_shown_only_controls_they_can_use(demo):
    problems = []
    roles_seen = set()
    for username, _password, description in demo["accounts"]:
        user = User.objects.get(username=username)
        roles_seen.add(user.role)
        client = Client()
        client.force_login(user)
        check = partial(page_problems, role=user.role, own_column=None, exact={}, opens=opener(client))
        visited, found = crawl(client, ["/akun/"], check)
        assert visited > 3, f"{username}: the crawl found nothing to follow"
        problems += [f"{username} ({description}): {line}" for line in found]
    assert roles_seen >= set(COLUMNS), f"demo roles missing: {set(COLUMNS) - roles_seen}"
    assert not problems, "\n".join(problems)


def test_world_roles_are_shown_only_controls_they_can_use(world):
    patterns = dict(url_names())
    exact = {name: build_url(name, patterns[name], world) for name in EXPECTED if not name.startswith("admin:")}
    problems = []
    for column, user in world.users.items():
        if user is None:
            continue
        seeds = ["/akun/"] + [
            url for name, url in exact.items() if not url.startswith(SKIP_PREFIXES) and _readable(name, column)
        ]
        client = Client()
        client.force_login(user)
        check = partial(page_problems, role=user.role, own_column=column, exact=exact, opens=opener(client))
        visited, found = crawl(client, seeds, check)
        assert visited > 3, f"{column}: the crawl found nothing to follow"
        problems += [f"{column}: {line}" for line in found]
    assert not problems, "\n".join(problems)


def _readable(name: str, column: str) -> bool:
    row = EXPECTED[name].get("GET", "").split()
    token = row[0] if len(row) == 1 else row[ROLES.index(column)] if row else ""
    return token == "200" and "logout" not in name and "language" not in name


def test_the_check_names_a_control_the_role_cannot_use():
    """The check itself: a Bawaslu page offering the LO-account form and a revoke button is refused, a KPU
    operator's is not."""
    html = (
        '<form method="post" action="/dukungan/pasangan/1/lo/terbitkan/"><button>Terbitkan akun LO</button></form>'
        '<form method="get" action="/pemilihan/"></form>'
    )
    problems = page_problems(html, "/dukungan/pasangan/1/", Role.BAWASLU, None, {})
    assert len(problems) == 1 and "support_uploads:lo_issue" in problems[0]
    assert page_problems(html, "/dukungan/pasangan/1/", Role.KPU_OPERATOR, None, {}) == []
    # a link to a write page the role cannot open, and one it can (the documents page shows and takes a form)
    links = '<a href="/pemilihan/1/ubah/">Ubah</a><a href="/pemilihan/paslon/1/dokumen/">Dokumen</a>'
    problems = page_problems(links, "/", Role.PAIR_OPERATOR, None, {}, lambda url: "dokumen" in url)
    assert len(problems) == 1 and "candidacy:election_update" in problems[0]
