"""The child process that reads one upload under an address-space ceiling (``bounded.read_upload_bounded``
starts it: ``python -m support_uploads.reading.child JOB``). Not imported by the worker.

The ceiling (``RLIMIT_AS``) is set first, before Django and the readers are imported, so everything the
process maps counts. It dies with its parent (``PR_SET_PDEATHSIG``): a worker killed at its hard time
limit leaves no reader behind. What it read goes back as files in the job's directory: the frame as Arrow IPC
and the rest of the result, or the refusal, as JSON; a ``MemoryError`` says so in the JSON, and a reader
that cannot allocate in native code aborts the process, which the parent reads from its exit.
"""

import contextlib
import ctypes
import dataclasses
import json
import os
import resource
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1


def _bound(memory_limit: int, parent: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    # not Linux (no prctl): the parent still kills the child when it stops waiting
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)


def _write(out: Path, payload: dict) -> None:
    (out / "result.json.part").write_text(json.dumps(payload))
    (out / "result.json.part").rename(out / "result.json")


def _readers():
    """The readers, imported without ``django.setup()`` (they need settings, not the apps: seconds saved on
    every upload); should one ever need the apps, they are set up first."""
    from django.core.exceptions import AppRegistryNotReady

    try:
        from support_uploads.reading import FileRejected, read_upload
    except AppRegistryNotReady:
        import django

        django.setup()
        from support_uploads.reading import FileRejected, read_upload
    return FileRejected, read_upload


def main(job_path: str) -> None:
    job = json.loads(Path(job_path).read_text())
    out = Path(job["out"])
    _bound(job["memory_limit"], job["parent"])
    try:
        FileRejected, read_upload = _readers()

        try:
            result = read_upload(
                Path(job["path"]),
                election_id=job["election_id"],
                pair_id=job["pair_id"],
                max_rows=job["max_rows"],
                template_version=job.get("template_version"),
            )
        except FileRejected as rejected:
            _write(out, {"rejected": {"code": rejected.code, "msgid": rejected.msgid, "params": rejected.params}})
            return
        result.frame.write_ipc(out / "frame.arrow")
        rest = {f.name: getattr(result, f.name) for f in dataclasses.fields(result) if f.name not in ("frame", "spec")}
        _write(out, {"result": rest, "spec": result.spec.version})
    except MemoryError:
        _write(out, {"memory": True})


if __name__ == "__main__":
    main(sys.argv[1])
