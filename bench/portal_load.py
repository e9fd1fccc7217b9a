"""Public portal under load: gunicorn + PostgreSQL + Redis, driven by ``wrk`` over loopback.

    apt-get install -y wrk
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silon_bench_portal REDIS_URL=redis://127.0.0.1:6379/7 \\
        python -m bench bench.portal_load

The bench seeds a public world once (one province, 10 kab/kota with 15 kecamatan each, 11 elections with
schedules, party and independent pairs, uploads with per-kecamatan recaps, closed administrative and factual
rounds with their results), collects static files into a temporary STATIC_ROOT and starts gunicorn in
production mode (DEBUG=false). Then:

- **cold**: the first requests a fresh server gets after the data version was bumped, as first visitors send
  them (no cookie), 8 at a time: each worker renders the page once and serves the rest from its cache. The
  same again after a data change on a running server (a bump, as a validated upload makes). p50/p99/max;
- **warm**: ``wrk`` against a constant page (``/publik/ping``) through the same middleware stack, the home
  page and the election page, for ``PORTAL_BENCH_SECONDS`` (default 3) each, in ``PORTAL_BENCH_ROUNDS``
  (default 5) rounds whose order rotates. The machine is shared: each round's ratio compares pages measured
  seconds apart, and the median ratio over the rounds is the figure. First visitors (no cookie) and returning
  visitors who chose English (language cookie) are measured separately. Beside throughput, the gunicorn
  processes' CPU time per request (from /proc), which load from other work on the machine barely moves.

Goal: each public page ≥ 80% of the constant page's requests/s with p99 < 100 ms.
"""

import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass

from bench.portal_seed import seed_verification, seed_world
from bench.server import ENGLISH_VISITOR, production_env, start_gunicorn, stop
from bench.verdict import Report, skipped

GOAL_RATIO = 0.80
GOAL_P99_MS = 100.0


def _load() -> str:
    with open("/proc/loadavg") as fh:
        return "load average " + " ".join(fh.read().split()[:3])


def _server_pids(master: int) -> list[int]:
    with open(f"/proc/{master}/task/{master}/children") as fh:
        return [master, *(int(pid) for pid in fh.read().split())]


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time the gunicorn processes have used so far."""
    ticks = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    rps: float
    p99: float  # ms
    cpu_us: float  # server CPU per request, µs


def _wrk(url: str, seconds: int, header: str | None, pids: list[int]) -> Run:
    """requests/s, p99 latency and the server's CPU time per request of ``url`` under wrk (1 thread,
    8 connections: the machine has 2 cores and gunicorn needs them)."""
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency"]
    if header:
        command += ["-H", header]
    cpu_before = _cpu_seconds(pids)
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    cpu = _cpu_seconds(pids) - cpu_before
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{out}")
    return Run(rps, p99, 1e6 * cpu / max(requests, 1))


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _burst(url: str, clients: int = 8, each: int = 25) -> list[float]:
    """Latencies (ms) of ``clients`` first visitors (no cookie) fetching ``url`` ``each`` times, all at once."""
    latencies: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def visitor():
        start.wait()
        for _ in range(each):
            began = time.perf_counter()
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback only)
                response.read()
                assert response.status == 200
            with lock:
                latencies.append(1000 * (time.perf_counter() - began))

    threads = [threading.Thread(target=visitor) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def _cold_line(label: str, latencies: list[float]) -> str:
    return (
        f"{label:<34} p50 {_percentile(latencies, 0.5):6.1f} ms  p99 {_percentile(latencies, 0.99):6.1f} ms"
        f"  max {max(latencies):6.1f} ms  ({len(latencies)} requests, 8 at a time)"
    )


def _measure_warm(
    targets: list[tuple[str, str]], seconds: int, rounds: int, header: str | None, pids: list[int]
) -> list[str]:
    """Rounds of wrk over the targets (the constant page first in the list), the order rotating each round;
    each page's ratio is taken against the constant page of the same round. Beside requests/s, the server's
    CPU time per request: on a machine shared with other work, throughput follows whatever else runs, while
    the CPU a request costs barely moves, so its ratio shows what the page itself costs."""
    runs: dict[str, list[Run]] = {label: [] for label, _url in targets}
    ratios: dict[str, list[float]] = {label: [] for label, _url in targets[1:]}
    for index in range(rounds):
        order = targets[index % len(targets) :] + targets[: index % len(targets)]
        results = {label: _wrk(url, seconds, header, pids) for label, url in order}
        for label, result in results.items():
            runs[label].append(result)
        for label in ratios:
            ratios[label].append(results[label].rps / results[targets[0][0]].rps)
    median = statistics.median
    constant = runs[targets[0][0]]
    constant_cpu = median(r.cpu_us for r in constant)
    lines = [
        f"{targets[0][0]:<34} {median(r.rps for r in constant):6.0f} req/s"
        f"  p99 {median(r.p99 for r in constant):5.1f} ms"
        f" (worst {max(r.p99 for r in constant):5.1f})  CPU {constant_cpu:4.0f} µs/req"
        f"  [rounds {', '.join(f'{r.rps:.0f}' for r in constant)} req/s]"
    ]
    for label, _url in targets[1:]:
        ratio = median(ratios[label])
        worst_p99 = max(r.p99 for r in runs[label])
        cpu = median(r.cpu_us for r in runs[label])
        ok = ratio >= GOAL_RATIO and worst_p99 < GOAL_P99_MS
        verdict = f"[{'OK' if ok else 'MISSED'}: goal ≥ {GOAL_RATIO:.0%}, p99 < {GOAL_P99_MS:.0f} ms]"
        lines.append(
            f"{label:<34} {median(r.rps for r in runs[label]):6.0f} req/s"
            f"  p99 {median(r.p99 for r in runs[label]):5.1f} ms"
            f" (worst {worst_p99:5.1f})  CPU {cpu:4.0f} µs/req  {verdict}"
        )
        lines.append(
            f"{'':<34} throughput {ratio:6.1%} of constant (median; rounds"
            f" {', '.join(f'{x:.0%}' for x in ratios[label])});"
            f" by CPU per request {constant_cpu / cpu:6.1%} of constant"
        )
    return lines


def run() -> Report:
    if shutil.which("wrk") is None:
        return skipped("wrk not installed (apt-get install -y wrk)")
    from django.db import connection

    from portal import cache as portal_cache

    if connection.vendor != "postgresql":
        return skipped("needs PostgreSQL (DATABASE_URL=postgres://...)")
    election_id = seed_world()
    seed_verification(election_id)
    seconds = int(os.environ.get("PORTAL_BENCH_SECONDS", "3"))
    rounds = int(os.environ.get("PORTAL_BENCH_ROUNDS", "5"))
    workers = int(os.environ.get("PORTAL_BENCH_WORKERS", "2"))
    static_root = tempfile.mkdtemp(prefix="silon-bench-static-")
    env = production_env(static_root=static_root)
    lines = [f"machine at start: {_load()}"]
    server = None
    try:
        # A fresh start: every page and data block this bench reads must be rebuilt (the closed rounds' counts
        # stay: they never change).
        portal_cache.bump_version()
        server, base = start_gunicorn(env, workers)
        targets = [
            ("constant page /publik/ping", f"{base}/publik/ping"),
            ("home /", f"{base}/"),
            (f"election /publik/pemilihan/{election_id}/", f"{base}/publik/pemilihan/{election_id}/"),
        ]
        pids = _server_pids(server.pid)
        lines.append(f"gunicorn {workers} sync workers, DEBUG=false, PostgreSQL + Redis")
        lines.append("-- cold: first visitors on a fresh server (pages rebuilt; the first request also loads code)")
        for label, url in targets[1:]:
            lines.append(_cold_line(label, _burst(url)))
        lines.append("-- cold: first visitors right after a data change (version bumped, as a finished upload does)")
        for label, url in targets[1:]:
            portal_cache.bump_version()
            time.sleep(portal_cache.LOCAL_VERSION_TTL + 0.2)  # every worker has seen the new version
            lines.append(_cold_line(label, _burst(url)))
        lines.append(f"-- warm: wrk -t1 -c8, {rounds} rounds of {seconds} s per page, order rotating")
        for visitor, header in (("first visit, no cookie", None), ("returning visitor, English", ENGLISH_VISITOR)):
            lines.append(f"-- {visitor}")
            lines += _measure_warm(targets, seconds, rounds, header, pids)
    finally:
        stop(server)
        shutil.rmtree(static_root, ignore_errors=True)
    lines.append(f"machine at end: {_load()}")
    return Report(lines=lines)
