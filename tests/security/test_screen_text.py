"""Every HTML page a role can open, as the permission-matrix world shows it, is free of raw values: no ``None``,
no ``nan``, no phrase said twice, no region code where its name belongs, one number format (#21)."""

import pytest

from .screen_text import raw_values, visible_text
from .test_permission_matrix import ROLES, RoleClients, _expected, build_url, url_names

pytestmark = pytest.mark.django_db

NOT_PAGES = ("/api/", "/admin/", "/static/", "/media/")


def test_the_scan_finds_what_it_looks_for():
    html = (
        "<p>Suara sah DPRD: None</p><p>Masukkan nama pengguna nama pengguna dan sandi</p>"
        "<li>52.01 52.01</li><td>38,406</td><script>var x = None;</script><code>None</code>"
    )
    found = raw_values(visible_text(html))
    assert [f.split(":")[0] for f in found] == ["None", "repeated", "code twice", "comma-grouped number"]
    fine = (
        "<p>38.426 pendukung · 52.01 Lombok Barat · 12,5% · 1, 2, 3 · pukul 10.00</p>"
        "<td>2026-12-08 08:02:13</td><td>08/08 08:15</td>"  # a day and its hour are not a code twice
    )
    assert raw_values(visible_text(fine)) == []


def test_no_page_shows_a_raw_value(world):
    clients = RoleClients(world.users)
    problems, pages = [], 0
    for name, pattern in url_names():
        url = build_url(name, pattern, world)
        if url.startswith(NOT_PAGES) or name.startswith("admin:") or "logout" in name:
            continue
        for role in ROLES:
            if _expected(name, url, "GET", role) != "200":
                continue
            response = clients.clients[role].get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            text = visible_text(response.content.decode())
            problems += [f"{url} ({name}) as {role}: {p}" for p in raw_values(text)]
    assert pages > 40
    assert not problems, "\n".join(problems)
