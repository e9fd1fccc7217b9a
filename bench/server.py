"""The portal served as in production for the benches: gunicorn (sync workers, DEBUG=false) on a free
loopback port, on the bench database and Redis."""

import hashlib
import os
import socket
import subprocess
import sys
import time
import urllib.request

from bench import ROOT

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
SECRET_KEY = "bench-portal-" + "k" * 50
# Production mode refuses to start without real audit keys; fixed ones, so the bench database's chain stays one.
AUDIT_HMAC_KEY = "bench-audit-hmac-" + hashlib.sha256(b"bench-audit-hmac").hexdigest()
AUDIT_SIGNING_KEY = hashlib.sha256(b"bench-audit-signing").hexdigest()
# A returning visitor who chose English with the language link (the cookie it sets).
ENGLISH_VISITOR = "Cookie: django_language=en"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(*, static_root: str, **extra: str) -> dict[str, str]:
    """The environment of a production-mode server (DEBUG=false) on the bench database and Redis, plain HTTP
    on loopback."""
    from django.conf import settings

    db = settings.DATABASES["default"]
    database_url = os.environ.get("DATABASE_URL") or (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": os.environ.get("REDIS_URL", DEFAULT_REDIS_URL),
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "AUDIT_HMAC_KEY": AUDIT_HMAC_KEY,
        "AUDIT_SIGNING_KEY": AUDIT_SIGNING_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "silon.settings",
        **extra,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def start_gunicorn(env: dict[str, str], workers: int) -> tuple[subprocess.Popen, str]:
    """Collect static files into env's STATIC_ROOT, start gunicorn (sync workers) on a free loopback port and
    wait for it to answer; returns the process and its base URL."""
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "silon.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/publik/ping", timeout=2).read()  # noqa: S310 (loopback only)
            return server, base
        except OSError:
            if time.time() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("gunicorn did not come up within 30 s") from None
            time.sleep(0.3)


def stop(server: subprocess.Popen | None) -> None:
    if server is None:
        return
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
