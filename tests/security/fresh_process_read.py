"""Run by ``test_hostile_uploads``, in a process of its own: read and check each file named in the job (what
the worker does before it touches the database), then say, one JSON line per file, what came out, the
resident memory before it and the process's resident-memory high-water mark while it was read. Not a test
module.

The high-water mark (VmHWM, what ru_maxrss reports) is reset to the current resident size before each file
(``/proc/self/clear_refs``, Linux ≥ 4.0), so the peak measured is this file's and not the imports'."""

import datetime
import json
import os
import sys
import time
from pathlib import Path


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024  # kB
    raise LookupError(field)


def _reset_peak() -> int:
    """Reset the high-water mark to the current resident size; return that size."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def _peak_rss() -> int:
    return _status("VmHWM")


def main(job_path: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silon.settings")
    import django

    django.setup()
    import polars as pl

    from support_uploads.reading import FileRejected, read_upload
    from support_uploads.rules import RuleContext, apply_rules, truncate_long_values
    from support_uploads.template_spec import current_spec

    job = json.loads(Path(job_path).read_text())
    spec = current_spec()
    villages = job["villages"]
    context = RuleContext(
        spec=spec,
        polling_day=datetime.date.fromisoformat(job["polling_day"]),
        regency_prefixes=pl.Series(sorted({v.replace(".", "")[:4] for v in villages}), dtype=pl.String),
        version_villages=pl.Series(villages, dtype=pl.String),
        region_villages=pl.Series([v for v in villages if v.startswith(job["region"] + ".")], dtype=pl.String),
    )
    for path in job["files"]:
        before, started = _reset_peak(), time.perf_counter()
        try:
            result = read_upload(Path(path), election_id=job["election_id"], pair_id=job["pair_id"], max_rows=10_000)
            frame = truncate_long_values(apply_rules(result.frame, context), spec)
            outcome = {"rows": frame.height, "reasons": sorted(set(",".join(frame["reasons"]).split(",")) - {""})}
        except FileRejected as rejected:
            outcome = {"code": rejected.code}
        seconds = time.perf_counter() - started
        print(json.dumps({"file": path, "rss_before": before, "rss_peak": _peak_rss(), "seconds": seconds, **outcome}))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
