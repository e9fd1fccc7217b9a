"""Run the benchmarks against a PostgreSQL bench database and print their figures.

    python -m bench                       # every module in BENCHES
    python -m bench bench.regions_load    # only the named ones
    python -m bench --strict              # a bench that cannot run (a missing tool) fails (make bench)

``DATABASE_URL`` picks the database (default ``postgres://postgres@127.0.0.1:5432/silon_bench``); it is
created if missing and migrated before the first bench runs. Each bench module has ``run() -> Report``
(``bench.verdict``): the lines to print, the correctness checks that failed, or why it could not run. The
exit code is the verdict: non-zero when a check failed or a bench raised (or, with ``--strict``, could not
run); performance goals are printed figures, not failures. Add a module by appending its dotted name to
BENCHES.
"""

import importlib
import os
import sys
import time
import traceback
from urllib.parse import unquote, urlparse

from bench.verdict import Report, verdict

BENCHES = [
    "bench.regions_load",
    "bench.support_upload",
    "bench.dpt_match",
    "bench.portal_load",
    "bench.deadline_crunch",
]

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/silon_bench"


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in ``url`` if it does not exist (other engines: nothing to do)."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        return
    import psycopg2
    from psycopg2 import sql

    name = unquote(parsed.path.lstrip("/"))
    conn = psycopg2.connect(
        dbname="postgres",
        user=unquote(parsed.username or "") or None,
        password=unquote(parsed.password or "") or None,
        host=parsed.hostname,
        port=parsed.port,
    )
    try:
        conn.autocommit = True  # CREATE DATABASE cannot run inside a transaction
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}")
    finally:
        conn.close()


def run_benches(names: list[str], *, strict: bool) -> int:
    """Run each bench, print its report, then the verdict; returns the exit code."""
    reports: dict[str, Report] = {}
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            report = importlib.import_module(name).run()
        except Exception as exc:  # a bench that crashed did not show its checks hold
            traceback.print_exc()
            report = Report(failures=[f"raised {type(exc).__name__}: {exc}"])
        reports[name] = report
        for line in report.lines:
            print(f"   {line}")
        if report.skipped:
            print(f"   skipped: {report.skipped}")
        for failure in report.failures:
            print(f"   FAILED: {failure}")
        print(f"   ({time.perf_counter() - started:.1f} s in total)", flush=True)
    code, lines = verdict(reports, strict=strict)
    print("== verdict")
    for line in lines:
        print(f"   {line}")
    return code


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    names = [a for a in argv if a != "--strict"] or BENCHES
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silon.settings")
    ensure_database(os.environ["DATABASE_URL"])

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    from django.db import connection

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"load average at start: {_load()}", flush=True)
    try:
        return run_benches(names, strict=strict)
    finally:
        print(f"load average at end: {_load()} (1, 5, 15 min; {os.cpu_count()} cores)")


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
