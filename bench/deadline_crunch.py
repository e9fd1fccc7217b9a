"""Deadline crunch: 200 LO sessions upload and poll their progress while 1,000 anonymous clients browse the
public portal, against the production front (``bench.front``: docker-compose.yml's nginx proxy over HTTPS in
front of its two gunicorn pools, web-team and web-public, in production mode, DEBUG=false), PostgreSQL, Redis
and a real Celery worker. ``CRUNCH_LAYOUT=single`` runs the layout before issue #18 instead: one gunicorn with
``CRUNCH_WEB_WORKERS`` sync workers, no proxy.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/silon_bench_crunch REDIS_URL=redis://127.0.0.1:6379/14 \\
        python -m bench bench.deadline_crunch

Set-up (kept in the bench database between runs): the support bench's NTB governor election
(``bench.support_upload``) with ``CRUNCH_SESSIONS / 2`` independent pairs and two LO accounts each (the most a
pair may hold), the portal bench's public world (``bench.portal_seed``), and one CSV of ``CRUNCH_ROWS`` rows per
LO (disjoint supporters, one row with a malformed NIK) under ``bench/out/``. Each run empties the election's
uploads first, so the counts are exact.

The run, bounded by ``CRUNCH_SECONDS`` (default 90): ``wrk`` keeps ``CRUNCH_PUBLIC`` (1,000) connections busy on
the home, region, election and pair pages; meanwhile the LO sessions (already signed in: their sessions are
created directly, so password hashing is not what is measured) start within ``CRUNCH_RAMP`` seconds. Half use
the pages (form POST with the CSRF token, then the htmx progress fragment every second, as the browser does),
half the JSON API (POST, then the upload resource every second); each fetches its result once finished.

After the load, the worker gets at most ``CRUNCH_DRAIN`` (30) seconds to empty its queue. Printed: errors (any
unexpected status, socket error or timeout, of the LOs or the public; must be 0; a public 503 is the front
shedding load, counted apart: the split answered/shed), whether every upload
finished exactly once with exact counts (and how long after the load the last one did), and throughput and
p95/p99 latencies of the LO requests (by kind) and of the public pages.
"""

import math
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench import OUT
from bench import front as production_front
from bench.burners import cpu_burners
from bench.crunch_figures import latency_lines
from bench.crunch_sessions import Observations, lo_session
from bench.portal_seed import seed_world
from bench.server import ENGLISH_VISITOR, SECRET_KEY, production_env, start_gunicorn, stop
from bench.support_files import GENERATOR, write_csv
from bench.support_upload import PASSWORD, SHARED_LIST, clear_election, setup_election
from bench.verdict import Report, skipped
from bench.worker import Worker

SESSIONS = int(os.environ.get("CRUNCH_SESSIONS", "200"))
ROWS = int(os.environ.get("CRUNCH_ROWS", "2000"))
PUBLIC = int(os.environ.get("CRUNCH_PUBLIC", "1000"))
SECONDS = int(os.environ.get("CRUNCH_SECONDS", "90"))
RAMP = float(os.environ.get("CRUNCH_RAMP", "10"))
DRAIN = float(os.environ.get("CRUNCH_DRAIN", "30"))  # after the load: time left to the worker for the queue
LAYOUT = os.environ.get("CRUNCH_LAYOUT", "front")  # front: docker-compose.yml's proxy and pools; single
WEB_WORKERS = int(os.environ.get("CRUNCH_WEB_WORKERS", "4"))  # single: one gunicorn, sync workers
CELERY_CONCURRENCY = int(os.environ.get("CRUNCH_CELERY_CONCURRENCY", "2"))  # as docker-compose.yml
# runs one after the other: quiet, then beside two CPU-burning processes (issue #18)
BURNERS = [int(n) for n in os.environ.get("CRUNCH_BURNERS", "0,2").split(",")]
BAD_ROW = 7  # its NIK is cut to 15 digits: NIK_FORMAT
FIRST_ROW = 50_000_000  # sample rows of this bench do not collide with the support bench's


# --- set-up ------------------------------------------------------------------------------------------


def _setup(sessions: int):
    """The election, ``sessions`` (pair, LO user) couples (two LOs per pair) and the NTB village codes."""
    from django.test import override_settings

    from silon.accounts.models import User
    from support_uploads.models import LoAccount
    from support_uploads.services import lo_account_issue

    pairs_needed = math.ceil(sessions / 2)
    # The bench never signs in with these passwords (sessions are created directly): a fast hasher keeps the
    # one-time set-up of 200 accounts from spending minutes in PBKDF2.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        election, pairs, villages = setup_election(pairs_needed)
        kpu = User.objects.get(username="bench-kpu-ntb")
        couples = []
        for pair, _first in pairs:
            accounts = list(LoAccount.objects.filter(pair=pair, revoked_at__isnull=True).select_related("user"))
            while len(accounts) < 2:
                accounts.append(lo_account_issue(actor=kpu, pair=pair, password=PASSWORD)[0])
            couples += [(pair, account.user) for account in accounts[:2]]
    for _pair, user in couples:
        if user.must_change_password or user.is_expired:
            user.must_change_password = False
            user.expires_at = None
            user.save(update_fields=["must_change_password", "expires_at"])
    return election, couples[:sessions], villages


def _file(session: int, villages: list[str]) -> Path:
    from support_uploads.sample_data import sample_row

    path = OUT / f"crunch-{GENERATOR}-{ROWS}-s{session}.csv"  # sample rows change with the generator
    if not path.exists():
        base = FIRST_ROW + session * 10_000
        rows = [sample_row(base + i, villages[(base + i) % len(villages)]) for i in range(ROWS)]
        rows[BAD_ROW]["nik"] = rows[BAD_ROW]["nik"][:15]
        OUT.mkdir(parents=True, exist_ok=True)
        write_csv(path, rows=rows)
    return path


def _session_key(user) -> str:
    """A signed-in session for ``user``, as django.contrib.auth.login would store it (signed with the server's
    SECRET_KEY, as are the session data and the password hash it carries)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    with override_settings(SECRET_KEY=SECRET_KEY):
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "silon.accounts.backends.ExpiringModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
    return store.session_key


# --- the public ---------------------------------------------------------------------------------------

WRK_SCRIPT = """
local paths = {%(paths)s}
local counter = 0
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
init = function(args)
  answered = 0
  shed = 0
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
response = function(status, headers, body)
  if status == 503 then
    shed = shed + 1
  elseif status < 400 then
    answered = answered + 1
  end
end
done = function(summary, latency, requests)
  local all_answered, all_shed = 0, 0
  for _, thread in ipairs(threads) do
    all_answered = all_answered + thread:get("answered")
    all_shed = all_shed + thread:get("shed")
  end
  io.write(string.format(
    "CRUNCH requests=%%d duration_us=%%d p50_us=%%d p95_us=%%d p99_us=%%d max_us=%%d " ..
    "status=%%d connect=%%d read=%%d write=%%d timeout=%%d answered=%%d shed=%%d\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, all_answered, all_shed))
end
"""


def _public_paths(crunch_election_id: int, portal_election_id: int) -> list[str]:
    from candidacy.models import CandidatePair

    pairs = list(CandidatePair.objects.filter(election_id=portal_election_id).values_list("pk", flat=True)[:3])
    crunch_pairs = list(CandidatePair.objects.filter(election_id=crunch_election_id).values_list("pk", flat=True)[:2])
    return [
        "/",
        "/publik/wilayah/52/",
        f"/publik/pemilihan/{portal_election_id}/",
        f"/publik/pemilihan/{crunch_election_id}/",
        *(f"/publik/paslon/{pk}/" for pk in pairs + crunch_pairs),
    ]


def _start_wrk(base: str, paths: list[str], seconds: int, script_dir: str) -> subprocess.Popen:
    script = Path(script_dir) / "crunch.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(f'"{p}"' for p in paths)})
    command = [
        "wrk", "-t2", f"-c{PUBLIC}", f"-d{seconds}s", "--timeout", "30s", "-s", str(script),
        "-H", ENGLISH_VISITOR, base + paths[0],
    ]  # fmt: skip
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wrk_figures(output: str) -> dict[str, int]:
    match = re.search(r"CRUNCH (.+)", output)
    if not match:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    return {k: int(v) for k, v in (item.split("=") for item in match.group(1).split())}


# --- checks and figures ------------------------------------------------------------------------------


def _drain(upload_ids: list[int], until: float) -> float:
    """Wait (at most until ``until``) for the worker to finish the uploads still queued when the load ended;
    returns the time it was done or gave up."""
    from support_uploads.models import Upload, UploadStatus

    while time.time() < until:
        if not Upload.objects.filter(pk__in=upload_ids, status__in=[UploadStatus.QUEUED, UploadStatus.RUNNING]):
            break
        time.sleep(0.5)
    return time.time()


def _check_uploads(seen: Observations, couples) -> tuple[bool, list[str]]:
    """Every upload finished once, with exactly the planted counts; every pair counts its two files."""
    from support_uploads.models import COUNTED_STATUSES, Supporter, Upload, UploadStatus

    problems = []
    uploads = {u.pk: u for u in Upload.objects.filter(pk__in=seen.uploads.values())}
    if len(seen.uploads) != len(couples):
        problems.append(f"{len(couples) - len(seen.uploads)} sessions never got an upload accepted")
    for upload_id in seen.uploads.values():
        u = uploads.get(upload_id)
        got = (u.status, u.attempts, u.rows_read, u.rows_accepted, u.rows_rejected, u.reason_counts) if u else None
        want = (UploadStatus.DONE, 1, ROWS, ROWS - 1, 1, {"NIK_FORMAT": 1})
        if got != want:
            problems.append(f"upload {upload_id}: {got} instead of {want}")
    per_pair: dict[int, int] = {}
    for pair, _user in couples:
        per_pair[pair.pk] = per_pair.get(pair.pk, 0) + (ROWS - 1)
    for pair_id, expected in per_pair.items():
        counted = Supporter.objects.filter(pair_id=pair_id, status__in=COUNTED_STATUSES).count()
        if counted != expected:
            problems.append(f"pair {pair_id}: {counted} supporters counted instead of {expected}")
    return not problems, problems


def crunch_failures(*, errors: int, sessions: int, accepted: int, problems: list[str]) -> list[str]:
    """The correctness checks of a crunch: no error, every session's upload accepted, and every upload finished
    exactly once with exact counts (``problems`` from ``_check_uploads``). Latencies and throughput are
    figures, not checks."""
    failures = []
    if errors:
        failures.append(f"{errors} errors (unexpected status, socket error or timeout); must be 0")
    if accepted != sessions:
        failures.append(f"{sessions - accepted} of {sessions} sessions never got an upload accepted")
    if problems:
        failures.append(f"{len(problems)} uploads or pairs without exact counts, first: {problems[0]}")
    return failures


def run() -> Report:
    if shutil.which("wrk") is None:
        return skipped("wrk not installed (apt-get install -y wrk)")
    from django.db import connection

    if connection.vendor != "postgresql":
        return skipped("needs PostgreSQL (DATABASE_URL=postgres://...)")
    if not os.environ.get("REDIS_URL"):
        return skipped("needs Redis for the worker, the cache and the sessions' uploads (REDIS_URL=redis://...)")
    if not SHARED_LIST.exists():
        return skipped(f"{SHARED_LIST} not found")
    if LAYOUT == "front" and (missing := production_front.available()):
        return skipped(missing)

    started_setup = time.perf_counter()
    election, couples, villages = _setup(SESSIONS)
    portal_election_id = seed_world()
    files = [_file(number, villages) for number in range(len(couples))]
    keys = [_session_key(user) for _pair, user in couples]
    paths = _public_paths(election.pk, portal_election_id)
    setup_seconds = time.perf_counter() - started_setup
    lines, failures = [], []
    for burners in BURNERS:  # quiet, then beside busy CPU-burning processes
        clear_election(election)
        with cpu_burners(burners):
            worker = Worker(concurrency=CELERY_CONCURRENCY)
            try:
                seen, public, lo_seconds, drained = _crunch(worker, couples, keys, files, paths)
            finally:
                worker.stop()
        lines.append(f"-- {burners} CPU-burning processes beside the run, load average {_load()}")
        run_lines, run_failures = _report(seen, public, lo_seconds, drained, couples, paths, setup_seconds, worker)
        lines += run_lines
        failures += [f"{burners} burners: {f}" for f in run_failures]
    return Report(lines=lines, failures=failures)


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _report(seen, public, lo_seconds, drained, couples, paths, setup_seconds, worker) -> tuple[list[str], list[str]]:
    exact, problems = _check_uploads(seen, couples)
    public["status"] -= public["shed"]  # a 503 from the front is load shed, not an error
    public_errors = sum(public[k] for k in ("status", "connect", "read", "write", "timeout"))
    errors = len(seen.errors) + public_errors
    layout = (
        "the production front (nginx over HTTPS: web-team and web-public, gunicorn gthread as docker-compose.yml)"
        if LAYOUT == "front"
        else f"gunicorn {WEB_WORKERS} sync workers, no proxy"
    )
    lines = [
        f"set-up {setup_seconds:.0f} s: {len(couples)} LO sessions over {len({p.pk for p, _ in couples})} pairs "
        f"(2 LOs each), {ROWS:,}-row CSV each; {layout} (DEBUG=false), "
        f"celery -c {CELERY_CONCURRENCY}, wrk -t2 -c{PUBLIC} -d{SECONDS}s over {len(paths)} public pages",
        f"errors: {errors}  (LO requests {len(seen.errors)}, public {public_errors}: "
        f"non-2xx/3xx {public['status']}, connect {public['connect']}, read {public['read']}, "
        f"write {public['write']}, timeout {public['timeout']})  [{'OK' if errors == 0 else 'FAILED'}: must be 0]",
        f"uploads: {len(seen.uploads)}/{len(couples)} accepted, {len(seen.uploads) - len(seen.unfinished)} seen "
        f"finished by their LO during the load, the rest {'done' if exact else 'NOT done'} {max(drained, 0):.0f} s "
        f"after it; every upload finished exactly once with exact counts: {'yes' if exact else 'NO'}",
    ]
    lines += [f"  {p}" for p in problems[:10]]
    lines += [f"  {e}" for e in seen.errors[:10]]
    lines += latency_lines(seen, lo_seconds, public)
    lines.append(f"peak worker RSS {worker.peak_rss / 2**20:,.0f} MB")
    failures = crunch_failures(errors=errors, sessions=len(couples), accepted=len(seen.uploads), problems=problems)
    return lines, failures


def _crunch(worker: Worker, couples, keys: list[str], files: list[Path], paths: list[str]):
    """The load: ``wrk`` on the public pages while the LO sessions upload and poll, then the worker's drain.
    Returns the sessions' observations, wrk's figures, the LO phase's seconds, and how long after the load
    the last upload was done."""
    static_root = tempfile.mkdtemp(prefix="silon-bench-static-")
    env = production_env(
        static_root=static_root,
        CELERY_TASK_DEFAULT_QUEUE=worker.queue,
        REDIS_URL=os.environ["REDIS_URL"],
        SUPPORT_UPLOAD_MAX_BYTES=str(50 * 1024 * 1024),
    )
    server = front = wrk = None
    context = None
    seen = Observations()
    try:
        if LAYOUT == "front":
            front = production_front.start_front(env, PUBLIC + len(couples))
            base, context = front.base, front.ssl_context()
            os.environ["REQUESTS_CA_BUNDLE"] = str(front.certificate)  # the LO sessions' HTTPS
        else:
            server, base = start_gunicorn(env, WEB_WORKERS)
        for path in paths:  # warm the page cache as a running portal has it
            urllib.request.urlopen(base + path, timeout=30, context=context).read()  # noqa: S310 (loopback only)
        wrk = _start_wrk(base, paths, SECONDS, static_root)
        phase_started = time.time()
        deadline = phase_started + SECONDS - 5
        time.sleep(2)  # the public load is on before the first LO arrives
        _run_sessions(base, couples, keys, files, deadline, seen)
        lo_seconds = time.time() - phase_started - 2
        output, _ = wrk.communicate(timeout=SECONDS + 60)
        public = _wrk_figures(output)
        drained = _drain(list(seen.uploads.values()), time.time() + DRAIN) - (phase_started + SECONDS)
    finally:
        if wrk is not None and wrk.poll() is None:
            wrk.kill()
        stop(server)
        production_front.stop_front(front)
        os.environ.pop("REQUESTS_CA_BUNDLE", None)
        shutil.rmtree(static_root, ignore_errors=True)
    return seen, public, lo_seconds, drained


def _run_sessions(base: str, couples, keys: list[str], files: list[Path], deadline: float, seen: Observations):
    """Start the LO sessions spread over ``RAMP`` seconds, and wait for them (at most 30 s past ``deadline``)."""
    threads = []
    for number, ((pair, _user), key, path) in enumerate(zip(couples, keys, files, strict=True)):
        thread = threading.Thread(target=lo_session, args=(number, base, pair, key, path, deadline, seen), daemon=True)
        thread.start()
        threads.append(thread)
        time.sleep(random.uniform(0, 2 * RAMP / len(couples)))
    for thread in threads:
        thread.join(timeout=max(0.1, deadline + 30 - time.time()))
