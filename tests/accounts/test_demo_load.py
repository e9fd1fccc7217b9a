"""`make run HOST=...` announces the address it really serves (the demo loader prints it)."""

import io
import shutil
import subprocess

import pytest
from django.core.management import call_command

from silon.accounts.management.commands import demo_load
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("address", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8080", "http://127.0.0.1:8080"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("[::1]:8001", "http://[::1]:8001"),
        ("[::]:8002", "http://[::1]:8002"),
        ("192.0.2.10:8003", "http://192.0.2.10:8003"),
        ("silon.local", "http://silon.local:8000"),
    ],
)
def test_the_announced_url_follows_the_runserver_address(address, url):
    assert demo_load.portal_url(address) == url


@pytest.mark.django_db
def test_demo_load_prints_the_address_it_is_given(monkeypatch):
    monkeypatch.setattr(demo_load, "DEMO_STEPS", ["silon.accounts.demo"])
    out = io.StringIO()
    call_command("demo_load", address="0.0.0.0:8123", allow_production=True, stdout=out)
    text = out.getvalue()
    assert "Portal: http://127.0.0.1:8123/   Login: http://127.0.0.1:8123/akun/masuk/" in text
    assert ":8000" not in text


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_passes_host_to_the_announcement_and_the_server():
    plan = subprocess.run(
        ["make", "-n", "-W", "requirements.txt", "run", "HOST=0.0.0.0:8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "demo_load --address 0.0.0.0:8123" in plan
    assert "runserver 0.0.0.0:8123" in plan
