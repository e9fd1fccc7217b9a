"""The production front for the benches: docker-compose.yml's two pools (web-team, web-public: gunicorn with
the workers, threads and options compose gives them) on free loopback ports, and its proxy
(deploy/nginx/templates, rendered as the nginx image does: tests/production/layout.render_nginx) run with
Debian's nginx over HTTPS with a certificate made here. A bench's clients talk to the proxy only, as browsers
do in production: routing by the session cookie, the public cache and the public gate are in the path."""

import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench import ROOT
from tests.production.layout import load_compose, render_nginx

POOLS = {"web-team": "SILON_WEB_TEAM", "web-public": "SILON_WEB_PUBLIC"}
NGINX = "/usr/sbin/nginx"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Front:
    work: Path
    base: str = ""
    certificate: Path | None = None
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.certificate))

    def access_log(self) -> Path:
        return self.work / "proxy" / "access.log"


def available() -> str | None:
    """Why the front cannot run here, or None."""
    for tool in (NGINX, shutil.which("openssl")):
        if not tool or not Path(tool).exists():
            return "nginx and openssl are needed for the production front (apt-get install -y nginx openssl)"
    return None


def _compose_services(work: Path) -> dict:
    dotenv = work / ".env"
    dotenv.write_text(
        (ROOT / ".env.example").read_text()
        + f"\nPOSTGRES_PASSWORD={secrets.token_hex(8)}\nDATABASE_APP_PASSWORD={secrets.token_hex(8)}\n"
    )
    return load_compose(ROOT / "docker-compose.yml", dotenv)


def _certificate(directory: Path) -> Path:
    directory.mkdir()
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem")),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return directory / "fullchain.pem"


def _wait(front: Front, what: str, check, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return
        for name, process in front.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited ({process.returncode}) before {what}")
        time.sleep(0.3)
    raise RuntimeError(f"{what}: not within {timeout:.0f} s")


def start_front(env: dict[str, str], connections: int) -> Front:
    """Both pools and the proxy, for ``connections`` clients at once; ``env`` is the pools' environment
    (bench.server.production_env). Static files are collected into env's STATIC_ROOT first."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    work = Path(tempfile.mkdtemp(prefix="silon-bench-front-"))
    os.chmod(work, 0o755)  # noqa: S103 (nginx's workers, unprivileged, read the configuration and certificate)
    front = Front(work)
    services = _compose_services(work)
    ports = {pool: _free_port() for pool in POOLS}
    try:
        for pool, port in ports.items():
            command = services[pool].command
            assert command[0] == "gunicorn", command
            argv = [sys.executable, "-m", "gunicorn", *command[1:], "--bind", f"127.0.0.1:{port}"]
            pool_env = {**env, "TRUSTED_PROXIES": "127.0.0.0/8"}
            front.processes[pool] = subprocess.Popen([*argv, "--log-level", "warning"], cwd=ROOT, env=pool_env)
        front.certificate = _certificate(work / "certs")
        https_port = _free_port()
        proxy = services["proxy"]
        proxy_env = {
            **proxy.environment,
            "NGINX_RESOLVER": "127.0.0.1",  # never asked: the upstreams are addresses here
            "NGINX_HTTP_PORT": f"127.0.0.1:{_free_port()}",
            "NGINX_HTTPS_PORT": f"127.0.0.1:{https_port}",
            "NGINX_PUBLIC_GATE": f"127.0.0.1:{_free_port()}",
            **{variable: f"127.0.0.1:{ports[pool]}" for pool, variable in POOLS.items()},
        }
        # the certificate's directory stands for TLS_CERT_DIR
        proxy.spec["volumes"] = [
            f"{front.certificate.parent}:/etc/nginx/certs:ro" if ":/etc/nginx/certs" in volume else volume
            for volume in proxy.spec["volumes"]
        ]
        main = render_nginx(proxy, proxy_env, work / "proxy", worker_connections=4 * connections + 256)
        nginx = [NGINX, "-c", str(main), "-p", str(main.parent), "-e", str(main.parent / "error.log")]
        subprocess.run([*nginx, "-t"], check=True, capture_output=True, timeout=30)
        front.processes["proxy"] = subprocess.Popen(nginx)
        front.base = f"https://127.0.0.1:{https_port}"
        context = front.ssl_context()

        def answers() -> bool:
            """Both pools, through the proxy: anonymous (web-public) and with a session cookie (web-team)."""
            try:
                for headers in ({}, {"Cookie": "sessionid=bench-front-probe"}):
                    url = f"{front.base}/publik/ping"
                    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (https, loopback)
                    urllib.request.urlopen(request, timeout=2, context=context).read()  # noqa: S310
                return True
            except OSError:
                return False

        _wait(front, "the front answers", answers, 60)
        return front
    except BaseException:
        stop_front(front)
        raise


def stop_front(front: Front | None) -> None:
    if front is None:
        return
    for process in reversed(list(front.processes.values())):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    shutil.rmtree(front.work, ignore_errors=True)
