"""The one PDF check (``silon/files.py``): the name AND the first bytes, and the size when a limit is given."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from silon.files import file_extension, file_head, require_pdf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _code(exc: pytest.ExceptionInfo) -> str:
    return exc.value.code


def test_a_pdf_passes_and_is_left_at_its_start():
    file = SimpleUploadedFile("Surat.PDF", PDF)
    require_pdf(file, max_bytes=1024)
    assert file.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    ("name", "content", "max_bytes", "code"),
    [
        ("surat.docx", PDF, None, "extension"),
        ("surat", PDF, None, "extension"),
        ("surat.pdf", b"PK\x03\x04 a zip renamed", None, "magic"),
        ("surat.pdf", b"", None, "magic"),  # without a limit an empty file is simply not a PDF
        ("surat.pdf", b"", 1024, "empty"),
        ("surat.pdf", PDF, 10, "size"),
    ],
)
def test_refusals(name, content, max_bytes, code):
    with pytest.raises(ValidationError) as exc:
        require_pdf(SimpleUploadedFile(name, content), max_bytes=max_bytes)
    assert _code(exc) == code


def test_the_caller_names_the_document_in_the_refusal():
    with pytest.raises(ValidationError, match="Surat mandat harus"):
        require_pdf(SimpleUploadedFile("a.txt", PDF), wrong_extension="Surat mandat harus berkas PDF (.pdf).")
    with pytest.raises(ValidationError, match="surat mandat bukan PDF"):
        require_pdf(SimpleUploadedFile("a.pdf", b"GIF89a"), not_a_pdf="Berkas surat mandat bukan PDF yang sah.")


def test_helpers():
    assert file_extension("a.b.PDF") == ".pdf" and file_extension("noext") == ""
    file = SimpleUploadedFile("x.bin", b"abcdef")
    assert file_head(file, 3) == b"abc" and file.read() == b"abcdef"
