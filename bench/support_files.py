"""The supporter files the benches upload: realistic B.1-KWK rows over real villages with a known share of
each kind of bad row planted, written as a signed xlsx (xlsxwriter, constant_memory) or as CSV."""

import datetime
from collections.abc import Callable, Iterator
from pathlib import Path

from bench import OUT

# kinds of bad rows planted every 1,000 rows (position in the block → the one reason it must get): every
# row-level reason a supporter file can earn on its own (the cross-pair DUP_EXTERNAL is the concurrent run's)
BAD_EVERY_1000 = {
    101: "NIK_FORMAT",
    151: "NIK_REGION",
    181: "NIK_BIRTHDATE",
    202: "NIK_NUMERIC",
    252: "NIK_SEX",
    303: "REQUIRED_EMPTY",
    353: "SEX_INVALID",
    383: "MARITAL_INVALID",
    404: "DATE_INVALID",
    505: "VILLAGE_UNKNOWN",
    555: "VILLAGE_OUTSIDE",
    606: "UNDER_AGE",
    707: "OCCUPATION_EXCLUDED",
    808: "RT_INVALID",
    858: "RW_INVALID",
    # cells (docs/domain.md §7): not stored as text, of another column's shape, not their own shape, shifted
    121: "NOT_TEXT_RT",
    131: "NOT_TEXT_PHONE",
    141: "NAME_HAS_NIK",
    161: "OCCUPATION_HAS_DATE",
    171: "BIRTH_PLACE_INVALID",
    191: "NAME_INVALID",
    212: "OCCUPATION_INVALID",
    222: "ADDRESS_HAS_EMAIL",
    232: "COLUMN_SHIFTED_RIGHT",
    242: "COLUMN_SHIFTED_LEFT",
    888: "DUP_POTENTIAL",
    909: "DUP_IDENTICAL",
}
# the generator's version is in the cached files' names: a change of the planted rows makes new files
GENERATOR = f"v5-{datetime.date.today().year}"  # the under-age rows are built from the year
# a real village of the list outside the election's province (set by the support bench's set-up), for
# VILLAGE_OUTSIDE
OUTSIDE_VILLAGE: list[str] = []


def _wrong_birth_day(row: dict, _previous: dict | None) -> dict:
    # another day of the same month (never 29-02 of a year before: that is DATE_INVALID, rightly)
    day = int(row["birth_date"][:2])
    row["birth_date"] = f"{day + 1 if day < 28 else day - 1:02d}" + row["birth_date"][2:]
    return row


def _under_age(row: dict, _previous: dict | None) -> dict:
    birth = datetime.date(datetime.date.today().year - 10, 3, 4)  # a child, whatever day the bench runs
    day = birth.day + (40 if row["sex"] == "P" else 0)
    row["nik"] = row["nik"][:6] + f"{day:02d}{birth:%m%y}" + row["nik"][12:]
    row["birth_date"], row["marital"] = f"{birth:%d-%m-%Y}", "B"
    return row


def _shifted(direction: str) -> Callable[[dict, dict | None], dict]:
    """The row moved one column: a cell inserted before NIK (right) or the NIK cell deleted (left)."""

    def shift(row: dict, _previous: dict | None) -> dict:
        keys = list(row)
        values = list(row.values())
        moved = ["", *values[:-1]] if direction == "right" else [*values[1:], ""]
        return dict(zip(keys, moved, strict=True))

    return shift


# the cells written as numbers (not text) for a kind of bad row: its value is unchanged
NUMBER_CELLS = {"NIK_NUMERIC": ("nik",), "NOT_TEXT_RT": ("rt",), "NOT_TEXT_PHONE": ("phone",)}

# how each kind of bad row is made from a good one (and the row before it); the NUMBER_CELLS kinds change no
# value: their cell is written as a number
PLANT: dict[str, Callable[[dict, dict | None], dict]] = {
    "NIK_FORMAT": lambda row, _previous: row | {"nik": row["nik"][:15]},
    "NIK_REGION": lambda row, _previous: row | {"nik": "99" + row["nik"][2:]},  # no province 99: issued nowhere
    "NIK_BIRTHDATE": _wrong_birth_day,
    "NIK_SEX": lambda row, _previous: row | {"sex": "L" if row["sex"] == "P" else "P"},
    "SEX_INVALID": lambda row, _previous: row | {"sex": "X"},
    "MARITAL_INVALID": lambda row, _previous: row | {"marital": "Z"},
    "VILLAGE_OUTSIDE": lambda row, _previous: row | {"village_code": OUTSIDE_VILLAGE[0]},
    "RW_INVALID": lambda row, _previous: row | {"rw": "1X"},
    # same NIK, different data
    "DUP_POTENTIAL": lambda _row, previous: dict(previous, name=previous["name"] + " Binti"),
    "REQUIRED_EMPTY": lambda row, _previous: row | {"name": ""},
    "DATE_INVALID": lambda row, _previous: row | {"birth_date": row["birth_date"].replace("-", "/")},
    "VILLAGE_UNKNOWN": lambda row, _previous: row | {"village_code": "52.99.99.9999"},
    "UNDER_AGE": _under_age,
    "OCCUPATION_EXCLUDED": lambda row, _previous: row | {"occupation": "PNS"},
    "RT_INVALID": lambda row, _previous: row | {"rt": "12A4"},
    "DUP_IDENTICAL": lambda _row, previous: dict(previous),
    "NOT_TEXT_PHONE": lambda row, _previous: row | {"phone": row["phone"].lstrip("0")},  # as a number would
    "NAME_HAS_NIK": lambda row, _previous: row | {"name": row["nik"]},
    "OCCUPATION_HAS_DATE": lambda row, _previous: row | {"occupation": row["birth_date"]},
    "BIRTH_PLACE_INVALID": lambda row, _previous: row | {"birth_place": "Mataram 2"},
    "NAME_INVALID": lambda row, _previous: row | {"name": row["name"] + " 2"},
    "OCCUPATION_INVALID": lambda row, _previous: row | {"occupation": "123"},
    "ADDRESS_HAS_EMAIL": lambda row, _previous: row | {"address": "pendukung@contoh.id"},
    "COLUMN_SHIFTED_RIGHT": _shifted("right"),
    "COLUMN_SHIFTED_LEFT": _shifted("left"),
}


def planted_rows(count: int, villages: list[str], start: int = 0) -> Iterator[tuple[dict, tuple[str, ...], str | None]]:
    """Yield (values, the keys whose cells are written as numbers, expected_reason) for ``count`` rows."""
    from support_uploads.sample_data import sample_row

    previous = None
    for i in range(count):
        index = start + i
        row = sample_row(index, villages[index % len(villages)])
        kind = BAD_EVERY_1000.get(i % 1000)
        if kind in PLANT:
            row = PLANT[kind](row, previous)
        previous = row
        yield row, NUMBER_CELLS.get(kind, ()), kind


# a potential duplicate (same NIK, different data) holds the earlier row it shares the NIK with as well
# (docs/domain.md §4: neither counts until an operator decides), so that code is found on two rows
HELD_WITH_PREVIOUS = frozenset({"DUP_POTENTIAL"})


def expected_counts(count: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for i in range(count):
        kind = BAD_EVERY_1000.get(i % 1000)
        if kind:
            counts[kind] = counts.get(kind, 0) + (2 if kind in HELD_WITH_PREVIOUS else 1)
    return counts


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
    keys = [f.key for f in spec.fields]
    sheet, row_in_sheet = None, 0
    sheets = 0
    for values, numbers, _kind in planted_rows(count, villages):
        if sheet is None or row_in_sheet > spec.max_rows_per_sheet:
            sheet = wb.add_worksheet(spec.data_sheet_name(sheets))
            sheets += 1
            sheet.set_column(0, len(keys) - 1, 16, text)
            sheet.write_row(0, 0, spec.headers)
            row_in_sheet = 1
        for col, key in enumerate(keys):
            value = values[key]
            if key in numbers:
                sheet.write_number(row_in_sheet, col, float(value))
            elif value:
                sheet.write_string(row_in_sheet, col, value)
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
