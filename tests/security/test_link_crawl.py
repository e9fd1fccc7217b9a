"""Every link a role is shown works for that role: each demo account (``make run``'s, with the demo data)
follows the links its pages offer, and none answers 404 or a server error.

Where the permission matrix asks every URL name for every role, this asks what the pages themselves link to,
as a person clicking through the demo would. Links are followed breadth-first from the role's start page;
URLs that differ only in their ids are followed a few times each, which keeps the crawl bounded.
"""

import re
from collections import deque
from html import unescape
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HREF = re.compile(r"""<a\s[^>]*?href="([^"]+)\"""", re.IGNORECASE)
PER_PATTERN = 3  # URLs of one URL name (and query keys) followed per role
PER_ROLE = 400  # pages per role at most
# Not followed: they change the session (sign out, language) or are files, not pages.
SKIP_NAMES = {"accounts:logout", "language", "set_language"}
SKIP_PREFIXES = ("/static/", "/media/", "/api/", "/admin/")


def _links(html: str) -> list[str]:
    found = []
    for raw in HREF.findall(html):
        url = urldefrag(unescape(raw))[0]
        if url.startswith("/") and not url.startswith("//"):
            found.append(url)
    return found


def _pattern(url: str) -> tuple | None:
    parts = urlsplit(url)
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return ("unresolved", parts.path)
    if match.view_name in SKIP_NAMES:
        return None
    keys = tuple(sorted(k.split("=")[0] for k in parts.query.split("&") if k))
    return (match.view_name, keys)


def crawl(client: Client, start: str) -> tuple[int, list[str]]:
    """Pages visited and the broken links found (URL, status, the page that offered it)."""
    queue = deque([(start, "(start)")])
    seen: set[str] = set()
    per_pattern: dict[tuple, int] = {}
    broken = []
    visited = 0
    while queue and visited < PER_ROLE:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        pattern = _pattern(url)
        if pattern is None:
            continue
        if per_pattern.get(pattern, 0) >= PER_PATTERN:
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        response = client.get(url, follow=True)
        visited += 1
        if response.status_code == 404 or response.status_code >= 500:
            broken.append(f"{url} → {response.status_code} (linked from {source})")
            continue
        if "text/html" in response.get("Content-Type", "") and response.status_code == 200:
            for link in _links(response.content.decode()):
                if link not in seen:
                    queue.append((link, url))
    return visited, broken


def test_no_role_is_offered_a_link_that_answers_404(demo):
    from silon.accounts.models import User

    accounts = demo["accounts"]
    assert len(accounts) >= 10  # every role of the demo, LOs and the party admin included
    problems = []
    visited_total = 0
    for username, _password, description in accounts:
        client = Client()
        client.force_login(User.objects.get(username=username))
        visited, broken = crawl(client, "/akun/")
        assert visited > 3, f"{username}: the crawl found nothing to follow"
        visited_total += visited
        problems += [f"{username} ({description}): {line}" for line in broken]
    assert not problems, "\n".join(problems)
    assert visited_total > 50
