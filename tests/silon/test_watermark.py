"""The watermark functions on their own: every PDF page and every sheet carries the text, the content stays."""

import io

from fpdf import FPDF
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from silon.watermark import SHEET_TITLE, csv_line, pdf_stamp, xlsx_stamp

TEXT = "SALINAN PENGAWASAN · diunduh oleh Pengawas (bawaslu-x) · ID unduhan 0123456789ABCDEF"


def _pdf(pages: int) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", "", 12)
    for n in range(pages):
        pdf.add_page(format="A4" if n % 2 == 0 else (148, 210))
        pdf.cell(0, 10, f"Isi halaman {n + 1}")
    return bytes(pdf.output())


def test_every_pdf_page_is_stamped_and_keeps_its_content():
    stamped = PdfReader(io.BytesIO(pdf_stamp(_pdf(3), TEXT)))
    assert len(stamped.pages) == 3
    for n, page in enumerate(stamped.pages):
        text = page.extract_text()
        assert "ID unduhan 0123456789ABCDEF" in text
        assert f"Isi halaman {n + 1}" in text


def test_an_unreadable_pdf_is_never_handed_out_bare():
    original = b"%PDF-1.4\nnot really a pdf\n%%EOF\n"
    reader = PdfReader(io.BytesIO(pdf_stamp(original, TEXT, "berkas.pdf")))
    assert "ID unduhan 0123456789ABCDEF" in reader.pages[0].extract_text()
    assert reader.attachments["berkas.pdf"] == [original]


def test_every_sheet_carries_the_watermark_and_keeps_its_cells():
    book = Workbook()
    book.active.title = "Laporan"
    book.active.append(["NIK", "Alasan"])
    book.create_sheet("Ringkasan").append(["Jumlah", 3])
    buffer = io.BytesIO()
    book.save(buffer)
    stamped = load_workbook(io.BytesIO(xlsx_stamp(buffer.getvalue(), TEXT)))
    assert stamped.sheetnames == [SHEET_TITLE, "Laporan", "Ringkasan"]
    assert stamped.active.title == SHEET_TITLE
    assert stamped[SHEET_TITLE]["A1"].value == TEXT
    for name in ("Laporan", "Ringkasan"):
        assert stamped[name].oddHeader.center.text == TEXT
        assert stamped[name].oddFooter.center.text == TEXT
    assert [c.value for c in stamped["Laporan"][1]] == ["NIK", "Alasan"]
    assert stamped.properties.description == TEXT


def test_the_csv_line_is_one_comment_row():
    assert csv_line("a\nb") == b"# a b\r\n"
