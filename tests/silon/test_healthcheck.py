"""The web health check (``python -m silon.healthcheck``) against a real server: the smoke test runs it as
docker-compose.yml states it; here its parts."""

import socket
import subprocess
import sys
from pathlib import Path

from silon.healthcheck import probe_host

ROOT = Path(__file__).resolve().parents[2]


def test_probe_host_names_a_host_the_settings_accept():
    assert probe_host(["silon.example.go.id", "www.silon.example.go.id"]) == "silon.example.go.id"
    assert probe_host([".example.go.id"]) == "example.go.id"
    assert probe_host(["*", "silon.example"]) == "silon.example"
    assert probe_host(["*"]) == "localhost"


def test_nothing_listening_is_unhealthy():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        unused_tcp_port = sock.getsockname()[1]
    out = subprocess.run(
        [sys.executable, "-m", "silon.healthcheck"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "PORT": str(unused_tcp_port), "DJANGO_SETTINGS_MODULE": "silon.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 1
    assert f"unhealthy: 127.0.0.1:{unused_tcp_port}" in out.stderr
