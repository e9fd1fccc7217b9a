"""The pair status machine: every move of the table, allowed and refused, plus each move's guards."""

import datetime
from itertools import product

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidacy.models import (
    DocumentCheck,
    PairStatus,
    Path,
    Stage,
    StageWindow,
    SupportStatus,
)
from candidacy.services import StageClosedError, pair_transition, stage_extension_grant
from candidacy.status import PAIR_TRANSITIONS, next_statuses
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory, operator

from .factories import ElectionFactory, PairFactory, candidate, open_stage, required_documents

pytestmark = pytest.mark.django_db

ALL_MOVES = list(product(PairStatus.values, PairStatus.values))
ALLOWED = [(a, b) for a, b in ALL_MOVES if b in PAIR_TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_MOVES if b not in PAIR_TRANSITIONS[a]]


def ready_pair(status, *, path=Path.INDEPENDENT):
    """A pair in ``status`` that satisfies every guard, with every stage open."""
    election = ElectionFactory()
    for stage in (Stage.REGISTRATION, Stage.DETERMINATION, Stage.BALLOT_DRAW):
        open_stage(election, stage)
    pair = PairFactory(election=election, path=path, status=status, support_status=SupportStatus.MS)
    pair._actor = operator("52")
    candidate(pair, "head")
    candidate(pair, "deputy")
    required_documents(pair, pair._actor)
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


# --- the preconditions as data, and what the page says before and after a move ---------------------------------


def test_every_precondition_has_one_check_and_names_a_status_of_the_table():
    from candidacy.services.moves import CHECKS
    from candidacy.status import INPUT_PRECONDITIONS, TRANSITION_REQUIRES, Precondition

    assert set(CHECKS) == set(Precondition)
    assert set(TRANSITION_REQUIRES) <= set(PairStatus.values)
    assert {p for ps in TRANSITION_REQUIRES.values() for p in ps} == set(Precondition)
    assert set(Precondition) >= INPUT_PRECONDITIONS
    # handing the file over needs every required document uploaded, because it locks them
    assert Precondition.DOCUMENTS_UPLOADED in TRANSITION_REQUIRES[PairStatus.SUBMITTED]


def test_move_effects_follow_the_editable_statuses():
    from candidacy.status import FINAL_TEXT, LOCKS_TEXT, UNLOCKS_TEXT, move_effects

    assert move_effects(PairStatus.DRAFT, PairStatus.SUBMITTED) == [str(LOCKS_TEXT)]
    assert move_effects(PairStatus.UNDER_REVIEW, PairStatus.NEEDS_CORRECTION) == [str(UNLOCKS_TEXT)]
    assert move_effects(PairStatus.NEEDS_CORRECTION, PairStatus.CORRECTED) == [str(LOCKS_TEXT)]
    assert move_effects(PairStatus.UNDER_REVIEW, PairStatus.DOES_NOT_MEET) == [str(FINAL_TEXT)]
    assert move_effects(PairStatus.SUBMITTED, PairStatus.UNDER_REVIEW) == []


def test_a_party_pair_without_documents_is_not_handed_over():
    pair = ready_pair(PairStatus.DRAFT, path=Path.PARTY)
    required = pair.documents.count()
    pair.documents.all().delete()
    with pytest.raises(ValidationError) as exc:
        pair_transition(actor=pair._actor, pair=pair, to=PairStatus.SUBMITTED, reason="x")
    first, second = exc.value.messages
    assert first == "Partai politik pengusul belum diisi."
    assert second.startswith(f"{required} dokumen wajib belum diunggah: ") and second.endswith("; ….")
    pair.refresh_from_db()
    assert pair.status == PairStatus.DRAFT


def test_pair_page_warns_what_a_move_locks_and_why_it_is_refused(client):
    from django.urls import reverse

    pair = ready_pair(PairStatus.DRAFT)
    pair.documents.all().delete()
    client.force_login(pair._actor)
    page = reverse("candidacy:pair_detail", args=[pair.pk])
    html = client.get(page).content.decode()
    assert "data calon, partai pengusul dan unggahan dokumen terkunci" in html
    assert 'value="submitted" class="" disabled' in html
    assert "Belum dapat dilakukan:" in html and "dokumen wajib belum diunggah" in html
    # a forged press of the disabled button is refused with the same reason
    response = client.post(reverse("candidacy:pair_transition", args=[pair.pk]), {"to": "submitted", "reason": "x"})
    assert response.status_code == 302
    followed = client.get(page).content.decode()
    assert followed.count("dokumen wajib belum diunggah") >= 2  # the message and the reason beside the button
    pair.refresh_from_db()
    assert pair.status == PairStatus.DRAFT
    # with the documents in, the move is offered and goes through; the upload forms leave the documents page
    required_documents(pair, pair._actor)
    html = client.get(page).content.decode()
    assert 'value="submitted" class="">' in html and "Belum dapat dilakukan:" not in html
    docs = reverse("candidacy:documents", args=[pair.pk])
    assert client.get(docs).content.decode().count('class="doc-upload"') > 0
    client.post(reverse("candidacy:pair_transition", args=[pair.pk]), {"to": "submitted", "reason": "Lengkap"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.SUBMITTED
    html = client.get(docs).content.decode()
    assert 'class="doc-upload"' not in html and 'id="upload-locked"' in html and "«Didaftarkan»" in html
    html = client.get(page).content.decode()  # the candidate forms are locked too: no link to them
    assert f'href="{reverse("candidacy:candidate_set", args=[pair.pk, "kepala"])}"' not in html


def test_a_closed_stage_is_a_reason_on_the_page(client):
    from django.urls import reverse

    pair = ready_pair(PairStatus.DRAFT)
    now = timezone.now()
    StageWindow.objects.filter(election=pair.election, stage=Stage.REGISTRATION).update(
        starts_at=now - datetime.timedelta(days=3), ends_at=now - datetime.timedelta(minutes=1)
    )
    client.force_login(pair._actor)
    html = client.get(reverse("candidacy:pair_detail", args=[pair.pk])).content.decode()
    assert "disabled" in html and "Pendaftaran pasangan calon sudah ditutup" in html
    docs = client.get(reverse("candidacy:documents", args=[pair.pk])).content.decode()
    assert 'class="doc-upload"' not in docs and "sudah ditutup" in docs
