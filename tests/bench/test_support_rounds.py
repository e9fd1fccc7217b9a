"""The interleaved read/job rounds of the support-upload bench (bench/support_rounds.py): the order of the
measurements, the ratio of each job to the reads on either side of it, and the phase split read from the
worker's own log line."""

import types

from bench import support_rounds
from bench.support_rounds import Rounds, interleaved, job_phases


def test_reads_and_jobs_alternate_and_each_job_is_set_against_its_neighbouring_reads(monkeypatch, tmp_path):
    calls = []
    times = iter([10.0, 12.0, 8.0, 9.0])  # reads: fastexcel first, calamine first, then fastexcel twice

    def reader(name):
        def read(_path):
            calls.append(name)
            return next(times)

        return read

    monkeypatch.setattr(support_rounds, "READERS", {"fastexcel": reader("fastexcel"), "calamine": reader("calamine")})
    jobs = iter([(30.0, {"read": 9.0}), (27.0, {})])

    def job():
        calls.append("job")
        return next(jobs)

    rounds = interleaved(tmp_path / "f.xlsx", 2, job)
    assert calls == ["fastexcel", "calamine", "job", "fastexcel", "job", "fastexcel"]
    assert rounds.reader == "fastexcel" and rounds.reads == [10.0, 8.0, 9.0] and rounds.jobs == [30.0, 27.0]
    assert rounds.ratios() == [30.0 / 9.0, 27.0 / 8.5]
    lines = rounds.lines(1_000_000)
    assert "median job / read = 3.25x" in lines[0]  # median of 3.33 and 3.18 is their mean
    assert "round 1: read 10.0 s, job 30.0 s (33,333 rows/s), read 8.0 s -> 3.33x" in lines[1]
    assert "round 2 phases: not in the worker's log" in lines[-1]


def test_phases_come_from_the_workers_log_line_of_that_upload_and_the_rest_is_other(tmp_path):
    log = tmp_path / "worker.log"
    log.write_text(
        "[2026-12-07 14:00:00] INFO support_uploads.services.pipeline support upload 7 validated: "
        "Timings(read=1.0, rules=1.0, dpt=0.0, store=1.0, report=1.0)\n"
        "[2026-12-07 14:01:00] INFO support_uploads.services.pipeline support upload 8 validated: "
        "Timings(read=4.5, rules=1.25, dpt=0.5, store=2.5, report=0.25)\n"
    )
    worker = types.SimpleNamespace(log=open(log))  # noqa: SIM115 (closed below)
    try:
        phases = job_phases(worker, 8)
        assert job_phases(worker, 9) == {}
    finally:
        worker.log.close()
    assert phases == {"read": 4.5, "rules": 1.25, "dpt": 0.5, "store": 2.5, "report": 0.25}
    rounds = Rounds(reader="fastexcel", first={"fastexcel": 5.0}, reads=[5.0, 5.0], jobs=[10.0], phases=[phases])
    (line,) = [x for x in rounds.lines(100) if "phases" in x]
    assert "read (child process) 4.5 s (45%)" in line and "duplicates + store 2.5 s (25%)" in line
    assert "DPT matching (none without an active DPT) 0.5 s (5%)" in line
    assert "queue, start, progress 1.0 s (10%)" in line
