"""Supporter uploads end to end on PostgreSQL with a real Celery worker.

- generates realistic B.1-KWK files (valid rows over the real NTB villages, province 52, plus a known share
  of each kind of bad row: one for every row-level reason of the rule registry, ``bench.support_plants``),
  xlsx through xlsxwriter (constant_memory), cached under ``bench/out/``;
- 100k, 1M and 2.5M rows over three sheets (``BENCH_FULL=0`` leaves out the 2.5M run): seconds and rows/s from "upload
  accepted" to "results ready" (rows stored, summary and error report written), peak RSS of the worker,
  the time fastexcel and python-calamine need merely to read the same file, and the ratio; exact counts
  per reason are checked against what the generator planted, and a registered reason left unplanted fails;
- 20 concurrent uploads of 50k rows from 20 pairs of one election: exact counts, cross-pair duplicates
  found on both sides, and the p95 latency meanwhile of the public home and election pages through gunicorn
  (production mode) and of the LO's pair page.

Each size is measured as read, job, read (the 1M file twice: read, job, read, job, read; ``bench.support_rounds``):
the ratio of each job to the reads beside it, their median, and each job's phases in seconds and share. Every
job starts from an empty election whose tables were vacuumed.

Goals (2-core machine, issue #19): 1M rows end to end ≤ 1.5× the fastest reader; peak worker memory ≤ 2 GB.
"""

import datetime
import os
import shutil
import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from bench import OUT, ROOT, server
from bench.support_files import (
    GENERATOR,
    expected_counts,
    generator,
    planted_row_count,
    upload_failures,
    write_csv,
    write_xlsx,
)
from bench.support_plants import OUTSIDE_VILLAGE, unplanted
from bench.support_rounds import interleaved, job_phases, vacuum
from bench.verdict import Report, skipped
from bench.worker import Worker

SHARED_LIST = ROOT.parent / "shared" / "data" / "regions" / "regions.csv.gz"
VERSION_NAME = "bench-support: Kepmendagri 300.2.2-2138/2025"
ELECTION_NAME = "Bench dukungan NTB"
PASSWORD = "Bench-Support-2026!"  # noqa: S105 (bench accounts in the bench database only)
PAIR_PAGE = "LO pair page (in-process)"  # the latency series of the LO's own page in the concurrent run


# --- set-up ------------------------------------------------------------------------------------------


def _polling_day() -> datetime.date:
    """The bench election's polling day: 120 days from today, as the demo's (never a fixed day that passes)."""
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=120)


def setup_election(pairs: int):
    """The bench election over the shared region list, ``pairs`` (pair, LO user) couples with their teams,
    and the election's village codes; kept in the bench database between runs."""
    from regions.models import Level, Region

    version = _region_version()
    kpu = _kpu()
    election = _election(version)
    result = [_pair_with_lo(election, number, kpu) for number in range(1, pairs + 1)]
    villages = list(
        Region.objects.filter(version=version, level=Level.VILLAGE, code__startswith="52.")
        .order_by("code")
        .values_list("code", flat=True)
    )
    OUTSIDE_VILLAGE[:] = [
        Region.objects.filter(version=version, level=Level.VILLAGE, code__startswith="51.")
        .order_by("code")
        .first()
        .code
    ]
    return election, result, villages


def _region_version():
    from regions.models import RegionListVersion

    version = RegionListVersion.objects.filter(name=VERSION_NAME).first()
    if version is None:
        from regions.loading import read_csv
        from regions.services import region_list_load

        region_list_load(regions=read_csv(SHARED_LIST), name=VERSION_NAME)
        version = RegionListVersion.objects.get(name=VERSION_NAME)
    return version


def _kpu():
    return bench_operator("bench-kpu-ntb", "52")


def bench_operator(username: str, region_code: str):
    """The bench's province KPU operator ``username`` of ``region_code`` (created once, kept between runs)."""
    from silon.accounts.models import KpuLevel, Role, User
    from silon.accounts.services import user_create

    return (
        User.objects.filter(username=username).first()
        or user_create(
            actor=None,
            username=username,
            role=Role.KPU_OPERATOR,
            level=KpuLevel.PROVINSI,
            region_code=region_code,
            password=PASSWORD,
            must_change_password=False,
        )[0]
    )


def _election(version):
    """The NTB governor election, its polling day moved to 120 days ahead and its support window open."""
    return bench_governor_election(version, ELECTION_NAME, "52", "Nusa Tenggara Barat", dpt=3_568_594)


def bench_governor_election(version, name: str, region_code: str, region_name: str, *, dpt: int):
    """A governor election of the bench (created once), its polling day 120 days ahead, its support window open."""
    from django.utils import timezone

    from candidacy.models import Election, ElectionType, RegulationVersion, Stage, StageWindow

    election, _ = Election.objects.get_or_create(
        name=name,
        defaults={
            "type": ElectionType.GOVERNOR,
            "region_version": version,
            "regulation": RegulationVersion.objects.order_by("-effective_from").first(),
            "region_code": region_code,
            "region_name": region_name,
            "polling_day": _polling_day(),
            "dpt": dpt,
        },
    )
    if election.polling_day != _polling_day():  # a bench database kept from an earlier day
        election.polling_day = _polling_day()
        election.save(update_fields=["polling_day"])
    now = timezone.now()
    StageWindow.objects.update_or_create(
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        defaults={"starts_at": now - datetime.timedelta(days=1), "ends_at": now + datetime.timedelta(days=30)},
    )
    return election


def _pair_with_lo(election, number: int, kpu):
    """Independent pair ``number``, collecting support, with its team and an active LO account."""
    from candidacy.models import CandidatePair, Path
    from support_uploads.models import LoAccount, PairTeam
    from support_uploads.services import lo_account_issue

    pair, _ = CandidatePair.objects.get_or_create(
        election=election, name=f"Bench pasangan {number}", defaults={"path": Path.INDEPENDENT}
    )
    if pair.support_status != "collecting":
        pair.support_status = "collecting"
        pair.save(update_fields=["support_status"])
    if not PairTeam.objects.filter(pair=pair).exists():
        PairTeam.objects.create(pair=pair, contact_name="Bench", registered_by=kpu, mandate_letter="bench.pdf")
    account = LoAccount.objects.filter(pair=pair, revoked_at__isnull=True).first()
    if account is None:
        account, _ = lo_account_issue(actor=kpu, pair=pair, password=PASSWORD)
    return pair, account.user


def clear_election(election) -> None:
    """Each run starts from an empty election so counts are exact and comparable."""
    from django.db import connection

    from support_uploads.models import Supporter, Upload

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Supporter._meta.db_table} WHERE election_id = %s", [election.pk])  # noqa: S608
    Upload.objects.filter(election=election).delete()
    vacuum(Supporter._meta.db_table, Upload._meta.db_table)


# --- measurements ------------------------------------------------------------------------------------


def _submit(pair, user, path: Path):
    from django.core.files import File

    from support_uploads.services import upload_create

    with open(path, "rb") as fh:
        return upload_create(actor=user, pair=pair, file=File(fh, name=path.name), max_bytes=10**10)


def _wait(upload_ids: list[int], timeout: float = 1800) -> float:
    from support_uploads.models import Upload, UploadStatus

    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        states = list(Upload.objects.filter(pk__in=upload_ids).values_list("status", "report"))
        if all(s == UploadStatus.FAILED or (s == UploadStatus.DONE and r) for s, r in states):
            return time.perf_counter()
        time.sleep(0.1)
    raise TimeoutError(f"uploads {upload_ids} not finished in {timeout} s")


def one_upload(worker: Worker, election, pair, user, villages, count: int, report: Report) -> list[str]:
    """``count`` rows in one xlsx: read, job, read (and again for the 1M file: ``BENCH_SUPPORT_ROUNDS``, default
    2 jobs), each job from an empty, vacuumed election (``bench.support_rounds``)."""
    from support_uploads.models import Upload

    path = write_xlsx(
        OUT / f"b1kwk-{generator()}-{count}-e{election.pk}-p{pair.pk}.xlsx", pair=pair, count=count, villages=villages
    )
    last: dict = {}

    def job() -> tuple[float, dict]:
        clear_election(election)
        worker.reset_peak()
        upload = _submit(pair, user, path)
        accepted = time.perf_counter()
        seconds = _wait([upload.pk]) - accepted
        last.update(upload=Upload.objects.get(pk=upload.pk), peak=max(last.get("peak", 0), worker.peak_rss))
        return seconds, job_phases(worker, upload.pk)

    jobs = int(os.environ.get("BENCH_SUPPORT_ROUNDS", "2")) if count == 1_000_000 else 1
    rounds = interleaved(path, jobs, job)
    upload = last["upload"]
    expected = expected_counts(count)
    failures = upload_failures(
        count=count,
        reason_counts=dict(upload.reason_counts),
        rows_read=upload.rows_read,
        rows_accepted=upload.rows_accepted,
    )
    for failure in failures:
        report.check(False, failure)
    seconds = statistics.median(rounds.jobs)
    return [
        f"{count:>9,} rows xlsx ({path.stat().st_size / 1e6:.0f} MB): {seconds:.1f} s end to end (median of "
        f"{jobs}), {count / seconds:,.0f} rows/s, peak worker RSS {last['peak'] / 2**20:,.0f} MB "
        "(any one process of the worker, the read's child included)",
        *rounds.lines(count),
        f"{'':>9}  accepted {upload.rows_accepted:,}, rejected {upload.rows_rejected:,}, held for review "
        f"{upload.rows_review:,} (planted {planted_row_count(count):,} rows, {len(expected)} reasons); "
        f"counts per reason exact: {'yes' if not failures else 'NO'}",
    ]


def concurrent(
    worker: Worker, election, pairs, villages, report: Report, per_pair: int = 50_000, shared: int = 500
) -> list[str]:
    """Pair p's last ``shared`` rows are pair p+1's first ones (circular): all cross-pair duplicates."""
    from django.test import Client

    n = len(pairs)
    paths = _concurrent_files(election, pairs, villages, per_pair=per_pair, shared=shared)
    clear_election(election)
    client = Client()
    client.force_login(pairs[0][1])
    page = f"/dukungan/pasangan/{pairs[0][0].pk}/"
    # the public portal through a real server (gunicorn, production mode) while the workers are busy
    static_root = tempfile.mkdtemp(prefix="silon-bench-static-")
    gunicorn, base = server.start_gunicorn(server.production_env(static_root=static_root), 2)
    public = {"home /": f"{base}/", "election page": f"{base}/publik/pemilihan/{election.pk}/"}
    latencies: dict[str, list[float]] = {PAIR_PAGE: [], **{label: [] for label in public}}
    stop = threading.Event()
    try:
        worker.reset_peak()
        started = time.perf_counter()
        uploads = [_submit(pair, user, path) for (pair, user), path in zip(pairs, paths, strict=True)]
        pollers = [
            threading.Thread(target=_fetch_pair_page, args=(client, page, latencies[PAIR_PAGE], stop), daemon=True),
            threading.Thread(target=_fetch_public, args=(public, latencies, stop), daemon=True),
        ]
        for poller in pollers:
            poller.start()
        done = _wait([u.pk for u in uploads])
        stop.set()
        for poller in pollers:
            poller.join()
    finally:
        stop.set()
        server.stop(gunicorn)
        shutil.rmtree(static_root, ignore_errors=True)
    seconds = done - started
    wrong = _inexact_pairs(pairs, per_pair=per_pair, shared=shared)
    report.check(not wrong, "concurrent uploads: inexact counts: " + "; ".join(wrong))
    return [
        f"{n} concurrent uploads × {per_pair:,} rows (CSV): all done in {seconds:.1f} s "
        f"({n * per_pair / seconds:,.0f} rows/s), peak worker RSS {worker.peak_rss / 2**20:,.0f} MB",
        f"  exact counts and cross-pair duplicates ({2 * shared} per pair, both sides): "
        + ("yes" if not wrong else "NO: " + "; ".join(wrong)),
        *_latency_lines(latencies),
    ]


def _concurrent_files(election, pairs, villages: list[str], *, per_pair: int, shared: int) -> list[Path]:
    """One CSV per pair (cached): ``per_pair - shared`` rows of its own, then the next pair's first ``shared``."""
    from support_uploads.sample_data import sample_row

    n = len(pairs)
    paths = []
    for p, (pair, _user) in enumerate(pairs):
        path = OUT / f"concurrent-{GENERATOR}-{per_pair}-e{election.pk}-p{pair.pk}.csv"
        if not path.exists():
            base = p * 1_000_000
            nxt = ((p + 1) % n) * 1_000_000
            rows = [sample_row(base + i, villages[(base + i) % len(villages)]) for i in range(per_pair - shared)]
            rows += [sample_row(nxt + i, villages[(nxt + i) % len(villages)]) for i in range(shared)]
            write_csv(path, rows=rows)
        paths.append(path)
    return paths


def _fetch_pair_page(client, page: str, latencies: list[float], stop: threading.Event) -> None:
    """The LO's pair page, in-process, every 0.2 s until ``stop``."""
    while not stop.is_set():
        started = time.perf_counter()
        response = client.get(page)
        latencies.append(time.perf_counter() - started)
        assert response.status_code == 200
        time.sleep(0.2)


def _fetch_public(public: dict[str, str], latencies: dict[str, list[float]], stop: threading.Event) -> None:
    """Each public page through gunicorn in turn until ``stop``."""
    while not stop.is_set():
        for label, url in public.items():
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback only)
                response.read()
                assert response.status == 200
            latencies[label].append(time.perf_counter() - started)
        time.sleep(0.05)


def _inexact_pairs(pairs, *, per_pair: int, shared: int) -> list[str]:
    """The pairs whose counted rows or cross-pair duplicates are not what the files planted."""
    from support_uploads.models import COUNTED_STATUSES, Supporter

    wrong = []
    for pair, _user in pairs:
        rows = Supporter.objects.filter(pair_id=pair.pk)
        counted = rows.filter(status__in=COUNTED_STATUSES).count()
        external = rows.filter(reasons__contains="DUP_EXTERNAL").count()
        if (counted, external) != (per_pair, 2 * shared):
            wrong.append(f"{pair.name}: counted {counted}, external {external}")
    return wrong


def _latency_lines(latencies: dict[str, list[float]]) -> list[str]:
    lines = []
    for label, values in latencies.items():
        p95 = statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=0)
        lines.append(
            f"  {label} during the run: {len(values)} fetches, p95 {p95 * 1000:.0f} ms, "
            f"max {max(values, default=0) * 1000:.0f} ms"
        )
    return lines


def run() -> Report:
    from django.db import connection

    if connection.vendor != "postgresql":
        return skipped("needs PostgreSQL (DATABASE_URL=postgres://...)")
    if not os.environ.get("REDIS_URL") and not os.environ.get("CELERY_BROKER_URL"):
        return skipped("needs a broker for the worker (REDIS_URL=redis://...)")
    if not SHARED_LIST.exists():
        return skipped(f"{SHARED_LIST} not found")
    sizes = [int(s) for s in os.environ.get("BENCH_SUPPORT_SIZES", "100000,1000000").split(",") if s]
    if os.environ.get("BENCH_FULL", "1") == "1":
        sizes.append(2_500_000)
    election, pairs, villages = setup_election(20)
    report = Report(lines=[f"NTB villages: {len(villages):,}; files cached in {OUT.relative_to(ROOT)}/"])
    # every row-level reason of the rule registry is planted, or the bench never shows that it is counted
    missing = unplanted()
    report.check(not missing, f"registered row reasons the bench file does not plant: {missing}")
    lines = report.lines
    worker = Worker(concurrency=2)
    try:
        for count in sizes:
            lines += one_upload(worker, election, *pairs[0], villages, count, report)
        if os.environ.get("BENCH_SUPPORT_CONCURRENT", "1") == "1":
            lines += concurrent(worker, election, pairs, villages, report)
    finally:
        worker.stop()
    return report
