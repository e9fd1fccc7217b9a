import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from candidacy.models import Candidate, ElectionType, PairStatus, Path, Stage, StageWindow, SupportStatus
from candidacy.nik import nik_matches
from candidacy.services import candidate_set, pair_create
from silon.audit.models import AuditEvent
from tests.accounts.factories import operator

from .factories import RegisteringElectionFactory, RegisteringPairFactory, candidate, open_stage

pytestmark = pytest.mark.django_db

HEAD = {
    "role": "head",
    "nik": "5201011203750001",
    "name": "Lalu Uji",
    "birth_place": "Mataram",
    "birth_date": datetime.date(1975, 3, 12),
    "sex": "M",
    "address": "Jl. Pejanggik 1",
    "education": "S1",
    "occupation": "Wiraswasta",
}


def set_determination(election, day: datetime.date):
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    StageWindow.objects.update_or_create(
        election=election,
        stage=Stage.DETERMINATION,
        defaults={"starts_at": start, "ends_at": start + datetime.timedelta(hours=8)},
    )


def test_pair_create_starts_in_draft_with_history():
    election = RegisteringElectionFactory()
    pair = pair_create(actor=operator("52"), election=election, path=Path.INDEPENDENT, name="Uji – Coba")
    assert pair.status == PairStatus.DRAFT
    assert pair.support_status == SupportStatus.COLLECTING
    assert list(pair.status_history.values_list("to_status", flat=True)) == [PairStatus.DRAFT]
    party = pair_create(actor=operator("52"), election=election, path=Path.PARTY, name="Koalisi")
    assert party.support_status == SupportStatus.NOT_APPLICABLE


def test_candidate_is_saved_and_audited_with_a_masked_nik():
    pair = RegisteringPairFactory()
    person = candidate_set(actor=operator("52"), pair=pair, **HEAD)
    assert person.election_id == pair.election_id
    event = AuditEvent.objects.get(action="candidate.set")
    assert "5201011203750001" not in str(event.after)
    assert event.after["nik"] == "520101******0001"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nik": "520101120375000"}, "16 digit"),
        ({"nik": "5201011203750001", "sex": "F"}, "tidak sesuai"),
        ({"nik": "5201011203760001"}, "tidak sesuai"),
        ({"nik": "5201019903750001"}, "bukan tanggal lahir"),
    ],
)
def test_nik_must_match_birth_date_and_sex(changes, message):
    with pytest.raises(ValidationError, match=message):
        candidate_set(actor=operator("52"), pair=RegisteringPairFactory(), **(HEAD | changes))


def test_a_woman_s_nik_carries_day_plus_forty():
    person = candidate_set(
        actor=operator("52"),
        pair=RegisteringPairFactory(),
        **(HEAD | {"role": "deputy", "nik": "5271016108800002", "birth_date": datetime.date(1980, 8, 21), "sex": "F"}),
    )
    assert person.sex == "F"


def test_one_person_one_pair_per_election():
    election = RegisteringElectionFactory()
    first, second = RegisteringPairFactory(election=election), RegisteringPairFactory(election=election)
    candidate_set(actor=operator("52"), pair=first, **HEAD)
    with pytest.raises(ValidationError, match="sudah terdaftar pada pasangan"):
        candidate_set(actor=operator("52"), pair=second, **HEAD)
    with pytest.raises(ValidationError, match="sudah terdaftar pada pasangan"):
        candidate_set(actor=operator("52"), pair=first, **(HEAD | {"role": "deputy"}))
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            pair=second,
            election=election,
            role="head",
            **{k: v for k, v in HEAD.items() if k != "role"},
        )
    # the same person may stand in another election
    candidate_set(actor=operator("52"), pair=RegisteringPairFactory(), **HEAD)
    # and correcting one's own record is not a clash
    candidate_set(actor=operator("52"), pair=first, **(HEAD | {"name": "Lalu Uji Perbaikan"}))


@pytest.mark.parametrize(
    ("type", "minimum"), [(ElectionType.GOVERNOR, 30), (ElectionType.REGENT, 25), (ElectionType.MAYOR, 25)]
)
def test_minimum_age_is_counted_on_the_determination_day(type, minimum):
    election = RegisteringElectionFactory(type=type, region_code="52" if type == ElectionType.GOVERNOR else "52.01")
    born = datetime.date(1996, 9, 22)
    nik = "520101220996" + "0001"
    set_determination(election, datetime.date(1996 + minimum, 9, 22))  # exactly the minimum age that day
    candidate_set(
        actor=operator("52"),
        pair=RegisteringPairFactory(election=election),
        **(HEAD | {"nik": nik, "birth_date": born}),
    )
    set_determination(election, datetime.date(1996 + minimum, 9, 21))  # one day short
    with pytest.raises(ValidationError, match=f"belum {minimum} tahun"):
        candidate_set(
            actor=operator("52"),
            pair=RegisteringPairFactory(election=election),
            **(HEAD | {"nik": "520101220996" + "0002", "birth_date": born}),
        )


def test_candidates_are_fixed_outside_draft_and_correction():
    pair = RegisteringPairFactory(status=PairStatus.UNDER_REVIEW)
    with pytest.raises(ValidationError, match="draf atau perbaikan"):
        candidate_set(actor=operator("52"), pair=pair, **HEAD)


JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(("name", "content"), [("foto.jpg", JPEG), ("foto.PNG", PNG)])
def test_photo_upload_accepts_jpeg_and_png(name, content, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    person = candidate_set(
        actor=operator("52"), pair=RegisteringPairFactory(), photo=SimpleUploadedFile(name, content), **HEAD
    )
    assert person.photo.name.startswith("candidacy/photos/")
    assert name not in person.photo.name  # stored under a random name


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.gif", b"GIF89a" + b"\x00" * 10, "JPG atau PNG"),
        ("foto.jpg", PNG, "tidak sesuai"),
        ("foto.png", b"%PDF-1.4", "tidak sesuai"),
        ("foto.jpg", JPEG[:4] + b"\x00" * (2 * 1024 * 1024), "melebihi"),
    ],
)
def test_photo_upload_refuses_wrong_type_or_size(name, content, message, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match=message):
        candidate_set(
            actor=operator("52"), pair=RegisteringPairFactory(), photo=SimpleUploadedFile(name, content), **HEAD
        )


def test_existing_candidate_fixture_is_consistent():
    # the fixture candidates used by other tests pass the same checks as entered ones
    pair = RegisteringPairFactory()
    for role in ("head", "deputy"):
        c = candidate(pair, role)
        assert nik_matches(c.nik, c.birth_date, c.sex)


def test_pairs_and_candidates_are_entered_only_in_the_registration_window():
    from candidacy.services import StageClosedError, stage_extension_grant

    election = RegisteringElectionFactory()
    pair = RegisteringPairFactory(election=election)
    open_stage(election, Stage.REGISTRATION, days_before=10, days_after=-1)  # closed yesterday
    with pytest.raises(StageClosedError, match="sudah ditutup"):
        pair_create(actor=operator("52"), election=election, path=Path.PARTY, name="Terlambat")
    with pytest.raises(StageClosedError, match="sudah ditutup"):
        candidate_set(actor=operator("52"), pair=pair, **HEAD)
    assert not Candidate.objects.exists()
    # An extension for this pair lets its candidates in; a new pair still needs an extension for all.
    stage_extension_grant(
        actor=operator("52"),
        election=election,
        stage=Stage.REGISTRATION,
        pair=pair,
        extended_until=timezone.now() + datetime.timedelta(days=1),
        reason="Gangguan server",
    )
    candidate_set(actor=operator("52"), pair=pair, **HEAD)
    with pytest.raises(StageClosedError):
        pair_create(actor=operator("52"), election=election, path=Path.PARTY, name="Terlambat")
    StageWindow.objects.filter(election=election).delete()
    with pytest.raises(StageClosedError, match="belum dijadwalkan"):
        pair_create(actor=operator("52"), election=election, path=Path.PARTY, name="Tanpa jadwal")
