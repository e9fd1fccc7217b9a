"""Required documents of a pair: PDF uploads kept as revisions, and the operator's check of each."""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record

from ..access import require_manage_election
from ..files import validate_pdf
from ..models import (
    Candidate,
    CandidatePair,
    Document,
    DocumentCheck,
    DocumentRequirement,
    DocumentScope,
    PairStatus,
    Stage,
)
from ..status import EDITABLE_STATUSES
from .stages import StageClosedError, stage_require_open

# Documents are handed over at registration (draft) and again when KPU asks for a correction: the statuses in
# which the pair's data is editable (``candidacy.status.EDITABLE_STATUSES``).


def _sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def document_upload_refusal(pair: CandidatePair) -> str:
    """Why no document of ``pair`` can be uploaded now (empty when uploads are open): the page hides its upload
    forms and says this instead."""
    if pair.status not in EDITABLE_STATUSES:
        return _(
            "Unggahan dokumen terkunci sejak pasangan calon berstatus «%(status)s»; dibuka kembali bila KPU "
            "meminta perbaikan."
        ) % {"status": PairStatus(pair.status).label}
    try:
        stage_require_open(election=pair.election, stage=Stage.REGISTRATION, pair=pair)
    except StageClosedError as exc:
        return " ".join(exc.messages)
    return ""


@transaction.atomic
def document_upload(
    *,
    actor: User,
    pair: CandidatePair,
    requirement: DocumentRequirement,
    file: UploadedFile,
    candidate: Candidate | None = None,
) -> Document:
    """Store a new revision of one required document; earlier revisions stay as they were."""
    require_manage_election(actor, pair.election)
    if pair.status not in EDITABLE_STATUSES:
        raise ValidationError(_("Dokumen hanya dapat diunggah saat pendaftaran (draf) atau saat perbaikan."))
    # Both the hand-over and a correction fall inside the registration window (or its extension).
    stage_require_open(election=pair.election, stage=Stage.REGISTRATION, pair=pair)
    if requirement.regulation_id != pair.election.regulation_id or requirement.path != pair.path:
        raise ValidationError(_("Jenis dokumen ini bukan persyaratan pasangan calon ini."))
    if requirement.scope == DocumentScope.EACH_CANDIDATE:
        if candidate is None or candidate.pair_id != pair.pk:
            raise ValidationError(_("Pilih calon pemilik dokumen ini."))
    else:
        candidate = None
    validate_pdf(file)
    latest = (
        Document.objects.select_for_update()
        .filter(pair=pair, requirement=requirement, candidate=candidate)
        .order_by("-revision")
        .first()
    )
    original_name = file.name[:255]
    sha256 = _sha256(file)
    file.name = f"{uuid.uuid4().hex}.pdf"
    document = Document.objects.create(
        pair=pair,
        requirement=requirement,
        candidate=candidate,
        revision=(latest.revision + 1) if latest else 1,
        file=file,
        original_name=original_name,
        size=file.size,
        sha256=sha256,
        uploaded_by=actor,
    )
    audit_record(
        actor=actor,
        action=actions.DOCUMENT_UPLOAD,
        obj=document,
        region_code=pair.election.region_code,
        after={
            "pair": pair.pk,
            "requirement": requirement.code,
            "candidate": candidate.role if candidate else None,
            "revision": document.revision,
            "sha256": sha256,
            "size": document.size,
        },
    )
    return document


@transaction.atomic
def document_check(*, actor: User, document: Document, status: str, note: str = "") -> Document:
    """Record an operator's verdict on one revision: complete, or incomplete with the reason."""
    require_manage_election(actor, document.pair.election)
    if status not in (DocumentCheck.COMPLETE, DocumentCheck.INCOMPLETE):
        raise ValidationError(_("Hasil pemeriksaan harus Lengkap atau Tidak lengkap."))
    if status == DocumentCheck.INCOMPLETE and not note.strip():
        raise ValidationError(_("Catatan wajib diisi bila dokumen tidak lengkap."))
    if document.pair.status in (PairStatus.DETERMINED, PairStatus.BALLOT_ASSIGNED):
        raise ValidationError(_("Pasangan calon sudah ditetapkan; dokumen tidak dapat diperiksa ulang."))
    before = {"status": document.check_status, "note": document.check_note}
    document.check_status = status
    document.check_note = note.strip()
    document.checked_by = actor
    document.checked_at = timezone.now()
    document.save(update_fields=["check_status", "check_note", "checked_by", "checked_at"])
    audit_record(
        actor=actor,
        action=actions.DOCUMENT_CHECK,
        obj=document,
        region_code=document.pair.election.region_code,
        before=before,
        after={"status": status, "note": document.check_note},
    )
    return document
