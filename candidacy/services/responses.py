"""Public responses on a pair's eligibility (*masukan dan tanggapan masyarakat*, docs/domain.md §9.2): sent by
anyone while the election's ``Stage.PUBLIC_RESPONSE`` window is open, clarified with the pair and decided by a
KPU operator of the election's region. Every change is audited; the sender's identity never enters the trail."""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from silon.accounts.access import require_kpu_operator
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record
from silon.files import file_extension

from ..files import validate_evidence
from ..models import Candidate, CandidatePair, PublicResponse, ResponseOutcome, ResponseStatus, Stage
from ..nik import NikError, parse_nik
from .stages import stage_require_open

BODY_MAX = 4000


def _sha256(file: UploadedFile) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _require_sender(name: str, nik: str, contact: str, body: str) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = _("Nama pengirim wajib diisi.")
    try:
        parse_nik(nik)
    except NikError as exc:
        errors["nik"] = str(exc)
    if len(contact.strip()) < 6:
        errors["contact"] = _("Isi nomor telepon atau alamat e-mail yang dapat dihubungi.")
    if not body.strip():
        errors["body"] = _("Isi tanggapan wajib diisi.")
    elif len(body) > BODY_MAX:
        errors["body"] = _("Isi tanggapan paling banyak %(n)s karakter.") % {"n": BODY_MAX}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def public_response_submit(
    *,
    pair: CandidatePair,
    body: str,
    name: str,
    nik: str,
    contact: str,
    candidate: Candidate | None = None,
    evidence: UploadedFile | None = None,
    ip_address: str | None = None,
) -> PublicResponse:
    """Record a response on ``pair`` (or one of its candidates) from a member of the public. Refused outside the
    election's public-response window, naming it (``stage_require_open``)."""
    stage_require_open(election=pair.election, stage=Stage.PUBLIC_RESPONSE, pair=pair)
    if candidate is not None and candidate.pair_id != pair.pk:
        raise ValidationError({"candidate": _("Calon ini bukan bagian dari pasangan calon tersebut.")})
    _require_sender(name, nik, contact, body)
    if evidence is not None:
        validate_evidence(evidence)
    response = PublicResponse(
        election=pair.election,
        pair=pair,
        candidate=candidate,
        body=body.strip(),
        sender_name=name.strip()[:100],
        sender_nik=nik.strip(),
        sender_contact=contact.strip()[:120],
    )
    if evidence is not None:
        response.evidence_sha256 = _sha256(evidence)
        # stored under a name of our own: the sender's file name is not kept (it may name a person)
        response.evidence.save(f"{uuid.uuid4().hex}{file_extension(evidence.name or '')}", evidence, save=False)
    response.save()
    audit_record(
        actor=None,
        action=actions.PUBLIC_RESPONSE_SUBMIT,
        obj=response,
        region_code=pair.election.region_code,
        after={"pair": pair.pk, "candidate": candidate.pk if candidate else None, "evidence": bool(evidence)},
        ip_address=ip_address,
    )
    return response


@transaction.atomic
def public_response_clarify(*, actor: User, response: PublicResponse, clarification: str) -> PublicResponse:
    """Record what the pair answered when the operator asked it about the response (before a decision)."""
    require_kpu_operator(actor, response.election.region_code)
    response = PublicResponse.objects.select_for_update().get(pk=response.pk)
    if response.status == ResponseStatus.DECIDED:
        raise ValidationError(_("Tanggapan ini sudah diputuskan."))
    if not clarification.strip():
        raise ValidationError({"clarification": _("Tuliskan hasil klarifikasi dengan pasangan calon.")})
    before = {"status": response.status}
    response.clarification = clarification.strip()
    response.clarified_by, response.clarified_at = actor, timezone.now()
    response.status = ResponseStatus.CLARIFIED
    response.save(update_fields=["clarification", "clarified_by", "clarified_at", "status"])
    audit_record(
        actor=actor,
        action=actions.PUBLIC_RESPONSE_CLARIFY,
        obj=response,
        region_code=response.election.region_code,
        before=before,
        after={"status": response.status},
    )
    return response


@transaction.atomic
def public_response_decide(*, actor: User, response: PublicResponse, outcome: str, reason: str) -> PublicResponse:
    """Record the outcome (upheld or not upheld) with its reason; once, after the clarification with the pair."""
    require_kpu_operator(actor, response.election.region_code)
    response = PublicResponse.objects.select_for_update().get(pk=response.pk)
    if response.status == ResponseStatus.DECIDED:
        raise ValidationError(_("Tanggapan ini sudah diputuskan."))
    if response.status != ResponseStatus.CLARIFIED:
        raise ValidationError(_("Klarifikasi dengan pasangan calon dicatat lebih dahulu."))
    if outcome not in ResponseOutcome.values:
        raise ValidationError({"outcome": _("Pilih hasil: terbukti atau tidak terbukti.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan hasil wajib diisi.")})
    response.outcome, response.outcome_reason = outcome, reason.strip()
    response.decided_by, response.decided_at = actor, timezone.now()
    response.status = ResponseStatus.DECIDED
    response.save(update_fields=["outcome", "outcome_reason", "decided_by", "decided_at", "status"])
    audit_record(
        actor=actor,
        action=actions.PUBLIC_RESPONSE_DECIDE,
        obj=response,
        region_code=response.election.region_code,
        before={"status": ResponseStatus.CLARIFIED},
        after={"status": response.status, "outcome": outcome},
    )
    return response
