"""Visible watermarks on the files a supervisor (Bawaslu) downloads: who, when, and a download id that names
the audit event of that download, so a leaked copy can be traced (issue #15, Bawaslu's 2023 arrangement).

Pure functions on bytes: ``pdf_stamp`` draws the text on every page (pypdf merges an fpdf2 overlay),
``xlsx_stamp`` puts it on a first sheet and in every sheet's printed header and footer, ``csv_line`` is the
leading comment row of a CSV. ``silon.audit.downloads`` decides when they apply.
"""

import io
from functools import cache

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError

from .csvsafe import cell_safe

SHEET_TITLE = "Tanda air"
MM_PER_POINT = 25.4 / 72


def _latin(text: str) -> str:
    # the core PDF fonts are Latin-1; anything else is replaced rather than dropped
    return text.encode("latin-1", "replace").decode("latin-1")


@cache
def _overlay(text: str, width_pt: float, height_pt: float) -> bytes:
    """One transparent page of the given size with the text along the top and bottom and across the middle."""
    width, height = width_pt * MM_PER_POINT, height_pt * MM_PER_POINT
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_text_color(200, 0, 0)
    pdf.set_font("helvetica", "B", 7)
    line = _latin(text)
    for y in (3, height - 6):
        pdf.set_xy(4, y)
        pdf.cell(width - 8, 3, line, align="C")
    pdf.set_font("helvetica", "B", 16)
    with pdf.local_context(fill_opacity=0.25, text_color=(200, 0, 0)), pdf.rotation(35, width / 2, height / 2):
        pdf.set_xy(4, height / 2 - 4)
        pdf.cell(width - 8, 8, line, align="C")
    return bytes(pdf.output())


def _cover(text: str, original: bytes, filename: str) -> bytes:
    """A file pypdf cannot read: a watermark page with the original attached, never the original bare."""
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.set_font("helvetica", "B", 11)
    for part in text.split(" · "):  # one line each, so the download id is never broken
        pdf.multi_cell(0, 6, _latin(part), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "", 10)
    pdf.multi_cell(0, 6, _latin(_("Berkas asli terlampir pada PDF ini.")), new_x="LMARGIN", new_y="NEXT")
    pdf.embed_file(bytes=original, basename=filename or "berkas.pdf")
    return bytes(pdf.output())


def pdf_stamp(data: bytes, text: str, filename: str = "") -> bytes:
    """``data`` with ``text`` drawn on every page."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted or not reader.pages:
            return _cover(text, data, filename)
        writer = PdfWriter(clone_from=reader)
        for page in writer.pages:
            box = page.mediabox
            overlay = PdfReader(io.BytesIO(_overlay(text, float(box.width), float(box.height)))).pages[0]
            page.merge_translated_page(overlay, float(box.left), float(box.bottom), over=True)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError):
        return _cover(text, data, filename)


def xlsx_stamp(data: bytes, text: str) -> bytes:
    """``data`` with a first sheet carrying ``text`` (shown when the file opens) and the text in every sheet's
    printed header and footer and in the document's properties."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        sheet.oddHeader.center.text = text
        sheet.oddFooter.center.text = text
    first = book.create_sheet(SHEET_TITLE, 0)
    first["A1"] = cell_safe(text)
    first.column_dimensions["A"].width = max(40, min(len(text) + 2, 200))
    book.active = 0
    for sheet in book.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
    book.properties.description = text
    book.properties.keywords = text
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_line(text: str) -> bytes:
    """The first row of a supervisor's CSV: a comment naming the download."""
    return ("# " + text.replace("\r", " ").replace("\n", " ") + "\r\n").encode()
