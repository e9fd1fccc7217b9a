"""Severity to row status is one rule as data (``models.SEVERITY_STATUS``): the pipeline's polars form
(``rules.status_expr``) and the re-evaluation's per-row form (``rules.row_status``) must give the same status
for every severity and every mix of severities, and that status must be the one the data names."""

import itertools

import polars as pl

from support_uploads.models import NO_SEVERITY_STATUS, SEVERITY_STATUS, RowStatus, Severity
from support_uploads.rules import row_status, status_expr

# one reason code per severity, plus a code the map does not know
SEVERITY = {"R_REJECT": Severity.REJECT.value, "R_REVIEW": Severity.REVIEW.value, "R_FLAG": Severity.FLAG.value}
CODES = [*SEVERITY, "R_UNKNOWN"]
# every set of at most three codes (the empty one included), in registry-like order
REASON_SETS = [list(c) for n in range(4) for c in itertools.combinations(CODES, n)]


def _expected(reasons: list[str]) -> str:
    """The status straight from the data: the first (worst) severity present."""
    present = {SEVERITY.get(code) for code in reasons}
    return next((status for level, status in SEVERITY_STATUS if level in present), NO_SEVERITY_STATUS)


def test_the_data_covers_every_severity_once_and_names_real_statuses():
    assert sorted(level for level, _status in SEVERITY_STATUS) == sorted(Severity.values)
    assert {status for _level, status in SEVERITY_STATUS} | {NO_SEVERITY_STATUS} <= set(RowStatus.values)


def test_frame_and_row_forms_agree_for_every_severity_and_mix():
    frame = pl.DataFrame({"reasons": [",".join(r) for r in REASON_SETS]}).with_columns(status_expr(SEVERITY))
    by_frame = frame.get_column("status").to_list()
    by_row = [row_status(r, SEVERITY) for r in REASON_SETS]
    assert by_frame == by_row == [_expected(r) for r in REASON_SETS]


def test_each_severity_alone_gives_its_status():
    for level, status in SEVERITY_STATUS:
        code = next(c for c, s in SEVERITY.items() if s == level)
        assert row_status([code], SEVERITY) == status
        assert pl.DataFrame({"reasons": [code]}).select(status_expr(SEVERITY)).item() == status
    assert row_status([], SEVERITY) == NO_SEVERITY_STATUS == RowStatus.ACCEPTED
    assert pl.DataFrame({"reasons": [""]}).select(status_expr(SEVERITY)).item() == NO_SEVERITY_STATUS


def test_a_code_is_matched_whole_not_as_a_prefix():
    # "R_FLAG" must not be read inside "R_FLAGGED_OTHER" by the frame form, as the row form does not
    frame = pl.DataFrame({"reasons": ["R_FLAGGED_OTHER", "X,R_FLAG"]}).select(status_expr(SEVERITY))
    assert frame.get_column("status").to_list() == [
        row_status(["R_FLAGGED_OTHER"], SEVERITY),
        row_status(["X", "R_FLAG"], SEVERITY),
    ]
