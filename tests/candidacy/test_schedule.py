"""The stage schedule: one rule for a stage's effective end, whoever asks (service, pages, API, CSV)."""

import datetime
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from candidacy.models import Stage, StageExtension
from candidacy.schedule import (
    countdown_text,
    election_stage_schedule,
    schedule_summary,
    stage_deadline,
    stage_schedules,
    stage_windows,
)
from candidacy.services import stage_extension_grant, stage_window_set
from tests.accounts.factories import operator

from .factories import ElectionFactory, PairFactory

pytestmark = pytest.mark.django_db


def test_countdown_text_is_coarse_and_indonesian():
    assert countdown_text(datetime.timedelta(days=3, hours=4, minutes=12)) == "3 hari 4 jam lagi"
    with translation.override("en"):
        assert countdown_text(datetime.timedelta(days=1, hours=1)) == "1 day 1 hour left"
    assert countdown_text(datetime.timedelta(hours=5, minutes=7)) == "5 jam 7 menit lagi"
    assert countdown_text(datetime.timedelta(seconds=20)) == "1 menit lagi"
    assert countdown_text(datetime.timedelta(seconds=-5)) == "sudah lewat"


@pytest.fixture
def schedule():
    election = ElectionFactory()
    actor = operator("52")
    now = timezone.now().replace(microsecond=0)
    end = now + timedelta(hours=1)
    stage_window_set(
        actor=actor, election=election, stage=Stage.SUPPORT_SUBMISSION, starts_at=now - timedelta(days=3), ends_at=end
    )
    return election, actor, now, end


def _ends(election, pair=None):
    window = stage_windows(election_ids=[election.pk], pair=pair).get(stage=Stage.SUPPORT_SUBMISSION)
    return window.effective_ends_at


def test_without_extensions_the_window_end_holds(schedule):
    election, _actor, _now, end = schedule
    assert stage_deadline(election=election, stage=Stage.SUPPORT_SUBMISSION) == end
    assert _ends(election) == end
    assert stage_deadline(election=election, stage=Stage.REGISTRATION) is None


def test_extensions_for_everyone_and_for_one_pair(schedule):
    election, actor, _now, end = schedule
    ours, theirs = PairFactory(election=election), PairFactory(election=election)
    everyone, only_ours = end + timedelta(days=1), end + timedelta(days=2)
    stage_extension_grant(
        actor=actor, election=election, stage=Stage.SUPPORT_SUBMISSION, extended_until=everyone, reason="Gangguan"
    )
    stage_extension_grant(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        extended_until=only_ours,
        reason="Putusan Bawaslu",
        pair=ours,
    )
    assert stage_deadline(election=election, stage=Stage.SUPPORT_SUBMISSION) == everyone
    assert stage_deadline(election=election, stage=Stage.SUPPORT_SUBMISSION, pair=theirs) == everyone
    assert stage_deadline(election=election, stage=Stage.SUPPORT_SUBMISSION, pair=ours) == only_ours
    # the public schedule (pages, API, CSV) and the service's deadline are the same expression
    assert _ends(election) == everyone and _ends(election, ours) == only_ours


def test_an_earlier_extension_never_shortens_the_window(schedule):
    election, actor, _now, end = schedule
    StageExtension.objects.create(
        election=election, stage=Stage.SUPPORT_SUBMISSION, extended_until=end - timedelta(minutes=30), granted_by=actor
    )
    assert stage_deadline(election=election, stage=Stage.SUPPORT_SUBMISSION) == end


def test_schedule_rows_and_summary_use_the_effective_end(schedule):
    election, actor, now, end = schedule
    stage_extension_grant(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        extended_until=end + timedelta(days=1),
        reason="Gangguan",
    )
    rows = {r["stage"]: r for r in stage_schedules([election.pk], now)[election.pk]}
    row = rows[Stage.SUPPORT_SUBMISSION]
    assert (row["state"], row["ends_at"], row["extended"]) == ("current", end + timedelta(days=1), True)
    assert rows[Stage.REGISTRATION]["state"] == "unscheduled"
    summary = schedule_summary(list(rows.values()), now)
    assert summary["deadline"].kind == "ends" and summary["deadline"].at == end + timedelta(days=1)
    assert summary["current"] == [Stage.SUPPORT_SUBMISSION.label] and not summary["finished"]


def test_the_election_page_calls_a_stage_open_until_its_effective_end(schedule, client):
    """The election page's "dibuka" flag: an extension for every pair keeps the stage open past its window's
    end, as it does for the service (``stage_require_open``); one for a single pair does not open it for all."""
    election, actor, now, end = schedule
    ours = PairFactory(election=election)

    def is_open(at):
        with time_machine.travel(at, tick=False):
            rows = {row["stage"]: row for row in election_stage_schedule(election)}
        assert rows[Stage.REGISTRATION]["open"] is False and rows[Stage.REGISTRATION]["window"] is None
        return rows[Stage.SUPPORT_SUBMISSION]["open"]

    assert is_open(now) and not is_open(end + timedelta(minutes=1))
    stage_extension_grant(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        extended_until=end + timedelta(days=2),
        reason="Putusan Bawaslu",
        pair=ours,
    )
    assert not is_open(end + timedelta(minutes=1))
    stage_extension_grant(
        actor=actor,
        election=election,
        stage=Stage.SUPPORT_SUBMISSION,
        extended_until=end + timedelta(days=1),
        reason="Gangguan",
    )
    assert is_open(end + timedelta(minutes=1)) and not is_open(end + timedelta(days=1, minutes=1))
    client.force_login(actor)
    with time_machine.travel(end + timedelta(minutes=1), tick=False):
        page = client.get(reverse("candidacy:election_detail", args=[election.pk])).content.decode()
    assert page.count("<mark>dibuka</mark>") == 1
