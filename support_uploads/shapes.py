"""What a value of each template column looks like, as data beside ``template_spec`` (each ``Field`` names
its shape here). KPU rejects support whose value does not match its column's heading or whose columns were
shifted (docs/domain.md §7); these shapes are how the row rules tell.

``fits`` is the column's own, loose form: what its values look like (a name is letters and name punctuation,
a place has no digits, an occupation is free text with letters). ``refuses`` takes back values of that form
that are something else (an occupation written as a date in words, "17 Agustus 1990"), and ``vocabulary``
lists values that fit whatever the patterns say, compared leniently (``occupations.normalise``). ``marker``
is set for a shape recognisable in any column (a 16-digit NIK, a date, a dotted village code, a mobile
number, an e-mail address): such a value in another column is reported naming both columns. Patterns are Rust
regular expressions (polars), matched against the trimmed value.
"""

from dataclasses import dataclass

import polars as pl

from .occupations import VOCABULARY, normalise_column
from .template_spec import TemplateSpec

LETTER = r"\p{L}\p{M}"
# 17-08-1990, 17/8/90, 17.08.1990, and the ISO form a date cell is read as (1990-08-17, 1990-08-17 00:00:00)
DATE = r"^[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:[0-9]{2}|[0-9]{4})$|^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[ T][0-9:.]+)?$"
# a date with its month in words, Indonesian or English, full or short: 17 Agustus 1990, 17-Agu-90, Agustus
# 1990, August 17, 1990
MONTH = (
    r"(?:JANUARI|JANUARY|JAN|FEBRUARI|PEBRUARI|FEBRUARY|FEB|PEB|MARET|MARCH|MAR|APRIL|APR|MEI|MAY|JUNI|JUNE|JUN"
    r"|JULI|JULY|JUL|AGUSTUS|AUGUST|AGT|AGS|AGU|AUG|SEPTEMBER|SEPT|SEP|OKTOBER|OCTOBER|OKT|OCT|NOVEMBER|NOPEMBER"
    r"|NOV|NOP|DESEMBER|DECEMBER|DES|DEC)\.?"
)
SEP = r"[\s\-/.,]*"
DATE_IN_WORDS = rf"(?i)^(?:[0-9]{{1,2}}{SEP})?{MONTH}{SEP}[0-9]{{2,4}}$|^{MONTH}{SEP}[0-9]{{1,2}}{SEP}[0-9]{{4}}$"


@dataclass(frozen=True)
class Shape:
    key: str
    fits: str  # a value of the column matches this
    marker: str | None = None  # a value matching this is of this shape, in whatever column it stands
    refuses: str | None = None  # ... unless it matches this
    vocabulary: frozenset[str] = frozenset()  # normalised values that fit in any case


SHAPES = {
    shape.key: shape
    for shape in (
        Shape("nik", r"^[0-9]{16}$", marker=r"^[1-9][0-9]{15}$"),  # NIK and No. KK (docs/domain.md §6)
        # letters, spaces and the punctuation of names on a KTP-el (Al-Fatih, H. Ahmad, S.Pd., Siti 'Aisyah)
        Shape("name", rf"^[{LETTER}][{LETTER} .,'’`\-]*$"),
        Shape("place", rf"^[{LETTER}][{LETTER} .,'’`\-()/]*$"),  # a place name: no digits
        Shape("date", DATE, marker=DATE),
        Shape("sex", r"^[LPlp]$"),
        Shape("marital", r"^[BSPbsp]$"),
        # the KTP-el's occupations (``occupations``), or free text with letters that is no date written in words
        # (digits only and dates in figures have no letters)
        Shape("occupation", rf"[{LETTER}]", refuses=DATE_IN_WORDS, vocabulary=VOCABULARY),
        Shape("address", rf"[{LETTER}]"),
        Shape("digits", r"^[0-9]{1,3}$"),  # RT, RW
        Shape(
            "village_code",
            r"^[0-9]{2}\.?[0-9]{2}\.?[0-9]{2}\.?[0-9]{4}$",
            marker=r"^[1-9][0-9]\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$",  # with dots: ten bare digits are ambiguous
        ),
        Shape(
            "phone",
            r"^\+?[( ]*[0-9](?:[ \-.()]*[0-9]){7,14}$",
            marker=r"^(?:\+62|62|0)8(?:[ \-.]?[0-9]){7,12}$",  # an Indonesian mobile number
        ),
        Shape("email", r"^[^@\s]+@[^@\s]+\.[^@\s]+$", marker=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    )
}

# the shapes recognisable anywhere, each named in messages by the first column that holds it
MARKED = tuple(key for key, shape in SHAPES.items() if shape.marker)


def fits(value: pl.Expr, shape: str) -> pl.Expr:
    """True where ``value`` fits ``shape``, null where it is empty."""
    own = SHAPES[shape]
    expr = value.str.contains(own.fits)
    if own.refuses:
        expr = expr & ~value.str.contains(own.refuses)
    if own.vocabulary:
        # normalised only where the patterns refuse the value (most values fit: a clean file pays little)
        refused = pl.when(~expr).then(value)
        expr = expr | normalise_column(refused).is_in(sorted(own.vocabulary))
    return expr


def mismatch_codes(spec: TemplateSpec) -> list[tuple[str, str, str]]:
    """(reason code, column key, shape key) for every column and every marked shape that is not its own:
    ``NAME_HAS_NIK`` is a NIK-shaped value in Nama."""
    return [
        (f"{f.key.upper()}_HAS_{shape.upper()}", f.key, shape)
        for f in spec.fields
        for shape in MARKED
        if shape != f.shape
    ]


def _scattered(frame: pl.DataFrame, rows: pl.Series, computed: pl.DataFrame) -> list[pl.Series]:
    """Columns of ``computed`` (one row per True in ``rows``) spread over the whole frame, null elsewhere."""
    positions = rows.arg_true()
    return [
        pl.repeat(None, frame.height, dtype=column.dtype, eager=True).alias(column.name).scatter(positions, column)
        for column in computed.iter_columns()
    ]


def with_shapes(frame: pl.DataFrame, spec: TemplateSpec) -> pl.DataFrame:
    """Add, per column, ``_fits_<key>`` (the value fits its own shape; null where empty) and ``_marked_<key>``
    (the marked shape of another column the value has, if any; only cells stored as text).

    Set-based and cheap for a clean file: one pass per column for its own shape and one for all the other
    columns' markers at once; which marker matched is worked out only for the rows where one did."""
    any_marker = []
    for f in spec.fields:
        others = "|".join(f"(?:{SHAPES[shape].marker})" for shape in MARKED if shape != f.shape)
        any_marker.append(pl.col(f.key).str.contains(others).fill_null(False) & ~pl.col(f"{f.key}_not_text"))
    frame = frame.with_columns(
        [fits(pl.col(f.key), f.shape).alias(f"_fits_{f.key}") for f in spec.fields]
        + [flag.alias(f"_any_marker_{f.key}") for f, flag in zip(spec.fields, any_marker, strict=True)]
    )
    hit = frame.select(pl.any_horizontal([f"_any_marker_{f.key}" for f in spec.fields])).to_series()
    frame = frame.drop([f"_any_marker_{f.key}" for f in spec.fields])
    names = [f"_marked_{f.key}" for f in spec.fields]
    if not hit.any():
        return frame.with_columns([pl.lit(None, dtype=pl.String).alias(name) for name in names])
    detail = []
    for f, name in zip(spec.fields, names, strict=True):
        text = ~pl.col(f"{f.key}_not_text")
        chain = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
        for shape in MARKED:
            if shape != f.shape:
                chain = chain.when(text & pl.col(f.key).str.contains(SHAPES[shape].marker)).then(pl.lit(shape))
        detail.append(chain.otherwise(None).alias(name))
    return frame.with_columns(_scattered(frame, hit, frame.filter(hit).select(detail)))


# A shifted row: at least this many cells do not fit their own heading, and at most SHIFT_SLACK cells do not
# fit the heading beside them. One cell typed wrong is a wrong cell; most of a row fitting its neighbours is a
# row moved sideways (a cell inserted or deleted at its start).
SHIFT_MIN_MISFITS = 3
SHIFT_SLACK = 1


def _misfits(spec: TemplateSpec, offset: int) -> pl.Expr:
    """How many cells of a row do not fit the heading ``offset`` columns to their right (0: their own, from
    ``with_shapes``)."""
    fields = spec.fields
    counts = []
    for index, f in enumerate(fields):
        value = pl.col(f.key)
        target = index + offset
        if offset == 0:
            misfit = value.is_not_null() & ~pl.col(f"_fits_{f.key}").fill_null(False)
        elif 0 <= target < len(fields):
            misfit = value.is_not_null() & ~fits(value, fields[target].shape).fill_null(False)
        else:
            misfit = value.is_not_null()  # a value pushed out of the table's columns
        counts.append(misfit.cast(pl.UInt8))
    return pl.sum_horizontal(counts)


def shift_direction(frame: pl.DataFrame, spec: TemplateSpec) -> pl.Series:
    """Per row "right", "left" or null: the row's values fit the headings beside them better than their own.

    A row moved one column right (a cell inserted before NIK) has its NIK under No. KK, its name under
    Tempat Lahir..., so each value fits the heading on its left (offset -1). Only rows with several misfits
    of their own (``with_shapes`` ran) are examined further, so a clean file pays no extra pass."""
    candidates = frame.select(_misfits(spec, 0) >= SHIFT_MIN_MISFITS).to_series()
    if not candidates.any():
        return pl.repeat(None, frame.height, dtype=pl.String, eager=True).alias("shift")
    checked = (
        frame.filter(candidates)
        .select(_misfits(spec, -1).alias("right"), _misfits(spec, 1).alias("left"))
        .select(
            pl.when((pl.col("right") <= SHIFT_SLACK) & (pl.col("right") <= pl.col("left")))
            .then(pl.lit("right"))
            .when(pl.col("left") <= SHIFT_SLACK)
            .then(pl.lit("left"))
            .otherwise(None)
            .alias("shift")
        )
    )
    return _scattered(frame, candidates, checked)[0]
