"""The pair status machine: every move of the table, allowed and refused, plus each move's guards."""

import datetime
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidacy.models import (
    Document,
    DocumentCheck,
    DocumentScope,
    PairStatus,
    Path,
    Stage,
    StageWindow,
    SupportStatus,
)
from candidacy.selectors import document_requirements
from candidacy.services import StageClosedError, pair_transition, stage_extension_grant
from candidacy.status import PAIR_TRANSITIONS, next_statuses
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory, operator

from .factories import ElectionFactory, PairFactory, candidate, open_stage

pytestmark = pytest.mark.django_db

ALL_MOVES = list(product(PairStatus.values, PairStatus.values))
ALLOWED = [(a, b) for a, b in ALL_MOVES if b in PAIR_TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_MOVES if b not in PAIR_TRANSITIONS[a]]


def complete_documents(pair, *, skip_code=None):
    """Every required document of the pair's checklist, uploaded once and checked complete."""
    candidates = list(pair.candidates.all())
    rows = []
    for req in document_requirements(pair).filter(is_required=True).exclude(code=skip_code or ""):
        for holder in candidates if req.scope == DocumentScope.EACH_CANDIDATE else [None]:
            rows.append(
                Document(
                    pair=pair,
                    requirement=req,
                    candidate=holder,
                    revision=1,
                    file="candidacy/documents/x.pdf",
                    original_name="x.pdf",
                    size=10,
                    sha256="0" * 64,
                    uploaded_by=pair._actor,
                    check_status=DocumentCheck.COMPLETE,
                )
            )
    Document.objects.bulk_create(rows)


def ready_pair(status, *, path=Path.INDEPENDENT):
    """A pair in ``status`` that satisfies every guard, with every stage open."""
    election = ElectionFactory()
    for stage in (Stage.REGISTRATION, Stage.DETERMINATION, Stage.BALLOT_DRAW):
        open_stage(election, stage)
    pair = PairFactory(election=election, path=path, status=status, support_status=SupportStatus.MS)
    pair._actor = operator("52")
    candidate(pair, "head")
    candidate(pair, "deputy")
    complete_documents(pair)
    return pair


def test_the_table_names_every_status():
    assert set(PAIR_TRANSITIONS) == set(PairStatus.values)
    assert all(set(targets) <= set(PairStatus.values) for targets in PAIR_TRANSITIONS.values())
    assert len(ALLOWED) == 11 and len(REFUSED) == 81 - 11


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_every_allowed_move(source, target):
    pair = ready_pair(source)
    actor = pair._actor
    moved = pair_transition(actor=actor, pair=pair, to=target, reason=f"uji {source}→{target}", ballot_number=3)
    moved.refresh_from_db()
    assert moved.status == target
    change = moved.status_history.get()
    assert (change.from_status, change.to_status, change.actor, change.reason) == (
        source,
        target,
        actor,
        f"uji {source}→{target}",
    )
    event = AuditEvent.objects.get(action="pair.transition", object_id=str(pair.pk))
    assert event.before == {"status": source} and event.after["status"] == target
    if target == PairStatus.BALLOT_ASSIGNED:
        assert moved.ballot_number == 3


@pytest.mark.parametrize(("source", "target"), REFUSED)
def test_every_refused_move(source, target):
    pair = ready_pair(source)
    with pytest.raises(ValidationError) as exc:
        pair_transition(actor=pair._actor, pair=pair, to=target, reason="uji", ballot_number=3)
    assert exc.value.code == "transition"
    assert exc.value.messages == [
        f"Status pasangan calon tidak dapat diubah dari «{PairStatus(source).label}» ke «{PairStatus(target).label}»."
    ]
    pair.refresh_from_db()
    assert pair.status == source
    assert not pair.status_history.exists()


def test_next_statuses_follow_the_table():
    assert next_statuses(PairStatus.UNDER_REVIEW) == [
        PairStatus.NEEDS_CORRECTION,
        PairStatus.MEETS,
        PairStatus.DOES_NOT_MEET,
    ]
    assert next_statuses(PairStatus.DOES_NOT_MEET) == []


def test_unknown_status_and_empty_reason_are_refused():
    pair = ready_pair(PairStatus.DRAFT)
    with pytest.raises(ValidationError, match="tidak dikenal"):
        pair_transition(actor=pair._actor, pair=pair, to="approved", reason="x")
    with pytest.raises(ValidationError, match="Alasan"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.SUBMITTED, reason="  ")


@pytest.mark.parametrize("support", [s for s in SupportStatus.values if s != SupportStatus.MS])
def test_independent_pair_needs_support_ms_before_meeting_requirements(support):
    pair = ready_pair(PairStatus.UNDER_REVIEW)
    pair.support_status = support
    pair.save()
    with pytest.raises(ValidationError, match="Dukungan pasangan calon perseorangan belum"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.MEETS, reason="x")


def test_party_pair_has_no_support_gate():
    pair = ready_pair(PairStatus.UNDER_REVIEW, path=Path.PARTY)
    pair.support_status = SupportStatus.NOT_APPLICABLE
    pair.save()
    assert pair_transition(actor=pair._actor, pair=pair, to=PairStatus.MEETS, reason="x").status == PairStatus.MEETS


def test_meeting_requirements_needs_every_required_document_complete():
    pair = ready_pair(PairStatus.CORRECTED)
    pair.documents.filter(requirement__code="skck", candidate__role="deputy").update(
        check_status=DocumentCheck.INCOMPLETE
    )
    with pytest.raises(
        ValidationError,
        match=r"Dokumen belum lengkap: Surat keterangan catatan kepolisian \(SKCK\) "
        r"\(Baiq Uji\)",
    ):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.MEETS, reason="x")
    # an optional document (resignation letter, where it does not apply) is never required
    pair.documents.filter(requirement__code="skck").update(check_status=DocumentCheck.COMPLETE)
    assert not pair.documents.filter(requirement__code="resignation").exists()
    pair_transition(actor=pair._actor, pair=pair, to=PairStatus.MEETS, reason="x")


def test_submission_needs_both_candidates_and_for_party_pairs_their_parties():
    pair = ready_pair(PairStatus.DRAFT, path=Path.PARTY)
    with pytest.raises(ValidationError, match="Partai politik pengusul belum diisi"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.SUBMITTED, reason="x")
    pair.documents.filter(candidate__role="deputy").delete()
    pair.candidates.filter(role="deputy").delete()
    with pytest.raises(ValidationError, match="wakil harus diisi"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.SUBMITTED, reason="x")


def test_submission_is_refused_outside_registration_and_an_extension_reopens_it():
    pair = ready_pair(PairStatus.DRAFT)
    now = timezone.now()
    StageWindow.objects.filter(election=pair.election, stage=Stage.REGISTRATION).update(
        starts_at=now - datetime.timedelta(days=3), ends_at=now - datetime.timedelta(minutes=1)
    )
    with pytest.raises(StageClosedError, match="Pendaftaran pasangan calon sudah ditutup"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.SUBMITTED, reason="x")
    stage_extension_grant(
        actor=pair._actor,
        election=pair.election,
        stage=Stage.REGISTRATION,
        extended_until=now + datetime.timedelta(hours=48),
        reason="Server KPU terganggu",
    )
    assert pair_transition(actor=pair._actor, pair=pair, to=PairStatus.SUBMITTED, reason="x").status == "submitted"


RESEARCH_MOVES = [
    (PairStatus.SUBMITTED, PairStatus.UNDER_REVIEW),
    (PairStatus.UNDER_REVIEW, PairStatus.NEEDS_CORRECTION),
    (PairStatus.NEEDS_CORRECTION, PairStatus.CORRECTED),
    (PairStatus.CORRECTED, PairStatus.MEETS),
    (PairStatus.UNDER_REVIEW, PairStatus.DOES_NOT_MEET),
]


@pytest.mark.parametrize(("source", "target"), RESEARCH_MOVES)
def test_research_and_correction_moves_belong_to_the_registration_window(source, target):
    pair = ready_pair(source)
    now = timezone.now()
    StageWindow.objects.filter(election=pair.election, stage=Stage.REGISTRATION).update(
        starts_at=now - datetime.timedelta(days=3), ends_at=now - datetime.timedelta(minutes=1)
    )
    with pytest.raises(StageClosedError, match="Pendaftaran pasangan calon sudah ditutup"):
        pair_transition(actor=pair._actor, pair=pair, to=target, reason="x")
    pair.refresh_from_db()
    assert pair.status == source
    # KPU extends the stage for this pair (the correction took longer): the move goes through.
    stage_extension_grant(
        actor=pair._actor,
        election=pair.election,
        stage=Stage.REGISTRATION,
        pair=pair,
        extended_until=now + datetime.timedelta(hours=24),
        reason="Perbaikan dokumen",
    )
    assert pair_transition(actor=pair._actor, pair=pair, to=target, reason="x").status == target
    StageWindow.objects.filter(election=pair.election, stage=Stage.REGISTRATION).delete()
    other = ready_pair(source)
    StageWindow.objects.filter(election=other.election, stage=Stage.REGISTRATION).delete()
    with pytest.raises(StageClosedError, match="belum dijadwalkan"):
        pair_transition(actor=other._actor, pair=other, to=target, reason="x")


def test_determination_is_refused_before_its_window():
    pair = ready_pair(PairStatus.MEETS)
    now = timezone.now()
    StageWindow.objects.filter(election=pair.election, stage=Stage.DETERMINATION).update(
        starts_at=now + datetime.timedelta(days=1), ends_at=now + datetime.timedelta(days=2)
    )
    with pytest.raises(StageClosedError, match="Penetapan pasangan calon belum dibuka"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.DETERMINED, reason="x")


def test_determination_rechecks_age_on_the_determination_day():
    pair = ready_pair(PairStatus.MEETS)
    young = datetime.date.today().replace(year=datetime.date.today().year - 29) - datetime.timedelta(days=10)
    nik = f"520101{young:%d%m%y}0009"
    pair.candidates.filter(role="head").update(birth_date=young, nik=nik)
    with pytest.raises(ValidationError, match="belum 30 tahun"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.DETERMINED, reason="x")


def test_ballot_number_is_required_and_unique_per_election():
    pair = ready_pair(PairStatus.DETERMINED)
    with pytest.raises(ValidationError, match="Nomor urut hasil pengundian wajib"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.BALLOT_ASSIGNED, reason="x")
    PairFactory(election=pair.election, ballot_number=2)
    with pytest.raises(ValidationError, match="Nomor urut 2 sudah dipakai"):
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.BALLOT_ASSIGNED, reason="x", ballot_number=2)


def test_only_operators_of_the_jurisdiction_move_pairs():
    pair = ready_pair(PairStatus.DRAFT)
    for actor in (UserFactory(role=Role.BAWASLU, region_code="52"), operator("51"), operator("52.01")):
        with pytest.raises(PermissionDenied):
            pair_transition(actor=actor, pair=pair, to=PairStatus.SUBMITTED, reason="x")
