"""What the verification services share: the stage window of each round, the reason codes they set, and the
checks and the upsert every marking service uses."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from candidacy.models import Election, Stage
from candidacy.services import stage_require_open
from silon.accounts.access import require_kpu_operator
from silon.accounts.jurisdiction import code_within
from silon.accounts.models import Role, User
from support_uploads.models import ReasonCode, Supporter

from ..models import Batch, RoundKind, VerificationResult, VerificationRound

# Which stage window governs a round, as data.
ROUND_STAGE = {
    (RoundKind.ADMINISTRATIVE, Batch.INITIAL): Stage.ADMIN_VERIFICATION,
    (RoundKind.FACTUAL, Batch.INITIAL): Stage.FACTUAL_VERIFICATION,
    (RoundKind.ADMINISTRATIVE, Batch.CORRECTION_1): Stage.CORRECTION_VERIFICATION,
    (RoundKind.FACTUAL, Batch.CORRECTION_1): Stage.CORRECTION_VERIFICATION,
}


# The audit log's name for a round, and the one events recorded before verification became an app of its own
# carry (the log is hash-chained: old events keep their type)
ROUND_OBJECT_TYPES = (VerificationRound._meta.label_lower, "support_uploads.verificationround")
NOT_PRESENTED_REASON = "TMS_NOT_PRESENTED"
OTHER_PAIR_REASON = "TMS_OTHER_PAIR"
DUPLICATE_REASON = "TMS_DUPLICATE"
EARLIER_BATCH_REASON = "DUP_EARLIER_BATCH"  # set by the upload validator on correction rows


def require_operator(actor: User, election: Election) -> None:
    require_kpu_operator(actor, election.region_code)


def require_open(round: VerificationRound, *, at: datetime.datetime | None = None) -> None:
    # read from the database: the caller's instance may predate a concurrent close
    if not VerificationRound.objects.filter(pk=round.pk, closed_at__isnull=True).exists():
        raise ValidationError(_("Putaran verifikasi ini sudah ditutup."))
    stage_require_open(election=round.election, stage=ROUND_STAGE[(round.kind, round.batch)], pair=round.pair, at=at)


def reason_for(code: str | None) -> ReasonCode | None:
    if not code:
        return None
    reason = ReasonCode.objects.filter(pk=code).first()
    if reason is None:
        raise ValidationError(_("Alasan %(code)s tidak dikenal.") % {"code": code})
    return reason


def require_verifier_reach(actor: User, supporter: Supporter) -> None:
    if actor.role == Role.VERIFIER:
        if not actor.region_code or not code_within(supporter.village_code, actor.region_code):
            raise PermissionDenied(_("Pendukung ini di luar wilayah kerja Anda."))
    else:
        require_kpu_operator(actor, supporter.village_code, _("Pendukung ini di luar wilayah kerja Anda."))


def upsert_results(round: VerificationRound, rows: list[VerificationResult]) -> None:
    VerificationResult.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["round", "supporter"],
        update_fields=["verdict", "reason", "note", "visit", "due_at", "client_token", "recorded_by", "recorded_at"],
    )
