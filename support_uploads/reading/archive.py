"""The checks an upload passes before any parser sees it: its kind from its bytes, and an xlsx archive's
directory and XML prologs (bombs, macros, external links, DTDs)."""

import codecs
import zipfile
import zlib
from pathlib import Path

# gettext_noop: a refusal keeps its msgid and parameters apart; it is translated where it is shown
from django.utils.translation import gettext_noop as _

from . import inflate
from .common import FileRejected

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls / .doc
# Archive limits, on the bytes really inflated (``inflate``) before any XML is parsed. A sheet row of the
# template is a few hundred bytes of XML; 4 KB per allowed row plus 64 MB leaves room for styles and long
# addresses.
ZIP_BYTES_PER_ROW = 4096
ZIP_BASE_BYTES = 64 << 20
# Real sheets compress 5-30 times; deflate cannot exceed ~1,030. Above this a large member is a bomb.
ZIP_MAX_RATIO = 200
ZIP_RATIO_FLOOR = 16 << 20  # small members (styles, a near-empty sheet) may compress very well
ZIP_MAX_MEMBERS = 2000


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
        pos, prolog = _prolog_scan(buffer, pos, done=done)
        if prolog is not None:
            return prolog
        if done:
            return buffer
        if len(buffer) > XML_PROLOG_MAX:
            raise unreadable


def _prolog_scan(buffer: bytes, pos: int, *, done: bool) -> tuple[int, bytes | None]:
    """Walk ``buffer`` from ``pos`` past whitespace, comments and processing instructions: the position
    reached, and the prolog once its end is found (``None`` while the next chunk is needed)."""
    while True:
        while pos < len(buffer) and buffer[pos] in _XML_SPACE:
            pos += 1
        if len(buffer) - pos < 16 and not done:
            return pos, None  # too little left to tell a comment from a DOCTYPE: read on
        if buffer.startswith(b"<!--", pos):
            end = buffer.find(b"-->", pos + 4)
        elif buffer.startswith(b"<?", pos):
            end = buffer.find(b"?>", pos + 2)
        elif buffer.startswith(b"<!", pos):
            # a DOCTYPE (or other markup declaration): the caller refuses it; its first bytes suffice
            return pos, buffer[: pos + 64]
        else:
            return pos, buffer[:pos]  # the root element (or text the parser will refuse)
        if end < 0:
            return pos, None  # the comment or instruction goes on in the next chunk
        pos = end + (3 if buffer[pos + 1 : pos + 2] == b"!" else 2)


def check_archive(path: Path, *, max_rows: int) -> None:
    """Refuse an xlsx that inflates like a bomb, or holds macros, external links or a DTD in its XML.

    Runs before any parser sees the file. Sizes and ratios are the bytes each member really inflates to
    (``inflate.inflated_sizes``: counted, never taken from the zip directory, which a bomb lies in), against a
    budget of ``ZIP_BASE_BYTES`` + ``ZIP_BYTES_PER_ROW`` per allowed row. Of each XML part only its prolog (up
    to the first element, where a DTD must be) is looked at for a ``<!DOCTYPE``/``<!ENTITY`` (Excel never
    writes one; entity expansion is how an XML bomb works).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            _check_members(path, zf, max_rows=max_rows)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as exc:
        # a directory and local headers that disagree, a stream cut short, a method zipfile cannot read
        raise inflate.unreadable() from exc


def _check_members(path: Path, zf: zipfile.ZipFile, *, max_rows: int) -> None:
    members = zf.infolist()
    if len(members) > ZIP_MAX_MEMBERS:
        raise inflate.bomb()
    budget = inflate.Budget(
        total=ZIP_BASE_BYTES + ZIP_BYTES_PER_ROW * max_rows, ratio=ZIP_MAX_RATIO, floor=ZIP_RATIO_FLOOR
    )
    inflate.inflated_sizes(path, members, budget)
    for info in members:
        name = info.filename.lower()
        if name.endswith("vbaproject.bin") or (name.endswith(".bin") and "vba" in name):
            raise FileRejected(
                "MACRO",
                _("Berkas berisi makro (VBA). Simpan sebagai Excel Workbook (.xlsx) tanpa makro lalu unggah lagi."),
            )
        if name.startswith("xl/externallinks/"):
            raise FileRejected(
                "EXTERNAL_LINK",
                _("Berkas berisi tautan ke buku kerja lain. Salin data sebagai nilai (Paste Values) lalu unggah lagi."),
            )
        if name.endswith((".xml", ".rels")):
            with zf.open(info) as fh:
                prolog = xml_prolog(fh)
            if b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog:
                raise FileRejected(
                    "XML_DTD",
                    _("Berkas xlsx berisi deklarasi DTD/entitas yang tidak diizinkan. Simpan ulang dari Excel."),
                )
    content_types = zf.read("[Content_Types].xml") if "[Content_Types].xml" in zf.namelist() else b""
    if b"macroEnabled" in content_types:
        raise FileRejected(
            "MACRO",
            _("Berkas berisi makro (VBA). Simpan sebagai Excel Workbook (.xlsx) tanpa makro lalu unggah lagi."),
        )
