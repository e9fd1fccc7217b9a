"""Property-based tests (hypothesis) of the upload reader, the row rules, the NIK parser, the date of birth
and the village code: arbitrary input never crashes them, stays within a time bound, every data row gets a
result, and the validators agree with an independent oracle (``datetime``, the election's village list)."""

import csv
import datetime
import io
import re
import tempfile
import time
from importlib import import_module
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidacy.nik import NikError, nik_matches, parse_nik
from support_uploads.reading import FileRejected, read_upload
from support_uploads.rules import MIN_BIRTH_YEAR, RuleContext, apply_rules, status_expr
from support_uploads.template_spec import current_spec
from tests import clock

SPEC = current_spec()
POLLING_DAY = clock.polling_day()
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

# what polars' strip_chars() trims (Rust's char::is_whitespace, Unicode White_Space); Python's str.strip()
# also trims \x1c-\x1f, which polars keeps
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
SEVERITY = {
    code: severity
    for module in ("0002_seed_reasons_occupations", "0007_seed_length_and_batch_reasons", "0012_seed_cell_reasons")
    for code, _label, _label_en, severity, _basis in import_module(f"support_uploads.migrations.{module}").REASONS
}


@FAST
@given(rows_strategy, st.sampled_from([",", ";"]))
def test_csv_every_row_with_a_value_gets_a_row(rows, separator):
    """Every record with a value comes back exactly once, under its own row number (a blank record still
    counts as a line, as in a spreadsheet), with its values trimmed, and leaves the rules with a status and
    a reasons column; records without a value do not come back."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\n")
    writer.writerow(SPEC.headers)
    for row in rows:
        writer.writerow(row)
    try:
        result = _read(out.getvalue().encode("utf-8"))
    except FileRejected as rejected:
        assert rejected.code in ("NO_ROWS", "CORRUPT"), rejected.code
        assert rejected.message
        return
    keys = [f.key for f in SPEC.fields]
    expected = {}
    for index, row in enumerate(rows):
        values = [(row[i].strip(WHITE_SPACE) if i < len(row) else "") or None for i in range(len(keys))]
        if any(values):
            expected[index + 2] = dict(zip(keys, values, strict=True))
    frame = result.frame
    numbers = frame.get_column("row_number").to_list()
    assert len(set(numbers)) == len(numbers)
    assert {n: {k: r[k] for k in keys} for n, r in zip(numbers, frame.iter_rows(named=True), strict=True)} == expected
    checked = apply_rules(frame, _context()).with_columns(status_expr(SEVERITY))
    assert checked.height == len(expected)
    assert checked.get_column("status").null_count() == 0 and checked.get_column("reasons").null_count() == 0
    rejected_rows = checked.filter(pl.col("status") == "rejected")
    assert (rejected_rows.get_column("reasons") != "").all()


def _context() -> RuleContext:
    return RuleContext(
        spec=SPEC,
        polling_day=POLLING_DAY,
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
    from regions.codes import is_well_shaped, kind_for, parent_of

    if not is_well_shaped(code):
        return
    kind = kind_for(code)
    assert kind is None or isinstance(kind, str)
    assert len(parent_of(code)) < len(code)


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
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


# --- the date of birth (DD-MM-YYYY) -------------------------------------------------------------------

date_text = st.one_of(
    st.builds(
        "{:02d}-{:02d}-{:04d}".format, st.integers(0, 39), st.integers(0, 19), st.integers(0, 9999)
    ),  # the right shape, any numbers: 31-02-2000, 29-02-1900, 00-13-0000
    st.builds("{:%d-%m-%Y}".format, st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31))),
    st.builds("{:%Y-%m-%d}".format, st.dates()),  # ISO order
    st.builds("{:%d/%m/%Y}".format, st.dates()),  # another separator
    st.from_regex(r"[0-9]{1,2}-[0-9]{1,2}-[0-9]{2,5}", fullmatch=True),
    st.text(max_size=12),
)


def _oracle(text: str) -> datetime.date | None:
    """The date a DD-MM-YYYY birth date means, by ``datetime``; None when it is none."""
    stripped = text.strip(WHITE_SPACE)
    if not re.fullmatch(r"[0-9]{2}-[0-9]{2}-[0-9]{4}", stripped):
        return None
    try:
        day = datetime.datetime.strptime(stripped, "%d-%m-%Y").date()
    except ValueError:
        return None
    return day if day.year >= MIN_BIRTH_YEAR else None


@settings(max_examples=200, deadline=None)
@given(st.lists(date_text, min_size=1, max_size=40))
def test_birth_dates_are_accepted_exactly_when_datetime_reads_a_real_past_date(texts):
    frame = pl.DataFrame(
        {f.key: [None] * len(texts) for f in SPEC.fields}, schema={f.key: pl.String for f in SPEC.fields}
    )
    frame = frame.with_columns(
        pl.Series("birth_date", [t.strip(WHITE_SPACE) or None for t in texts], dtype=pl.String),
        pl.int_range(2, len(texts) + 2, dtype=pl.UInt32).alias("row_number"),
        pl.lit(False).alias("nik_numeric"),
        pl.lit(False).alias("kk_numeric"),
        pl.lit(0, dtype=pl.UInt16).alias("sheet"),
    )
    checked = apply_rules(frame, _context(), codes=["DATE_INVALID", "UNDER_AGE"])
    for text, parsed, reasons in zip(texts, checked["_dob"].cast(pl.String), checked["reasons"], strict=True):
        day = _oracle(text)
        assert parsed == (day.isoformat() if day else None), text
        refused = "DATE_INVALID" in reasons.split(",")
        if not text.strip(WHITE_SPACE):
            assert not refused  # empty: REQUIRED_EMPTY says so, not the date rule
        else:
            assert refused == (day is None or day > POLLING_DAY), (text, reasons)


# --- the village code of the upload, against the election's region-list version ---------------------


_CONTEXTS: dict[int, RuleContext] = {}


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(data=st.data())
def test_village_codes_are_accepted_exactly_when_in_the_version_and_inside_the_region(election, data):
    """``election`` covers NTB (52) on a list version holding NTB and Bali (51) villages: a code is accepted
    iff it is a village of that version (dotted, or its ten digits typed without dots) inside NTB."""
    from regions.models import Level, Region
    from support_uploads.services.pipeline import rule_context

    if election.pk not in _CONTEXTS:
        _CONTEXTS.clear()
        _CONTEXTS[election.pk] = rule_context(election, SPEC)
    context = _CONTEXTS[election.pk]
    villages = sorted(
        Region.objects.filter(version=election.region_version, level=Level.VILLAGE).values_list("code", flat=True)
    )
    inside = [v for v in villages if v.startswith(election.region_code + ".")]
    outside = [v for v in villages if not v.startswith(election.region_code + ".")]
    assert inside and outside
    a_code = st.one_of(
        st.sampled_from(inside),
        st.sampled_from(outside),
        st.sampled_from(villages).map(lambda v: v.replace(".", "")),  # typed without dots
        st.sampled_from(villages).map(lambda v: v[:-1] + str((int(v[-1]) + 1) % 10)),  # a digit off
        st.from_regex(r"5[0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}", fullmatch=True),
        st.from_regex(r"[0-9]{10}", fullmatch=True),
        st.text(max_size=14),
    )
    codes = data.draw(st.lists(a_code, min_size=1, max_size=30))
    values = [c.strip(WHITE_SPACE) or None for c in codes]
    frame = pl.DataFrame(
        {f.key: [None] * len(codes) for f in SPEC.fields}, schema={f.key: pl.String for f in SPEC.fields}
    )
    frame = frame.with_columns(
        pl.Series("village_code", values, dtype=pl.String),
        pl.int_range(2, len(codes) + 2, dtype=pl.UInt32).alias("row_number"),
        pl.lit(False).alias("nik_numeric"),
        pl.lit(False).alias("kk_numeric"),
        pl.lit(0, dtype=pl.UInt16).alias("sheet"),
    )
    checked = apply_rules(frame, context, codes=["VILLAGE_UNKNOWN", "VILLAGE_OUTSIDE"])
    version, region = set(villages), set(inside)
    for value, reasons in zip(values, checked["reasons"], strict=True):
        if value is None:
            assert reasons == ""  # REQUIRED_EMPTY's business
            continue
        dotted = f"{value[:2]}.{value[2:4]}.{value[4:6]}.{value[6:]}" if re.fullmatch(r"[0-9]{10}", value) else value
        expected = "" if dotted in region else "VILLAGE_OUTSIDE" if dotted in version else "VILLAGE_UNKNOWN"
        assert reasons == expected, (value, reasons)
