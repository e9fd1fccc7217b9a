"""PDF (fpdf2) and xlsx (openpyxl, write-only) from a document's item stream (see ``content.py``), fed one
item at a time so memory does not grow with the rows: PDF rows are drawn as they come (the header repeats
on each new page), xlsx rows are streamed to disk. Both print the content hash and its short verification
code: the PDF in the footer of every page, the xlsx in cells at the top of the first sheet."""

from typing import BinaryIO

from django.utils.translation import gettext as _
from fpdf import FPDF
from openpyxl import Workbook

from silon.csvsafe import cell_safe

PDF_MIME = "application/pdf"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LINE_MM = 5


def _latin(text) -> str:
    # the core PDF fonts are Latin-1; anything else is replaced rather than failing the whole document
    return str(text).encode("latin-1", "replace").decode("latin-1")


class _Pdf(FPDF):
    def __init__(self, code: str, content_hash: str) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.code_line = _latin(_("Kode verifikasi: %(code)s") % {"code": code})
        self.hash_line = _latin(_("SHA-256 isi dokumen: %(hash)s") % {"hash": content_hash})
        self.set_auto_page_break(auto=True, margin=20)

    def footer(self) -> None:
        self.set_y(-16)
        self.set_font("helvetica", "", 7)
        page = _latin(_("Halaman %(page)s/%(pages)s") % {"page": self.page_no(), "pages": "{nb}"})
        self.cell(0, 4, f"{self.code_line}    {page}", new_x="LMARGIN", new_y="NEXT")
        self.cell(0, 4, self.hash_line, new_x="LMARGIN", new_y="NEXT")


class PdfRenderer:
    def __init__(self, code: str, content_hash: str) -> None:
        self.pdf = _Pdf(code, content_hash)
        self.pdf.add_page()
        self.header: list[str] = []
        self.widths: list[float] = []

    def _fit(self, text: str, width: float) -> str:
        text = _latin(text)
        while text and self.pdf.get_string_width(text) > width - 2:
            text = text[:-1]
        return text

    def _line(self, cells, bold: bool = False) -> None:
        pdf = self.pdf
        if bold:
            pdf.set_font("helvetica", "B", 8)
        for cell, width in zip(cells, self.widths, strict=False):
            align = "R" if isinstance(cell, int | float) else "L"
            pdf.cell(width, LINE_MM, self._fit(cell, width), border=1, align=align)
        pdf.ln(LINE_MM)
        if bold:
            pdf.set_font("helvetica", "", 8)

    def feed(self, item: list) -> None:
        pdf = self.pdf
        kind = item[0]
        if kind == "title":
            pdf.set_font("helvetica", "B", 12)
            pdf.multi_cell(0, 6, _latin(item[1]), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("helvetica", "", 9)
        elif kind == "meta":
            pdf.set_font("helvetica", "", 9)
            pdf.cell(0, LINE_MM, _latin(f"{item[1]}: {item[2]}"), new_x="LMARGIN", new_y="NEXT")
        elif kind == "section":
            _kind, title, self.header, self.widths = item
            pdf.ln(2)
            if title:
                pdf.set_font("helvetica", "B", 9)
                pdf.multi_cell(0, LINE_MM, _latin(title), new_x="LMARGIN", new_y="NEXT")
            self._line(self.header, bold=True)
        elif kind == "row":
            if pdf.will_page_break(LINE_MM):
                pdf.add_page()
                self._line(self.header, bold=True)
            self._line(item[1])
        elif kind == "note":
            pdf.set_font("helvetica", "", 9)
            pdf.cell(0, 6, _latin(item[1]), new_x="LMARGIN", new_y="NEXT")
        elif kind == "page":
            pdf.add_page()

    def finish(self, out: BinaryIO) -> None:
        out.write(bytes(self.pdf.output()))


class XlsxRenderer:
    def __init__(self, code: str, content_hash: str) -> None:
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet("Dokumen")
        self.verification = [
            [_("Kode verifikasi"), code],
            [_("SHA-256 isi dokumen"), content_hash],
        ]

    def _append(self, values: list) -> None:
        # supporters' names and addresses come from the teams' files: a text cell starting with = + - @ would
        # run as a formula in the reader's spreadsheet, so it is neutralised (the content hash covers the data)
        self.sheet.append([cell_safe(v) for v in values])

    def _verification_rows(self) -> None:
        # printed once, right below the election, pair, round and time
        for line in self.verification:
            self._append(line)
        self.verification = []

    def feed(self, item: list) -> None:
        kind = item[0]
        if kind not in ("title", "meta") and self.verification:
            self._verification_rows()
        if kind == "title":
            self._append([item[1]])
        elif kind == "meta":
            self._append([item[1], item[2]])
        elif kind == "section":
            self._append([])
            if item[1]:
                self._append([item[1]])
            self._append(item[2])
        elif kind == "row":
            self._append([c if isinstance(c, int | float) else str(c) for c in item[1]])
        elif kind == "note":
            self._append([item[1]])

    def finish(self, out: BinaryIO) -> None:
        if self.verification:
            self._verification_rows()
        self.workbook.save(out)


def renderer(fmt: str, code: str, content_hash: str) -> PdfRenderer | XlsxRenderer:
    return PdfRenderer(code, content_hash) if fmt == "pdf" else XlsxRenderer(code, content_hash)
