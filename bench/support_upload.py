"""Supporter uploads end to end on PostgreSQL with a real Celery worker.

- generates realistic B.1-KWK files (valid rows over the real NTB villages, province 52, plus a known share
  of each kind of bad row), xlsx through xlsxwriter (constant_memory), cached under ``bench/out/``;
- 100k, 1M and 2.5M rows over three sheets (``BENCH_FULL=0`` leaves out the 2.5M run): seconds and rows/s from "upload
  accepted" to "results ready" (rows stored, summary and error report written), peak RSS of the worker,
  the time fastexcel and python-calamine need merely to read the same file, and the ratio; exact counts
  are checked against what the generator planted;
- 20 concurrent uploads of 50k rows from 20 pairs of one election: exact counts, cross-pair duplicates
  found on both sides, and the p95 latency meanwhile of the public home and election pages through gunicorn
  (production mode) and of the LO's pair page.

Goals (2-core machine): 1M rows ≤ 30 s and ≤ 3× the fastest reader; peak worker memory < 2 GB.
"""

import datetime
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from bench import portal_load
from bench.verdict import Report, skipped

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
SHARED_LIST = ROOT.parent / "shared" / "data" / "regions" / "regions.csv.gz"
VERSION_NAME = "bench-support: Kepmendagri 300.2.2-2138/2025"
ELECTION_NAME = "Bench dukungan NTB"
PASSWORD = "Bench-Support-2026!"  # noqa: S105 (bench accounts in the bench database only)

# kinds of bad rows planted every 1,000 rows (position in the block → the one reason it must get): every
# row-level reason a supporter file can earn on its own (the cross-pair DUP_EXTERNAL is the concurrent run's)
BAD_EVERY_1000 = {
    101: "NIK_FORMAT",
    151: "NIK_REGION",
    181: "NIK_BIRTHDATE",
    202: "NIK_NUMERIC",
    252: "NIK_SEX",
    303: "REQUIRED_EMPTY",
    353: "SEX_INVALID",
    383: "MARITAL_INVALID",
    404: "DATE_INVALID",
    505: "VILLAGE_UNKNOWN",
    555: "VILLAGE_OUTSIDE",
    606: "UNDER_AGE",
    707: "OCCUPATION_EXCLUDED",
    808: "RT_INVALID",
    858: "RW_INVALID",
    888: "DUP_POTENTIAL",
    909: "DUP_IDENTICAL",
}
# the generator's version is in the cached files' names: a change of the planted rows makes new files
GENERATOR = f"v4-{datetime.date.today().year}"  # the under-age rows are built from the year
# a real village of the list outside the election's province (set by _setup), for VILLAGE_OUTSIDE
OUTSIDE_VILLAGE: list[str] = []


# --- set-up ------------------------------------------------------------------------------------------


def _polling_day() -> datetime.date:
    """The bench election's polling day: 120 days from today, as the demo's (never a fixed day that passes)."""
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=120)


def _setup(pairs: int):
    from django.utils import timezone

    from candidacy.models import CandidatePair, Election, ElectionType, Path, RegulationVersion, Stage, StageWindow
    from regions.models import Level, Region, RegionListVersion
    from silon.accounts.models import KpuLevel, Role, User
    from silon.accounts.services import user_create
    from support_uploads.models import LoAccount, PairTeam
    from support_uploads.services import lo_account_issue

    version = RegionListVersion.objects.filter(name=VERSION_NAME).first()
    if version is None:
        from regions.loading import read_csv
        from regions.services import region_list_load

        region_list_load(regions=read_csv(SHARED_LIST), name=VERSION_NAME)
        version = RegionListVersion.objects.get(name=VERSION_NAME)
    kpu = (
        User.objects.filter(username="bench-kpu-ntb").first()
        or user_create(
            actor=None,
            username="bench-kpu-ntb",
            role=Role.KPU_OPERATOR,
            level=KpuLevel.PROVINSI,
            region_code="52",
            password=PASSWORD,
            must_change_password=False,
        )[0]
    )
    election, _ = Election.objects.get_or_create(
        name=ELECTION_NAME,
        defaults={
            "type": ElectionType.GOVERNOR,
            "region_version": version,
            "regulation": RegulationVersion.objects.order_by("-effective_from").first(),
            "region_code": "52",
            "region_name": "Nusa Tenggara Barat",
            "polling_day": _polling_day(),
            "dpt": 3_568_594,
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
    result = []
    for number in range(1, pairs + 1):
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
        result.append((pair, account.user))
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


def _clear(election) -> None:
    """Each run starts from an empty election so counts are exact and comparable."""
    from django.db import connection

    from support_uploads.models import Supporter, Upload

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Supporter._meta.db_table} WHERE election_id = %s", [election.pk])  # noqa: S608
    Upload.objects.filter(election=election).delete()


# --- files -------------------------------------------------------------------------------------------


def _rows(count: int, villages: list[str], start: int = 0):
    """Yield (values, numeric_nik, expected_reason) for ``count`` rows."""
    from support_uploads.sample_data import sample_row

    previous = None
    for i in range(count):
        index = start + i
        row = sample_row(index, villages[index % len(villages)])
        kind = BAD_EVERY_1000.get(i % 1000)
        if kind == "NIK_FORMAT":
            row["nik"] = row["nik"][:15]
        elif kind == "NIK_REGION":
            row["nik"] = "99" + row["nik"][2:]  # no province 99: issued nowhere
        elif kind == "NIK_BIRTHDATE":
            # another day of the same month (never 29-02 of a year before: that is DATE_INVALID, rightly)
            day = int(row["birth_date"][:2])
            row["birth_date"] = f"{day + 1 if day < 28 else day - 1:02d}" + row["birth_date"][2:]
        elif kind == "NIK_SEX":
            row["sex"] = "L" if row["sex"] == "P" else "P"
        elif kind == "SEX_INVALID":
            row["sex"] = "X"
        elif kind == "MARITAL_INVALID":
            row["marital"] = "Z"
        elif kind == "VILLAGE_OUTSIDE":
            row["village_code"] = OUTSIDE_VILLAGE[0]
        elif kind == "RW_INVALID":
            row["rw"] = "1X"
        elif kind == "DUP_POTENTIAL":
            row = dict(previous, name=previous["name"] + " Binti")  # same NIK, different data
        elif kind == "REQUIRED_EMPTY":
            row["name"] = ""
        elif kind == "DATE_INVALID":
            row["birth_date"] = row["birth_date"].replace("-", "/")
        elif kind == "VILLAGE_UNKNOWN":
            row["village_code"] = "52.99.99.9999"
        elif kind == "UNDER_AGE":
            birth = datetime.date(datetime.date.today().year - 10, 3, 4)  # a child, whatever day the bench runs
            day = birth.day + (40 if row["sex"] == "P" else 0)
            row["nik"] = row["nik"][:6] + f"{day:02d}{birth:%m%y}" + row["nik"][12:]
            row["birth_date"], row["marital"] = f"{birth:%d-%m-%Y}", "B"
        elif kind == "OCCUPATION_EXCLUDED":
            row["occupation"] = "PNS"
        elif kind == "RT_INVALID":
            row["rt"] = "12A4"
        elif kind == "DUP_IDENTICAL":
            row = dict(previous)
        previous = row
        yield row, kind == "NIK_NUMERIC", kind


def expected_counts(count: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for i in range(count):
        kind = BAD_EVERY_1000.get(i % 1000)
        if kind:
            counts[kind] = counts.get(kind, 0) + 1
    return counts


def write_xlsx(path: Path, *, pair, count: int, villages: list[str]) -> Path:
    import xlsxwriter

    from support_uploads.signing import template_signature
    from support_uploads.template_spec import current_spec

    spec = current_spec()
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    text = wb.add_format({"num_format": "@"})
    keys = [f.key for f in spec.fields]
    sheet, row_in_sheet = None, 0
    sheets = 0
    for values, numeric_nik, _kind in _rows(count, villages):
        if sheet is None or row_in_sheet > spec.max_rows_per_sheet:
            sheet = wb.add_worksheet(spec.data_sheet_name(sheets))
            sheets += 1
            sheet.set_column(0, len(keys) - 1, 16, text)
            sheet.write_row(0, 0, spec.headers)
            row_in_sheet = 1
        for col, key in enumerate(keys):
            value = values[key]
            if col == 0 and numeric_nik:
                sheet.write_number(row_in_sheet, 0, float(value))
            elif value:
                sheet.write_string(row_in_sheet, col, value)
        row_in_sheet += 1
    meta = wb.add_worksheet(spec.meta_sheet)
    signature = template_signature(version=spec.version, election_id=pair.election_id, pair_id=pair.pk)
    for r, (k, v) in enumerate(
        [
            ("template_version", spec.version),
            ("election_id", str(pair.election_id)),
            ("pair_id", str(pair.pk)),
            ("signature", signature),
        ]
    ):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, v)
    meta.very_hidden()
    wb.close()
    tmp.rename(path)
    return path


def write_csv(path: Path, *, rows: list[dict]) -> Path:
    import polars as pl

    from support_uploads.template_spec import current_spec

    spec = current_spec()
    frame = pl.DataFrame({f.header: [r[f.key] for r in rows] for f in spec.fields})
    frame.write_csv(path)
    return path


# --- worker ------------------------------------------------------------------------------------------


class Worker:
    def __init__(self, concurrency: int):
        from celery import current_app
        from django.conf import settings

        self.queue = f"silon-bench-{uuid.uuid4().hex[:8]}"
        current_app.conf.task_default_queue = self.queue
        db = settings.DATABASES["default"]
        url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": url, "CELERY_TASK_DEFAULT_QUEUE": self.queue, "CONN_MAX_AGE": "0"}
        OUT.mkdir(parents=True, exist_ok=True)
        self.log = open(OUT / "worker.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "silon", "worker", "-P", "prefork", "-c", str(concurrency),
             "-Q", self.queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.time() + 60
        while time.time() < deadline and not current_app.control.ping(timeout=1.0):
            if self.proc.poll() is not None:
                raise RuntimeError("bench worker exited; see bench/out/worker.log")
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        parent = psutil.Process(self.proc.pid)
        while not self._stop.is_set():
            try:
                procs = [parent, *parent.children(recursive=True)]
                self.peak_rss = max([self.peak_rss] + [p.memory_info().rss for p in procs])
            except psutil.Error:
                pass
            time.sleep(0.05)

    def reset_peak(self) -> None:
        self.peak_rss = 0

    def stop(self) -> None:
        self._stop.set()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


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


def read_times(path: Path) -> tuple[float, float]:
    import fastexcel
    import python_calamine

    started = time.perf_counter()
    reader = fastexcel.read_excel(str(path))
    for name in reader.sheet_names:
        if name.startswith("Dukungan"):
            reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
    fast = time.perf_counter() - started
    started = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        if name.startswith("Dukungan"):
            wb.get_sheet_by_name(name).to_python()
    return fast, time.perf_counter() - started


def one_upload(worker: Worker, election, pair, user, villages, count: int, report: Report) -> list[str]:
    from support_uploads.models import Upload

    path = write_xlsx(
        OUT / f"b1kwk-{GENERATOR}-{count}-e{election.pk}-p{pair.pk}.xlsx", pair=pair, count=count, villages=villages
    )
    _clear(election)
    worker.reset_peak()
    upload = _submit(pair, user, path)
    accepted = time.perf_counter()
    done = _wait([upload.pk])
    seconds = done - accepted
    upload = Upload.objects.get(pk=upload.pk)
    fast, calamine = read_times(path)
    expected = expected_counts(count)
    got = dict(upload.reason_counts)
    exact = got == expected and upload.rows_read == count
    report.check(
        exact, f"{count:,}-row upload: counts per reason {got}, rows read {upload.rows_read:,}; want {expected}"
    )
    bad = sum(expected.values())
    return [
        f"{count:>9,} rows xlsx ({path.stat().st_size / 1e6:.0f} MB): {seconds:.1f} s end to end, "
        f"{count / seconds:,.0f} rows/s, peak worker RSS {worker.peak_rss / 2**20:,.0f} MB",
        f"{'':>9}  read only: fastexcel {fast:.1f} s, python-calamine {calamine:.1f} s; "
        f"job / fastest reader = {seconds / min(fast, calamine):.2f}×",
        f"{'':>9}  accepted {upload.rows_accepted:,}, rejected {upload.rows_rejected:,} "
        f"(planted {bad:,}); counts per reason exact: {'yes' if exact else f'NO: {got} vs {expected}'}",
    ]


def concurrent(
    worker: Worker, election, pairs, villages, report: Report, per_pair: int = 50_000, shared: int = 500
) -> list[str]:
    """Pair p's last ``shared`` rows are pair p+1's first ones (circular): all cross-pair duplicates."""
    from django.test import Client

    from support_uploads.models import COUNTED_STATUSES, Supporter
    from support_uploads.sample_data import sample_row

    n = len(pairs)
    paths = []
    for p, (pair, _user) in enumerate(pairs):
        path = OUT / f"concurrent-{per_pair}-e{election.pk}-p{pair.pk}.csv"
        if not path.exists():
            base = p * 1_000_000
            nxt = ((p + 1) % n) * 1_000_000
            rows = [sample_row(base + i, villages[(base + i) % len(villages)]) for i in range(per_pair - shared)]
            rows += [sample_row(nxt + i, villages[(nxt + i) % len(villages)]) for i in range(shared)]
            write_csv(path, rows=rows)
        paths.append(path)
    _clear(election)
    client = Client()
    client.force_login(pairs[0][1])
    page = f"/dukungan/pasangan/{pairs[0][0].pk}/"
    # the public portal through a real server (gunicorn, production mode) while the workers are busy
    static_root = tempfile.mkdtemp(prefix="silon-bench-static-")
    server, base = portal_load.start_gunicorn(portal_load.production_env(static_root=static_root), 2)
    public = {"home /": f"{base}/", "election page": f"{base}/publik/pemilihan/{election.pk}/"}
    latencies: dict[str, list[float]] = {"LO pair page (in-process)": [], **{label: [] for label in public}}
    stop = threading.Event()

    def fetch_pair_page():
        while not stop.is_set():
            started = time.perf_counter()
            response = client.get(page)
            latencies["LO pair page (in-process)"].append(time.perf_counter() - started)
            assert response.status_code == 200
            time.sleep(0.2)

    def fetch_public():
        while not stop.is_set():
            for label, url in public.items():
                started = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (loopback only)
                    response.read()
                    assert response.status == 200
                latencies[label].append(time.perf_counter() - started)
            time.sleep(0.05)

    try:
        worker.reset_peak()
        started = time.perf_counter()
        uploads = [_submit(pair, user, path) for (pair, user), path in zip(pairs, paths, strict=True)]
        pollers = [
            threading.Thread(target=fetch_pair_page, daemon=True),
            threading.Thread(target=fetch_public, daemon=True),
        ]
        for poller in pollers:
            poller.start()
        done = _wait([u.pk for u in uploads])
        stop.set()
        for poller in pollers:
            poller.join()
    finally:
        stop.set()
        portal_load.stop(server)
        shutil.rmtree(static_root, ignore_errors=True)
    seconds = done - started
    wrong = []
    for pair, _user in pairs:
        rows = Supporter.objects.filter(pair_id=pair.pk)
        counted = rows.filter(status__in=COUNTED_STATUSES).count()
        external = rows.filter(reasons__contains="DUP_EXTERNAL").count()
        if (counted, external) != (per_pair, 2 * shared):
            wrong.append(f"{pair.name}: counted {counted}, external {external}")
    report.check(not wrong, "concurrent uploads: inexact counts: " + "; ".join(wrong))
    pages = []
    for label, values in latencies.items():
        p95 = statistics.quantiles(values, n=20)[18] if len(values) >= 20 else max(values, default=0)
        pages.append(
            f"  {label} during the run: {len(values)} fetches, p95 {p95 * 1000:.0f} ms, "
            f"max {max(values, default=0) * 1000:.0f} ms"
        )
    return [
        f"{n} concurrent uploads × {per_pair:,} rows (CSV): all done in {seconds:.1f} s "
        f"({n * per_pair / seconds:,.0f} rows/s), peak worker RSS {worker.peak_rss / 2**20:,.0f} MB",
        f"  exact counts and cross-pair duplicates ({2 * shared} per pair, both sides): "
        + ("yes" if not wrong else "NO: " + "; ".join(wrong)),
        *pages,
    ]


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
    election, pairs, villages = _setup(20)
    report = Report(lines=[f"NTB villages: {len(villages):,}; files cached in {OUT.relative_to(ROOT)}/"])
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
