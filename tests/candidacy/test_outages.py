"""Downtime becomes time (issue #18, docs/domain.md §9.4): an outage a KPU operator records extends every
affected pair's stage by the regulation's rule, once; one the health probes saw is proposed to them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Outage, OutageStatus, Path, Stage, StageExtension, StageWindow
from candidacy.rules import outage_extension_hours
from candidacy.schedule import stage_deadline
from candidacy.services.outages import health_probe_record, outage_decide, outage_record
from candidacy.tasks import health_probe_task
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory, operator
from tests.candidacy.factories import ElectionFactory, PairFactory

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def test_the_rule_rounds_up_to_whole_hours_with_a_minimum():
    assert outage_extension_hours(13 * 3600 + 1, min_hours=0, round_hours=1) == 14
    assert outage_extension_hours(16 * 3600, min_hours=24, round_hours=1) == 24  # Jakarta 2024: 24 h ordered
    assert outage_extension_hours(30 * 3600 + 60, min_hours=24, round_hours=1) == 31
    assert outage_extension_hours(90 * 60, min_hours=0, round_hours=6) == 6


def test_the_seeded_regulation_carries_the_rule():
    election = ElectionFactory(region_code="52")
    assert (election.regulation.outage_extension_min_hours, election.regulation.outage_extension_round_hours) == (24, 1)


def _scene():
    now = timezone.now().replace(second=0, microsecond=0)
    inside = ElectionFactory(region_code="52.01")
    outside = ElectionFactory(region_code="51.01")
    for election in (inside, outside):
        StageWindow.objects.create(
            election=election, stage=Stage.SUPPORT_SUBMISSION, starts_at=now - 3 * 24 * HOUR, ends_at=now + 24 * HOUR
        )
    closed_before = ElectionFactory(region_code="52.01")
    StageWindow.objects.create(
        election=closed_before, stage=Stage.SUPPORT_SUBMISSION, starts_at=now - 9 * 24 * HOUR, ends_at=now - 5 * HOUR
    )
    pairs = {
        "a": PairFactory(election=inside, path=Path.INDEPENDENT),
        "b": PairFactory(election=inside, path=Path.INDEPENDENT),
        "party": PairFactory(election=inside, path=Path.PARTY),
        "other_region": PairFactory(election=outside, path=Path.INDEPENDENT),
        "closed": PairFactory(election=closed_before, path=Path.INDEPENDENT),
    }
    return now, pairs


def test_recording_an_outage_extends_each_affected_pair_once(client):
    now, pairs = _scene()
    kpu = operator("52")
    end_before = stage_deadline(election=pairs["a"].election, stage=Stage.SUPPORT_SUBMISSION, pair=pairs["a"])
    record = {"starts_at": now - 3 * HOUR, "ends_at": now - HOUR, "stages": [Stage.SUPPORT_SUBMISSION]}
    outage = outage_record(actor=kpu, affected="Tombol unggah hilang", **record)
    extended = StageExtension.objects.filter(outage=outage)
    assert sorted(extended.values_list("pair_id", flat=True)) == sorted([pairs["a"].pk, pairs["b"].pk])
    for pair in (pairs["a"], pairs["b"]):
        # a 2-hour outage: the regulation's 24-hour minimum
        assert (
            stage_deadline(election=pair.election, stage=Stage.SUPPORT_SUBMISSION, pair=pair) == end_before + 24 * HOUR
        )
    assert "Tombol unggah hilang" in extended.first().reason
    assert AuditEvent.objects.filter(action="stage.extend").count() == 2
    assert AuditEvent.objects.filter(action="outage.record", object_id=str(outage.pk)).exists()
    # the same outage again, by page this time: nobody extended twice
    client.force_login(kpu)
    response = client.post(
        reverse("candidacy:outages"),
        {"starts_at": timezone.localtime(record["starts_at"]).strftime("%Y-%m-%d %H:%M"),
         "ends_at": timezone.localtime(record["ends_at"]).strftime("%Y-%m-%d %H:%M"),
         "stages": [Stage.SUPPORT_SUBMISSION], "affected": "lagi"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Outage.objects.count() == 1 and StageExtension.objects.count() == 2
    assert AuditEvent.objects.filter(action="stage.extend").count() == 2
    answer = client.post(
        reverse("candidacy_api:outage-list"),
        {"starts_at": record["starts_at"].isoformat(), "ends_at": record["ends_at"].isoformat(),
         "stages": [Stage.SUPPORT_SUBMISSION]},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201 and answer.json()["id"] == outage.pk and len(answer.json()["extensions"]) == 2
    assert StageExtension.objects.count() == 2


def test_only_a_kpu_operator_in_reach_records():
    now, _pairs = _scene()
    record = {"starts_at": now - 3 * HOUR, "ends_at": now - HOUR, "stages": [Stage.SUPPORT_SUBMISSION]}
    with pytest.raises(PermissionDenied):
        outage_record(actor=UserFactory(role=Role.BAWASLU, region_code="52"), **record)
    with pytest.raises(PermissionDenied):
        outage_record(actor=operator("51"), region_code="52", **record)
    with pytest.raises(ValidationError):
        outage_record(actor=operator("52"), **{**record, "ends_at": now + 5 * HOUR})
    assert not StageExtension.objects.exists()


def _dashboard(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("dashboard:home")).content.decode()


def _probe(at, failures=()):
    return health_probe_record(failures=list(failures), at=at)


def test_failures_seen_by_the_probe_are_proposed_and_confirmed_by_an_operator(client, settings):
    settings.OUTAGE_PROPOSE_MINUTES = 10
    now, pairs = _scene()
    start = now - 2 * HOUR
    _probe(start)
    for minute in range(1, 13):
        assert _probe(start + datetime.timedelta(minutes=minute), ["broker"]) == []
    proposed = _probe(start + datetime.timedelta(minutes=13))
    assert len(proposed) == 1
    outage = proposed[0]
    assert (outage.status, outage.stages, outage.affected) == (
        OutageStatus.PROPOSED,
        [Stage.SUPPORT_SUBMISSION],
        "broker",
    )
    assert _probe(start + datetime.timedelta(minutes=14)) == []  # proposed once
    assert not StageExtension.objects.exists()  # nothing extended before an operator confirms
    assert "Usulan gangguan sistem" not in _dashboard(client, operator("52"))  # the national KPU decides it
    kpu = operator("")
    with pytest.raises(PermissionDenied):
        outage_decide(actor=operator("52"), outage=outage, confirm=True)
    home = _dashboard(client, kpu)
    assert "Usulan gangguan sistem" in home
    response = client.post(reverse("candidacy:outage_decide", args=[outage.pk]), {"decision": "confirm"})
    assert response.status_code == 302
    extended = sorted(StageExtension.objects.values_list("pair_id", flat=True))
    assert extended == sorted([pairs["a"].pk, pairs["b"].pk, pairs["other_region"].pk])  # national: every region
    with pytest.raises(ValidationError):
        outage_decide(actor=kpu, outage=outage, confirm=False)  # decided already


def test_a_short_blip_or_one_outside_any_open_window_is_not_proposed(settings):
    settings.OUTAGE_PROPOSE_MINUTES = 10
    now = timezone.now()
    start = now - 30 * 24 * HOUR  # no stage window open then
    _probe(start)
    for minute in range(1, 20):
        _probe(start + datetime.timedelta(minutes=minute), ["storage"])
    assert _probe(start + datetime.timedelta(minutes=21)) == []
    _scene()
    blip = now - HOUR
    _probe(blip)
    _probe(blip + datetime.timedelta(minutes=1), ["database"])
    assert _probe(blip + datetime.timedelta(minutes=3)) == []
    assert not Outage.objects.exists()


def test_a_gap_in_the_probes_counts_as_an_outage(settings):
    settings.OUTAGE_PROPOSE_MINUTES = 10
    settings.HEALTH_PROBE_SECONDS = 60
    now, _pairs = _scene()
    _probe(now - 2 * HOUR)
    proposed = _probe(now - HOUR)  # an hour with no probe written: the database itself was down
    assert len(proposed) == 1 and proposed[0].affected == "probe"


def test_the_probe_task_records_what_it_checks(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    assert health_probe_task() == []
    from candidacy.models import HealthProbe

    assert HealthProbe.objects.get().ok
    settings.MEDIA_ROOT = "/proc/not-writable"
    assert health_probe_task() == ["storage"]
