"""Property-based tests (hypothesis) of the upload reader, the row rules and the NIK parser: arbitrary input
never crashes them, stays within a time bound, and every data row gets a result."""

import csv
import datetime
import io
import tempfile
import time
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidacy.nik import NikError, nik_matches, parse_nik
from support_uploads.reading import FileRejected, read_upload
from support_uploads.rules import RuleContext, apply_rules
from support_uploads.template_spec import current_spec

SPEC = current_spec()
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
cell_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40
) | st.sampled_from(["=1+1", "3201014101900001", "3.2E+15", " ", "01-02-1990", "1990-02-30", "52.01.01.2001"])


# what a worksheet can hold (XML 1.0 has no control characters)
sheet_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x24F), max_size=30) | st.sampled_from(
    ["=1+1", "3201014101900001", "3.2E+15", "01-02-1990", "52.01.01.2001"]
)


def _write(content: bytes) -> Path:
    fh = tempfile.NamedTemporaryFile(delete=False, suffix=".bin")  # noqa: SIM115
    fh.write(content)
    fh.close()
    return Path(fh.name)


def _read(content: bytes):
    path = _write(content)
    started = time.perf_counter()
    try:
        return read_upload(path, election_id=1, pair_id=1, max_rows=10_000)
    finally:
        assert time.perf_counter() - started < 5
        path.unlink()


@FAST
@given(st.binary(max_size=4096))
def test_any_bytes_are_read_or_refused_with_a_message(content):
    try:
        result = _read(content)
    except FileRejected as rejected:
        assert rejected.code and rejected.message
        return
    assert result.frame.height >= 1


rows_strategy = st.lists(st.lists(cell_text, min_size=0, max_size=len(SPEC.fields) + 2), min_size=1, max_size=30)


@FAST
@given(rows_strategy, st.sampled_from([",", ";"]))
def test_csv_every_row_with_a_value_gets_a_row(rows, separator):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(SPEC.headers)
    for row in rows:
        writer.writerow(row)
    try:
        result = _read(out.getvalue().encode("utf-8"))
    except FileRejected as rejected:
        assert rejected.message
        return
    frame = result.frame
    # row numbers are distinct file lines (2 = the first data line), and no row is invented
    numbers = frame.get_column("row_number").to_list()
    assert len(set(numbers)) == len(numbers)
    assert all(2 <= n <= len(rows) + 1 for n in numbers)


def _context() -> RuleContext:
    return RuleContext(
        spec=SPEC,
        polling_day=datetime.date(2026, 11, 27),
        regency_prefixes=pl.Series(["5201", "5206"], dtype=pl.String),
        version_villages=pl.Series(["52.01.01.2001", "52.06.01.2001"], dtype=pl.String),
        region_villages=pl.Series(["52.01.01.2001"], dtype=pl.String),
    )


@FAST
@given(st.lists(st.fixed_dictionaries({f.key: st.none() | cell_text for f in SPEC.fields}), min_size=1, max_size=40))
def test_rules_give_every_row_a_result(rows):
    frame = pl.DataFrame(rows, schema={f.key: pl.String for f in SPEC.fields}).with_columns(
        pl.int_range(2, len(rows) + 2, dtype=pl.UInt32).alias("row_number"),
        pl.lit(False).alias("nik_numeric"),
        pl.lit(False).alias("kk_numeric"),
        pl.lit(0, dtype=pl.UInt16).alias("sheet"),
    )
    started = time.perf_counter()
    checked = apply_rules(frame, _context())
    assert time.perf_counter() - started < 5
    assert checked.height == len(rows)
    assert checked.get_column("reasons").null_count() == 0
    # a row without a valid NIK can never come out without a reason
    bad_nik = checked.filter(~pl.col("nik").fill_null("").str.contains(r"^[0-9]{16}$"))
    assert (bad_nik.get_column("reasons") != "").all()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=24) | st.from_regex(r"[0-9]{16}", fullmatch=True))
def test_nik_parser_accepts_or_refuses(nik):
    try:
        facts = parse_nik(nik)
    except NikError as exc:
        assert str(exc).startswith(("NIK", "Digit"))
        return
    assert len(nik.strip()) == 16 and nik.strip().isdigit()
    assert facts.birth_dates()
    for day in facts.birth_dates():
        assert nik_matches(nik, day, "F" if facts.female else "M")


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(r"[0-9]{6}", fullmatch=True),
    st.dates(datetime.date(1900, 1, 1), datetime.date(2010, 12, 31)),
    st.sampled_from("MF"),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)
def test_nik_built_from_a_birth_date_matches_it(area, birth, sex, serial):
    day = birth.day + (40 if sex == "F" else 0)
    nik = f"{area}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial}"
    assert nik_matches(nik, birth, sex)
    assert not nik_matches(nik, birth, "M" if sex == "F" else "F")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=16) | st.from_regex(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?", fullmatch=True))
def test_region_code_validation_never_crashes(code):
    """The loader's check (shape first, then the kind the digits encode) answers for any string."""
    from regions.loading import _well_shaped, kind_for, parent_of

    if not _well_shaped(code):
        return
    kind = kind_for(code)
    assert kind is None or isinstance(kind, str)
    assert len(parent_of(code)) < len(code)


@pytest.mark.django_db
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(st.lists(st.fixed_dictionaries({f.key: sheet_text for f in SPEC.fields}), min_size=1, max_size=15))
def test_xlsx_template_rows_are_all_read(pair, rows):
    """Whatever the LO types into the real template, every row with a value comes back, in order."""
    from tests.support_uploads.conftest import template_xlsx

    content = template_xlsx(pair, rows)
    path = _write(content)
    started = time.perf_counter()
    try:
        result = read_upload(path, election_id=pair.election_id, pair_id=pair.pk, max_rows=10_000)
    except FileRejected as rejected:
        assert rejected.message
        return
    finally:
        path.unlink()
    assert time.perf_counter() - started < 5
    expected = [i + 2 for i, row in enumerate(rows) if any(v.strip(" ") for v in row.values())]
    assert sorted(result.frame.get_column("row_number").to_list()) == expected
