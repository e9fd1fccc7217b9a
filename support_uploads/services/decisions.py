"""A KPU operator decides a pair's potential duplicate (docs/domain.md §4: same NIK, different data, "an
operator resolves it"): one held row is the supporter and counts again, or none is; every other held row of
the NIK is rejected (DUP_NOT_CHOSEN). When the chosen row came later than another one (a team's correction in
a later file or row), each earlier row it replaces gets an audit event of its own.

Runs under the election lock the validator takes, so no upload of the election is checked against a
half-decided NIK; the counts of every upload touched are taken again from its rows in this transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from candidacy.models import CandidatePair
from silon.accounts.access import kpu_operator_reaches
from silon.accounts.models import User
from silon.audit import actions
from silon.audit.services import audit_record

from .. import storage
from ..models import DuplicateDecision, ReasonCode, Supporter, Upload, UploadStatus
from ..rules import row_status
from ..selectors_duplicates import held_supporters
from .duplicates import COUNTED, POTENTIAL, pair_batch_uploads, uploads_recount
from .pipeline import flag_external

NOT_CHOSEN = "DUP_NOT_CHOSEN"


def _order(rows: list[Supporter]) -> dict[int, tuple]:
    """Each row's place in the order the team sent them: file by file as checked, each in file order."""
    finished = dict(Upload.objects.filter(pk__in={r.upload_id for r in rows}).values_list("pk", "finished_at"))
    return {r.pk: (finished[r.upload_id], r.upload_id, r.sheet, r.row_number) for r in rows}


def _external(pair: CandidatePair, nik: str) -> list[int]:
    """The uploads of other pairs counting ``nik`` (their rows get DUP_EXTERNAL when the chosen row counts)."""
    done = Upload.objects.filter(election_id=pair.election_id, status=UploadStatus.DONE).values("pk")
    others = Supporter.objects.filter(election_id=pair.election_id, nik=nik, status__in=COUNTED, upload_id__in=done)
    return sorted(set(others.exclude(pair_id=pair.pk).values_list("upload_id", flat=True)))


@transaction.atomic
def potential_duplicate_decide(
    *, actor: User, pair: CandidatePair, supporter_id: int, keep: bool, note: str
) -> DuplicateDecision:
    """Decide the held NIK of row ``supporter_id``: that row is the supporter (``keep``), or none of the NIK's
    held rows is (``keep=False``). ``note``: the operator's reason, required."""
    if not kpu_operator_reaches(actor, pair.election.region_code):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError(_("Isi alasan keputusan potensi ganda."))
    storage.lock_election(pair.election_id)
    picked = held_supporters(pair=pair).filter(pk=supporter_id).first()
    if picked is None:
        raise ValidationError(_("Baris ini bukan potensi ganda yang menunggu keputusan."))
    batch = Upload.objects.get(pk=picked.upload_id).batch
    uploads = pair_batch_uploads(pair_id=pair.pk, batch=batch).values("pk")
    rows = list(held_supporters(pair=pair).filter(nik=picked.nik, upload_id__in=uploads).select_for_update().order_by())
    severity = dict(ReasonCode.objects.values_list("code", "severity"))
    chosen = next(r for r in rows if r.pk == picked.pk) if keep else None
    external = _external(pair, picked.nik) if keep else []
    for row in rows:
        reasons = [c for c in row.reason_list if c != POTENTIAL]
        if row is not chosen:
            reasons.append(NOT_CHOSEN)
        elif external:
            reasons.append("DUP_EXTERNAL")
        row.reasons, row.status = ",".join(reasons), row_status(reasons, severity)
    Supporter.objects.bulk_update(rows, ["status", "reasons"])
    if external:
        flag_external(election_id=pair.election_id, pair_id=pair.pk, niks=[picked.nik])
    uploads_recount(sorted({r.upload_id for r in rows}), report=True)
    uploads_recount(external, report=False)
    decision = DuplicateDecision.objects.create(
        election_id=pair.election_id,
        pair=pair,
        batch=batch,
        nik=picked.nik,
        chosen=chosen,
        rows=sorted(r.pk for r in rows),
        note=note.strip(),
        decided_by=actor,
    )
    _audit(actor, pair, decision, rows, chosen)
    return decision


def _audit(actor: User, pair: CandidatePair, decision: DuplicateDecision, rows: list, chosen) -> None:
    audit_record(
        actor=actor,
        action=actions.SUPPORT_DUPLICATE_CHOOSE if chosen else actions.SUPPORT_DUPLICATE_REJECT,
        obj=decision,
        region_code=pair.election.region_code,
        after={
            "pair": pair.pk,
            "chosen": chosen.pk if chosen else None,
            "rows": {str(r.pk): r.status for r in rows},
            "uploads": sorted({r.upload_id for r in rows}),
        },
    )
    if chosen is None:
        return
    order = _order(rows)
    for row in rows:
        if row is not chosen and order[row.pk] < order[chosen.pk]:
            audit_record(
                actor=actor,
                action=actions.SUPPORT_SUPPORTER_REPLACE,
                obj=row,
                region_code=pair.election.region_code,
                after={"replaced_by": chosen.pk, "upload": row.upload_id, "by_upload": chosen.upload_id},
            )
