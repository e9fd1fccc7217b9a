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

import datetime
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.verdict import Report, skipped

ROOT = Path(__file__).resolve().parent.parent
VERSION_NAME = "bench: portal"
BENCH_NAME = "bench-portal"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/7"
SECRET_KEY = "bench-portal-" + "k" * 50
GOAL_RATIO = 0.80
GOAL_P99_MS = 100.0


def _seed() -> int:
    """The bench world; returns the id of the election page to load (a regent election, three pairs)."""
    from django.utils import timezone

    from candidacy.models import (
        Candidate,
        CandidatePair,
        CandidateRole,
        Election,
        ElectionType,
        Nomination,
        Party,
        Path,
        RegulationVersion,
        Sex,
        Stage,
        StageWindow,
        SupportStatus,
    )
    from regions.models import Kind, Level, Region, RegionListVersion
    from regions.names import normalize_region_name
    from silon.accounts.models import User
    from support_uploads.models import Upload, UploadStatus

    version = RegionListVersion.objects.filter(name=VERSION_NAME).first()
    if version is not None:
        return Election.objects.filter(region_version=version, type=ElectionType.REGENT).order_by("id").first().pk

    version = RegionListVersion.objects.create(name=VERSION_NAME)
    regions = [Region(version=version, code="52", name="NUSA TENGGARA BARAT", level=Level.PROVINCE, kind=Kind.PROVINSI)]
    for k in range(1, 11):
        kab = f"52.{k:02d}"
        regions.append(
            Region(version=version, code=kab, name=f"KAB. BENCH {k}", level=Level.REGENCY, kind=Kind.KABUPATEN)
        )
        regions[-1].parent_code = "52"
        for c in range(1, 16):
            regions.append(
                Region(
                    version=version,
                    code=f"{kab}.{c:02d}",
                    name=f"Kecamatan {k}-{c}",
                    level=Level.DISTRICT,
                    kind=Kind.KECAMATAN,
                    parent_code=kab,
                )
            )
    for region in regions:
        region.search_name = normalize_region_name(region.name)
    Region.objects.bulk_create(regions)

    regulation = RegulationVersion.objects.order_by("-effective_from").first()
    operator = User.objects.filter(username=BENCH_NAME).first() or User.objects.create(username=BENCH_NAME)
    now = timezone.now()
    polling = timezone.localdate() + datetime.timedelta(days=120)
    parties = list(Party.objects.order_by("number"))
    elections = [
        Election.objects.create(
            name="Pemilihan Gubernur Bench",
            type=ElectionType.GOVERNOR,
            region_version=version,
            regulation=regulation,
            region_code="52",
            region_name="NUSA TENGGARA BARAT",
            polling_day=polling,
            dpt=3_568_594,
        )
    ]
    for k in range(1, 11):
        elections.append(
            Election.objects.create(
                name=f"Pemilihan Bupati Bench {k}",
                type=ElectionType.REGENT,
                region_version=version,
                regulation=regulation,
                region_code=f"52.{k:02d}",
                region_name=f"KAB. BENCH {k}",
                polling_day=polling,
                dpt=400_000 + 10_000 * k,
            )
        )
    windows = []
    for election in elections:
        for i, stage in enumerate(Stage):
            start = now + datetime.timedelta(days=7 * i - 2)
            windows.append(
                StageWindow(election=election, stage=stage, starts_at=start, ends_at=start + datetime.timedelta(days=5))
            )
    StageWindow.objects.bulk_create(windows)
    party_index = 0
    for election in elections:
        for p in range(3):
            independent = p == 0
            pair = CandidatePair.objects.create(
                election=election,
                path=Path.INDEPENDENT if independent else Path.PARTY,
                name=f"Pasangan {election.pk}-{p + 1}",
                support_status=SupportStatus.SUBMITTED if independent else "",
            )
            for role, sex in ((CandidateRole.HEAD, Sex.MALE), (CandidateRole.DEPUTY, Sex.FEMALE)):
                Candidate.objects.create(
                    pair=pair,
                    election=election,
                    role=role,
                    nik=f"52{election.pk:04d}{p}{role == CandidateRole.HEAD:d}0101000{p}"[:16],
                    name=f"Calon {election.pk}-{p}-{role}",
                    birth_place="Mataram",
                    birth_date=datetime.date(1970, 1, 1),
                    sex=sex,
                    address="bench",
                    education="S1",
                    occupation="Wiraswasta",
                    cv_summary="Riwayat hidup singkat.",
                    cv_publication_consent=True,
                )
            if independent:
                prefix = election.region_code
                if election.type == ElectionType.GOVERNOR:
                    recap = {f"52.{k:02d}.{c:02d}": 100 * k + c for k in range(1, 11) for c in range(1, 16) if c % 3}
                else:
                    recap = {f"{prefix}.{c:02d}": 500 + 37 * c for c in range(1, 16) if c % 4}
                Upload.objects.create(
                    election=election,
                    pair=pair,
                    uploaded_by=operator,
                    file="support/bench.xlsx",
                    original_name="bench.xlsx",
                    size=1,
                    status=UploadStatus.DONE,
                    rows_read=int(sum(recap.values()) * 1.1),
                    rows_accepted=sum(recap.values()),
                    recap=recap,
                )
            else:
                for _ in range(2):
                    Nomination.objects.create(pair=pair, election=election, party=parties[party_index % len(parties)])
                    party_index += 1
    return elections[1].pk


def _seed_verification(election_id: int) -> None:
    """Closed administrative and factual rounds of the initial batch for every independent pair of the bench
    world, with one result per supporter (2,000 supporters per pair over the election's kecamatan), and the
    pair's outcome: the election page then shows MS after each round as it will during verification."""
    from django.utils import timezone

    from candidacy.models import CandidatePair, Path
    from silon.accounts.models import User
    from support_uploads.models import RowStatus, Supporter, Upload
    from verification.models import (
        Batch,
        PairOutcome,
        RoundKind,
        Verdict,
        VerificationResult,
        VerificationRound,
    )

    pairs = list(
        CandidatePair.objects.filter(election__region_version__name=VERSION_NAME, path=Path.INDEPENDENT).select_related(
            "election"
        )
    )
    if VerificationRound.objects.filter(pair__in=pairs).exists():
        return
    operator = User.objects.get(username=BENCH_NAME)
    now = timezone.now()
    for pair in pairs:
        upload = Upload.objects.filter(pair=pair).first()
        districts = sorted(upload.recap)
        supporters = Supporter.objects.bulk_create(
            [
                Supporter(
                    election=pair.election,
                    pair=pair,
                    upload=upload,
                    row_number=i + 2,
                    status=RowStatus.ACCEPTED,
                    nik=f"52{pair.pk:04d}{i:010d}"[:16],
                    name=f"PENDUKUNG BENCH {i}",
                    village_code=f"{districts[i % len(districts)]}.2001",
                )
                for i in range(2000)
            ],
            batch_size=2000,
        )
        admin, factual = (
            VerificationRound.objects.create(
                election=pair.election,
                pair=pair,
                kind=kind,
                batch=Batch.INITIAL,
                opened_by=operator,
                closed_by=operator,
                closed_at=now,
            )
            for kind in (RoundKind.ADMINISTRATIVE, RoundKind.FACTUAL)
        )
        results = []
        for i, supporter in enumerate(supporters):
            admin_ms = i % 10 != 0
            results.append(
                VerificationResult(
                    round=admin,
                    supporter=supporter,
                    verdict=Verdict.MS if admin_ms else Verdict.TMS,
                    village_code=supporter.village_code,
                    recorded_by=operator,
                    recorded_at=now,
                )
            )
            if admin_ms:
                results.append(
                    VerificationResult(
                        round=factual,
                        supporter=supporter,
                        verdict=Verdict.MS if i % 7 else Verdict.TMS,
                        village_code=supporter.village_code,
                        recorded_by=operator,
                        recorded_at=now,
                    )
                )
        VerificationResult.objects.bulk_create(results, batch_size=5000)
        ms = sum(1 for r in results if r.round_id == factual.pk and r.verdict == Verdict.MS)
        PairOutcome.objects.create(
            pair=pair,
            batch=Batch.INITIAL,
            status="bms",
            ms_total=ms,
            minimum=1,
            shortfall=0,
            spread_met=len(districts),
            spread_required=1,
            decided_by=operator,
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A returning visitor who chose English with the language link (the cookie it sets).
ENGLISH_VISITOR = "Cookie: django_language=en"


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


def run() -> Report:
    if shutil.which("wrk") is None:
        return skipped("wrk not installed (apt-get install -y wrk)")
    from django.db import connection

    from portal import cache as portal_cache

    if connection.vendor != "postgresql":
        return skipped("needs PostgreSQL (DATABASE_URL=postgres://...)")
    election_id = _seed()
    _seed_verification(election_id)
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
