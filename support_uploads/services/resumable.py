"""Resumable uploads of supporter files: the tus protocol 1.0.0 (https://tus.io/protocols/resumable-upload,
core + creation + expiration + termination), for files up to ``SUPPORT_UPLOAD_MAX_BYTES`` over a connection
that may break (issue #18: the deadline day's 1 GiB files).

A ``ResumableUpload`` row holds the declared length and the offset stored so far; the bytes sit in a private
folder under MEDIA_ROOT (``partial_path``; MEDIA_ROOT is never served, silon/urls.py). Each chunk is received
into a file of its own first, then appended at the row's offset under the row's lock: the database connection
is not held while the network is slow, and two PATCHes at one offset cannot both land. The file is truncated to
the offset at each append, so bytes of a chunk whose transaction rolled back never count. When the last byte
arrives the file becomes an ``Upload`` through ``upload_create``, in the same transaction: the same checks, the
same receipt (its time is the last byte's), the same validation queued after commit.
"""

import datetime
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidacy.models import CandidatePair
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record

from ..models import ResumableUpload, Upload
from ..selectors import upload_batch_open
from .uploads import _require_batch_open, _require_pair_operator, upload_create

PRIVATE_FOLDER = ("private", "resumable")  # under MEDIA_ROOT: never served, each byte is read by the service


class OffsetConflict(Exception):
    """The client's Upload-Offset is not the stored offset (tus: 409 Conflict)."""


class ChunkTooLarge(Exception):
    """A chunk beyond ``SUPPORT_RESUMABLE_CHUNK_MAX_BYTES`` (413)."""


class ResumableGone(Exception):
    """The upload expired unfinished (tus expiration: 410 Gone)."""


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT).joinpath(*PRIVATE_FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def partial_path(resumable: ResumableUpload) -> Path:
    return _folder() / f"{resumable.pk}.part"


def _unlink_on_commit(path: Path) -> None:
    transaction.on_commit(lambda: path.unlink(missing_ok=True))


def _max_mb(max_bytes: int) -> int:
    return max_bytes // (1024 * 1024)


@transaction.atomic
def resumable_create(*, actor: User, pair: CandidatePair, length: int, name: str) -> ResumableUpload:
    """Begin a resumable upload of ``length`` bytes: the pair's LO only, while one of its batches is open (the
    same rules as ``upload_create``, checked again when the last byte arrives)."""
    _require_pair_operator(actor, pair)
    pair = CandidatePair.objects.select_related("election").get(pk=pair.pk)
    _require_batch_open(pair, upload_batch_open(pair=pair))
    max_bytes = settings.SUPPORT_UPLOAD_MAX_BYTES
    if length > max_bytes:
        raise ValidationError(
            _("Berkas terlalu besar (%(size)s MB); batasnya %(max)s MB.")
            % {"size": _max_mb(length), "max": _max_mb(max_bytes)}
        )
    if length <= 0:
        raise ValidationError(_("Berkas kosong."))
    resumable = ResumableUpload.objects.create(
        pair=pair,
        created_by=actor,
        name=(name or "berkas")[:255],
        length=length,
        expires_at=timezone.now() + datetime.timedelta(hours=settings.SUPPORT_RESUMABLE_EXPIRE_HOURS),
    )
    audit_record(
        actor=actor,
        action=actions.SUPPORT_RESUMABLE_CREATE,
        obj=resumable,
        region_code=pair.election.region_code,
        after={"pair": pair.pk, "name": resumable.name, "length": length, "expires_at": resumable.expires_at},
    )
    return resumable


def chunk_receive(stream, *, declared: int | None) -> Path:
    """Read one PATCH body into a private file of its own, at most ``SUPPORT_RESUMABLE_CHUNK_MAX_BYTES``
    (``ChunkTooLarge`` beyond, from the declared length or from the bytes themselves). A body shorter than its
    declared length (the connection broke) is discarded: the client asks for the offset and sends it again."""
    limit = settings.SUPPORT_RESUMABLE_CHUNK_MAX_BYTES
    if declared is not None and declared > limit:
        raise ChunkTooLarge
    handle = tempfile.NamedTemporaryFile(dir=_folder(), suffix=".chunk", delete=False)  # noqa: SIM115
    received = 0
    try:
        with handle:
            while True:
                part = stream.read(min(1024 * 1024, limit + 1 - received))
                if not part:
                    break
                received += len(part)
                if received > limit:
                    raise ChunkTooLarge
                handle.write(part)
        if declared is not None and received != declared:
            raise ValidationError(_("Potongan berkas terputus; kirim lagi dari posisi yang tersimpan."))
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return Path(handle.name)


def resumable_append(
    *, actor: User, resumable: ResumableUpload, offset: int, chunk: Path
) -> tuple[ResumableUpload, Upload | None]:
    """Append a received chunk at ``offset``; with the last byte, the file becomes an ``Upload``
    (``upload_create``: receipt, validation queued). The chunk's file is removed whatever happens."""
    try:
        return _append(actor=actor, resumable=resumable, offset=offset, chunk=chunk)
    finally:
        chunk.unlink(missing_ok=True)


@transaction.atomic
def _append(
    *, actor: User, resumable: ResumableUpload, offset: int, chunk: Path
) -> tuple[ResumableUpload, Upload | None]:
    _require_pair_operator(actor, resumable.pair)
    resumable = ResumableUpload.objects.select_for_update().select_related("pair__election").get(pk=resumable.pk)
    if resumable.expires_at <= timezone.now() and not resumable.is_finished:
        raise ResumableGone
    if resumable.is_finished or offset != resumable.offset:
        raise OffsetConflict
    size = chunk.stat().st_size
    if offset + size > resumable.length:
        raise ValidationError(_("Potongan melebihi ukuran berkas yang dinyatakan."))
    pair = resumable.pair
    _require_batch_open(pair, upload_batch_open(pair=pair))  # a window that closed mid-way stops the upload
    path = partial_path(resumable)
    with path.open("r+b" if path.exists() else "w+b") as target, chunk.open("rb") as source:
        target.seek(offset)
        target.truncate()  # bytes past the stored offset are a rolled-back chunk's: never counted
        shutil.copyfileobj(source, target, 1024 * 1024)
    resumable.offset = offset + size
    resumable.save(update_fields=["offset"])
    if resumable.offset < resumable.length:
        return resumable, None
    with path.open("rb") as handle:
        upload = upload_create(
            actor=actor,
            pair=pair,
            file=UploadedFile(file=handle, name=resumable.name, size=resumable.length),
            max_bytes=settings.SUPPORT_UPLOAD_MAX_BYTES,
        )
    resumable.upload = upload
    resumable.save(update_fields=["upload"])
    audit_record(
        actor=actor,
        action=actions.SUPPORT_RESUMABLE_FINISH,
        obj=resumable,
        region_code=pair.election.region_code,
        after={"upload": upload.pk, "length": resumable.length, "sha256": upload.sha256},
    )
    _unlink_on_commit(path)
    return resumable, upload


@transaction.atomic
def resumable_terminate(*, actor: User, resumable: ResumableUpload) -> None:
    """The team ends an unfinished upload (tus termination): its bytes are removed after commit. A finished one
    is an ``Upload`` now: withdrawn as such, never through here."""
    _require_pair_operator(actor, resumable.pair)
    resumable = ResumableUpload.objects.select_for_update().select_related("pair__election").get(pk=resumable.pk)
    if resumable.is_finished:
        raise ValidationError(_("Berkas ini sudah diterima utuh; tarik unggahannya bila perlu."))
    audit_record(
        actor=actor,
        action=actions.SUPPORT_RESUMABLE_TERMINATE,
        obj=resumable,
        region_code=resumable.pair.election.region_code,
        before={"offset": resumable.offset, "length": resumable.length},
    )
    _unlink_on_commit(partial_path(resumable))
    resumable.delete()


def resumable_expire(*, now: datetime.datetime | None = None) -> int:
    """Periodic (beat, ``support_uploads.resumable_expire``): unfinished uploads past ``expires_at`` are
    removed, bytes and row, each with an audit event; finished ones stay as the record of their Upload.
    Idempotent. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    ids = list(ResumableUpload.objects.filter(expires_at__lte=now, upload__isnull=True).values_list("pk", flat=True))
    for resumable_id in ids:
        with transaction.atomic():
            resumable = (
                ResumableUpload.objects.select_for_update()
                .select_related("pair__election")
                .filter(pk=resumable_id, expires_at__lte=now, upload__isnull=True)
                .first()
            )
            if resumable is None:
                continue
            audit_record(
                actor=None,
                action=actions.SUPPORT_RESUMABLE_EXPIRE,
                obj=resumable,
                region_code=resumable.pair.election.region_code,
                before={"offset": resumable.offset, "length": resumable.length, "expires_at": resumable.expires_at},
            )
            _unlink_on_commit(partial_path(resumable))
            resumable.delete()
            expired += 1
    # chunks a killed process left behind (a chunk lives for one request)
    stale = (now - datetime.timedelta(hours=settings.SUPPORT_RESUMABLE_EXPIRE_HOURS)).timestamp()
    for leftover in _folder().glob("*.chunk"):
        if leftover.stat().st_mtime < stale:
            leftover.unlink(missing_ok=True)
    return expired
