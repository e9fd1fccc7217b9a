"""Worker hosts for tests: each a Linux network namespace the test creates (``ip netns add``), joined to this
machine by a veth pair, with a Celery worker inside that reaches PostgreSQL and Redis only over that link
(``tcp_forward.py`` on the host side, as this machine's services listen on 127.0.0.1). Killing a host kills
every process in its namespace at once, as a machine that loses power. Needs root (CI runs as root)."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from tests.conftest import ARTIFACTS, ROOT, python_command, worker_env

FORWARD = Path(__file__).with_name("tcp_forward.py")


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


def can_make_hosts() -> bool:
    if os.geteuid() != 0:
        return False
    probe = f"silon-probe-{uuid.uuid4().hex[:6]}"
    try:
        _ip("netns", "add", probe)
    except (OSError, subprocess.CalledProcessError):
        return False
    _ip("netns", "del", probe)
    return True


def _moved(url: str, host: str) -> str:
    """``url`` (postgres://… or redis://… on 127.0.0.1) as the namespace reaches it: through ``host``."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    user = f"{netloc[0]}@" if len(netloc) == 2 else ""
    port = parts.port
    return urlunsplit(parts._replace(netloc=f"{user}{host}:{port}"))


class WorkerHost:
    """One namespace ``silon-<tag>-<n>``, the link 10.213.<subnet>.1 (this machine) ↔ .2 (the host)."""

    def __init__(self, number: int, queue: str, log_name: str, **env: str):
        self.name = f"silon-{uuid.uuid4().hex[:6]}-{number}"
        self.hostname = f"host{number}@{self.name}"
        subnet = (os.getpid() * 7 + number) % 250 + 1
        self.gateway, self.address = f"10.213.{subnet}.1", f"10.213.{subnet}.2"
        outside, inside = f"vs{self.name[6:12]}{number}h", f"vs{self.name[6:12]}{number}n"
        _ip("netns", "add", self.name)
        _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        _ip("link", "set", inside, "netns", self.name)
        _ip("addr", "add", f"{self.gateway}/30", "dev", outside)
        _ip("link", "set", outside, "up")
        _ip("-n", self.name, "addr", "add", f"{self.address}/30", "dev", inside)
        _ip("-n", self.name, "link", "set", inside, "up")
        _ip("-n", self.name, "link", "set", "lo", "up")
        self.outside = outside
        db = settings.DATABASES["default"]
        database = f"postgres://{db['USER'] or 'postgres'}@127.0.0.1:{db['PORT'] or 5432}/{db['NAME']}"
        base = worker_env()
        broker, cache = base["CELERY_BROKER_URL"], base.get("REDIS_URL", "")
        targets = {urlsplit(u).port for u in (database, broker, cache) if u}
        self.forwarder = subprocess.Popen(
            [sys.executable, str(FORWARD), *(f"{self.gateway}:{p}=127.0.0.1:{p}" for p in sorted(targets))],
            stdout=subprocess.PIPE, text=True, start_new_session=True,
        )  # fmt: skip
        assert self.forwarder.stdout.readline().strip() == "ready"
        worker = {
            **base,
            "DATABASE_URL": _moved(database, self.gateway),
            "CELERY_BROKER_URL": _moved(broker, self.gateway),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            "CONN_MAX_AGE": "0",
            **env,
        }
        if cache:
            worker["REDIS_URL"] = _moved(cache, self.gateway)
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{log_name}"
        log = open(self.log_path, "w")  # noqa: SIM115
        self.worker = subprocess.Popen(
            ["ip", "netns", "exec", self.name, *python_command(), "-m", "celery", "-A", "silon", "worker",
             "-P", "prefork", "-c", "1", "-Q", queue, "-n", self.hostname,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=worker, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def pids(self) -> list[int]:
        found = subprocess.run(["ip", "netns", "pids", self.name], capture_output=True, text=True).stdout
        return [int(pid) for pid in found.split()]

    def kill(self) -> None:
        """Every process of the host at once (SIGKILL), and its link: nothing gets to clean up."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.worker.wait(timeout=10)
        self.forwarder.kill()
        self.forwarder.wait(timeout=10)

    def remove(self) -> None:
        if self.worker.poll() is None:
            for pid in self.pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            try:
                self.worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.forwarder.poll() is None:
            self.forwarder.kill()
            self.forwarder.wait(timeout=10)
        deadline = time.time() + 10
        while self.pids() and time.time() < deadline:
            time.sleep(0.1)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)
        subprocess.run(["ip", "link", "del", self.outside], capture_output=True)
