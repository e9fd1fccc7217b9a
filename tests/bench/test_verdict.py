"""The bench verdict: ``make bench`` fails on a failed correctness check, a crash, or (strict) a bench that
could not run; performance figures never fail it. No bench runs here: fake bench modules stand in."""

import sys
import types

import pytest

from bench.__main__ import run_benches
from bench.deadline_crunch import crunch_failures
from bench.verdict import Report, skipped, verdict


def test_a_clean_run_passes():
    code, lines = verdict({"a": Report(lines=["p99 9000 ms (OVER the target)"]), "b": Report()}, strict=True)
    assert code == 0 and lines == ["OK: 2 of 2 benches ran, every correctness check held"]


def test_a_failed_check_fails_the_run():
    report = Report(lines=["figures"])
    assert report.check(True, "never recorded")
    assert not report.check(False, "upload 7: counts wrong")
    code, lines = verdict({"ok": Report(), "bad": report}, strict=False)
    assert code == 1
    assert lines == ["FAILED", "  bad: upload 7: counts wrong"]


def test_a_skipped_bench_fails_only_when_strict():
    reports = {"crunch": skipped("wrk not installed"), "regions": Report()}
    assert verdict(reports, strict=False)[0] == 0
    code, lines = verdict(reports, strict=True)
    assert code == 1 and "  crunch: could not run: wrk not installed" in lines


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"errors": 0, "sessions": 200, "accepted": 200, "problems": []}, []),
        ({"errors": 3, "sessions": 200, "accepted": 200, "problems": []}, ["3 errors"]),
        ({"errors": 0, "sessions": 200, "accepted": 198, "problems": []}, ["2 of 200 sessions"]),
        (
            {"errors": 0, "sessions": 200, "accepted": 200, "problems": ["upload 5: ('running', 1) instead of"]},
            ["1 uploads or pairs without exact counts, first: upload 5: ('running', 1)"],
        ),
    ],
)
def test_deadline_crunch_checks(kwargs, expected):
    failures = crunch_failures(**kwargs)
    assert len(failures) == len(expected)
    for failure, start in zip(failures, expected, strict=True):
        assert failure.startswith(start)


def _fake_bench(monkeypatch, name: str, run) -> str:
    module = types.ModuleType(name)
    module.run = run
    monkeypatch.setitem(sys.modules, name, module)
    return name


def _crash():
    raise TimeoutError("uploads [4] not finished in 1800 s")


def test_the_exit_code_follows_the_reports_and_a_crash_is_a_failure(monkeypatch, capsys):
    fine = _fake_bench(monkeypatch, "fake_bench_fine", lambda: Report(lines=["1,000 req/s"]))
    crash = _fake_bench(monkeypatch, "fake_bench_crash", _crash)
    missing = _fake_bench(monkeypatch, "fake_bench_missing", lambda: skipped("wrk not installed"))
    assert run_benches([fine], strict=True) == 0
    assert run_benches([fine, missing], strict=False) == 0
    assert run_benches([fine, missing], strict=True) == 1
    assert run_benches([crash, fine], strict=False) == 1  # the later bench still runs
    out = capsys.readouterr().out
    assert "   1,000 req/s" in out and "skipped: wrk not installed" in out
    assert "FAILED: raised TimeoutError: uploads [4] not finished in 1800 s" in out
