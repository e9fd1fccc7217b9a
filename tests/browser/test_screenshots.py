"""Current screenshots of each role's main page (the demo's accounts: their dashboard; the public: the home page) at
desktop and phone width. ``make screenshots`` writes them into docs/screenshots/ (committed, shown in the README);
a plain test run writes them under test-artifacts/."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from silon.accounts.models import User
from tests.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
COLOURS = 64  # a palette this small keeps a page's PNG at a few dozen kB


def _target() -> Path:
    path = Path(os.environ.get("SILON_SCREENSHOTS_DIR") or ARTIFACTS / "screenshots" / "roles")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _save_small(png: bytes, path: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=COLOURS)
    image.save(path, optimize=True)


def test_each_roles_main_page_at_desktop_and_phone_width(live_server, browser):
    call_command("demo_load", allow_production=True, stdout=io.StringIO())
    target = _target()
    # one account per role (the first of each, by username), and the public visitor
    accounts = {}
    for user in User.objects.order_by("username"):
        accounts.setdefault(user.role, user)
    shots = [("publik", None, "/")] + [(role, user, "/akun/") for role, user in sorted(accounts.items())]
    written = []
    for name, user, url in shots:
        for size, viewport in SIZES.items():
            context = browser.new_context(viewport=viewport, is_mobile=size == "phone", locale="id-ID")
            if user is not None:
                client = Client()
                client.force_login(user)
                cookie = client.cookies["sessionid"]
                context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
            page = context.new_page()
            page.goto(live_server.url + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"], (name, size)
            path = target / f"{name}-{size}.png"
            _save_small(page.screenshot(), path)
            written.append(path)
            context.close()
    assert len(written) == 2 * (1 + len(accounts))
    assert all(p.stat().st_size < 150_000 for p in written)
