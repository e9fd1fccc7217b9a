"""What a bench reports and whether ``make bench`` passes.

A bench's ``run()`` returns a ``Report``: the lines to print (figures: throughput, latencies, memory; goals
such as "under 10 s" stay printed figures, never failures), the correctness checks that did not hold
(``failures``: an error response, an inexact count, an upload not finished), or why it could not run at all
(``skipped``). ``python -m bench`` exits non-zero when any bench failed or raised; with ``--strict`` (as
``make bench`` runs it, after installing what the benches need) a bench that could not run fails too.
"""

from dataclasses import dataclass, field


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    skipped: str = ""

    def check(self, ok: bool, failure: str) -> bool:
        """Record ``failure`` unless ``ok``; returns ``ok``."""
        if not ok:
            self.failures.append(failure)
        return ok


def skipped(reason: str) -> Report:
    return Report(skipped=reason)


def verdict(reports: dict[str, Report], *, strict: bool) -> tuple[int, list[str]]:
    """The exit code of a bench run and the lines that explain it."""
    problems = []
    for name, report in reports.items():
        problems += [f"{name}: {failure}" for failure in report.failures]
        if report.skipped and strict:
            problems.append(f"{name}: could not run: {report.skipped}")
    if problems:
        return 1, ["FAILED", *(f"  {p}" for p in problems)]
    ran = sum(1 for r in reports.values() if not r.skipped)
    return 0, [f"OK: {ran} of {len(reports)} benches ran, every correctness check held"]
