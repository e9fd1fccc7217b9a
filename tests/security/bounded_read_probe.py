"""Run by ``test_lying_bombs``, in a fresh process standing in for a worker: read each file of the job the way
the worker does (``read_upload_bounded``: in a child under the job's memory ceiling), and say, one JSON line
per file, what came out, this process's resident high-water mark while it was read (reset before each
file) and its resident size after it; then one line with the largest reader child's peak resident size
(``RUSAGE_CHILDREN``). Not a test module."""

import json
import os
import resource
import sys
from pathlib import Path


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024  # kB
    raise LookupError(field)


def _rss() -> int:
    return _status("VmRSS")


def _reset_peak() -> None:
    """The high-water mark (VmHWM) back to the current resident size (Linux >= 4.0)."""
    Path("/proc/self/clear_refs").write_text("5")


def main(job_path: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "silon.settings")
    import django

    django.setup()
    from support_uploads.reading import FileRejected
    from support_uploads.reading.bounded import read_upload_bounded

    job = json.loads(Path(job_path).read_text())
    print(json.dumps({"rss_before": _rss()}), flush=True)
    for path in job["files"]:
        _reset_peak()
        try:
            result = read_upload_bounded(
                Path(path),
                election_id=job["election_id"],
                pair_id=job["pair_id"],
                max_rows=job["max_rows"],
                memory_limit=job["memory_limit"],
            )
            outcome = {"rows": result.frame.height}
        except FileRejected as rejected:
            outcome = {"code": rejected.code}
        print(json.dumps({"file": Path(path).name, "rss": _rss(), "peak": _status("VmHWM"), **outcome}), flush=True)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(json.dumps({"children_peak": children}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
