"""Row rules for supporter files: every rule is one vectorised function, registered here and nowhere else.

A rule takes the prepared frame's context and returns a boolean polars expression: True where the row
carries the rule's reason code. Adding a rule = one function below + one ``ReasonCode`` row (migration).
Duplicate analysis needs the database and lives in ``dedupe.py``; its codes are DUP_*.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from regions.codes import dotted_column

from .models import NO_SEVERITY_STATUS, SEVERITY_STATUS
from .occupations import normalise_column
from .shapes import mismatch_codes, shift_direction, with_shapes
from .template_spec import ALL_FIELDS, TemplateSpec, current_spec


@dataclass(frozen=True)
class RuleContext:
    spec: TemplateSpec
    polling_day: date
    regency_prefixes: pl.Series  # "5201": every kab/kota code of every region-list version
    version_villages: pl.Series  # every desa/kelurahan code of the election's list version
    region_villages: pl.Series  # those under the election's region
    occupation_exclude: tuple[str, ...] = ()
    occupation_allow: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)


RuleFn = Callable[[RuleContext], pl.Expr]
RULES: dict[str, RuleFn] = {}


def rule(code: str) -> Callable[[RuleFn], RuleFn]:
    def register(fn: RuleFn) -> RuleFn:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        RULES[code] = fn
        return fn

    return register


SIXTEEN_DIGITS = r"^[0-9]{16}$"
MIN_BIRTH_YEAR = 1900


# NIK and No. KK stored as numbers lose digits: their own reasons (NIK_NUMERIC, KK_NUMERIC) say so
DIGIT_LOSS_FIELDS = ("nik", "kk")


def prepare(frame: pl.DataFrame, spec: TemplateSpec | None = None) -> pl.DataFrame:
    """Derived columns every rule reads, computed once: parsed date, normalised codes, NIK parts, and which
    cells were not stored as text (``<key>_not_text``: False where the reader cannot tell, as in CSV)."""
    nik = pl.col("nik")
    # every template's columns, not only this one's: the rules of a column a narrower template lacks (DPD: No.
    # KK, No. HP) read it empty
    missing = [f"{f.key}_not_text" for f in ALL_FIELDS]
    frame = frame.with_columns([pl.lit(False).alias(c) for c in missing if c not in frame.columns])
    frame = frame.with_columns(
        pl.col("sex").str.to_uppercase().alias("sex"),
        pl.col("marital").str.to_uppercase().alias("marital"),
        # "5201012001" typed without dots is the same village: normalise so lookups and the recap agree
        pl.when(pl.col("village_code").str.contains(r"^[0-9]{10}$"))
        .then(dotted_column(pl.col("village_code")))
        .otherwise(pl.col("village_code"))
        .alias("village_code"),
    )
    dob = pl.col("birth_date").str.strptime(pl.Date, "%d-%m-%Y", strict=False)
    return frame.with_columns(
        # polars parses "29-02-0000" (proleptic year 0, which PostgreSQL and Python do not have); nobody
        # born before 1900 supports anyone, and such a date is a typo: DATE_INVALID
        pl.when(pl.col("birth_date").str.contains(r"^[0-9]{2}-[0-9]{2}-[0-9]{4}$") & (dob.dt.year() >= MIN_BIRTH_YEAR))
        .then(dob)
        .otherwise(None)
        .alias("_dob"),
        (nik.str.contains(SIXTEEN_DIGITS).fill_null(False) & ~pl.col("nik_numeric")).alias("_nik_ok"),
        nik.str.slice(6, 2).cast(pl.Int32, strict=False).alias("_nik_dd"),
        nik.str.slice(8, 2).cast(pl.Int32, strict=False).alias("_nik_mm"),
        nik.str.slice(10, 2).cast(pl.Int32, strict=False).alias("_nik_yy"),
    )


# --- NIK (docs/domain.md §6: PPKKCC DDMMYY SSSS, day + 40 for women) -------------------------------------


@rule("NIK_NUMERIC")
def nik_numeric(ctx: RuleContext) -> pl.Expr:
    return pl.col("nik_numeric") & pl.col("nik").is_not_null()


@rule("NIK_FORMAT")
def nik_format(ctx: RuleContext) -> pl.Expr:
    # a formula or another non-text cell: NOT_TEXT_NIK explains it
    return pl.col("nik").is_not_null() & ~pl.col("nik_numeric") & ~pl.col("nik_not_text") & ~pl.col("_nik_ok")


@rule("NIK_REGION")
def nik_region(ctx: RuleContext) -> pl.Expr:
    # digits 1-4 are where the NIK was first issued: any kab/kota of any list version, not the residence
    return pl.col("_nik_ok") & ~pl.col("nik").str.slice(0, 4).is_in(ctx.regency_prefixes.implode())


@rule("NIK_BIRTHDATE")
def nik_birthdate(ctx: RuleContext) -> pl.Expr:
    dd = pl.col("_nik_dd")
    day = pl.when(dd > 40).then(dd - 40).otherwise(dd)
    impossible = (day < 1) | (day > 31) | (pl.col("_nik_mm") < 1) | (pl.col("_nik_mm") > 12)
    dob = pl.col("_dob")
    # the century is not in the NIK: comparing the two-digit year accepts both 19xx and 20xx
    differs = dob.is_not_null() & (
        (day != dob.dt.day()) | (pl.col("_nik_mm") != dob.dt.month()) | (pl.col("_nik_yy") != dob.dt.year() % 100)
    )
    return pl.col("_nik_ok") & (impossible | differs)


@rule("NIK_SEX")
def nik_sex(ctx: RuleContext) -> pl.Expr:
    dd, sex = pl.col("_nik_dd"), pl.col("sex")
    return pl.col("_nik_ok") & (((dd > 40) & (sex == "L")) | ((dd <= 40) & (sex == "P")))


@rule("KK_NUMERIC")
def kk_numeric(ctx: RuleContext) -> pl.Expr:
    return pl.col("kk_numeric") & pl.col("kk").is_not_null()


@rule("KK_FORMAT")
def kk_format(ctx: RuleContext) -> pl.Expr:
    return (
        pl.col("kk").is_not_null()
        & ~pl.col("kk_numeric")
        & ~pl.col("kk_not_text")
        & ~pl.col("kk").str.contains(SIXTEEN_DIGITS)
    )


# --- fields --------------------------------------------------------------------------------------------


@rule("REQUIRED_EMPTY")
def required_empty(ctx: RuleContext) -> pl.Expr:
    return pl.any_horizontal([pl.col(f.key).is_null() for f in ctx.spec.fields if f.required])


@rule("FIELD_TOO_LONG")
def field_too_long(ctx: RuleContext) -> pl.Expr:
    # each field's limit is data (``template_spec``); a length in characters, computed column-wise
    return pl.any_horizontal([pl.col(f.key).str.len_chars() > f.max_length for f in ctx.spec.fields])


@rule("SEX_INVALID")
def sex_invalid(ctx: RuleContext) -> pl.Expr:
    return pl.col("sex").is_not_null() & ~pl.col("sex").is_in(["L", "P"])


@rule("MARITAL_INVALID")
def marital_invalid(ctx: RuleContext) -> pl.Expr:
    return pl.col("marital").is_not_null() & ~pl.col("marital").is_in(["B", "S", "P"])


@rule("DATE_INVALID")
def date_invalid(ctx: RuleContext) -> pl.Expr:
    return pl.col("birth_date").is_not_null() & (pl.col("_dob").is_null() | (pl.col("_dob") > ctx.polling_day))


@rule("RT_INVALID")
def rt_invalid(ctx: RuleContext) -> pl.Expr:
    return pl.col("rt").is_not_null() & ~pl.col("rt").str.contains(r"^[0-9]{1,3}$")


@rule("RW_INVALID")
def rw_invalid(ctx: RuleContext) -> pl.Expr:
    return pl.col("rw").is_not_null() & ~pl.col("rw").str.contains(r"^[0-9]{1,3}$")


@rule("PHONE_INVALID")
def phone_invalid(ctx: RuleContext) -> pl.Expr:
    digits = pl.col("phone").str.replace_all(r"[ \-.()]", "")
    return pl.col("phone").is_not_null() & ~digits.str.contains(r"^\+?[0-9]{8,15}$")


@rule("EMAIL_INVALID")
def email_invalid(ctx: RuleContext) -> pl.Expr:
    return pl.col("email").is_not_null() & ~pl.col("email").str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- where the supporter lives (UU 10/2016 Pasal 41(3): residents of the election's region) ------------


@rule("VILLAGE_UNKNOWN")
def village_unknown(ctx: RuleContext) -> pl.Expr:
    return pl.col("village_code").is_not_null() & ~pl.col("village_code").is_in(ctx.version_villages.implode())


@rule("VILLAGE_OUTSIDE")
def village_outside(ctx: RuleContext) -> pl.Expr:
    code = pl.col("village_code")
    return code.is_in(ctx.version_villages.implode()) & ~code.is_in(ctx.region_villages.implode())


# --- who may support -------------------------------------------------------------------------------------


def seventeenth_birthday_cutoff(polling_day: date) -> date:
    """Born on or before this date = 17 or older on polling day (a 29 February birthday counts on 1 March)."""
    try:
        return polling_day.replace(year=polling_day.year - 17)
    except ValueError:
        return polling_day.replace(year=polling_day.year - 17, day=28)


@rule("UNDER_AGE")
def under_age(ctx: RuleContext) -> pl.Expr:
    # UU 10/2016 Pasal 1 angka 6: a voter is 17 or older, or married / previously married (S or P)
    return (pl.col("_dob") > seventeenth_birthday_cutoff(ctx.polling_day)) & (pl.col("marital") == "B")


def _word_pattern(terms: tuple[str, ...]) -> str | None:
    if not terms:
        return None
    escaped = sorted((t.replace(" ", r"\s+") for t in terms), key=len, reverse=True)
    return r"(?:^|\s)(?:" + "|".join(escaped) + r")(?:\s|$)"


@rule("OCCUPATION_EXCLUDED")
def occupation_excluded(ctx: RuleContext) -> pl.Expr:
    # PKPU 8/2024: active TNI, Polri, ASN, village heads/officials and election officials may not support
    exclude, allow = _word_pattern(ctx.occupation_exclude), _word_pattern(ctx.occupation_allow)
    if exclude is None:
        return pl.lit(False)
    norm = normalise_column(pl.col("occupation"))
    hit = norm.str.contains(exclude).fill_null(False)
    if allow is not None:
        hit = hit & ~norm.str.contains(allow).fill_null(False)
    return hit


# --- the cells: stored as text, and matching their heading (docs/domain.md §7: KPU rejects support whose
# values are not text, do not match their column's heading, or sit in shifted columns) --------------------


def _not_text_rule(key: str) -> RuleFn:
    def not_text(ctx: RuleContext) -> pl.Expr:
        flag = pl.col(f"{key}_not_text") & pl.col(key).is_not_null()  # an empty styled cell holds nothing
        # a NIK or KK typed as a number keeps its own reason (digits lost); a formula there is NOT_TEXT
        return flag & ~pl.col(f"{key}_numeric") if key in DIGIT_LOSS_FIELDS else flag

    return not_text


def _mismatch_rule(key: str, shape: str) -> RuleFn:
    return lambda ctx: pl.col(f"_marked_{key}") == shape


def _own_shape_rule(key: str) -> RuleFn:
    # stored as text, not of another column's shape (that reason says more), and not of its own either
    return lambda ctx: ~pl.col(f"{key}_not_text") & ~pl.col(f"_fits_{key}") & pl.col(f"_marked_{key}").is_null()


_MISMATCHES = mismatch_codes(current_spec())
for _field in current_spec().fields:
    rule(f"NOT_TEXT_{_field.key.upper()}")(_not_text_rule(_field.key))
for _code, _key, _shape in _MISMATCHES:
    rule(_code)(_mismatch_rule(_key, _shape))
# the columns whose own shape has no rule of its own above (RT_INVALID, DATE_INVALID, ...)
for _key in ("name", "birth_place", "occupation"):
    rule(f"{_key.upper()}_INVALID")(_own_shape_rule(_key))

SHIFT_CODES = {"right": "COLUMN_SHIFTED_RIGHT", "left": "COLUMN_SHIFTED_LEFT"}


@rule("COLUMN_SHIFTED_RIGHT")
def column_shifted_right(ctx: RuleContext) -> pl.Expr:
    return pl.col("_shift") == "right"


@rule("COLUMN_SHIFTED_LEFT")
def column_shifted_left(ctx: RuleContext) -> pl.Expr:
    return pl.col("_shift") == "left"


TRUNCATION_MARKER = "… [dipotong]"


def truncate_long_values(frame: pl.DataFrame, spec: TemplateSpec, marker: str = TRUNCATION_MARKER) -> pl.DataFrame:
    """Cut values longer than their field allows to the limit plus ``marker``: an over-long value (a 1 MB
    cell) is neither stored in full nor copied whole into the error report. Only runs when a row carries
    FIELD_TOO_LONG, so a clean file pays one scan of its reason column."""
    if not frame.select(pl.col("reasons").str.contains("FIELD_TOO_LONG", literal=True).any()).item():
        return frame
    return frame.with_columns(
        [
            pl.when(pl.col(f.key).str.len_chars() > f.max_length)
            .then(pl.col(f.key).str.slice(0, f.max_length) + pl.lit(marker))
            .otherwise(pl.col(f.key))
            .alias(f.key)
            for f in spec.fields
        ]
    )


def apply_rules(frame: pl.DataFrame, ctx: RuleContext, *, codes: list[str] | None = None) -> pl.DataFrame:
    """Add ``reasons`` (comma-separated codes, in registry order) for every row. A shifted row gets its one
    COLUMN_SHIFTED_* reason alone: the others are what the shift caused."""
    frame = with_shapes(prepare(frame, ctx.spec), ctx.spec)
    own = {f.key for f in ctx.spec.fields}
    frame = frame.with_columns(
        [pl.lit(None, dtype=pl.String).alias(f"_marked_{f.key}") for f in ALL_FIELDS if f.key not in own]
        + [pl.lit(None, dtype=pl.Boolean).alias(f"_fits_{f.key}") for f in ALL_FIELDS if f.key not in own]
    )
    frame = frame.with_columns(shift_direction(frame, ctx.spec).alias("_shift"))
    selected = [(code, fn) for code, fn in RULES.items() if codes is None or code in codes]
    parts = [pl.when(fn(ctx).fill_null(False)).then(pl.lit(code)) for code, fn in selected]
    reasons = pl.concat_str(parts, separator=",", ignore_nulls=True).fill_null("")
    shifted = [code for code in SHIFT_CODES.values() if codes is None or code in codes]
    for code in shifted:
        reasons = pl.when(RULES[code](ctx).fill_null(False)).then(pl.lit(code)).otherwise(reasons)
    return frame.with_columns(reasons.alias("reasons"))


# --- severity to status: one rule, in two forms ----------------------------------------------------------
# The rule is data (``models.SEVERITY_STATUS``, worst first, and ``NO_SEVERITY_STATUS``): a ``reject`` reason
# makes a row rejected, else a ``review`` one held for review, else a ``flag`` one flagged (still counted), else
# it is accepted. The pipeline applies it to a whole frame (``status_expr``), the re-evaluation of a withdrawn
# file's duplicates to one row at a time (``row_status``); both are built from that data and take the same
# code → severity map.


def status_expr(severity: dict[str, str]) -> pl.Expr:
    """The ``status`` column of a frame with a comma-separated ``reasons`` column."""

    def has(level: str) -> pl.Expr:
        codes = [c for c, s in severity.items() if s == level]
        return pl.col("reasons").str.contains("|".join(f"(?:^|,){c}(?:,|$)" for c in codes)) if codes else pl.lit(False)

    (first_level, first_status), *rest = SEVERITY_STATUS
    chain = pl.when(has(first_level)).then(pl.lit(first_status))
    for level, status in rest:
        chain = chain.when(has(level)).then(pl.lit(status))
    return chain.otherwise(pl.lit(NO_SEVERITY_STATUS)).alias("status")


def row_status(reasons: list[str], severity: dict[str, str]) -> str:
    """The status of one row with these reason codes (the same rule as ``status_expr``)."""
    levels = {severity.get(code) for code in reasons}
    for level, status in SEVERITY_STATUS:
        if level in levels:
            return status
    return NO_SEVERITY_STATUS
