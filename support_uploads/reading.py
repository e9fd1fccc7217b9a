"""Reading an uploaded supporter file into columns.

xlsx goes through fastexcel (calamine underneath, Arrow out): it reads only real cells, so a sheet whose
dimension claims 1,048,576 rows costs what its real rows cost, and trailing empty rows are dropped. Every
column is read as text except NIK and No. KK, whose type is *guessed strictly* over the whole column: the
header cell is text, so any numeric cell in the column makes the guess fail, and only then (a file with
numbers where text was required) do we read those two columns again to learn which rows were numeric. A
clean file is therefore read once.
"""

import codecs
import html
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import fastexcel
import polars as pl

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from .messages import format_message
from .signing import template_signature_valid
from .template_spec import TEMPLATES, TemplateSpec, current_spec

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
TEXT_FIELDS_CHECKED_FOR_NUMBERS = ("nik", "kk")
SCIENTIFIC = r"^[0-9](?:[.,][0-9]+)?[eE]\+?[0-9]+$"
# Archive limits checked from the zip directory before any XML is parsed. A sheet row of the template is a
# few hundred bytes of XML; 4 KB per allowed row plus 64 MB leaves room for styles and long addresses.
ZIP_BYTES_PER_ROW = 4096
ZIP_BASE_BYTES = 64 << 20
# Real sheets compress 5-30 times; deflate cannot exceed ~1,030. Above this a large member is a bomb.
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 16 << 20  # small members (styles, a near-empty sheet) may compress very well
ZIP_MAX_MEMBERS = 2000


class FileRejected(Exception):
    """The whole file is refused; the message tells the uploader what to do.

    ``msgid`` (the Indonesian source text) and ``params`` are kept apart so the refusal is stored once and
    shown in each reader's language; ``message`` renders it in the active one.
    """

    def __init__(self, code: str, msgid: str, **params):
        super().__init__(code)
        self.code = code
        self.msgid = msgid
        self.params = params

    @property
    def message(self) -> str:
        return format_message(self.msgid, self.params)

    @property
    def source_text(self) -> str:
        """The message in the source language (Indonesian), whatever language is active."""
        return self.msgid % self.params if self.params else self.msgid


@dataclass
class ReadResult:
    kind: str
    frame: pl.DataFrame  # sheet, row_number, one text column per field, nik_numeric, kk_numeric
    spec: TemplateSpec
    meta: dict = field(default_factory=dict)
    sheets: int = 1


def sniff_kind(path: Path) -> str:
    """``xlsx`` or ``csv`` from the bytes, never from the name."""
    with open(path, "rb") as fh:
        head = fh.read(65536)
    if not head:
        raise FileRejected("EMPTY_FILE", _("Berkas kosong. Unggah berkas B.1-KWK yang sudah diisi."))
    if head.startswith(XLSX_MAGIC):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise FileRejected(
                "CORRUPT", _("Berkas xlsx rusak atau tidak lengkap. Simpan ulang dari Excel lalu unggah lagi.")
            ) from exc
        if "xl/workbook.xml" not in names:
            raise FileRejected(
                "NOT_XLSX_CSV",
                _(
                    "Berkas ini arsip ZIP tetapi bukan xlsx (mis. docx atau ods). "
                    "Gunakan templat B.1-KWK (.xlsx) atau CSV."
                ),
            )
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        raise FileRejected(
            "NOT_XLSX_CSV",
            _("Format .xls lama tidak diterima. Buka di Excel lalu simpan sebagai .xlsx (Excel Workbook)."),
        )
    if b"\x00" in head:
        raise FileRejected(
            "NOT_XLSX_CSV", _("Berkas bukan xlsx atau CSV. Gunakan templat B.1-KWK yang diunduh dari SILON.")
        )
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)
    except UnicodeDecodeError as exc:
        raise FileRejected(
            "NOT_XLSX_CSV", _("Berkas bukan xlsx, dan bukan CSV UTF-8. Simpan CSV dengan pengodean UTF-8.")
        ) from exc
    return "csv"


XML_PROLOG_MAX = 1 << 20  # Excel's prolog is one declaration line; comments padding it past this are hostile
_XML_SPACE = b" \t\r\n"


def xml_prolog(fh) -> bytes:
    """The prolog of an XML stream: everything before its first element (declaration, comments, processing
    instructions, a DOCTYPE), however long the comments in front of a DTD are. Read in chunks and never
    past the root element's ``<``; a prolog over ``XML_PROLOG_MAX``, or a part in UTF-16/32 (which a byte
    scan cannot read, and Excel never writes), is refused."""
    unreadable = FileRejected(
        "CORRUPT", _("Berkas xlsx tidak dapat dibaca (rusak). Simpan ulang dari Excel lalu unggah lagi.")
    )
    buffer, pos, done = b"", 0, False
    while True:
        chunk = b"" if done else fh.read(64 << 10)
        done = done or not chunk
        buffer += chunk
        if buffer[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in buffer[:4]:
            raise unreadable
        if buffer.startswith(b"\xef\xbb\xbf") and pos == 0:
            pos = 3
        while True:
            while pos < len(buffer) and buffer[pos] in _XML_SPACE:
                pos += 1
            if len(buffer) - pos < 16 and not done:
                break  # too little left to tell a comment from a DOCTYPE: read on
            if buffer.startswith(b"<!--", pos):
                end = buffer.find(b"-->", pos + 4)
            elif buffer.startswith(b"<?", pos):
                end = buffer.find(b"?>", pos + 2)
            elif buffer.startswith(b"<!", pos):
                # a DOCTYPE (or other markup declaration): the caller refuses it; its first bytes suffice
                return buffer[: pos + 64]
            else:
                return buffer[:pos]  # the root element (or text the parser will refuse)
            if end < 0:
                break  # the comment or instruction goes on in the next chunk
            pos = end + (3 if buffer[pos + 1 : pos + 2] == b"!" else 2)
        if done:
            return buffer
        if len(buffer) > XML_PROLOG_MAX:
            raise unreadable


def check_archive(path: Path, *, max_rows: int) -> None:
    """Refuse an xlsx whose zip directory shows a bomb, macros, external links or a DTD in its XML.

    Runs before any parser sees the file: sizes and ratios come from the central directory, and of each XML
    part only its prolog (up to the first element, where a DTD must be) is inflated to look for a
    ``<!DOCTYPE``/``<!ENTITY`` (Excel never writes one; entity expansion is how an XML bomb works).
    """
    too_big = _("Berkas xlsx terlalu besar setelah diekstrak (kemungkinan bom zip). Simpan ulang dari Excel.")
    with zipfile.ZipFile(path) as zf:
        members = zf.infolist()
        if len(members) > ZIP_MAX_MEMBERS:
            raise FileRejected("ZIP_BOMB", too_big)
        total = 0
        for info in members:
            name = info.filename.lower()
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > ZIP_RATIO_FLOOR and ratio > ZIP_MAX_RATIO:
                raise FileRejected("ZIP_BOMB", too_big)
            if name.endswith("vbaproject.bin") or (name.endswith(".bin") and "vba" in name):
                raise FileRejected(
                    "MACRO",
                    _("Berkas berisi makro (VBA). Simpan sebagai Excel Workbook (.xlsx) tanpa makro lalu unggah lagi."),
                )
            if name.startswith("xl/externallinks/"):
                raise FileRejected(
                    "EXTERNAL_LINK",
                    _(
                        "Berkas berisi tautan ke buku kerja lain. "
                        "Salin data sebagai nilai (Paste Values) lalu unggah lagi."
                    ),
                )
            if name.endswith((".xml", ".rels")):
                with zf.open(info) as fh:
                    prolog = xml_prolog(fh)
                if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                    raise FileRejected(
                        "XML_DTD",
                        _("Berkas xlsx berisi deklarasi DTD/entitas yang tidak diizinkan. Simpan ulang dari Excel."),
                    )
        if total > ZIP_BASE_BYTES + ZIP_BYTES_PER_ROW * max_rows:
            raise FileRejected("ZIP_BOMB", too_big)
        content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in zf.namelist() else b""
        if b"macroEnabled" in content_types:
            raise FileRejected(
                "MACRO",
                _("Berkas berisi makro (VBA). Simpan sebagai Excel Workbook (.xlsx) tanpa makro lalu unggah lagi."),
            )


def _clean(frame: pl.DataFrame, spec: TemplateSpec) -> pl.DataFrame:
    """Trim every field, turn empty text into null, and drop rows with no value at all (phantom rows)."""
    keys = [f.key for f in spec.fields]
    frame = frame.with_columns([pl.col(k).cast(pl.String).str.strip_chars().replace("", None).alias(k) for k in keys])
    return frame.filter(pl.any_horizontal([pl.col(k).is_not_null() for k in keys]))


def _header_problem(found: list[str | None], spec: TemplateSpec, sheet: str) -> tuple[str, dict] | None:
    """The first thing wrong with a header row, as (msgid, params), or None."""
    expected = spec.headers
    found = [(h or "").strip() for h in found]
    while found and not found[-1]:
        found.pop()
    if found == expected:
        return None
    if sorted(found) == sorted(expected):
        return _("Urutan kolom pada lembar %(sheet)s berubah. Jangan memindahkan kolom; gunakan templat asli."), {
            "sheet": sheet
        }
    if found and not found[0] and [h for h in found if h] == expected:
        return _("Kolom pada lembar %(sheet)s bergeser ke kanan. Hapus kolom kosong di depan kolom NIK."), {
            "sheet": sheet
        }
    for index, name in enumerate(expected):
        got = found[index] if index < len(found) else ""
        if got != name:
            if name not in found:
                return _('Kolom "%(name)s" tidak ada atau diganti namanya pada lembar %(sheet)s (kolom ke-%(n)s).'), {
                    "name": name,
                    "sheet": sheet,
                    "n": index + 1,
                }
            return _('Kolom ke-%(n)s pada lembar %(sheet)s seharusnya "%(name)s", tertulis "%(got)s".'), {
                "n": index + 1,
                "sheet": sheet,
                "name": name,
                "got": got,
            }
    return _("Ada kolom tambahan setelah kolom terakhir pada lembar %(sheet)s. Hapus kolom itu."), {"sheet": sheet}


def _check_header(raw: pl.DataFrame, spec: TemplateSpec, sheet: str) -> None:
    if raw.height == 0:
        raise FileRejected("HEADER", _("Lembar %(sheet)s kosong; baris judul kolom tidak ditemukan."), sheet=sheet)
    first = [raw[0, i] for i in range(raw.width)]
    if not any(str(v).strip() for v in first if v is not None):
        # the header row is not in row 1: rows were inserted above it
        raise FileRejected(
            "HEADER",
            _("Baris judul kolom pada lembar %(sheet)s bergeser ke bawah. Judul kolom harus di baris 1."),
            sheet=sheet,
        )
    problem = _header_problem([v if isinstance(v, str) else str(v) for v in first], spec, sheet)
    if problem:
        raise FileRejected("HEADER", problem[0], **problem[1])


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
    numeric: dict[str, set[int]]  # field key → rows whose cell holds a number, not text (NIK, KK)
    formulas: dict[str, dict[int, str]]  # field key → row → the formula as written ("=HYPERLINK(...)")


_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)")
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"')


def scan_cells(path: Path, part: str, letters: dict[str, str], field_letters: dict[str, str]) -> CellScan:
    """What the Arrow reader cannot tell: numeric cells in NIK/KK (``letters``), and formula cells anywhere in
    the data columns (``field_letters``).

    The Arrow reader has to read NIK as text, and a number read as text looks like text ("3201014101900000",
    its 16th digit already lost by the spreadsheet). The cell type is in the sheet XML: a text cell carries
    ``t="s"``/``t="inlineStr"``/``t="str"``; anything else with a value is not text. A formula cell
    (``<f>``) gives the reader only its cached result (none at all when no spreadsheet computed it): the
    formula itself is what the uploader wrote, so it is kept as text and never evaluated. Both scans run in
    the regex engine, beside the parse, in a second thread.
    """
    by_letter = {letter: key for key, letter in letters.items()}
    field_by_letter = {letter: key for key, letter in field_letters.items()}
    pattern = re.compile(
        rb'<c r="(' + b"|".join(k.encode() for k in by_letter) + rb')([0-9]+)"(?: s="[0-9]+")?(?: t="(?:n|b|e|d)")?>'
    )
    found: dict[str, set[int]] = {key: set() for key in letters}
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
            for match in pattern.finditer(buffer, 0, cut):
                found[by_letter[match.group(1).decode()]].add(int(match.group(2)))
            for match in _FORMULA.finditer(buffer, 0, cut):
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


def _load_sheet(reader, name: str, spec: TemplateSpec, scan: Callable[[], CellScan]) -> pl.DataFrame:
    """One data sheet as text columns named by field key, plus numeric-cell flags for NIK/KK."""
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
    _check_header(raw, spec, name)
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
    for key in TEXT_FIELDS_CHECKED_FOR_NUMBERS:
        rows = scanned.numeric.get(key) or set()
        flag = pl.col("row_number").is_in(list(rows)) if rows else pl.lit(False)
        frame = frame.with_columns(flag.alias(f"{key}_numeric"))
    for key, by_row in scanned.formulas.items():
        # the formula's text replaces its cached result: stored and reported as written, never evaluated
        rows = list(by_row)
        frame = frame.with_columns(
            pl.col("row_number")
            .replace_strict(rows, list(by_row.values()), default=pl.col(key), return_dtype=pl.String)
            .alias(key)
        )
        if key in TEXT_FIELDS_CHECKED_FOR_NUMBERS:  # a formula is not a number typed in: NIK_FORMAT explains it
            frame = frame.with_columns(pl.col(f"{key}_numeric") & ~pl.col("row_number").is_in(rows))
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
    letters = {f.key: _column_letter(i) for i, f in enumerate(spec.fields) if f.key in TEXT_FIELDS_CHECKED_FOR_NUMBERS}
    field_letters = {f.key: _column_letter(i) for i, f in enumerate(spec.fields)}
    parts = _sheet_parts(path)
    with ThreadPoolExecutor(max_workers=1) as pool:
        scans = {name: pool.submit(scan_cells, path, parts[name], letters, field_letters) for name in data_sheets}
        for index, name in enumerate(data_sheets):
            try:
                frame = _clean(_load_sheet(reader, name, spec, scans[name].result), spec)
            except FileRejected:
                raise
            except Exception as exc:
                raise FileRejected(
                    "CORRUPT",
                    _("Lembar %(sheet)s tidak dapat dibaca (rusak). Simpan ulang dari Excel lalu unggah lagi."),
                    sheet=name,
                ) from exc
            total += frame.height
            _check_cap(total, max_rows)
            frames.append(frame.with_columns(pl.lit(index, dtype=pl.UInt16).alias("sheet")))
    return ReadResult("xlsx", pl.concat(frames), spec, meta, sheets=len(data_sheets))


def read_csv(path: Path, *, max_rows: int) -> ReadResult:
    spec = current_spec()
    with open(path, "rb") as fh:
        first_line = fh.readline().decode("utf-8-sig", errors="replace")
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        raw = pl.read_csv(
            path,
            has_header=False,
            infer_schema=False,
            separator=separator,
            truncate_ragged_lines=True,
            encoding="utf8",
        )
    except Exception as exc:
        raise FileRejected(
            "CORRUPT", _("Berkas CSV tidak dapat dibaca. Simpan sebagai CSV UTF-8 (dipisah koma) lalu unggah lagi.")
        ) from exc
    if raw.height and raw[0, 0] is not None:
        raw = raw.with_columns(pl.col(raw.columns[0]).str.strip_prefix("\ufeff"))
    _check_header(raw, spec, "CSV")
    data = raw.slice(1)
    columns = {
        f.key: (data.get_column(raw.columns[i]) if i < raw.width else pl.Series([None] * data.height, dtype=pl.String))
        for i, f in enumerate(spec.fields)
    }
    frame = pl.DataFrame(columns).with_columns(
        pl.int_range(2, data.height + 2, dtype=pl.UInt32).alias("row_number"),
        pl.lit(False).alias("nik_numeric"),
        pl.lit(False).alias("kk_numeric"),
        pl.lit(0, dtype=pl.UInt16).alias("sheet"),
    )
    frame = _clean(frame, spec)
    _check_cap(frame.height, max_rows)
    return ReadResult("csv", frame, spec)


def _check_cap(rows: int, max_rows: int) -> None:
    if rows > max_rows:
        raise FileRejected(
            "TOO_MANY_ROWS",
            _("Berkas berisi lebih dari %(max)s baris data. Bagi menjadi beberapa berkas."),
            max=f"{max_rows:,}",
        )


def read_upload(path: Path, *, election_id: int, pair_id: int, max_rows: int) -> ReadResult:
    kind = sniff_kind(path)
    result = (
        read_xlsx(path, election_id=election_id, pair_id=pair_id, max_rows=max_rows)
        if kind == "xlsx"
        else read_csv(path, max_rows=max_rows)
    )
    if result.frame.height == 0:
        raise FileRejected("NO_ROWS", _("Berkas tidak berisi baris data dukungan. Isi data mulai baris 2."))
    # scientific notation typed or exported as text ("3.2E+15") lost digits just like a numeric cell
    result.frame = result.frame.with_columns(
        (pl.col("nik_numeric") | pl.col("nik").str.contains(SCIENTIFIC).fill_null(False)).alias("nik_numeric"),
        (pl.col("kk_numeric") | pl.col("kk").str.contains(SCIENTIFIC).fill_null(False)).alias("kk_numeric"),
    )
    return result
