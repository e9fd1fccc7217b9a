"""Writes of a pair's team: its registration from the mandate letter and its liaison-officer (LO) accounts.
One function per state change, keyword-only, each auditing in its own transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from candidacy.kinds import unit_label
from candidacy.models import CandidatePair, Path, SupportStatus
from candidacy.schedule import pair_schedule_end
from candidacy.services import pair_support_status_set
from silon.accounts.access import kpu_operator_reaches, require_kpu_operator
from silon.accounts.models import Role, User
from silon.accounts.services import user_create
from silon.audit import actions
from silon.audit.services import audit_record
from silon.files import require_pdf

from ..models import LoAccount, PairTeam


def team_can_manage(actor: User, pair: CandidatePair) -> bool:
    """Whether ``actor`` registers the pair's team and issues or revokes its LO accounts: a KPU operator of
    the election's area (or an admin). Pages show those controls to these users only."""
    return kpu_operator_reaches(actor, pair.election.region_code)


def _require_kpu_reach(actor: User, pair: CandidatePair) -> None:
    require_kpu_operator(actor, pair.election.region_code)


def require_independent(pair: CandidatePair) -> None:
    if pair.path != Path.INDEPENDENT:
        raise ValidationError(_("Hanya pasangan calon perseorangan yang menyerahkan dukungan."))


@transaction.atomic
def pair_team_register(
    *, actor: User, pair: CandidatePair, mandate_letter: UploadedFile, contact_name: str
) -> PairTeam:
    """Register (or re-register, with a new letter) an independent pair's team from its mandate letter."""
    _require_kpu_reach(actor, pair)
    require_independent(pair)
    require_pdf(
        mandate_letter,
        wrong_extension=_("Surat mandat harus berkas PDF (.pdf)."),
        not_a_pdf=_("Berkas surat mandat bukan PDF yang sah."),
    )
    if not contact_name.strip():
        raise ValidationError(_("Nama penghubung wajib diisi."))
    team = PairTeam.objects.filter(pair=pair).first()
    before = {"contact_name": team.contact_name, "letter": team.mandate_letter.name} if team else None
    if team is None:
        team = PairTeam(pair=pair, registered_by=actor)
    team.contact_name = contact_name.strip()
    team.mandate_letter.save(f"mandat-{pair.pk}.pdf", mandate_letter, save=False)
    team.save()
    if not pair.support_status:
        pair_support_status_set(actor=actor, pair=pair, status=SupportStatus.COLLECTING)
    audit_record(
        actor=actor,
        action=actions.SUPPORT_TEAM_REGISTER,
        obj=team,
        region_code=pair.election.region_code,
        before=before,
        after={"contact_name": team.contact_name, "letter": team.mandate_letter.name},
    )
    return team


def lo_expiry(pair: CandidatePair) -> datetime.datetime:
    """End of polling day, or the effective end of the pair's latest stage (its extensions included,
    ``candidacy.schedule``) if that is later."""
    tz = timezone.get_current_timezone()
    polling_end = datetime.datetime.combine(pair.election.polling_day, datetime.time(23, 59, 59), tzinfo=tz)
    last_stage = pair_schedule_end(pair)
    return max(polling_end, last_stage) if last_stage else polling_end


@transaction.atomic
def lo_account_issue(
    *, actor: User, pair: CandidatePair, username: str = "", password: str | None = None
) -> tuple[LoAccount, str]:
    """Issue one LO account (at most the regulation's ``lo_account_limit`` active per pair or DPD candidate).
    Returns the account and its one-time password, which is shown once and never stored. ``password`` is for
    the demo only (no forced change then)."""
    _require_kpu_reach(actor, pair)
    require_independent(pair)
    if not PairTeam.objects.filter(pair=pair).exists():
        raise ValidationError(_("Daftarkan tim pasangan calon dengan surat mandatnya terlebih dahulu."))
    expires_at = lo_expiry(pair)
    if expires_at <= timezone.now():
        # An account born expired could never log in: after polling day and every stage the team has nothing
        # left to do in SILON, so none is issued (the operator is told why instead of handing out a dead login).
        raise ValidationError(
            _(
                "Pemilihan ini sudah selesai (hari pemungutan suara dan semua tahapan telah lewat); "
                "akun LO tidak dapat diterbitkan."
            )
        )
    CandidatePair.objects.select_for_update().get(pk=pair.pk)  # two operators issuing at once: one waits
    active = LoAccount.objects.filter(pair=pair, revoked_at__isnull=True).count()
    limit = pair.election.regulation.lo_account_limit  # the regulation's (Pemilu DPD: 2 per candidate)
    if active >= limit:
        raise ValidationError(
            _("%(unit)s ini sudah memiliki %(n)s akun LO aktif. Cabut salah satu sebelum menerbitkan yang baru.")
            % {"unit": unit_label(pair), "n": limit}
        )
    if not username:
        number = LoAccount.objects.filter(pair=pair).count() + 1
        username = f"lo-e{pair.election_id}-p{pair.pk}-{number}"
    user, clear = user_create(
        actor=actor,
        username=username,
        role=Role.PAIR_OPERATOR,
        password=password,
        first_name=_("LO %(pair)s") % {"pair": pair.name[:100]},
        expires_at=expires_at,
        must_change_password=password is None,
    )
    assign_perm("candidacy.operate_pair", user, pair)
    account = LoAccount.objects.create(pair=pair, user=user, issued_by=actor)
    audit_record(
        actor=actor,
        action=actions.SUPPORT_LO_ISSUE,
        obj=account,
        region_code=pair.election.region_code,
        after={"pair": pair.pk, "username": username, "expires_at": user.expires_at},
    )
    return account, clear


@transaction.atomic
def lo_account_revoke(*, actor: User, account: LoAccount, reason: str = "") -> LoAccount:
    _require_kpu_reach(actor, account.pair)
    if account.revoked_at is not None:
        return account
    account.revoked_at = timezone.now()
    account.revoked_by = actor
    account.save(update_fields=["revoked_at", "revoked_by"])
    user = account.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    remove_perm("candidacy.operate_pair", user, account.pair)
    audit_record(
        actor=actor,
        action=actions.SUPPORT_LO_REVOKE,
        obj=account,
        region_code=account.pair.election.region_code,
        after={"username": user.username, "reason": reason},
    )
    return account
