"""Stage windows and extensions, and the window check every stage-bound service calls."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from silon.accounts.models import User
from silon.audit import actions
from silon.audit.models import CheckpointReason
from silon.audit.services import audit_record
from silon.queue import enqueue_on_commit

from ..access import require_manage_election
from ..kinds import election_kind
from ..models import CandidatePair, Election, Stage, StageExtension, StageWindow, SupportStatus
from ..schedule import stage_deadline, stage_order_conflicts


def plausible_range(*, today: date | None = None) -> tuple[date, date]:
    """The days a polling day or stage date may fall on: ``SCHEDULE_YEARS_BACK`` years before today to
    ``SCHEDULE_YEARS_AHEAD`` years after, always relative to today. Outside it a typo (year 1091, 9999-12-31) is
    refused; such dates also had local-mean-time offsets with seconds that no ISO 8601 client reads (found by
    tests/security/test_api_fuzz.py)."""
    today = today or timezone.localdate()
    return (
        today - timedelta(days=366 * settings.SCHEDULE_YEARS_BACK),
        today + timedelta(days=366 * settings.SCHEDULE_YEARS_AHEAD),
    )


def require_plausible_day(day: date, *, what: str) -> None:
    first, last = plausible_range()
    if not first <= day <= last:
        raise ValidationError(
            _("%(what)s harus antara %(first)s dan %(last)s.")
            % {"what": what, "first": date_format(first, "DATE_FORMAT"), "last": date_format(last, "DATE_FORMAT")}
        )


def _require_plausible(*moments: datetime) -> None:
    for moment in moments:
        require_plausible_day(timezone.localtime(moment).date(), what=_("Tanggal tahapan"))


def _require_before_polling_day(election: Election, *moments: datetime) -> None:
    """Every stage of candidacy ends before its election's polling day."""
    polling_start = timezone.make_aware(datetime.combine(election.polling_day, time.min))
    if any(moment > polling_start for moment in moments):
        raise ValidationError(
            _("Tahapan pencalonan harus selesai sebelum hari pemungutan suara (%(day)s).")
            % {"day": date_format(election.polling_day, "DATE_FORMAT")}
        )


def _require_lifecycle_order(election: Election, stage: Stage, starts_at: datetime, ends_at: datetime) -> None:
    """A stage's window keeps the order of the stages (its kind's ``stage_follows``, ``candidacy.kinds``) against the
    stages already scheduled: no stage starts before the one it follows has ended."""
    windows = {w.stage: (w.starts_at, w.ends_at) for w in StageWindow.objects.filter(election=election)}
    windows[stage] = (starts_at, ends_at)
    conflicts = stage_order_conflicts(windows, Stage(stage), election_kind(election).stage_follows)
    if conflicts:
        earlier, later = conflicts[0]
        raise ValidationError(
            _("Tahapan %(later)s harus dimulai sesudah tahapan %(earlier)s selesai (%(end)s).")
            % {
                "later": Stage(later).label,
                "earlier": Stage(earlier).label,
                "end": date_format(timezone.localtime(windows[earlier][1]), "DATETIME_FORMAT"),
            },
            code="order",
        )


# the Celery task that signs the audit chain head at once (``silon.audit.tasks``), named where it is queued
CHECKPOINT_NOW_TASK = "audit.checkpoint_now"


def _checkpoint_if_closed_now(*, election: Election, stage: Stage, was_open: bool) -> None:
    """A stage whose schedule change closes it (its effective end moved to now or earlier) gets a signed
    checkpoint of the chain head on commit, this change's own event included (issue #15: "whenever a stage
    closes"; an end passing by itself is the periodic task's, ``candidacy.schedule.stages_closed_between``)."""
    deadline = stage_deadline(election=election, stage=stage)
    if was_open and deadline is not None and deadline <= timezone.now():
        note = f"{election.name}: {Stage(stage).label} ({timezone.localtime(deadline):%Y-%m-%d %H:%M %Z})"
        enqueue_on_commit(CHECKPOINT_NOW_TASK, CheckpointReason.STAGE_CLOSED.value, note)


class StageClosedError(ValidationError):
    """An action was attempted outside its stage's window (and no extension covers it)."""


def stage_require_open(
    *, election: Election, stage: Stage, pair: CandidatePair | None = None, at: datetime | None = None
) -> None:
    """Refuse (``StageClosedError``) when ``at`` (default now) is outside the stage's window or extension."""
    at = at or timezone.now()
    label = Stage(stage).label
    window = StageWindow.objects.filter(election=election, stage=stage).first()
    if window is None:
        raise StageClosedError(_("Tahapan %(stage)s belum dijadwalkan untuk pemilihan ini.") % {"stage": label})
    if at < window.starts_at:
        raise StageClosedError(
            _("Tahapan %(stage)s belum dibuka; dibuka %(start)s.")
            % {"stage": label, "start": date_format(timezone.localtime(window.starts_at), "DATETIME_FORMAT")}
        )
    deadline = stage_deadline(election=election, stage=stage, pair=pair)
    if at > deadline:
        raise StageClosedError(
            _("Tahapan %(stage)s sudah ditutup pada %(end)s.")
            % {"stage": label, "end": date_format(timezone.localtime(deadline), "DATETIME_FORMAT")}
        )


@transaction.atomic
def stage_window_set(
    *, actor: User, election: Election, stage: Stage, starts_at: datetime, ends_at: datetime
) -> StageWindow:
    require_manage_election(actor, election)
    _require_plausible(starts_at, ends_at)
    _require_before_polling_day(election, ends_at)
    if ends_at <= starts_at:
        raise ValidationError(_("Akhir tahapan harus sesudah awalnya."))
    _require_lifecycle_order(election, stage, starts_at, ends_at)
    window = StageWindow.objects.filter(election=election, stage=stage).first()
    if window is not None and window.ends_at < timezone.now() and ends_at > window.ends_at:
        # Reopening or lengthening a closed stage is an extension: it needs a reason and stays on record.
        raise ValidationError(
            _(
                "Tahapan %(stage)s sudah ditutup pada %(end)s; jadwalnya tidak dapat diperpanjang di sini. "
                "Berikan perpanjangan tahapan (untuk satu pasangan atau semua) dengan alasannya."
            )
            % {"stage": Stage(stage).label, "end": date_format(timezone.localtime(window.ends_at), "DATETIME_FORMAT")},
            code="closed",
        )
    before = {"starts_at": window.starts_at, "ends_at": window.ends_at} if window else None
    deadline = stage_deadline(election=election, stage=stage)
    was_open = deadline is None or deadline > timezone.now()
    window, _created = StageWindow.objects.update_or_create(
        election=election, stage=stage, defaults={"starts_at": starts_at, "ends_at": ends_at}
    )
    audit_record(
        actor=actor,
        action=actions.STAGE_SET,
        obj=window,
        region_code=election.region_code,
        before=before,
        after={"stage": stage, "starts_at": starts_at, "ends_at": ends_at},
    )
    _checkpoint_if_closed_now(election=election, stage=stage, was_open=was_open)
    return window


@transaction.atomic
def election_schedule_apply(*, actor: User, election: Election) -> list[StageWindow]:
    """Schedule every stage of the election's kind's calendar (``candidacy.kinds``: days from its polling day, first
    day from 00:00 to the last day's 23:59:59 local time), in the kind's own order. An election kind without a
    calendar of its own (Pilkada, scheduled stage by stage) is refused."""
    schedule = election_kind(election).schedule
    if not schedule:
        raise ValidationError(_("Jenis pemilihan ini tidak memiliki jadwal baku; atur setiap tahapan."))
    windows = []
    for stage, (first, last) in sorted(schedule.items(), key=lambda item: item[1]):
        starts_at = timezone.make_aware(datetime.combine(election.polling_day + timedelta(days=first), time.min))
        ends_at = timezone.make_aware(datetime.combine(election.polling_day + timedelta(days=last), time(23, 59, 59)))
        windows.append(
            stage_window_set(actor=actor, election=election, stage=stage, starts_at=starts_at, ends_at=ends_at)
        )
    return windows


@transaction.atomic
def stage_extension_grant(
    *,
    actor: User,
    election: Election,
    stage: Stage,
    extended_until: datetime,
    reason: str,
    pair: CandidatePair | None = None,
) -> StageExtension:
    """Extend a stage for every pair (``pair=None``) or one pair; the reason is required and audited."""
    require_manage_election(actor, election)
    if not reason.strip():
        raise ValidationError(_("Alasan perpanjangan wajib diisi."))
    _require_plausible(extended_until)
    _require_before_polling_day(election, extended_until)
    window = StageWindow.objects.filter(election=election, stage=stage).first()
    if window is None:
        raise ValidationError(_("Tahapan ini belum dijadwalkan."))
    if extended_until <= window.ends_at:
        raise ValidationError(_("Perpanjangan harus melewati akhir jadwal tahapan."))
    if pair is not None and pair.election_id != election.id:
        raise ValidationError(_("Pasangan calon bukan peserta pemilihan ini."))
    extension = StageExtension.objects.create(
        election=election, stage=stage, pair=pair, extended_until=extended_until, reason=reason, granted_by=actor
    )
    audit_record(
        actor=actor,
        action=actions.STAGE_EXTEND,
        obj=extension,
        region_code=election.region_code,
        after={"stage": stage, "pair": pair.pk if pair else None, "extended_until": extended_until, "reason": reason},
    )
    return extension


@transaction.atomic
def pair_support_status_set(
    *, actor: User | None, pair: CandidatePair, status: SupportStatus, detail: dict | None = None
) -> CandidatePair:
    """Record where an independent pair stands on its support gate (called by support_uploads)."""
    before = pair.support_status
    pair.support_status = status
    pair.save(update_fields=["support_status"])
    audit_record(
        actor=actor,
        action=actions.PAIR_SUPPORT_STATUS,
        obj=pair,
        region_code=pair.election.region_code,
        before={"support_status": before},
        after={"support_status": status, **(detail or {})},
    )
    return pair
