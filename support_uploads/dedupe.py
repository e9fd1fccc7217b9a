"""Duplicate analysis (docs/domain.md §4, PKPU 8/2024): *ganda identik*, *potensi ganda* and *ganda eksternal*.

Only rows that passed every row rule take part. Within a pair, supporters already counted from earlier
uploads come first, then this upload's rows in file order:

- a later row whose NIK, name, date of birth and marital status equal an earlier one is DUP_IDENTICAL
  (dropped; one is kept);
- when the rows of one NIK carry different data, EVERY one of them (the first of each data) is DUP_POTENTIAL:
  none is counted until a KPU operator chooses the supporter or rejects them all (``services.decisions``).
  The pair's earlier rows held so take part too (``storage.fetch_stored(pair_id=...)``), and its counted
  earlier rows of such a NIK are held in turn (``held_niks``, ``services.duplicates.hold_stored``);
- a row still counted whose NIK a counted supporter of ANOTHER pair of the election carries is
  DUP_EXTERNAL, and so is that other pair's row: both stay counted until factual verification;
- in a correction batch, a row whose NIK the pair already submitted in an earlier batch (counted then,
  whatever verification made of it: MS or TMS) is DUP_EARLIER_BATCH and not counted (UU 10/2016 Pasal 48:
  the correction brings new supporters). Within the correction batch the rules above apply as usual.

The logic is polars on both databases; only fetching the stored matches differs (``storage.py``).
"""

import polars as pl

DUP_KEY_COLUMNS = ("nik", "name", "birth_date", "marital")


def dup_key() -> pl.Expr:
    """Names compare case- and spacing-insensitively; the date compares as parsed (DD-MM-YYYY text)."""
    name = pl.col("name").str.to_uppercase().str.replace_all(r"\s+", " ")
    return pl.concat_str([name, pl.col("birth_date"), pl.col("marital")], separator="|").alias("_key")


def analyse(candidates: pl.DataFrame, stored: pl.DataFrame, *, pair_id: int, batch: str) -> pl.DataFrame:
    """``candidates``: idx, nik, name, birth_date, marital of this upload's rows that passed the rules.
    ``stored``: pair_id, nik, name, birth_date, marital, batch of counted supporters of the election (other
    uploads) whose NIK is among the candidates', and of the pair's rows held as potential duplicates.
    ``batch``: this upload's. Returns idx + ``dup`` (DUP_* code)."""
    own = stored.filter(pl.col("pair_id") == pair_id)
    earlier_niks = own.filter(pl.col("batch") != batch).get_column("nik").unique()
    repeated = candidates.filter(pl.col("nik").is_in(earlier_niks.implode())).select(
        pl.col("idx").cast(pl.Int64), pl.lit("DUP_EARLIER_BATCH").alias("dup")
    )
    if repeated.height:
        candidates = candidates.filter(~pl.col("nik").is_in(earlier_niks.implode()))
    own = own.filter(pl.col("batch") == batch)
    other_niks = stored.filter(pl.col("pair_id") != pair_id).get_column("nik").unique()
    # Only a NIK that repeats within the file or is already stored can be a duplicate of any kind: the rest (all
    # but a few thousand of a million rows) skip the key building and the sort below.
    candidates = candidates.filter(
        pl.col("nik").is_duplicated() | pl.col("nik").is_in(stored.get_column("nik").unique().implode())
    )
    combined = pl.concat(
        [
            own.select(pl.lit(-1, dtype=pl.Int64).alias("idx"), "nik", dup_key()),
            candidates.select(pl.col("idx").cast(pl.Int64), "nik", dup_key()),
        ]
    ).sort(["nik", "idx"], maintain_order=True)
    combined = combined.with_columns(
        pl.struct("nik", "_key").is_first_distinct().alias("_first_of_key"),
        (pl.col("_key").n_unique().over("nik") > 1).alias("_differs"),
    )
    combined = combined.filter(pl.col("idx") >= 0).with_columns(
        pl.when(~pl.col("_first_of_key"))
        .then(pl.lit("DUP_IDENTICAL"))
        .when(pl.col("_differs"))
        .then(pl.lit("DUP_POTENTIAL"))
        .when(pl.col("nik").is_in(other_niks.implode()))
        .then(pl.lit("DUP_EXTERNAL"))
        .otherwise(None)
        .alias("dup")
    )
    found = combined.select("idx", "dup").filter(pl.col("dup").is_not_null())
    return pl.concat([repeated, found]) if repeated.height else found


def held_niks(candidates: pl.DataFrame, dups: pl.DataFrame) -> list[str]:
    """The NIKs ``analyse`` found potential duplicates of: the pair's counted earlier rows of these are held."""
    potential = dups.filter(pl.col("dup") == "DUP_POTENTIAL").join(
        candidates.select(pl.col("idx").cast(pl.Int64), "nik"), on="idx"
    )
    return sorted(potential.get_column("nik").unique().to_list())


def with_duplicates(frame: pl.DataFrame, dups: pl.DataFrame, status: pl.Expr) -> pl.DataFrame:
    """Each row's duplicate code (if any) appended to its reasons, and its status decided again (``status``:
    ``rules.status_expr``)."""
    if not dups.height:
        return frame
    return (
        frame.join(dups, on="idx", how="left")
        .with_columns(
            pl.when(pl.col("dup").is_not_null())
            .then(pl.concat_str([pl.col("reasons"), pl.col("dup")], separator=",").str.strip_chars(","))
            .otherwise(pl.col("reasons"))
            .alias("reasons")
        )
        .drop("dup")
        .with_columns(status)
    )
