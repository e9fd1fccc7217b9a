"""Loading the full 2025 region list (91,599 rows) and building the village index.

Target: the whole load (parse, checks, COPY, audit) under 10 s on PostgreSQL; the index well under 1 s.
The list is loaded under a bench-only version name and removed afterwards, so the bench database is
left as it was found (its audit events stay: the log is append-only).
"""

import random
import time
from pathlib import Path

from bench.verdict import Report, skipped

SHARED_LIST = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "regions" / "regions.csv.gz"
BENCH_PREFIX = "bench: "
LOOKUPS = 1_000_000


def _drop_bench_versions() -> None:
    from regions.models import Region, RegionListVersion

    stale = RegionListVersion.objects.filter(name__startswith=BENCH_PREFIX)
    Region.objects.filter(version__in=stale).delete()
    stale.delete()


def run() -> Report:
    from regions.index import village_index, village_index_clear
    from regions.loading import read_csv
    from regions.services import region_list_load

    if not SHARED_LIST.exists():
        return skipped(f"{SHARED_LIST} not found")
    _drop_bench_versions()
    report = Report()
    lines = report.lines

    started = time.perf_counter()
    parsed = read_csv(SHARED_LIST)
    parse_s = time.perf_counter() - started
    result = region_list_load(regions=parsed, name=f"{BENCH_PREFIX}{time.strftime('%Y%m%dT%H%M%S')}")
    total_s = time.perf_counter() - started
    rows = result.rows
    lines.append(f"rows: {rows:,}")
    report.check(rows > 0, "the region list loaded no rows")
    lines.append(f"parse + checks: {parse_s:.2f} s")
    lines.append(
        f"load (COPY/bulk insert + audit, one transaction): {result.seconds:.2f} s, {rows / result.seconds:,.0f} rows/s"
    )
    lines.append(
        f"total: {total_s:.2f} s, {rows / total_s:,.0f} rows/s ({'OK' if total_s < 10 else 'OVER'} the 10 s target)"
    )

    try:
        village_index_clear()
        started = time.perf_counter()
        index = village_index(result.version.pk)
        build_s = time.perf_counter() - started
        lines.append(f"village index build: {build_s * 1000:.0f} ms for {len(index):,} villages")
        started = time.perf_counter()
        village_index(result.version.pk)
        lines.append(f"village index cached fetch: {(time.perf_counter() - started) * 1000:.1f} ms")

        # Half hits, half misses, in a random order, as an upload's cells would come.
        rng = random.Random(7)
        hits = rng.sample(list(index.villages), 5000)
        misses = [code[:-4] + f"{rng.randrange(9000, 10000):04d}" for code in hits]
        probes = [rng.choice(hits) if i % 2 else rng.choice(misses) for i in range(LOOKUPS)]
        contains = index.contains
        started = time.perf_counter()
        found = sum(1 for code in probes if contains(code))
        lookup_s = time.perf_counter() - started
        lines.append(f"village lookups: {LOOKUPS / lookup_s:,.0f} /s ({found:,} of {LOOKUPS:,} found)")
    finally:
        _drop_bench_versions()
        village_index_clear()
    return report
