"""Reading an xlsx upload (fastexcel, calamine underneath, Arrow out) and its signed metadata sheet, with
the cell scan that finds what the Arrow reader cannot tell (cells not stored as text, formulas)."""

import html
import re
import zipfile
from array import array
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from ..signing import template_signature_valid
from ..template_spec import TEMPLATES, TemplateSpec, current_spec
from .archive import check_archive
from .common import TEXT_FIELDS_CHECKED_FOR_NUMBERS, FileRejected, ReadResult, check_header, check_row_cap, clean_frame


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _sheet_parts(path: Path) -> dict[str, str]:
    """Sheet name → its XML part inside the xlsx archive (workbook.xml + its relationships)."""
    from defusedxml import ElementTree as ET  # refuses DTDs, entity expansion and external entities

    ns_main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    ns_rel = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    with zipfile.ZipFile(path) as zf:
        workbook = ET.fromstring(zf.read("xl/workbook.xml"))
        rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in workbook.iter(f"{ns_main}sheet"):
        target = targets.get(sheet.get(f"{ns_rel}id"), "")
        parts[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    return parts


@dataclass
class CellScan:
    not_text: dict[str, array]  # field key → rows whose cell holds a number, date, boolean or error, not text
    formulas: dict[str, dict[int, str]]  # field key → row → the formula as written ("=HYPERLINK(...)")


_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)")
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"')


def scan_cells(path: Path, part: str, field_letters: dict[str, str]) -> CellScan:
    """What the Arrow reader cannot tell: which cells of the data columns (``field_letters``) are not text,
    and which are formulas.

    The Arrow reader reads every column as text, and a number read as text looks like text ("4" in RT,
    "3201014101900000" in NIK with its 16th digit already lost by the spreadsheet). The cell type is in the
    sheet XML: a text cell carries ``t="s"``/``t="inlineStr"``/``t="str"``; anything else with a value (a
    number, a date, ``t="b"`` boolean, ``t="e"`` error) is not text. A formula cell (``<f>``) gives the reader
    only its cached result (none at all when no spreadsheet computed it): the formula itself is what the
    uploader wrote, so it is kept as text and never evaluated. Both scans run in the regex engine, beside
    the parse, in a second thread; row numbers are kept in compact arrays (a column of a million numbers is
    4 MB, not a set of Python ints).
    """
    field_by_letter = {letter: key for key, letter in field_letters.items()}
    # a cell of a data column whose type is absent (a number) or n/b/e/d, its attributes in any order
    others = rb'(?:\s+(?!t=)[\w:]+="[^"]*")*'
    pattern = re.compile(
        rb'<c r="('
        + b"|".join(k.encode() for k in field_by_letter)
        + rb')([0-9]+)"'
        + others
        + rb'(?:\s+t="[nbed]")?'
        + others
        + rb"\s*>"
    )
    found: dict[str, array] = {key: array("I") for key in field_letters}
    formulas: dict[str, dict[int, str]] = {}
    tail = b""
    with zipfile.ZipFile(path) as zf, zf.open(part) as fh:
        while True:
            chunk = fh.read(8 << 20)
            buffer = tail + chunk
            # keep the last cell whole for the next round: a formula's <f> is read with its <c r="...">
            cut = buffer.rfind(b"<c ") if chunk else len(buffer)
            if cut <= 0 and chunk:
                cut = buffer.rfind(b"<")
            for start, end in _slices(buffer, cut):
                if _only_shared_strings(buffer, start, end):
                    continue
                for match in pattern.finditer(buffer, start, end):
                    found[field_by_letter[match.group(1).decode()]].append(int(match.group(2)))
                for match in _FORMULA.finditer(buffer, start, end):
                    ref = _CELL_REF.match(buffer, max(buffer.rfind(b"<c ", 0, match.start()), 0))
                    key = field_by_letter.get(ref.group(1).decode()) if ref else None
                    if key is not None:
                        # a shared formula's other cells carry no text of their own: "=" still says "a formula"
                        text = html.unescape((match.group(1) or b"").decode("utf-8", errors="replace"))
                        formulas.setdefault(key, {})[int(ref.group(2))] = "=" + text
            tail = buffer[cut:]
            if not chunk:
                break
    return CellScan(found, formulas)


_VALUE = b"<v>"
_SHARED_STRING_VALUE = b't="s"><v>'


SCAN_SLICE = 64 << 10  # the regexes run only over the slices of this size that hold something to find


def _slices(buffer: bytes, end: int):
    """``buffer[:end]`` (whole cells) as (start, end) ranges of about ``SCAN_SLICE`` bytes, each cut before a
    ``<c `` so that no cell is split."""
    start = 0
    while start < end:
        stop = end if end - start <= SCAN_SLICE else buffer.rfind(b"<c ", start + 1, start + SCAN_SLICE)
        if stop <= start:
            stop = end
        yield start, stop
        start = stop


def _only_shared_strings(buffer: bytes, start: int, end: int) -> bool:
    """Whether every cell with a value in ``buffer[start:end]`` (whole cells) is a shared string and none is a
    formula: then no cell there is a number, date, boolean, error or formula, and the regex scans can skip it.
    Counted at memchr speed: a valued cell carries ``<v>``, a shared string ``t="s"><v>`` (as Excel, LibreOffice
    and xlsxwriter write it; ``<v>`` inside cell text would be escaped). Any other spelling fails the test and
    the chunk is scanned in full, so the shortcut can only skip work, never a finding."""
    return buffer.find(b"<f", start, end) < 0 and buffer.count(_VALUE, start, end) == buffer.count(
        _SHARED_STRING_VALUE, start, end
    )


def _rows_flag(rows, name: str) -> pl.Expr:
    if not len(rows):
        return pl.lit(False).alias(name)
    return pl.col("row_number").is_in(pl.Series(rows, dtype=pl.UInt32).implode()).alias(name)


def _load_sheet(reader, name: str, spec: TemplateSpec, scan: Callable[[], CellScan]) -> pl.DataFrame:
    """One data sheet as text columns named by field key, plus which cells were not stored as text
    (``<key>_not_text``) and, for NIK/KK, which held numbers (``<key>_numeric``: digits lost)."""
    common = {"header_row": None, "skip_rows": 0, "skip_whitespace_tail_rows": True, "whitespace_as_null": True}
    sheet = reader.load_sheet(name, dtypes="string", **common)
    offset = sheet.available_columns()[0].absolute_index if sheet.available_columns() else 0
    raw = sheet.to_polars()
    if offset > 0 and raw.height:
        # calamine starts the range at the first used column: anything before NIK is a shifted table
        raise FileRejected(
            "HEADER",
            _("Kolom pada lembar %(sheet)s bergeser ke kanan. Hapus kolom kosong di depan kolom NIK."),
            sheet=name,
        )
    check_header(raw, spec, name)
    data = raw.slice(1)
    columns = {}
    for i, f in enumerate(spec.fields):
        columns[f.key] = (
            data.get_column(raw.columns[i]).cast(pl.String)
            if i < raw.width
            else pl.Series(f.key, [None] * data.height, dtype=pl.String)
        )
    frame = pl.DataFrame(columns).with_columns(pl.int_range(2, data.height + 2, dtype=pl.UInt32).alias("row_number"))
    scanned = scan()  # the XML scan ran in a second thread while fastexcel parsed
    frame = frame.with_columns(
        [_rows_flag(scanned.not_text.get(f.key, ()), f"{f.key}_not_text") for f in spec.fields]
        + [_rows_flag(scanned.not_text.get(key, ()), f"{key}_numeric") for key in TEXT_FIELDS_CHECKED_FOR_NUMBERS]
    )
    for key, by_row in scanned.formulas.items():
        # the formula's text replaces its cached result: stored and reported as written, never evaluated; a
        # formula is not text typed in (``<key>_not_text``), nor a number typed in (NOT_TEXT explains it)
        rows = list(by_row)
        formula = pl.col("row_number").is_in(pl.Series(rows, dtype=pl.UInt32).implode())
        frame = frame.with_columns(
            pl.col("row_number")
            .replace_strict(rows, list(by_row.values()), default=pl.col(key), return_dtype=pl.String)
            .alias(key),
            (pl.col(f"{key}_not_text") | formula).alias(f"{key}_not_text"),
        )
        if key in TEXT_FIELDS_CHECKED_FOR_NUMBERS:
            frame = frame.with_columns(pl.col(f"{key}_numeric") & ~formula)
    return frame


def _meta(reader, spec_default: TemplateSpec) -> dict:
    names = reader.sheet_names
    if spec_default.meta_sheet not in names:
        raise FileRejected(
            "TEMPLATE_UNKNOWN",
            _(
                "Berkas ini bukan templat B.1-KWK dari SILON (lembar metadata tidak ada). "
                "Unduh templat pasangan calon Anda."
            ),
        )
    raw = reader.load_sheet(spec_default.meta_sheet, header_row=None, dtypes="string").to_polars()
    return {row[0]: row[1] for row in raw.iter_rows() if row[0]}


def verify_meta(meta: dict, *, election_id: int, pair_id: int) -> TemplateSpec:
    version = meta.get("template_version", "")
    spec = TEMPLATES.get(version)
    try:
        meta_election, meta_pair = int(meta.get("election_id", "")), int(meta.get("pair_id", ""))
    except ValueError:
        meta_election = meta_pair = -1
    if spec is None or not template_signature_valid(
        version=version, election_id=meta_election, pair_id=meta_pair, signature=meta.get("signature", "")
    ):
        raise FileRejected(
            "TEMPLATE_TAMPERED",
            _(
                "Tanda tangan templat tidak sah: templat telah diubah. "
                "Unduh ulang templat dari SILON dan salin datanya."
            ),
        )
    if meta_election != election_id or meta_pair != pair_id:
        raise FileRejected(
            "TEMPLATE_OTHER_PAIR",
            _("Templat ini dibuat untuk pemilihan atau pasangan calon lain. Unduh templat milik pasangan calon Anda."),
        )
    return spec


def read_xlsx(path: Path, *, election_id: int, pair_id: int, max_rows: int) -> ReadResult:
    check_archive(path, max_rows=max_rows)
    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
    except Exception as exc:  # fastexcel raises several types for a broken archive or XML
        raise FileRejected(
            "CORRUPT", _("Berkas xlsx tidak dapat dibaca (rusak). Simpan ulang dari Excel lalu unggah lagi.")
        ) from exc
    meta = _meta(reader, current_spec())
    spec = verify_meta(meta, election_id=election_id, pair_id=pair_id)
    data_sheets = [n for n in names if spec.is_data_sheet(n)]
    data_sheets.sort(key=lambda n: 1 if n == spec.data_sheet else int(n.rpartition(" ")[2]))
    if not data_sheets:
        raise FileRejected("HEADER", _('Lembar data "%(sheet)s" tidak ditemukan.'), sheet=spec.data_sheet)
    frames, total = [], 0
    field_letters = {f.key: _column_letter(i) for i, f in enumerate(spec.fields)}
    parts = _sheet_parts(path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        scans = {name: pool.submit(scan_cells, path, parts[name], field_letters) for name in data_sheets}
        for index, name in enumerate(data_sheets):
            try:
                frame = clean_frame(_load_sheet(reader, name, spec, scans[name].result), spec)
            except FileRejected:
                raise
            except Exception as exc:
                raise FileRejected(
                    "CORRUPT",
                    _("Lembar %(sheet)s tidak dapat dibaca (rusak). Simpan ulang dari Excel lalu unggah lagi."),
                    sheet=name,
                ) from exc
            total += frame.height
            check_row_cap(total, max_rows)
            frames.append(frame.with_columns(pl.lit(index, dtype=pl.UInt16).alias("sheet")))
    return ReadResult("xlsx", pl.concat(frames), spec, meta, sheets=len(data_sheets))
