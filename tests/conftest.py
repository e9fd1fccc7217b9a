"""Shared fixtures and the rules for tests that need real services.

Tests marked ``postgres``, ``redis``, ``worker``, ``browser`` or ``production`` are skipped, with the reason, when
the service is not configured (a laptop with the embedded default). In CI (``SILON_REQUIRE_SERVICES=1``) a
missing service is an error instead, so nothing is ever silently passed there.
"""

import datetime
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SHARED_REGIONS = ROOT.parent / "shared" / "data" / "regions"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


# --- the clock ---------------------------------------------------------------------------------------
# CI runs the suite again with the clock moved ahead (`SILON_TEST_CLOCK_SHIFT=400d`, `=3y`), proving that no
# test, factory or fixture depends on the day it runs on. The shift is applied with time-machine in this
# process (and, through tests/clocked.py, in the Celery worker and other Python processes the tests start),
# ticking, so that durations still pass as they do. PostgreSQL's and Chromium's own clocks are not moved:
# the product takes "now" from Python, never from the database or the browser.


def clock_shift() -> datetime.timedelta | None:
    """The shift asked for in ``SILON_TEST_CLOCK_SHIFT`` (``400d``, ``3y`` = 3 × 365 + 1 days, or days)."""
    raw = os.environ.get("SILON_TEST_CLOCK_SHIFT", "").strip().lower()
    if not raw:
        return None
    if raw.endswith("y"):
        years = int(raw[:-1])
        return datetime.timedelta(days=365 * years + years // 4 + (1 if years % 4 else 0))
    return datetime.timedelta(days=int(raw.removesuffix("d")))


_traveller = None


def _isolate_xdist_worker() -> None:
    """Under pytest-xdist (``make test`` runs one process per core) every worker gets its own test database
    (pytest-django), and here its own media folder and Redis database for the cache, so that one worker's
    ``cache.clear()`` or file names never touch the other's. The Celery broker on the same Redis gets a database
    per worker too: kombu keeps every unacknowledged message of a Redis database in one index, and a consumer
    with a short visibility timeout (the kill tests' 3 s) restores any message in it, another test's as well;
    one worker's kill test would hand the lost-job test's message back before its sweep (CI, 2026-12-07).
    Processes a test starts inherit the worker's cache URL and get its broker from ``worker_env()``."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return
    number = int(worker[2:])
    media = ROOT / "test-artifacts" / f"media-{worker}"
    media.mkdir(parents=True, exist_ok=True)
    settings.MEDIA_ROOT = str(media)
    os.environ["MEDIA_ROOT"] = str(media)
    if settings.REDIS_URL:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(settings.REDIS_URL)
        cache_url = urlunsplit(parts._replace(path=f"/{10 + number % 6}"))  # databases 10-15
        settings.CACHES["default"]["LOCATION"] = cache_url
        # Not CELERY_BROKER_URL in this process's environment: Celery reads that variable before its own
        # configuration, which would defeat tests that point the app at a private broker. Worker processes
        # get it from worker_env().
        os.environ["REDIS_URL"] = cache_url
        if settings.CELERY_BROKER_URL == settings.REDIS_URL:
            from celery import current_app

            broker_url = urlunsplit(parts._replace(path=f"/{1 + number % 4}"))  # 1-4 (smoke flushes 9)
            settings.CELERY_BROKER_URL = broker_url
            current_app.conf.broker_url = broker_url


def worker_env(**extra: str) -> dict[str, str]:
    """The environment of a Celery worker a test starts: this process's, with its broker and cache."""
    return {**os.environ, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, **extra}


def _flush_past_the_audit_triggers() -> None:
    """Between transactional tests pytest-django empties the database with one TRUNCATE of every table, which
    the audit tables refuse (migration audit.0004). The tests connect as a superuser (README), so the test
    runner's flush, and only it, runs with triggers off for its own transaction."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    original = DatabaseOperations.sql_flush
    if getattr(original, "past_audit_triggers", False):
        return

    def sql_flush(self, style, tables, **kwargs):
        statements = original(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica;", *statements] if statements else statements

    sql_flush.past_audit_triggers = True
    DatabaseOperations.sql_flush = sql_flush


def pytest_configure(config):
    global _traveller
    _isolate_xdist_worker()
    # One PBKDF2 iteration instead of a million (tests/hashers.py): same hash format, a fraction of the time.
    settings.PASSWORD_HASHERS = ["tests.hashers.OneIterationPBKDF2"]
    _flush_past_the_audit_triggers()
    shift = clock_shift()
    if shift and _traveller is None:
        import time_machine

        _traveller = time_machine.travel(datetime.datetime.now(datetime.UTC) + shift, tick=True)
        _traveller.start()


def pytest_unconfigure(config):
    global _traveller
    if _traveller is not None:
        _traveller.stop()
        _traveller = None


def pytest_report_header(config):
    shift = clock_shift()
    if shift:
        now = datetime.datetime.now()
        return f"clock moved {shift.days} days ahead (SILON_TEST_CLOCK_SHIFT): now is {now:%Y-%m-%d %H:%M}"
    return None


def python_command() -> list[str]:
    """How a test starts another Python process: on the moved clock when the suite runs on one."""
    if clock_shift():
        return [sys.executable, str(ROOT / "tests" / "clocked.py")]
    return [sys.executable]


def _is_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def production_tool(name: str) -> str | None:
    """A tool of the production smoke test (nginx lives in /usr/sbin, often not on a user's PATH)."""
    return shutil.which(name, path=os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"]))


def _missing(marker: str) -> str | None:
    """Why a test with this marker cannot run here, or None."""
    if marker == "postgres" and not _is_postgres():
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker == "redis" and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://..."
    if marker == "worker" and (not _is_postgres() or settings.CELERY_TASK_ALWAYS_EAGER):
        return "needs a real Celery worker: set DATABASE_URL (PostgreSQL) and REDIS_URL"
    if marker == "production":
        missing = [tool for tool in ("nginx", "openssl") if not production_tool(tool)]
        if missing:
            return f"needs {' and '.join(missing)} (apt-get install nginx openssl)"
    if marker == "browser":
        if not Path(CHROMIUM).exists():
            return f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "needs the playwright package"
    return None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    _group_by_package(config, items)
    require = os.environ.get("SILON_REQUIRE_SERVICES") == "1"
    for item in items:
        for marker in ("postgres", "redis", "worker", "browser", "production"):
            if marker in item.keywords:
                reason = _missing(marker)
                if reason and require:
                    raise pytest.UsageError(f"{item.nodeid}: {reason} (SILON_REQUIRE_SERVICES=1)")
                if reason:
                    item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture
def shared_regions_dir() -> Path:
    if not SHARED_REGIONS.exists():
        pytest.skip(f"../shared/data/regions not found beside the repository ({SHARED_REGIONS})")
    return SHARED_REGIONS


def ensure_seed_data() -> None:
    """Data seeded by migrations (regulations, reason codes, occupation list). A transactional test's flush
    empties those tables; re-running the (idempotent) seeds keeps later tests honest instead of silently
    judging rows without reason codes."""
    from importlib import import_module

    from django.apps import apps

    from candidacy.models import RegulationVersion
    from support_uploads.models import ReasonCode

    if not RegulationVersion.objects.exists():
        import_module("candidacy.migrations.0002_regulation_versions").seed(apps, None)
        import_module("candidacy.migrations.0005_seed_parties_and_checklist").seed(apps, None)
        import_module("candidacy.migrations.0006_document_requirement_label_en").seed(apps, None)
        import_module("candidacy.migrations.0014_seed_dpd_regulation").seed(apps, None)
    if not ReasonCode.objects.exists():
        import_module("support_uploads.migrations.0002_seed_reasons_occupations").seed(apps, None)
    if not ReasonCode.objects.filter(pk="TMS_DIED").exists():
        import_module("support_uploads.migrations.0005_seed_tms_reasons").seed(apps, None)
    if not ReasonCode.objects.filter(pk="FIELD_TOO_LONG").exists():
        import_module("support_uploads.migrations.0007_seed_length_and_batch_reasons").seed(apps, None)
    if not ReasonCode.objects.filter(pk="COLUMN_SHIFTED_RIGHT").exists():
        import_module("support_uploads.migrations.0012_seed_cell_reasons").seed(apps, None)
    if not ReasonCode.objects.filter(pk="DUP_NOT_CHOSEN").exists():
        import_module("support_uploads.migrations.0013_duplicate_decision").seed(apps, None)
    if not ReasonCode.objects.filter(pk="SUPPORTER_DENIED").exists():
        import_module("objections.migrations.0002_seed_supporter_denied").seed(apps, None)
    if not ReasonCode.objects.filter(pk="NOT_IN_DPT").exists():
        import_module("support_uploads.migrations.0017_seed_dpt_reasons").seed(apps, None)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker is not None and marker.kwargs.get("transaction"))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


def _group_by_package(config, items) -> None:
    """Keep each package's tests together, in a seeded random order of packages, after pytest-randomly has
    shuffled modules and tests and pytest-django has put transactional tests last. A package-scoped fixture
    (the two full region lists of tests/regions, ~30 s to load and remove) is then set up once per process,
    while the order inside and across packages still follows the seed."""
    import zlib

    seed = getattr(config.option, "randomly_seed", 0) if config.pluginmanager.hasplugin("randomly") else 0
    rank: dict[str, int] = {}
    for item in items:
        package = item.nodeid.split("::")[0].rsplit("/", 1)[0]
        rank.setdefault(package, zlib.crc32(f"{seed}:{package}".encode()))
    items.sort(key=lambda item: rank[item.nodeid.split("::")[0].rsplit("/", 1)[0]])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test's teardown flushes every table, migration-seeded rows included. Put the seeds
    back right after, so that whatever runs next in this process (in any order) finds them."""
    result = yield
    # After the last test the test database is already gone (nothing runs next to need the seeds); a skipped
    # test (a missing service) never flushed it.
    skipped = item.get_closest_marker("skip") is not None
    if _is_transactional(item) and nextitem is not None and not skipped:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            ensure_seed_data()
    return result


@pytest.fixture(autouse=True)
def _reseed_after_flush(request):
    """Transactional tests (browser, worker) flush every table, seeds included; put the seeds back first."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        ensure_seed_data()


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Outside ``worker`` and ``browser`` tests, tasks run in-process (on commit) even when a broker is
    configured, so a service test sees its task's result; those two kinds use the real worker."""
    from celery import current_app

    if "worker" in request.keywords or "browser" in request.keywords:
        yield
        return
    previous = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _read_in_process(request):
    """In-process tasks read an upload in the test's own process (``SUPPORT_UPLOAD_READ_MEMORY_BYTES`` 0): a
    reader child per upload would add about a second to each of the suite's uploads. The child, its memory
    ceiling and its refusal are tested in tests/security/test_lying_bombs.py (which sets a ceiling again), and
    ``worker`` tests read in a child as production does (the worker's settings come from its environment)."""
    request.getfixturevalue("settings").SUPPORT_UPLOAD_READ_MEMORY_BYTES = 0


@pytest.fixture(autouse=True)
def _default_language():
    """LocaleMiddleware activates a request's language in the thread and leaves it there; a test that asked
    for English must not turn the next test's service messages English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache

    from regions.index import village_index_clear

    cache.clear()
    # The village index is cached per process by (version id, checksum). Test versions are made without a
    # checksum and, after a rollback or flush, a new one gets an id an earlier test used: without this the
    # next test would judge its villages against the earlier test's list (it made the browser verification
    # flow fail when it ran after tests/support_uploads/test_correction.py).
    village_index_clear()
    # A transactional test's flush recreates content types under new ids; the in-process cache would keep
    # the old ones and permission look-ups (django-guardian grants) would miss.
    ContentType.objects.clear_cache()
    yield


# --- a real Celery worker ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real ``celery worker`` process on the test database, consuming a queue private to this run."""
    queue = f"silon-test-{uuid.uuid4().hex[:8]}"
    from celery import current_app

    current_app.conf.task_default_queue = queue
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = worker_env(DATABASE_URL=url, CELERY_TASK_DEFAULT_QUEUE=queue, CONN_MAX_AGE="0")
    ARTIFACTS.mkdir(exist_ok=True)
    xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = open(ARTIFACTS / f"celery-worker-{xdist_worker}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            *python_command(),
            "-m",
            "celery",
            "-A",
            "silon",
            "worker",
            "-P",
            "prefork",
            "-c",
            "1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        replies = current_app.control.ping(timeout=1.0)
        if replies:
            break
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited with {proc.returncode}; see {log.name}")
    else:
        proc.kill()
        raise RuntimeError("celery worker did not answer a ping within 60 s")
    yield proc
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


# --- a browser -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread while it is open; Django's ORM calls from the test
    # body are still synchronous. Module scope closes Playwright after each browser module, so the flag is
    # removed again and neither later tests nor their subprocesses inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def screenshot_dir() -> Path:
    path = ARTIFACTS / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path
