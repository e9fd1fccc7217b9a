from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidacy.models import Stage
from candidacy.services import StageClosedError, stage_extension_grant, stage_require_open, stage_window_set
from silon.audit.models import AuditEvent
from tests.accounts.factories import operator

from .factories import ElectionFactory, PairFactory, province

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduled():
    election = ElectionFactory()
    actor = operator("52")
    now = timezone.now()
    stage_window_set(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(hours=1),
    )
    return election, actor, now


def test_unscheduled_stage_is_refused():
    with pytest.raises(StageClosedError, match="belum dijadwalkan"):
        stage_require_open(election=ElectionFactory(), stage=Stage.REGISTRATION)


def test_inside_window_is_allowed_and_outside_refused(scheduled):
    election, _, now = scheduled
    stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION, at=now - timedelta(days=1))
    with pytest.raises(StageClosedError, match="sudah ditutup"):
        stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION, at=now)
    with pytest.raises(StageClosedError, match="belum dibuka"):
        stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION, at=now - timedelta(days=4))


def test_extension_for_all_pairs(scheduled):
    election, actor, now = scheduled
    stage_extension_grant(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        extended_until=now + timedelta(hours=47),
        reason="Gangguan server 2x24 jam",
    )
    stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION, pair=PairFactory(election=election), at=now)
    assert AuditEvent.objects.filter(action="stage.extend", region_code="52").exists()


def test_extension_for_one_pair_does_not_open_the_stage_for_others(scheduled):
    election, actor, now = scheduled
    favoured, other = PairFactory(election=election), PairFactory(election=election)
    stage_extension_grant(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        pair=favoured,
        extended_until=now + timedelta(hours=24),
        reason="Surat keberatan diterima",
    )
    stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION, pair=favoured, at=now)
    with pytest.raises(StageClosedError):
        stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION, pair=other, at=now)


def test_extension_needs_a_reason_and_a_later_end(scheduled):
    election, actor, now = scheduled
    with pytest.raises(ValidationError):
        stage_extension_grant(
            actor=actor,
            election=election,
            stage=Stage.SUPPORT_SUBMISSION,
            extended_until=now + timedelta(hours=1),
            reason="  ",
        )
    with pytest.raises(ValidationError):
        stage_extension_grant(
            actor=actor,
            election=election,
            stage=Stage.SUPPORT_SUBMISSION,
            extended_until=now - timedelta(days=2),
            reason="x",
        )


def test_a_closed_window_is_not_lengthened_or_reopened_by_editing_the_schedule(scheduled):
    election, actor, now = scheduled
    for starts_at, ends_at in [
        (now - timedelta(days=3), now + timedelta(days=2)),  # reopened
        (now + timedelta(days=1), now + timedelta(days=2)),  # moved into the future
        (now - timedelta(days=3), now - timedelta(minutes=30)),  # lengthened, still in the past
    ]:
        with pytest.raises(ValidationError, match="Berikan perpanjangan tahapan"):
            stage_window_set(
                actor=actor, election=election, stage=Stage.SUPPORT_SUBMISSION, starts_at=starts_at, ends_at=ends_at
            )
    with pytest.raises(StageClosedError, match="sudah ditutup"):
        stage_require_open(election=election, stage=Stage.SUPPORT_SUBMISSION)
    # Correcting a closed window without giving time back (an earlier end) stays a schedule edit, audited.
    stage_window_set(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        starts_at=now - timedelta(days=3),
        ends_at=now - timedelta(hours=2),
    )
    event = AuditEvent.objects.filter(action="stage.set").latest("pk")
    assert event.before["ends_at"] != event.after["ends_at"]
    # An open window may still be moved while it runs.
    stage_window_set(
        actor=actor,
        election=election,
        stage=Stage.REGISTRATION,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(hours=1),
    )
    stage_window_set(
        actor=actor,
        election=election,
        stage=Stage.REGISTRATION,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=5),
    )


def _years(n: int) -> timedelta:
    return timedelta(days=round(365.25 * n))


def test_polling_days_are_plausible_relative_to_today_and_9999_is_refused():
    from datetime import date

    from candidacy.services import election_update

    kpu = operator("52")
    election = ElectionFactory(created_by=kpu)
    province(election.region_version)
    today = timezone.localdate()

    def move(day):
        return election_update(
            actor=kpu,
            election=election,
            name=election.name,
            type=election.type,
            region_version=election.region_version,
            regulation=election.regulation,
            region_code=election.region_code,
            polling_day=day,
            dpt=election.dpt,
        )

    for day in (date(9999, 12, 31), today + _years(11), today - _years(2)):
        with pytest.raises(ValidationError, match="Hari pemungutan suara harus antara"):
            move(day)
    move(today + _years(9))
    election.refresh_from_db()
    assert election.polling_day == today + _years(9)


def test_stage_dates_are_plausible_and_end_before_polling_day():
    kpu = operator("52")
    election = ElectionFactory(created_by=kpu)  # polling day 60 days ahead (tests.clock)
    now = timezone.now()
    with pytest.raises(ValidationError, match="Tanggal tahapan harus antara"):
        stage_window_set(
            actor=kpu, election=election, stage=Stage.REGISTRATION, starts_at=now, ends_at=now + _years(20)
        )
    with pytest.raises(ValidationError, match="sebelum hari pemungutan suara"):
        stage_window_set(
            actor=kpu, election=election, stage=Stage.REGISTRATION, starts_at=now, ends_at=now + timedelta(days=61)
        )
    window = stage_window_set(
        actor=kpu, election=election, stage=Stage.REGISTRATION, starts_at=now, ends_at=now + timedelta(days=10)
    )
    with pytest.raises(ValidationError, match="sebelum hari pemungutan suara"):
        stage_extension_grant(
            actor=kpu,
            election=election,
            stage=Stage.REGISTRATION,
            extended_until=now + timedelta(days=90),
            reason="gangguan",
        )
    # the polling day cannot move before a stage it follows
    from candidacy.services import election_update

    province(election.region_version)

    with pytest.raises(ValidationError, match="sesudah tahapan terakhir"):
        election_update(
            actor=kpu,
            election=election,
            name=election.name,
            type=election.type,
            region_version=election.region_version,
            regulation=election.regulation,
            region_code=election.region_code,
            polling_day=timezone.localtime(window.ends_at).date(),
            dpt=election.dpt,
        )


def test_the_api_refuses_a_polling_day_of_9999_12_31(client):
    election = ElectionFactory()
    province(election.region_version)
    client.force_login(operator("52"))
    response = client.patch(
        f"/api/candidacy/elections/{election.pk}/", {"polling_day": "9999-12-31"}, content_type="application/json"
    )
    assert response.status_code == 400 and "Hari pemungutan suara" in str(response.json())


def test_stage_dates_keep_the_lifecycle_order_between_stages():
    """Issue #15: stage dates are checked in lifecycle order between stages (candidacy.schedule.STAGE_FOLLOWS),
    not only start < end < polling day."""
    kpu = operator("52")
    election = ElectionFactory(created_by=kpu)  # polling day 60 days ahead (tests.clock)
    now = timezone.now().replace(microsecond=0)
    day = timedelta(days=1)

    def schedule(stage, start, end):
        return stage_window_set(
            actor=kpu, election=election, stage=stage, starts_at=now + start * day, ends_at=now + end * day
        )

    schedule(Stage.SUPPORT_SUBMISSION, 1, 10)
    # administrative verification cannot start while the support is still being handed in ...
    with pytest.raises(ValidationError, match="harus dimulai sesudah tahapan Penyerahan dukungan selesai"):
        schedule(Stage.ADMIN_VERIFICATION, 5, 15)
    schedule(Stage.ADMIN_VERIFICATION, 10, 15)  # ... it may start the moment it ends
    # the earlier stage cannot be moved past the start of the one that follows it either
    with pytest.raises(ValidationError, match="Verifikasi administrasi harus dimulai sesudah"):
        schedule(Stage.SUPPORT_SUBMISSION, 1, 12)
    schedule(Stage.FACTUAL_VERIFICATION, 16, 20)
    schedule(Stage.REGISTRATION, 2, 30)  # party-backed pairs register beside the support chain
    # determination follows both registration and the last support stage that is scheduled
    with pytest.raises(ValidationError, match="Penetapan pasangan calon harus dimulai sesudah tahapan Pendaftaran"):
        schedule(Stage.DETERMINATION, 25, 31)
    schedule(Stage.DETERMINATION, 31, 32)
    with pytest.raises(ValidationError, match="Verifikasi dukungan perbaikan"):
        schedule(Stage.CORRECTION_VERIFICATION, 28, 35)
    with pytest.raises(ValidationError, match="Pengundian nomor urut harus dimulai sesudah"):
        schedule(Stage.BALLOT_DRAW, 31, 33)
    schedule(Stage.BALLOT_DRAW, 32, 33)
    assert AuditEvent.objects.filter(action="stage.set").count() == 6  # the accepted windows only
