"""Checks on uploaded files: the extension AND the first bytes, so a renamed file is refused (the PDF check
itself is ``silon.files.require_pdf``, shared with support uploads)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from silon.files import file_extension, file_head, require_pdf, require_size

# Party results and DPT per sub-region are a few hundred lines at most.
CSV_MAX_BYTES = 1024 * 1024
# A passport photo needs far less than a scanned document.
PHOTO_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAGIC = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_pdf(file: UploadedFile) -> None:
    """A PDF no larger than ``DOCUMENT_UPLOAD_MAX_BYTES``, named ``.pdf`` and starting with ``%PDF-``."""
    require_pdf(file, max_bytes=settings.DOCUMENT_UPLOAD_MAX_BYTES)


def validate_photo(file: UploadedFile) -> None:
    """A JPEG or PNG photo no larger than ``PHOTO_MAX_BYTES``, whose first bytes match its extension."""
    signatures = IMAGE_MAGIC.get(file_extension(file.name or ""))
    if signatures is None:
        raise ValidationError(_("Foto harus berformat JPG atau PNG."), code="extension")
    if not file.size:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if file.size > PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Ukuran foto %(size)s melebihi batas %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(PHOTO_MAX_BYTES)},
            code="size",
        )
    head = file_head(file, 8)
    if not any(head.startswith(sig) for sig in signatures):
        raise ValidationError(_("Isi berkas foto tidak sesuai dengan formatnya."), code="magic")


def read_csv_upload(file: UploadedFile) -> str:
    """The text of a small CSV upload (at most ``CSV_MAX_BYTES``, UTF-8 with or without a BOM)."""
    if file.size > CSV_MAX_BYTES:
        raise ValidationError(_("Berkas CSV maksimal 1 MB."), code="size")
    try:
        return file.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(_("Berkas CSV harus berenkode UTF-8."), code="encoding") from exc


def validate_evidence(file: UploadedFile) -> None:
    """A public response's evidence: a PDF (``silon.files.require_pdf``) or a JPEG/PNG image whose first bytes
    match its name, not empty and at most ``PUBLIC_RESPONSE_MAX_BYTES``."""
    limit = settings.PUBLIC_RESPONSE_MAX_BYTES
    extension = file_extension(file.name or "")
    if extension == ".pdf":
        require_pdf(file, max_bytes=limit)
        return
    signatures = IMAGE_MAGIC.get(extension)
    if signatures is None:
        raise ValidationError(_("Bukti harus berupa PDF, JPG atau PNG."), code="extension")
    require_size(file, limit)
    if not any(file_head(file, 8).startswith(sig) for sig in signatures):
        raise ValidationError(_("Isi berkas bukti tidak sesuai dengan formatnya."), code="magic")
