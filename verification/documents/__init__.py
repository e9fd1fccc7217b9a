"""Documents of a verification round, generated from the data: the supporter list grouped per desa (B.1.1-KWK
style, NIK masked) for a desa, kecamatan, kab/kota or the whole region; the recap per kecamatan and kab/kota
(B.2-KWK style); and the minutes (berita acara) with totals, MS/TMS by reason and a signatures block. PDF
(fpdf2) or xlsx (openpyxl). Each carries the election, pair, round, time and a content hash with its short
verification code, stored and audited, so a printed copy can be checked against the system."""

from ..models import check_code
from .build import document_find
from .content import document_area
from .render import PDF_MIME, XLSX_MIME

__all__ = ["PDF_MIME", "XLSX_MIME", "check_code", "document_area", "document_find"]
