"""The voter list (DPT) in computing terms: the NIK's keyed hash, the import's columns and row checks, and the
supporters' match against an imported list. Flat and database-free (the writes and the one matching query
are ``services.dpt``).

UU 10/2016 Pasal 41(1)-(2): an independent pair's supporters are residents with the right to vote who are
on the voter list of the last election in the region. The list is matched by NIK: each supporter whose NIK is
not on the active list gets NOT_IN_DPT (its severity is data, per regulation version: ``ReasonSeverity``),
and one listed in another desa/kelurahan than the row says gets DPT_OTHER_VILLAGE (a flag, still counted).

The NIK is kept only as HMAC-SHA256 under ``DPT_NIK_HMAC_KEY`` (64 hexadecimal digits): there are far too few
plausible NIKs for a plain hash to hide them, and without the key the hash cannot be computed at all.
"""

import hmac
from collections.abc import Iterable

import polars as pl
from django.conf import settings

from regions.codes import dotted_column

NOT_IN_DPT = "NOT_IN_DPT"
DPT_OTHER_VILLAGE = "DPT_OTHER_VILLAGE"
DPT_CODES = (NOT_IN_DPT, DPT_OTHER_VILLAGE)

SIXTEEN_DIGITS = r"^[0-9]{16}$"
DOTTED_VILLAGE = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"

# the headings a DPT export may give its two columns (compared upper case, spaces and dashes as "_"); every
# other column (names, addresses, TPS, ...) is never read
NIK_HEADINGS = ("NIK",)
VILLAGE_HEADINGS = ("KODE_DESA", "KODE_KELURAHAN", "KODE_DESA_KELURAHAN", "KODE_DESKEL", "KODE_WILAYAH", "VILLAGE_CODE")


def _key() -> bytes:
    return settings.DPT_NIK_HMAC_KEY.encode()


def nik_hash(nik: str) -> str:
    """One NIK's keyed hash (64 hexadecimal digits)."""
    return hmac.digest(_key(), nik.strip().encode(), "sha256").hex()


def nik_hashes(niks: pl.Series) -> pl.Series:
    """The keyed hash of every NIK of a column (null stays null): one C call per value, no per-row Python
    beyond the loop itself (polars has no keyed hash of its own)."""
    key, digest = _key(), hmac.digest
    values: Iterable[str | None] = niks.to_list()
    return pl.Series(
        niks.name,
        [None if v is None else digest(key, v.encode(), "sha256").hex() for v in values],
        dtype=pl.String,
    )


def _norm(heading: str) -> str:
    return heading.strip().upper().replace(" ", "_").replace("-", "_").replace("/", "_")


def dpt_columns(headings: list[str]) -> tuple[str, str] | None:
    """The file's NIK and village headings as written, or None when either is missing."""
    by_norm = {_norm(h): h for h in headings}
    nik = next((by_norm[h] for h in NIK_HEADINGS if h in by_norm), None)
    village = next((by_norm[h] for h in VILLAGE_HEADINGS if h in by_norm), None)
    return (nik, village) if nik and village else None


def dotted_village(code: pl.Expr) -> pl.Expr:
    """``3201012001`` and ``32.01.01.2001`` are the same desa/kelurahan: the dotted form."""
    code = code.str.strip_chars()
    return pl.when(code.str.contains(r"^[0-9]{10}$")).then(dotted_column(code)).otherwise(code)


def dpt_chunk(chunk: pl.DataFrame, villages: pl.Series) -> tuple[pl.DataFrame, int, int]:
    """One chunk of the file (columns ``nik``, ``village_code``) as entries (``nik_hash``, ``village_code``),
    with the counts of rows left out: a NIK not of 16 digits, a village not in ``villages`` (the election's)."""
    frame = chunk.with_columns(pl.col("nik").str.strip_chars(), dotted_village(pl.col("village_code")))
    nik_ok = pl.col("nik").str.contains(SIXTEEN_DIGITS).fill_null(False)
    village_ok = pl.col("village_code").is_in(villages.implode()).fill_null(False)
    flags = frame.select(nik_ok.alias("nik_ok"), village_ok.alias("village_ok"))
    bad_nik = flags.height - int(flags.get_column("nik_ok").sum())
    unknown_village = int((flags.get_column("nik_ok") & ~flags.get_column("village_ok")).sum())
    good = frame.filter(nik_ok & village_ok)
    entries = pl.DataFrame(
        {"nik_hash": nik_hashes(good.get_column("nik")), "village_code": good.get_column("village_code")}
    )
    return entries, bad_nik, unknown_village


def with_dpt_reasons(frame: pl.DataFrame, matched: pl.DataFrame) -> pl.DataFrame:
    """Append the DPT reasons to ``reasons``. ``matched`` has, per probed row (``idx``), ``same_village``
    (True when one of the NIK's entries is in the row's village); a probed row missing from it is not on the
    list. Only rows with ``_probe`` True (a well-formed NIK) were probed."""
    frame = frame.join(matched, on="idx", how="left")
    code = (
        pl.when(~pl.col("_probe"))
        .then(None)
        .when(pl.col("same_village").is_null())
        .then(pl.lit(NOT_IN_DPT))
        .when(~pl.col("same_village"))
        .then(pl.lit(DPT_OTHER_VILLAGE))
        .otherwise(None)
    )
    reasons = (
        pl.when(code.is_null())
        .then(pl.col("reasons"))
        .when(pl.col("reasons") == "")
        .then(code)
        .otherwise(pl.concat_str([pl.col("reasons"), code], separator=","))
    )
    return frame.with_columns(reasons.alias("reasons")).drop("same_village", "_probe")
