"""An objection's life: filed by the person from a positive check, clarified and decided by KPU.

A confirmed objection makes the supporter row TMS with reason ``SUPPORTER_DENIED`` (seeded by
``objections/migrations/0002``) and, in the same transaction, ``upload_counts_refresh`` recomputes the file's
summary, so the recap, the dashboards and the public counts follow (docs/architecture.md "One home per rule").
A result of the supporter in a verification round still open becomes TMS with the same reason, so the round's
totals agree with the row; a closed round's results are its record and stay as they were (its pair outcome has
been decided; the confirmed objection is shown beside it). The row also leaves the population of rounds opened
later, which take counted rows only.
"""

import datetime
import io
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from silon.accounts.access import require_kpu_operator
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.files import require_pdf, require_size
from support_uploads.models import ReasonCode, RowStatus, Supporter
from support_uploads.services.counts import upload_counts_refresh
from support_uploads.storage import lock_election
from verification.models import RoundKind, Verdict, VerificationResult, VerificationRound, Visit
from verification.selectors import round_population

from ..hashing import nik_hash
from ..models import Objection, ObjectionStatus
from ..windows import objection_require_open
from .checks import entry_read

DENIED = "SUPPORTER_DENIED"
PHOTO_FORMATS = {"JPEG", "PNG"}
_RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone


def receipt_new() -> str:
    """An unguessable receipt code: 16 characters of a 31-letter alphabet (about 79 bits), in groups of four."""
    raw = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def require_photo(photo: UploadedFile) -> None:
    """A JPEG or PNG image Pillow can read, at most ``OBJECTION_PHOTO_MAX_BYTES`` and 50 megapixels."""
    require_size(photo, settings.OBJECTION_PHOTO_MAX_BYTES)
    photo.seek(0)
    try:
        with Image.open(io.BytesIO(photo.read())) as image:
            if image.format not in PHOTO_FORMATS or image.width * image.height > 50_000_000:
                raise ValidationError({"ktp_photo": _("Foto KTP harus gambar JPEG atau PNG.")})
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError({"ktp_photo": _("Foto KTP harus gambar JPEG atau PNG.")}) from exc
    finally:
        photo.seek(0)


@transaction.atomic
def objection_file(
    *, token: str, statement: str, phone: str = "", email: str = "", ktp_photo: UploadedFile | None = None
) -> Objection:
    """File "Saya tidak memberikan dukungan ini" against the listing ``token`` names (from ``public_check_run``).
    The challenge and the rate limit are spent by the caller."""
    entry = entry_read(token)
    supporter = Supporter.objects.select_related("election").filter(pk=entry["s"]).first()
    if supporter is None or nik_hash(supporter.nik) != entry["h"]:
        raise ValidationError(_("Hasil cek sudah kedaluwarsa. Cek kembali NIK Anda, lalu ajukan keberatan."))
    election = supporter.election
    objection_require_open(election)
    if not statement.strip():
        raise ValidationError({"statement": _("Tuliskan pernyataan Anda.")})
    if not phone.strip() and not email.strip():
        raise ValidationError({"phone": _("Isi nomor telepon atau alamat surel agar KPU dapat menghubungi Anda.")})
    if ktp_photo is not None:
        require_photo(ktp_photo)
    if Objection.objects.filter(supporter_id=supporter.pk).exclude(status=ObjectionStatus.REJECTED).exists():
        raise ValidationError(
            _("Keberatan atas dukungan ini sudah diajukan; ikuti statusnya dengan kode tanda terima.")
        )
    objection = Objection(
        receipt=receipt_new(),
        election=election,
        pair_id=supporter.pair_id,
        supporter_id=supporter.pk,
        region_code=election.region_code,
        nik_hash=entry["h"],
        name=entry["n"],
        statement=statement.strip()[:4000],
        phone=phone.strip(),
        email=email.strip(),
        filed_at=timezone.now(),
    )
    if ktp_photo is not None:
        objection.ktp_photo.save(
            f"ktp-{objection.receipt}.{ktp_photo.name.rsplit('.', 1)[-1][:4]}", ktp_photo, save=False
        )
    objection.save()
    audit_record(
        actor=None,
        action=actions.OBJECTION_FILE,
        obj=objection,
        region_code=objection.election.region_code,
        after={"pair_id": objection.pair_id, "supporter_id": supporter.pk, "nik_hash": entry["h"]},
    )
    return objection


def _rounds_follow(objection: Objection, row: Supporter, actor: User) -> list[int]:
    """The supporter's result in each open round of the pair becomes TMS ``SUPPORTER_DENIED``: an existing
    result is overwritten, and an open factual round whose population holds the supporter (MS in the closed
    administrative round) gets one, as a denial recorded on BA.5-KWK would (docs/domain.md §3.4)."""
    reason = ReasonCode.objects.get(pk=DENIED)
    note = _("Keberatan %(receipt)s dikonfirmasi") % {"receipt": objection.receipt}
    touched = []
    for round in VerificationRound.objects.filter(pair_id=row.pair_id, closed_at__isnull=True).order_by("pk"):
        existing = VerificationResult.objects.filter(round=round, supporter_id=row.pk)
        in_factual = round.kind == RoundKind.FACTUAL and round_population(round).filter(pk=row.pk).exists()
        if not existing.exists() and not in_factual:
            continue
        VerificationResult.objects.update_or_create(
            round=round,
            supporter_id=row.pk,
            defaults={
                "verdict": Verdict.TMS,
                "reason": reason,
                "note": note,
                # the denial recorded on BA.5-KWK, as a visit that met a denying supporter records it
                "visit": Visit.DENIES if round.kind == RoundKind.FACTUAL else "",
                "due_at": None,
                "village_code": row.village_code,
                "recorded_by": actor,
                "recorded_at": timezone.now(),
            },
        )
        touched.append(round.pk)
    return touched


def _supporter_denied(objection: Objection, actor: User) -> dict:
    """The row becomes TMS ``SUPPORTER_DENIED``; its file's counts and any open round's result follow."""
    lock_election(objection.election_id)  # the pipeline and withdrawals change rows under the same lock
    row = Supporter.objects.select_for_update().get(pk=objection.supporter_id)
    reasons = [code for code in row.reason_list if code != DENIED] + [DENIED]
    Supporter.objects.filter(pk=row.pk).update(status=RowStatus.REJECTED, reasons=",".join(reasons))
    changed = upload_counts_refresh(upload_ids=[row.upload_id])
    rounds = _rounds_follow(objection, row, actor)
    return {"row_status_before": row.status, "upload_changed": sorted(changed), "open_rounds": rounds}


@transaction.atomic
def objection_decide(
    *,
    actor: User,
    objection: Objection,
    confirmed: bool,
    clarified_on: datetime.date,
    notes: str = "",
    reason: str = "",
    scan: UploadedFile | None = None,
) -> Objection:
    """Record the clarification (BA.5-KWK: its date, notes, optional scan) and KPU's decision."""
    require_kpu_operator(actor, objection.region_code)
    objection = Objection.objects.select_for_update().select_related("election").get(pk=objection.pk)
    objection_require_open(objection.election)
    if objection.status != ObjectionStatus.FILED:
        raise ValidationError(_("Keberatan ini sudah diputuskan."))
    if clarified_on > timezone.localdate() or clarified_on < timezone.localdate(objection.filed_at):
        raise ValidationError({"clarified_on": _("Tanggal klarifikasi harus antara tanggal pengajuan dan hari ini.")})
    if not confirmed and not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan keberatan tidak dikonfirmasi.")})
    if scan is not None:
        require_pdf(scan, max_bytes=settings.DOCUMENT_UPLOAD_MAX_BYTES)
        objection.clarification_scan.save(f"ba5-{objection.receipt}.pdf", scan, save=False)
    effect = _supporter_denied(objection, actor) if confirmed else {}
    objection.status = ObjectionStatus.CONFIRMED if confirmed else ObjectionStatus.REJECTED
    objection.clarified_on = clarified_on
    objection.clarification_notes = notes.strip()
    objection.decision_reason = reason.strip()
    objection.decided_at = timezone.now()
    objection.decided_by = actor
    objection.save()
    audit_record(
        actor=actor,
        action=actions.OBJECTION_DECIDE,
        obj=objection,
        region_code=objection.election.region_code,
        before={"status": ObjectionStatus.FILED.value},
        after={"status": objection.status, "supporter_id": objection.supporter_id, **effect},
    )
    return objection
