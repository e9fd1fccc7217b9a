"""The bad rows the support benches plant: one kind for every row-level reason code of the rule registry
(``support_uploads.rules.RULES``), plus the duplicates (DUP_IDENTICAL, DUP_POTENTIAL; the cross-pair
DUP_EXTERNAL is the concurrent run's), each with every reason its row must get, exactly.

The cell reasons are generated from the same data the rules are (``template_spec`` and ``shapes``): one
``NOT_TEXT_<column>`` per column and one ``<column>_HAS_<shape>`` per column and foreign shape, so a new
column or shape is planted without a line here. A rule of any other kind needs its plant in ``HAND``:
``unplanted()`` names the registered codes without one, and the bench fails on them (as does
``tests/support_uploads/test_cells.py``)."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass

from support_uploads.rules import RULES
from support_uploads.shapes import mismatch_codes
from support_uploads.template_spec import current_spec

Make = Callable[[dict, dict | None], dict]  # (a good row, the row before it) → the bad row


@dataclass(frozen=True)
class Formula:
    """A cell written as a formula (``=...``), not as text."""

    text: str


@dataclass(frozen=True)
class Plant:
    code: str  # the reason this kind of row is planted for
    make: Make
    reasons: tuple[str, ...]  # every reason the planted row gets, ``code`` among them
    previous: tuple[str, ...] = ()  # the reasons the row before it gets because of it (a duplicate's first row)


# a real village of the list outside the election's province (set by the support bench's set-up, and by the
# test of the bench file), for VILLAGE_OUTSIDE
OUTSIDE_VILLAGE: list[str] = []
LONG_ADDRESS = "Jl. " + "Panjang Sekali " * 20  # 304 characters: over Alamat's 250
PLANTED_EMAIL = "pendukung@contoh.id"


def _wrong_birth_day(row: dict, _previous: dict | None) -> dict:
    # another day of the same month (never 29-02 of a year before: that is DATE_INVALID, rightly)
    day = int(row["birth_date"][:2])
    return row | {"birth_date": f"{day + 1 if day < 28 else day - 1:02d}" + row["birth_date"][2:]}


def _under_age(row: dict, _previous: dict | None) -> dict:
    birth = datetime.date(datetime.date.today().year - 10, 3, 4)  # a child, whatever day the bench runs
    day = birth.day + (40 if row["sex"] == "P" else 0)
    nik = row["nik"][:6] + f"{day:02d}{birth:%m%y}" + row["nik"][12:]
    return row | {"nik": nik, "birth_date": f"{birth:%d-%m-%Y}", "marital": "B"}


def _shifted(direction: str) -> Make:
    """The row moved one column: a cell inserted before NIK (right) or the NIK cell deleted (left)."""

    def shift(row: dict, _previous: dict | None) -> dict:
        values = list(row.values())
        moved = ["", *values[:-1]] if direction == "right" else [*values[1:], ""]
        return dict(zip(row, moved, strict=True))

    return shift


def _set(**values: Callable[[dict], object]) -> Make:
    return lambda row, _previous: row | {key: value(row) for key, value in values.items()}


# the plants of the reasons that are not generated from the columns and shapes: one reason each, but for the
# duplicates, which copy the (good) row before them
HAND: dict[str, Make] = {
    "NIK_NUMERIC": _set(nik=lambda row: int(row["nik"])),  # a number cell: the spreadsheet may drop digits
    "NIK_FORMAT": _set(nik=lambda row: row["nik"][:15]),
    "NIK_REGION": _set(nik=lambda row: "99" + row["nik"][2:]),  # no province 99: issued nowhere
    "NIK_BIRTHDATE": _wrong_birth_day,
    "NIK_SEX": _set(sex=lambda row: "L" if row["sex"] == "P" else "P"),
    "KK_NUMERIC": _set(kk=lambda row: int(row["kk"])),
    "KK_FORMAT": _set(kk=lambda row: row["kk"][:15]),
    "REQUIRED_EMPTY": _set(name=lambda row: ""),
    "FIELD_TOO_LONG": _set(address=lambda row: LONG_ADDRESS),
    "SEX_INVALID": _set(sex=lambda row: "X"),
    "MARITAL_INVALID": _set(marital=lambda row: "Z"),
    "DATE_INVALID": _set(birth_date=lambda row: row["birth_date"].replace("-", "/")),
    "RT_INVALID": _set(rt=lambda row: "12A4"),
    "RW_INVALID": _set(rw=lambda row: "1X"),
    "PHONE_INVALID": _set(phone=lambda row: row["phone"][:6]),  # six digits: too short for a number
    "EMAIL_INVALID": _set(email=lambda row: "pendukung.contoh.id"),
    "VILLAGE_UNKNOWN": _set(village_code=lambda row: "52.99.99.9999"),
    "VILLAGE_OUTSIDE": _set(village_code=lambda row: OUTSIDE_VILLAGE[0]),
    "UNDER_AGE": _under_age,
    "OCCUPATION_EXCLUDED": _set(occupation=lambda row: "PNS"),
    "NAME_INVALID": _set(name=lambda row: row["name"] + " 2"),
    "BIRTH_PLACE_INVALID": _set(birth_place=lambda row: "Mataram 2"),
    "OCCUPATION_INVALID": _set(occupation=lambda row: "123"),
    "COLUMN_SHIFTED_RIGHT": _shifted("right"),
    "COLUMN_SHIFTED_LEFT": _shifted("left"),
}
DUPLICATES: dict[str, tuple[Make, tuple[str, ...]]] = {
    # same NIK, different data: both rows are held for review, the earlier one too (docs/domain.md §4: neither
    # counts until an operator decides)
    "DUP_POTENTIAL": (lambda _row, previous: dict(previous, name=previous["name"] + " Binti"), ("DUP_POTENTIAL",)),
    "DUP_IDENTICAL": (lambda _row, previous: dict(previous), ()),
}

# --- the generated plants and what the older rules say of them -----------------------------------------

# a value of each marked shape (``shapes.MARKED``), taken from the row where it has one of its own
SHAPE_VALUES: dict[str, Callable[[dict], str]] = {
    "nik": lambda row: row["nik"],
    "date": lambda row: row["birth_date"],
    "village_code": lambda row: row["village_code"],
    "phone": lambda row: row["phone"],
    "email": lambda row: PLANTED_EMAIL,
}
# each column's own format rule in ``rules.py``, as an independent oracle of what a planted value earns there:
# code, and the pattern a value passing it matches whole (the village code: no planted value is a village)
OWN_FORMAT = {
    "nik": ("NIK_FORMAT", r"[0-9]{16}"),
    "kk": ("KK_FORMAT", r"[0-9]{16}"),
    "birth_date": ("DATE_INVALID", r"[0-9]{2}-[0-9]{2}-[0-9]{4}"),
    "sex": ("SEX_INVALID", r"[LPlp]"),
    "marital": ("MARITAL_INVALID", r"[BSPbsp]"),
    "rt": ("RT_INVALID", r"[0-9]{1,3}"),
    "rw": ("RW_INVALID", r"[0-9]{1,3}"),
    "village_code": ("VILLAGE_UNKNOWN", r"(?!)"),
    "email": ("EMAIL_INVALID", r"[^@\s]+@[^@\s]+\.[^@\s]+"),
}
# NIK and No. KK: a cell that is not text keeps NOT_TEXT alone (their format rules leave such cells out)
FORMAT_SKIPS_NOT_TEXT = ("nik", "kk")


def own_format_reasons(key: str, value: str, *, text: bool = True) -> set[str]:
    """The reasons the older rules give ``value`` (as the reader reads it) in column ``key``."""
    field = current_spec().field(key)
    reasons = {"FIELD_TOO_LONG"} if len(value) > field.max_length else set()
    if key == "phone":
        if not re.fullmatch(r"\+?[0-9]{8,15}", re.sub(r"[ \-.()]", "", value)):
            reasons.add("PHONE_INVALID")
    elif key in OWN_FORMAT and (text or key not in FORMAT_SKIPS_NOT_TEXT):
        code, pattern = OWN_FORMAT[key]
        if not re.fullmatch(pattern, value):
            reasons.add(code)
    return reasons


def _not_text_cell(key: str, row: dict) -> tuple[object, str]:
    """A cell of column ``key`` stored as something other than text, as spreadsheets make them, and the value
    the reader gets from it: NIK and No. KK as formulas (as numbers they have their own reasons), the date
    of birth as a date, digits as the number they look like, anything else as the number 7."""
    value = row[key]
    if key in FORMAT_SKIPS_NOT_TEXT:
        formula = f'="{value}"'
        return Formula(formula), formula
    if key == "birth_date":
        cell = datetime.datetime.strptime(value, "%d-%m-%Y")
        return cell, f"{cell:%Y-%m-%d %H:%M:%S}"  # read in ISO form
    digits = value.replace(".", "")
    if digits.isdigit():
        return int(digits), str(int(digits))
    return 7, "7"


def _read_dotted(key: str, read: str) -> str:
    # a village code read as ten bare digits is dotted again by the rules (``rules.prepare``)
    if key == "village_code" and re.fullmatch(r"[0-9]{10}", read):
        return f"{read[:2]}.{read[2:4]}.{read[4:6]}.{read[6:]}"
    return read


def _not_text_plant(key: str, reference: dict) -> Plant:
    code = f"NOT_TEXT_{key.upper()}"
    _cell, read = _not_text_cell(key, reference)
    read = _read_dotted(key, read)
    # a value read back unchanged (a village code typed as its ten digits) still passes its format rule
    also = set() if read == reference[key] else own_format_reasons(key, read, text=False)
    return Plant(code, lambda row, _previous: row | {key: _not_text_cell(key, row)[0]}, (code, *sorted(also)))


def _mismatch_plant(code: str, key: str, shape: str, reference: dict) -> Plant:
    also = own_format_reasons(key, SHAPE_VALUES[shape](reference))
    return Plant(code, lambda row, _previous: row | {key: SHAPE_VALUES[shape](row)}, (code, *sorted(also)))


def reference_row() -> dict:
    """A good row like the bench's: the generated plants' reasons are worked out on it (every sample row has
    values of the same shapes and lengths)."""
    from support_uploads.sample_data import sample_row

    return sample_row(0, "52.01.01.2001")


def plants() -> list[Plant]:
    """Every kind of planted row: the registry's codes in its order, then the duplicates."""
    reference = reference_row()
    generated = {f"NOT_TEXT_{f.key.upper()}": _not_text_plant(f.key, reference) for f in current_spec().fields}
    for code, key, shape in mismatch_codes(current_spec()):
        generated[code] = _mismatch_plant(code, key, shape, reference)
    result = []
    for code in RULES:
        if code in generated:
            result.append(generated[code])
        elif code in HAND:
            result.append(Plant(code, HAND[code], (code,)))
    result += [Plant(code, make, (code,), previous) for code, (make, previous) in DUPLICATES.items()]
    return result


def unplanted() -> list[str]:
    """The registered row reasons no planted row carries: each is a reason the bench would never see."""
    planted = {reason for plant in plants() for reason in plant.reasons}
    return [code for code in RULES if code not in planted]
