"""Teams first, at the front proxy: docker-compose.yml's proxy (deploy/nginx) rendered as the nginx image does
and run with Debian's nginx in front of two stand-in pools (tests/production/pool_app.py under gunicorn, one
for web-team, one for web-public), each on a free loopback port. The stand-ins name their pool and count
their requests, so each test sees which pool answered, or that the proxy's cache did.

The smoke test (test_smoke.py) runs the same proxy in front of the real application; here the pools are small
enough to be made busy or stopped at will: routing by the session cookie, the public cache (what it keeps,
what it never keeps, that it answers while web-public is down), the public gate's fast 503 with Retry-After
under overload while team requests, even many slow ones at once, are all answered.
"""

import concurrent.futures
import http.client
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import production_tool

from .layout import ROOT, load_compose, render_nginx

pytestmark = [pytest.mark.production, pytest.mark.slow]

PUBLIC_CONNECTIONS = 2  # the public gate's limit here (docker-compose.yml: 24)
ANONYMOUS_TEAM_CONNECTIONS = 1
TEAM_THREADS = 8
SESSION = {"Cookie": "sessionid=" + "a" * 32}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(what: str, check, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout:.0f} s")


def _user() -> dict:
    """nginx runs unprivileged, as in the smoke test: as nobody when the test runs as root."""
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        return {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    return {}


class Front:
    def __init__(self, work: Path):
        self.work = work
        self.ports = {"web-team": _free_port(), "web-public": _free_port()}
        self.https_port, self.http_port, self.gate_port = _free_port(), _free_port(), _free_port()
        self.processes: dict[str, subprocess.Popen] = {}
        self.nginx: list[str] = []
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def start_pool(self, pool: str) -> None:
        log = open(self.work / f"{pool}.log", "a")  # noqa: SIM115 (closed with the process)
        threads = TEAM_THREADS if pool == "web-team" else 1
        argv = [sys.executable, "-m", "gunicorn", "tests.production.pool_app:app", "--bind"]
        argv += [f"127.0.0.1:{self.ports[pool]}", "--worker-class", "gthread", "--workers", "1"]
        argv += ["--threads", str(threads), "--timeout", "60"]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "SILON_POOL": pool, "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        process.log_file = log
        self.processes[pool] = process
        _wait(f"{pool} listening", lambda: _listening(self.ports[pool]))

    def start_proxy(self) -> None:
        log = open(self.work / "nginx.log", "a")  # noqa: SIM115 (closed with the process)
        process = subprocess.Popen(self.nginx, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **_user())
        process.log_file = log
        self.processes["proxy"] = process
        _wait("nginx listening", lambda: _listening(self.https_port))

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        process.log_file.close()

    def request(self, method: str, path: str, headers=None, body=None, timeout=30):
        connection = http.client.HTTPSConnection("127.0.0.1", self.https_port, timeout=timeout, context=self.context)
        try:
            connection.request(method, path, body=body, headers={"Host": "silon.test", **(headers or {})})
            response = connection.getresponse()
            return response, response.read().decode()
        finally:
            connection.close()


def _certificate(directory: Path) -> None:
    directory.mkdir()
    out = subprocess.run(
        [
            *(production_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"),
            *("-subj", "/CN=silon.test", "-keyout", str(directory / "privkey.pem")),
            *("-out", str(directory / "fullchain.pem")),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr


@pytest.fixture(scope="module")
def front():
    work = Path(tempfile.mkdtemp(prefix="silon-front-"))
    os.chmod(work, 0o755)
    certs = work / "certs"
    dotenv = work / ".env"
    dotenv.write_text(
        (ROOT / ".env.example").read_text() + f"\nSECRET_KEY={secrets.token_urlsafe(50)}\nTLS_CERT_DIR={certs}\n"
    )
    dotenv.write_text(dotenv.read_text() + "POSTGRES_PASSWORD=x\nDATABASE_APP_PASSWORD=y\n")
    proxy = load_compose(ROOT / "docker-compose.yml", dotenv)["proxy"]
    front = Front(work)
    _certificate(certs)
    env = {
        **proxy.environment,
        "SILON_WEB_TEAM": f"127.0.0.1:{front.ports['web-team']}",
        "SILON_WEB_PUBLIC": f"127.0.0.1:{front.ports['web-public']}",
        "NGINX_RESOLVER": "127.0.0.1",  # never asked: the upstreams are addresses here
        "NGINX_HTTP_PORT": f"127.0.0.1:{front.http_port}",
        "NGINX_HTTPS_PORT": f"127.0.0.1:{front.https_port}",
        "NGINX_PUBLIC_GATE": f"127.0.0.1:{front.gate_port}",
        "NGINX_PUBLIC_CONNECTIONS": str(PUBLIC_CONNECTIONS),
        "NGINX_ANONYMOUS_TEAM_CONNECTIONS": str(ANONYMOUS_TEAM_CONNECTIONS),
    }
    main = render_nginx(proxy, env, work / "proxy")  # deploy/nginx/nginx.conf's worker_connections
    for path in [work, *work.rglob("*")]:
        if _user():
            os.chown(path, _user()["user"], _user()["group"])
    try:
        for pool in front.ports:
            front.start_pool(pool)
        nginx = production_tool("nginx")
        front.nginx = [nginx, "-c", str(main), "-p", str(main.parent), "-e", str(main.parent / "error.log")]
        check = subprocess.run([*front.nginx, "-t"], capture_output=True, text=True, timeout=30, **_user())
        assert check.returncode == 0, check.stderr
        front.start_proxy()
        yield front
    finally:
        for name in list(front.processes):
            front.stop(name)
        shutil.rmtree(work, ignore_errors=True)


def _served_by(body: str) -> tuple[str, int]:
    match = re.match(r"pool=(\S+) n=(\d+)", body)
    assert match, body
    return match.group(1), int(match.group(2))


def _unique(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}u={secrets.token_hex(6)}"


def test_the_session_cookie_and_the_sign_in_pages_go_to_the_team_pool_the_rest_to_the_public(front):
    cases = [
        ("GET", "/publik/data/", {}, "web-public", "public"),
        ("GET", "/publik/data/", SESSION, "web-team", "team"),
        ("GET", "/api/public/elections/", {}, "web-public", "public"),
        ("GET", "/api/support/uploads/", SESSION, "web-team", "team"),
        ("GET", "/akun/masuk/", {}, "web-team", "team"),  # the sign-in form is never behind the public queue
        ("POST", "/akun/masuk/", {"Content-Type": "application/x-www-form-urlencoded"}, "web-team", "team"),
        ("GET", "/admin/login/", {}, "web-team", "team"),
        ("POST", "/keberatan/ajukan/", {"Content-Type": "application/x-www-form-urlencoded"}, "web-public", "public"),
        ("GET", "/", {"Cookie": "csrftoken=x; django_language=en"}, "web-public", "public"),  # no session
    ]
    for method, path, headers, pool, header in cases:
        body = "a=1" if method == "POST" else None
        response, text = front.request(method, _unique(path), headers=headers, body=body)
        assert response.status == 200, (method, path, text)
        assert _served_by(text)[0] == pool, (method, path, headers, text)
        assert response.getheader("X-Silon-Pool") == header, (method, path)


def test_anonymous_public_pages_come_from_the_cache_team_answers_never(front):
    path = _unique("/publik/pemilihan/7/")
    first, body = front.request("GET", path)
    assert first.getheader("X-Cache-Status") == "MISS"
    again, same = front.request("GET", path)
    assert again.getheader("X-Cache-Status") == "HIT" and same == body
    assert again.getheader("Cache-Control") == "max-age=0, s-maxage=60"  # the browser still asks every time
    # Vary: Cookie: another language cookie is another entry; a signed-in visitor never gets the shared one
    english, other = front.request("GET", path, headers={"Cookie": "django_language=en"})
    assert english.getheader("X-Cache-Status") == "MISS" and other != body
    for _ in range(2):
        team, text = front.request("GET", path, headers=SESSION)
        assert team.getheader("X-Cache-Status") == "BYPASS" and _served_by(text)[0] == "web-team"
    # the flash-message cookie: the page is per visitor
    flash, text = front.request("GET", path, headers={"Cookie": "messages=abc"})
    assert flash.getheader("X-Cache-Status") == "BYPASS" and text != body


@pytest.mark.parametrize("path", ["/kue/", "/pribadi/", "/api/public/elections/"])
def test_what_django_does_not_mark_as_shared_is_never_cached(front, path):
    """A response with Set-Cookie, one marked no-store, one without a lifetime: each request reaches the pool."""
    path = _unique(path)
    numbers = set()
    for _ in range(3):
        response, text = front.request("GET", path)
        assert response.status == 200 and response.getheader("X-Cache-Status") == "MISS"
        numbers.add(_served_by(text)[1])
    assert len(numbers) == 3


def test_public_overload_is_shed_at_once_with_503_and_retry_after_team_requests_never(front):
    slow = 4.0
    with concurrent.futures.ThreadPoolExecutor(max_workers=PUBLIC_CONNECTIONS + TEAM_THREADS) as pool:
        busy = [
            pool.submit(front.request, "GET", _unique(f"/publik/x/?lambat={slow}")) for _ in range(PUBLIC_CONNECTIONS)
        ]
        time.sleep(1.0)  # the gate is full
        started = time.monotonic()
        response, text = front.request("GET", _unique("/publik/data/"))
        assert time.monotonic() - started < 3, "shed at once, not after a wait (the admitted ones take 4 s)"
        assert response.status == 503 and response.getheader("Retry-After") == "10", text
        assert "Sedang padat, coba lagi" in text and response.getheader("Cache-Control") == "no-store"
        assert response.getheader("X-Silon-Pool") == "public"
        # team requests meanwhile: answered, however many slow ones run at once
        team = [
            pool.submit(front.request, "GET", _unique(f"/publik/x/?lambat={slow / 2}"), SESSION)
            for _ in range(TEAM_THREADS)
        ]
        started = time.monotonic()
        quick, text = front.request("GET", _unique("/api/support/uploads/"), headers=SESSION)
        assert quick.status == 200 and _served_by(text)[0] == "web-team"
        for future in team:
            answered, text = future.result(timeout=30)
            assert answered.status == 200 and _served_by(text)[0] == "web-team"
        for future in busy:  # the admitted public requests were answered, not cut off
            answered, text = future.result(timeout=30)
            assert answered.status == 200 and _served_by(text)[0] == "web-public"
    after, _ = front.request("GET", _unique("/publik/data/"))
    assert after.status == 200  # shedding ends with the overload


def test_a_cached_public_page_is_answered_while_web_public_is_down(front):
    path = _unique("/publik/wilayah/52/?s=2")  # valid for two seconds, then stale
    fresh, body = front.request("GET", path)
    assert fresh.status == 200 and fresh.getheader("X-Cache-Status") == "MISS"
    front.stop("web-public")
    try:
        assert not _listening(front.ports["web-public"])
        time.sleep(2.5)
        stale, text = front.request("GET", path)
        assert stale.status == 200 and text == body
        assert stale.getheader("X-Cache-Status") in {"STALE", "UPDATING"}
        started = time.monotonic()
        missing, page = front.request("GET", _unique("/publik/data/"))
        assert missing.status == 503 and missing.getheader("Retry-After") == "10" and "Sedang padat" in page
        assert time.monotonic() - started < 3, "at once, not after a timeout"
        team, text = front.request("GET", _unique("/publik/data/"), headers=SESSION)
        assert team.status == 200 and _served_by(text)[0] == "web-team"
    finally:
        front.start_pool("web-public")


def test_the_public_cache_outlives_a_restart_of_the_proxy(front):
    """On disk: nginx started again finds the entry (its cache loader) and answers from it, even with
    web-public down."""
    path = _unique("/publik/paslon/3/")
    _, body = front.request("GET", path)
    assert front.request("GET", path)[0].getheader("X-Cache-Status") == "HIT"
    front.stop("proxy")
    front.stop("web-public")
    try:
        front.start_proxy()
        again, text = front.request("GET", path)
        assert again.status == 200 and text == body
        assert again.getheader("X-Cache-Status") in {"HIT", "STALE", "UPDATING"}
    finally:
        front.start_pool("web-public")


def test_anonymous_sign_in_requests_are_capped_signed_in_ones_are_not(front):
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        slow = pool.submit(front.request, "GET", _unique("/akun/masuk/?lambat=3"))
        time.sleep(1.0)
        capped, text = front.request("GET", _unique("/akun/masuk/"))
        assert capped.status == 503 and capped.getheader("Retry-After") == "10", text
        signed_in, text = front.request("GET", _unique("/akun/"), headers=SESSION)
        assert signed_in.status == 200 and _served_by(text)[0] == "web-team"
        assert slow.result(timeout=30)[0].status == 200
