"""Reading an uploaded supporter file into columns.

xlsx goes through fastexcel (calamine underneath, Arrow out): it reads only real cells, so a sheet whose
dimension claims 1,048,576 rows costs what its real rows cost, and trailing empty rows are dropped. Every
column is read as text; which cells were not stored as text (a number, a date, a boolean, a formula) is
read from the sheet XML beside the parse (``xlsx.scan_cells``) and reaches the rules as ``<key>_not_text``
(NIK and No. KK also as ``<key>_numeric``: their digits may be lost). A CSV has no cell types: every
value is text, and a NIK in scientific notation is caught by its shape.
"""

from pathlib import Path

import polars as pl

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from .archive import check_archive, sniff_kind, xml_prolog
from .common import TEXT_FIELDS_CHECKED_FOR_NUMBERS, FileRejected, ReadResult, with_absent_columns
from .delimited import read_csv
from .xlsx import CellScan, read_xlsx, scan_cells, verify_meta

__all__ = [
    "TEXT_FIELDS_CHECKED_FOR_NUMBERS",
    "CellScan",
    "FileRejected",
    "ReadResult",
    "check_archive",
    "read_csv",
    "read_upload",
    "read_xlsx",
    "scan_cells",
    "sniff_kind",
    "verify_meta",
    "xml_prolog",
]

SCIENTIFIC = r"^[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+$"


def read_upload(
    path: Path, *, election_id: int, pair_id: int, max_rows: int, template_version: str | None = None
) -> ReadResult:
    """Read an xlsx (its signed metadata names its template) or a CSV (read as ``template_version``'s)."""
    kind = sniff_kind(path)
    result = (
        read_xlsx(path, election_id=election_id, pair_id=pair_id, max_rows=max_rows)
        if kind == "xlsx"
        else read_csv(path, max_rows=max_rows, template_version=template_version)
    )
    result.frame = with_absent_columns(result.frame, result.spec)
    if result.frame.height == 0:
        raise FileRejected("NO_ROWS", _("Berkas tidak berisi baris data dukungan. Isi data mulai baris 2."))
    # scientific notation typed or exported as text ("3.2E+15") lost digits just like a numeric cell
    result.frame = result.frame.with_columns(
        (pl.col("nik_numeric") | pl.col("nik").str.contains(SCIENTIFIC).fill_null(False)).alias("nik_numeric"),
        (pl.col("kk_numeric") | pl.col("kk").str.contains(SCIENTIFIC).fill_null(False)).alias("kk_numeric"),
    )
    return result
