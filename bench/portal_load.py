"""Public portal under load: gunicorn + PostgreSQL + Redis, driven by ``wrk`` over loopback.

    apt-get install -y wrk
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silon_bench_portal REDIS_URL=redis://127.0.0.1:6379/7 \\
        python -m bench bench.portal_load

The bench seeds a public world once (one province, 10 kab/kota with 15 kecamatan each, 11 elections with
schedules, party and independent pairs, uploads with per-kecamatan recaps), collects static files into a
temporary STATIC_ROOT, starts gunicorn in production mode (DEBUG=false) and measures, in the same run and
for ``PORTAL_BENCH_SECONDS`` (default 10) each: a constant page (``/publik/ping``) through the same
middleware stack, the home page and the election page. Goal: each public page ≥ 80% of the constant page's
requests/s with p99 < 100 ms.
"""

import datetime
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION_NAME = "bench: portal"
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
    operator = User.objects.filter(username="bench-portal").first() or User.objects.create(username="bench-portal")
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# A returning visitor: a browser holds the csrftoken cookie set by its first page (32 letters: a valid secret).
RETURNING_VISITOR = "Cookie: csrftoken=" + "benchPortalReturningVisitor00000"


def _wrk(url: str, seconds: int, header: str | None = None) -> tuple[float, float]:
    """requests/s and p99 latency (ms) of ``url`` under wrk (1 thread, 8 connections: the machine has 2 cores
    and gunicorn needs them)."""
    command = ["wrk", "-t1", "-c8", f"-d{seconds}s", "--latency"]
    if header:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 30).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise RuntimeError(f"{url}: {errors.group(1)} error responses\n{out}")
    return rps, p99


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


def run() -> list[str]:
    if shutil.which("wrk") is None:
        return ["skipped: wrk not installed (apt-get install -y wrk)"]
    from django.db import connection

    if connection.vendor != "postgresql":
        return ["skipped: needs PostgreSQL (DATABASE_URL=postgres://...)"]
    election_id = _seed()
    seconds = int(os.environ.get("PORTAL_BENCH_SECONDS", "10"))
    workers = int(os.environ.get("PORTAL_BENCH_WORKERS", "2"))
    static_root = tempfile.mkdtemp(prefix="silon-bench-static-")
    env = production_env(static_root=static_root)
    lines = []
    server = None
    try:
        server, base = start_gunicorn(env, workers)
        targets = [
            ("constant page /publik/ping", f"{base}/publik/ping"),
            ("home /", f"{base}/"),
            (f"election /publik/pemilihan/{election_id}/", f"{base}/publik/pemilihan/{election_id}/"),
        ]
        for _label, url in targets:  # warm every worker's connections and the page cache
            for _ in range(2 * workers):
                urllib.request.urlopen(url, timeout=10).read()  # noqa: S310 (loopback only)
        lines.append(f"gunicorn {workers} sync workers, wrk -t1 -c8 -d{seconds}s, DEBUG=false, PostgreSQL + Redis")
        # Returning visitors (the usual case) and first visits (no cookie: Django creates a CSRF secret and sets
        # the cookie on every response, for the language form in base.html), each against the constant page.
        for visitor, header in (("returning visitor", RETURNING_VISITOR), ("first visit, no cookie", None)):
            # The constant page is measured before and after the public pages and averaged: the machine is
            # shared, and a drift in load between runs would otherwise read as a difference between pages.
            before = _wrk(targets[0][1], seconds, header)
            results = {label: _wrk(url, seconds, header) for label, url in targets[1:]}
            after = _wrk(targets[0][1], seconds, header)
            baseline = (before[0] + after[0]) / 2
            lines.append(f"-- {visitor}")
            lines.append(
                f"{targets[0][0]:<34} {baseline:8.0f} req/s  p99 {max(before[1], after[1]):6.1f} ms"
                f"  (before {before[0]:.0f}, after {after[0]:.0f} req/s)"
            )
            for label, (rps, p99) in results.items():
                ratio = rps / baseline
                ok = ratio >= GOAL_RATIO and p99 < GOAL_P99_MS
                verdict = f"[{'OK' if ok else 'MISSED'}: goal ≥ {GOAL_RATIO:.0%}, p99 < {GOAL_P99_MS:.0f} ms]"
                lines.append(f"{label:<34} {rps:8.0f} req/s  p99 {p99:6.1f} ms  {ratio:6.1%} of constant  {verdict}")
    finally:
        stop(server)
        shutil.rmtree(static_root, ignore_errors=True)
    return lines
