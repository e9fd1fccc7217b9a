"""Checks on uploaded files, by content as well as by name, so that a renamed file is refused: the one home of
the PDF check (a candidate's documents, a pair team's mandate letter, scanned KTP copies) and of the helpers
other file checks share, and the local path of a stored file (``local_file``)."""

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

PDF_MAGIC = b"%PDF-"


def file_head(file: UploadedFile, size: int) -> bytes:
    """The first ``size`` bytes of the file, leaving it at its start for whoever saves it next."""
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def file_extension(name: str) -> str:
    """``".pdf"`` for ``"Surat.PDF"``; ``""`` when the name has no dot."""
    dot = name.rfind(".")
    return name[dot:].lower() if dot >= 0 else ""


def require_size(file: UploadedFile, max_bytes: int) -> None:
    """Not empty and at most ``max_bytes``."""
    if not file.size:
        raise ValidationError(_("Berkas kosong."), code="empty")
    if file.size > max_bytes:
        raise ValidationError(
            _("Ukuran berkas %(size)s melebihi batas %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)},
            code="size",
        )


def require_pdf(
    file: UploadedFile,
    *,
    max_bytes: int | None = None,
    wrong_extension: str | None = None,
    not_a_pdf: str | None = None,
) -> None:
    """A file named ``.pdf`` whose content starts with ``%PDF-`` and, when ``max_bytes`` is given, neither
    empty nor larger. ``wrong_extension`` and ``not_a_pdf`` name the document in the refusal ("the mandate
    letter must be a PDF"); without them the refusal speaks of a document."""
    if file_extension(file.name or "") != ".pdf":
        raise ValidationError(wrong_extension or _("Dokumen harus berformat PDF (berakhiran .pdf)."), code="extension")
    if max_bytes is not None:
        require_size(file, max_bytes)
    if file_head(file, len(PDF_MAGIC)) != PDF_MAGIC:
        raise ValidationError(not_a_pdf or _("Isi berkas bukan PDF yang sah (tidak diawali %PDF-)."), code="magic")


@contextlib.contextmanager
def local_file(stored) -> Iterator[Path]:
    """A path on this host's disk for a stored file (a ``FieldFile``): its own on the file-system storage;
    with object storage shared by several hosts (README "Scaling"), a temporary copy, removed afterwards.
    The readers (fastexcel, polars, the bounded read's child process) need a path."""
    try:
        own = stored.path
    except NotImplementedError:  # no local path: object storage
        own = None
    if own is not None:
        yield Path(own)
        return
    with tempfile.NamedTemporaryFile(suffix=Path(stored.name).suffix, dir=settings.FILE_UPLOAD_TEMP_DIR) as copy:
        with stored.storage.open(stored.name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield Path(copy.name)
