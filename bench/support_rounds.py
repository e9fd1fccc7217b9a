"""One upload size measured fairly on a noisy machine: bare reads and whole jobs interleaved in one run.

The ratio the support-upload goal is stated in (issue #19: 1M rows end to end within 1.5x the bare read of the
fastest reader) moves with the machine's load, so a job and a read timed minutes apart say little. Here the
fastest reader (fastexcel or python-calamine, whichever is faster on the first read) reads the file, then the
worker validates it, then the reader reads it again, and so on: read, job, read, job, read. Each job is set
against the mean of the two reads on either side of it; the median of those ratios is the figure, and every
round is printed.

Each job's phases come from the worker's own log line (``support upload N validated: Timings(read=...,
rules=..., dpt=..., store=..., report=...)``, ``support_uploads.services.pipeline``), printed in seconds and
as a share of the job: read (in the child process under the memory ceiling), row rules, the DPT match,
duplicates and store (under the election lock), error report, and the rest (queue, start, progress writes).
"""

import re
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.worker import Worker

_TIMINGS = re.compile(
    r"support upload (\d+) validated: Timings\(read=([0-9.e-]+), rules=([0-9.e-]+), dpt=([0-9.e-]+), "
    r"store=([0-9.e-]+), report=([0-9.e-]+)\)"
)
PHASES = ("read", "rules", "dpt", "store", "report")
PHASE_LABELS = {
    "read": "read (child process)",
    "rules": "row rules",
    "dpt": "DPT matching (none without an active DPT)",
    "store": "duplicates + store",
    "report": "error report",
    "other": "queue, start, progress",
}


def fastexcel_read(path: Path) -> float:
    import fastexcel

    started = time.perf_counter()
    reader = fastexcel.read_excel(str(path))
    for name in reader.sheet_names:
        if name.startswith("Dukungan"):
            reader.load_sheet(name, header_row=None, dtypes="string").to_polars()
    return time.perf_counter() - started


def calamine_read(path: Path) -> float:
    import python_calamine

    started = time.perf_counter()
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        if name.startswith("Dukungan"):
            wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - started


READERS = {"fastexcel": fastexcel_read, "python-calamine": calamine_read}


def job_phases(worker: Worker, upload_id: int) -> dict[str, float]:
    """The phase seconds the worker logged for ``upload_id`` (empty when the line is not there)."""
    worker.log.flush()
    text = Path(worker.log.name).read_text(errors="replace")
    for match in _TIMINGS.finditer(text):
        if int(match.group(1)) == upload_id:
            return dict(zip(PHASES, map(float, match.groups()[1:]), strict=True))
    return {}


@dataclass
class Rounds:
    reader: str  # the fastest reader, chosen on the first read
    first: dict[str, float]  # both readers' seconds on the first read
    reads: list[float]  # the fastest reader's seconds, read by read (one more than jobs)
    jobs: list[float]  # each job's seconds, "upload accepted" to "results ready"
    phases: list[dict[str, float]]  # each job's phase seconds

    def ratios(self) -> list[float]:
        return [job / ((self.reads[i] + self.reads[i + 1]) / 2) for i, job in enumerate(self.jobs)]

    def lines(self, count: int) -> list[str]:
        ratios = self.ratios()
        first = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.first.items())
        lines = [
            f"{'':>9}  interleaved read/job x{len(self.jobs)} (first read: {first}; fastest: {self.reader}): "
            f"median job / read = {statistics.median(ratios):.2f}x"
        ]
        for i, (job, ratio) in enumerate(zip(self.jobs, ratios, strict=True)):
            lines.append(
                f"{'':>9}    round {i + 1}: read {self.reads[i]:.1f} s, job {job:.1f} s "
                f"({count / job:,.0f} rows/s), read {self.reads[i + 1]:.1f} s -> {ratio:.2f}x"
            )
        lines += self._phase_lines()
        return lines

    def _phase_lines(self) -> list[str]:
        lines = []
        for i, (job, phases) in enumerate(zip(self.jobs, self.phases, strict=True)):
            if not phases:
                lines.append(f"{'':>9}    round {i + 1} phases: not in the worker's log")
                continue
            split = {**phases, "other": max(job - sum(phases.values()), 0.0)}
            parts = ", ".join(f"{PHASE_LABELS[k]} {s:.1f} s ({100 * s / job:.0f}%)" for k, s in split.items())
            lines.append(f"{'':>9}    round {i + 1} phases: {parts}")
        return lines


def interleaved(path: Path, jobs: int, run_job) -> Rounds:
    """read, job, read, ..., read: ``run_job()`` validates the file once from an empty election and returns
    (seconds, upload id)."""
    first = {name: read(path) for name, read in READERS.items()}
    reader = min(first, key=first.get)
    rounds = Rounds(reader=reader, first=first, reads=[first[reader]], jobs=[], phases=[])
    for _ in range(jobs):
        seconds, phases = run_job()
        rounds.jobs.append(seconds)
        rounds.phases.append(phases)
        rounds.reads.append(READERS[reader](path))
    return rounds


def vacuum(*tables: str) -> None:
    """VACUUM (ANALYZE) the tables a run deleted from, so no run pays for the dead rows of the one before it
    (1M deleted rows a run otherwise pile up: 7.43M dead rows, 1.88 GB, were found in one bench database)."""
    from django.db import connection

    connection.ensure_connection()
    was = connection.connection.autocommit
    connection.connection.autocommit = True  # VACUUM cannot run inside a transaction
    try:
        with connection.connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    finally:
        connection.connection.autocommit = was
