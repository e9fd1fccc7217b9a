"""Arithmetic on Kemendagri region codes: the one place that knows how a code is built.

A code is ``PP.KK.CC.DDDD``: province (2 digits), kab/kota (2), kecamatan (2), desa/kelurahan (4), joined by
dots. Every segment has a fixed width, so a region's ancestors are the prefixes of its code that end on a
segment boundary, and its level is its number of segments::

    province_of("52.01.01.1001") == "52"         level_of("52.01") == "regency"
    regency_of("52.01.01.1001") == "52.01"       parent_of("52.01.01") == "52.01"
    district_of("52.01.01.1001") == "52.01.01"   ancestors_of("52.01.01") == ["52", "52.01"]
    is_within("52.01.01.1001", "52.01")          within_q("village_code", "52.01")  # the same, as a query

Nothing is normalised: a caller holding a cell value strips it first. ``is_within`` and ``within_q`` are
defined in ``silon.accounts.jurisdiction`` (user reach, at the bottom of the dependency stack, is built on
them) and re-exported here so that all of the arithmetic has one address.
"""

import re

from django.db.models import Q
from django.db.models.functions import Substr

from silon.accounts.jurisdiction import code_within as is_within
from silon.accounts.jurisdiction import within_q

from .models import Kind, Level

__all__ = [
    "CODE_LENGTH",
    "LEVEL_BY_SEGMENTS",
    "ancestor_at",
    "ancestor_at_column",
    "ancestor_at_sql",
    "ancestors_of",
    "child_length",
    "child_of",
    "child_sql",
    "district_of",
    "dotted_column",
    "is_well_shaped",
    "is_within",
    "kind_for",
    "level_of",
    "parent_of",
    "province_of",
    "regency_of",
    "under_q",
    "within_q",
]

LEVEL_BY_SEGMENTS = {1: Level.PROVINCE, 2: Level.REGENCY, 3: Level.DISTRICT, 4: Level.VILLAGE}
# The length of a code at each level: "52", "52.01", "52.01.01", "52.01.01.1001".
CODE_LENGTH = {Level.PROVINCE: 2, Level.REGENCY: 5, Level.DISTRICT: 8, Level.VILLAGE: 13}

# The width of each segment, outermost first.
SEGMENT_WIDTHS = (2, 2, 2, 4)

_SHAPE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?", re.ASCII)
# Plain strings, looked up per row: enum attribute access is measurably slow over ~90k rows.
_LEVEL_VALUE_BY_SEGMENTS = {n: level.value for n, level in LEVEL_BY_SEGMENTS.items()}
_CHILD_LENGTH = {0: 2, 2: 5, 5: 8, 8: 13}
_VILLAGE_KIND = {"1": Kind.KELURAHAN.value, "2": Kind.DESA.value, "3": Kind.DESA_ADAT.value}


def is_well_shaped(code: str) -> bool:
    """``PP``, ``PP.KK``, ``PP.KK.CC`` or ``PP.KK.CC.DDDD`` in ASCII digits (segment values not checked)."""
    return _SHAPE.fullmatch(code) is not None


def level_of(code: str) -> str | None:
    """The ``Level`` value of a code by its number of segments, or None for more than four."""
    return _LEVEL_VALUE_BY_SEGMENTS.get(code.count(".") + 1)


def province_of(code: str) -> str:
    """The province of a code at any level (a province gives itself)."""
    return code[: CODE_LENGTH[Level.PROVINCE]]


def regency_of(code: str) -> str:
    """The kab/kota of a code at kab/kota level or below."""
    return code[: CODE_LENGTH[Level.REGENCY]]


def district_of(code: str) -> str:
    """The kecamatan of a code at kecamatan level or below."""
    return code[: CODE_LENGTH[Level.DISTRICT]]


def ancestor_at(code: str, level: str) -> str:
    """The code's region at ``level`` (a ``Level`` value at or above the code's own level)."""
    return code[: CODE_LENGTH[level]]


def ancestor_at_sql(field: str, level: str) -> Substr:
    """``ancestor_at`` as a database expression over the code column ``field``."""
    return Substr(field, 1, CODE_LENGTH[level])


def ancestor_at_column(column, level: str):
    """``ancestor_at`` over a polars string expression (``pl.col("village_code")``), for whole frames."""
    return column.str.slice(0, CODE_LENGTH[level])


def dotted_column(column):
    """A code typed without its dots (``"5201012001"``) in dotted form, over a polars string expression."""
    import polars as pl  # only the upload pipeline works on frames

    parts, start = [], 0
    for width in SEGMENT_WIDTHS:
        parts.append(column.str.slice(start, width))
        start += width
    return pl.concat_str(parts, separator=".")


def parent_of(code: str) -> str:
    """The code with its last segment removed ('' for a province)."""
    head, _sep, _tail = code.rpartition(".")
    return head


def ancestors_of(code: str) -> list[str]:
    """``'52.01.01.1001'`` → ``['52', '52.01', '52.01.01']`` (outermost first, the code itself excluded)."""
    segments = code.split(".")
    return [".".join(segments[:i]) for i in range(1, len(segments))]


def child_length(code: str) -> int:
    """The length of the codes of ``code``'s direct children ('' has the provinces as children; a village,
    which has none, gives its own length)."""
    return _CHILD_LENGTH.get(len(code), len(code))


def child_of(code: str, parent: str) -> str:
    """The direct child of ``parent`` that ``code`` lies in (or is): ``child_of("52.01.01.1001", "52.01")``
    is ``"52.01.01"``."""
    return code[: child_length(parent)]


def child_sql(field: str, code: str) -> Substr:
    """The code column ``field`` cut to the length of ``code``'s direct children, as a database expression."""
    return Substr(field, 1, child_length(code))


def under_q(field: str, prefix: str) -> Q:
    """A ``Q`` matching rows whose ``field`` lies strictly under ``prefix`` ('' is everything)."""
    return Q(**{f"{field}__startswith": prefix + "."}) if prefix else Q()


def kind_for(code: str) -> str | None:
    """The Kemendagri kind encoded in a well-shaped code, or None when a segment is outside the convention.

    Regency segment 01-69 is a kabupaten and 71-99 a kota; the first village digit is 1 kelurahan,
    2 desa, 3 desa adat (docs/domain.md §6).
    """
    length = len(code)
    if province_of(code) == "00":
        return None
    if length == CODE_LENGTH[Level.PROVINCE]:
        return Kind.PROVINSI.value
    if length == CODE_LENGTH[Level.REGENCY]:
        regency = int(code[3:5])
        if 1 <= regency <= 69:
            return Kind.KABUPATEN.value
        if 71 <= regency <= 99:
            return Kind.KOTA.value
        return None
    if length == CODE_LENGTH[Level.DISTRICT]:
        return Kind.KECAMATAN.value if code[6:8] != "00" else None
    return _VILLAGE_KIND.get(code[9])
