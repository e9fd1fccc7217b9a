"""Reading an upload in a child process with a memory ceiling, so that no file can push a worker past it.

The archive check (``inflate``) bounds what a file inflates to, but a file within every bound can still be
costly to hold (millions of tiny cells), and the readers are native code. So the read runs in a fresh child
process (``child.py``) whose address space is limited to ``SUPPORT_UPLOAD_READ_MEMORY_BYTES``
(``RLIMIT_AS``). A read that hits the ceiling ends that child, never the worker: the upload is refused with
``MEMORY_LIMIT`` (the file is the cause: reading it again would meet the same ceiling, so it is not a
retryable fault) and the worker, which never held the file, stays at its own size. A fresh interpreter, not a
fork: the worker's native thread pools (polars) do not survive a fork.

``0`` reads in the worker's own process (development only; the worker's ``worker_max_memory_per_child`` then
is the only bound).
"""

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import polars as pl
from django.conf import settings

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from ..template_spec import TEMPLATES
from .common import FileRejected, ReadResult

log = logging.getLogger(__name__)

DEFAULT_READ_MEMORY_BYTES = 6 << 30
ROOT = Path(__file__).resolve().parents[2]
# what a child that ran out of memory leaves on stderr: Python's MemoryError, Rust's allocation failure,
# glibc and jemalloc refusing a mapping
OUT_OF_MEMORY_MARKS = ("MemoryError", "memory allocation of", "Cannot allocate memory", "out of memory")


def read_memory_limit() -> int:
    return getattr(settings, "SUPPORT_UPLOAD_READ_MEMORY_BYTES", DEFAULT_READ_MEMORY_BYTES)


def memory_refusal(limit: int) -> FileRejected:
    return FileRejected(
        "MEMORY_LIMIT",
        _(
            "Berkas terlalu berat untuk dibaca: pembacaannya melewati batas memori server (%(limit)s). "
            "Berkas tidak diproses. Bagi data menjadi beberapa berkas yang lebih kecil, atau salin datanya "
            "sebagai nilai ke templat B.1-KWK yang baru lalu unggah lagi."
        ),
        limit=f"{limit >> 20} MiB",
    )


def read_upload_bounded(
    path: Path,
    *,
    election_id: int,
    pair_id: int,
    max_rows: int,
    memory_limit: int | None = None,
    template_version: str | None = None,
) -> ReadResult:
    """``read_upload`` in a child process under ``memory_limit`` bytes of address space (the setting's when
    None). The same result or refusal, or ``MEMORY_LIMIT`` when the read hit the ceiling."""
    from . import read_upload

    limit = read_memory_limit() if memory_limit is None else memory_limit
    if not limit:
        return read_upload(
            path, election_id=election_id, pair_id=pair_id, max_rows=max_rows, template_version=template_version
        )
    with tempfile.TemporaryDirectory(prefix="silon-read-") as work:
        out = Path(work)
        job = {
            "path": str(path),
            "election_id": election_id,
            "pair_id": pair_id,
            "max_rows": max_rows,
            "template_version": template_version,
        }
        (out / "job.json").write_text(json.dumps({**job, "memory_limit": limit, "parent": os.getpid(), "out": work}))
        env = {
            **os.environ,
            # (overridden settings, as in tests, name no module: the environment's is the one this process read)
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE") or "silon.settings",
            "SECRET_KEY": settings.SECRET_KEY,  # the template signature's key, as this process has it
            # glibc reserves 64 MB of address space per thread arena; two are plenty for one read
            "MALLOC_ARENA_MAX": "2",
        }
        with open(out / "stderr", "wb") as stderr:
            child = subprocess.Popen(  # noqa: S603 (this interpreter and our own module; the job is a file we wrote)
                [sys.executable, "-m", "support_uploads.reading.child", str(out / "job.json")],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
            )
            try:
                returncode = child.wait()
            finally:  # the task's soft time limit (or any exception) must not leave the reader running
                if child.poll() is None:
                    child.kill()
                    child.wait()
        return _outcome(out, returncode, limit)


def _outcome(out: Path, returncode: int, limit: int) -> ReadResult:
    result_path = out / "result.json"
    payload = json.loads(result_path.read_text()) if result_path.exists() else {}
    if "rejected" in payload:
        rejected = payload["rejected"]
        raise FileRejected(rejected["code"], rejected["msgid"], **rejected["params"])
    if "result" in payload:
        frame = pl.read_ipc(out / "frame.arrow")
        return ReadResult(frame=frame, spec=TEMPLATES[payload["spec"]], **payload["result"])
    with open(out / "stderr", "rb") as fh:
        fh.seek(max(fh.seek(0, 2) - 4096, 0))
        tail = fh.read().decode("utf-8", errors="replace")
    if payload.get("memory") or returncode == -signal.SIGKILL or any(mark in tail for mark in OUT_OF_MEMORY_MARKS):
        log.warning("support upload read stopped at its memory ceiling (%s bytes), exit %s", limit, returncode)
        raise memory_refusal(limit)
    # a crash that is not the file's size: a server fault (the task's on_failure), logged without the
    # child's output, which may quote the file's cells
    raise RuntimeError(f"the upload reader exited with {returncode} and no result")
