"""The supporter files the benches upload: realistic B.1-KWK rows over real villages with a known share of
each kind of bad row planted, written as a signed xlsx (xlsxwriter, constant_memory) or as CSV."""

import datetime
import functools
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bench import OUT

if TYPE_CHECKING:
    from bench.support_plants import Plant

# the version of the sample rows (``support_uploads.sample_data``) in the names of cached files of good rows; an
# xlsx with planted rows also carries its plan's digest (``generator()``)
GENERATOR = f"v6-{datetime.date.today().year}"  # the under-age rows are built from the year
BLOCK = 1000  # the planted rows repeat every BLOCK rows
FIRST_PLANT = 100  # where in a block the first planted row stands


@functools.cache
def plan() -> dict[int, "Plant"]:
    """Position in a block of BLOCK rows → the kind of bad row planted there: every kind of
    ``bench.support_plants`` once per block, each after a good row (a duplicate copies the row before it)."""
    from bench.support_plants import plants

    kinds = plants()
    step = (BLOCK - FIRST_PLANT) // len(kinds)
    if step < 2:
        raise ValueError(f"{len(kinds)} kinds of bad rows do not fit, each after a good row, in {BLOCK} rows")
    return {FIRST_PLANT + step * i: plant for i, plant in enumerate(kinds)}


def generator() -> str:
    """The version of a file with planted rows, in its cached name: a change of the plan makes a new file."""
    layout = ";".join(f"{pos}:{p.code}:{','.join(p.reasons)}:{','.join(p.previous)}" for pos, p in plan().items())
    return f"{GENERATOR}-{hashlib.sha256(layout.encode()).hexdigest()[:8]}"


def planted_rows(count: int, villages: list[str], start: int = 0) -> Iterator[tuple[dict, str | None]]:
    """Yield (values, the code the row is planted for or None) for ``count`` rows. A value that is not a string
    is written with its own type (a number, a date, a ``Formula``)."""
    from support_uploads.sample_data import sample_row

    layout = plan()
    previous = None
    for i in range(count):
        index = start + i
        row = sample_row(index, villages[index % len(villages)])
        plant = layout.get(i % BLOCK)
        if plant is not None:
            row = plant.make(row, previous)
        previous = row
        yield row, plant.code if plant is not None else None


def expected_rows(count: int) -> dict[int, set[str]]:
    """0-based row index → the reasons it must get, for the rows that get any (every other row gets none)."""
    expected: dict[int, set[str]] = {}
    for block in range(0, count, BLOCK):
        for pos, plant in plan().items():
            if block + pos < count:
                expected.setdefault(block + pos, set()).update(plant.reasons)
                if plant.previous:
                    expected.setdefault(block + pos - 1, set()).update(plant.previous)
    return expected


def expected_counts(count: int) -> dict[str, int]:
    """Reason → how many rows of a ``count``-row file must get it."""
    full, rest = divmod(count, BLOCK)
    counts: dict[str, int] = {}
    for pos, plant in plan().items():
        times = full + (pos < rest)
        for code in plant.reasons:
            counts[code] = counts.get(code, 0) + times
        for code in plant.previous:
            counts[code] = counts.get(code, 0) + (full + (pos - 1 < rest))
    return {code: n for code, n in counts.items() if n}


def planted_row_count(count: int) -> int:
    """How many rows of a ``count``-row file get a reason."""
    full, rest = divmod(count, BLOCK)
    rows = set(plan()) | {pos - 1 for pos, plant in plan().items() if plant.previous}
    return full * len(rows) + sum(1 for pos in rows if pos < rest)


def upload_failures(*, count: int, reason_counts: dict[str, int], rows_read: int, rows_accepted: int) -> list[str]:
    """The correctness checks of one bench file's upload: every registered row reason planted (a file of at
    least one block), each counted exactly as planted, every row read, and only the planted rows refused."""
    from support_uploads.rules import RULES

    failures = []
    expected = expected_counts(count)
    missing = [code for code in RULES if code not in expected]
    if missing and count >= BLOCK:
        failures.append(f"{count:,}-row file: registered row reasons not planted: {missing}")
    if reason_counts != expected:
        wrong = {
            code: (reason_counts.get(code, 0), expected.get(code, 0))
            for code in sorted(set(expected) | set(reason_counts))
            if reason_counts.get(code, 0) != expected.get(code, 0)
        }
        failures.append(f"{count:,}-row upload: counts per reason (got, planted) differ: {wrong}")
    if rows_read != count:
        failures.append(f"{count:,}-row upload: {rows_read:,} rows read")
    bad = planted_row_count(count)  # the rows with a reason: every other row is accepted
    if rows_accepted != count - bad:
        failures.append(f"{count:,}-row upload: {rows_accepted:,} rows accepted; want {count - bad:,}")
    return failures


def _write_typed(sheet, row: int, col: int, value, date_format) -> None:
    """``value`` with its own type, as a spreadsheet stores what was typed into a cell not formatted as text: a
    ``Formula``, a boolean, a date (``date_format``) or a number."""
    from bench.support_plants import Formula

    if isinstance(value, Formula):
        sheet.write_formula(row, col, value.text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value, date_format)
    else:
        sheet.write_number(row, col, float(value))


def write_xlsx(path: Path, *, pair, count: int, villages: list[str]) -> Path:
    import xlsxwriter

    from support_uploads.template_spec import current_spec

    spec = current_spec()
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    wb = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
    text = wb.add_format({"num_format": "@"})
    date_format = wb.add_format({"num_format": "dd-mm-yyyy"})
    keys = [f.key for f in spec.fields]
    sheet, row_in_sheet = None, 0
    sheets = 0
    for values, _code in planted_rows(count, villages):
        if sheet is None or row_in_sheet > spec.max_rows_per_sheet:
            sheet = wb.add_worksheet(spec.data_sheet_name(sheets))
            sheets += 1
            sheet.set_column(0, len(keys) - 1, 16, text)
            sheet.write_row(0, 0, spec.headers)
            row_in_sheet = 1
        for col, key in enumerate(keys):
            value = values[key]
            if type(value) is str:
                if value:
                    sheet.write_string(row_in_sheet, col, value)
            else:
                _write_typed(sheet, row_in_sheet, col, value, date_format)
        row_in_sheet += 1
    _write_meta(wb, spec, pair)
    wb.close()
    tmp.rename(path)
    return path


def _write_meta(wb, spec, pair) -> None:
    """The veryHidden metadata sheet, signed as SILON's own template is."""
    from support_uploads.signing import template_signature

    meta = wb.add_worksheet(spec.meta_sheet)
    signature = template_signature(version=spec.version, election_id=pair.election_id, pair_id=pair.pk)
    for r, (k, v) in enumerate(
        [
            ("template_version", spec.version),
            ("election_id", str(pair.election_id)),
            ("pair_id", str(pair.pk)),
            ("signature", signature),
        ]
    ):
        meta.write_string(r, 0, k)
        meta.write_string(r, 1, v)
    meta.very_hidden()


def write_csv(path: Path, *, rows: list[dict]) -> Path:
    import polars as pl

    from support_uploads.template_spec import current_spec

    spec = current_spec()
    frame = pl.DataFrame({f.header: [r[f.key] for r in rows] for f in spec.fields})
    frame.write_csv(path)
    return path
