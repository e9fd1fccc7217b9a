import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidacy.models import Stage, SupportStatus
from candidacy.services.stages import StageClosedError
from support_uploads.models import DuplicateDecision, RowStatus, Supporter, Upload
from tests.accounts.factories import operator
from verification.models import (
    Batch,
    PairOutcome,
    RoundKind,
    Verdict,
    VerificationResult,
    Visit,
)
from verification.selectors import round_population, round_totals, supporter_history, worklist
from verification.services import (
    correction_submit,
    duplicate_resolve,
    external_duplicate_choose,
    factual_pending_expire,
    factual_visit_record,
    results_mark,
    results_undo,
    round_close,
    round_open,
)

from .verification_helpers import (
    DESA_A,
    DESA_B,
    DESA_C,
    DESA_D,
    add_supporters,
    close_stage,
    make_election,
    make_pair,
    verifier,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    return make_election()


@pytest.fixture
def op1():
    return operator("52")


@pytest.fixture
def op2():
    return operator("52")


@pytest.fixture
def pair(election):
    return make_pair(election)


def test_bulk_mark_a_whole_desa_uses_constant_queries(pair, op1):
    add_supporters(pair, [DESA_A] * 40 + [DESA_B] * 3)
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    with CaptureQueriesContext(connection) as many:
        count = results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_A)
    assert count == 40
    with CaptureQueriesContext(connection) as few:
        assert results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_B) == 3
    assert len(many) == len(few)  # set-based: the query count does not grow with the rows
    assert VerificationResult.objects.filter(round=round, verdict=Verdict.MS).count() == 43
    assert round_totals(round).undecided == 0


def test_bulk_mark_tms_needs_a_reason_and_keeps_free_text(pair, op1):
    rows = add_supporters(pair, [DESA_A] * 3)
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    with pytest.raises(ValidationError):
        results_mark(actor=op1, round=round, verdict=Verdict.TMS, supporter_ids=[rows[0].pk])
    results_mark(
        actor=op1,
        round=round,
        verdict=Verdict.TMS,
        supporter_ids=[rows[0].pk, rows[1].pk],
        reason_code="TMS_NO_KTP",
        note="fotokopi buram",
    )
    result = VerificationResult.objects.get(round=round, supporter_id=rows[0].pk)
    assert (result.verdict, result.reason_id, result.note, result.recorded_by) == (
        Verdict.TMS,
        "TMS_NO_KTP",
        "fotokopi buram",
        op1,
    )
    # marking again overwrites rather than adding a second row
    results_mark(actor=op1, round=round, verdict=Verdict.MS, supporter_ids=[rows[0].pk])
    assert VerificationResult.objects.filter(round=round, supporter_id=rows[0].pk).count() == 1
    assert VerificationResult.objects.get(round=round, supporter_id=rows[0].pk).reason_id is None


def test_undo_until_the_round_is_closed(pair, op1, op2):
    rows = add_supporters(pair, [DESA_A] * 3)
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_A)
    assert results_undo(actor=op1, round=round, supporter_ids=[rows[0].pk]) == 1
    assert round_totals(round).undecided == 1
    results_mark(actor=op1, round=round, verdict=Verdict.MS, supporter_ids=[rows[0].pk])
    round_close(actor=op2, round=round)
    with pytest.raises(ValidationError):
        results_undo(actor=op1, round=round, village_code=DESA_A)
    assert VerificationResult.objects.filter(round=round).count() == 3


def test_four_eyes_closing(pair, op1, op2):
    rows = add_supporters(pair, [DESA_A] * 2)
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_A)
    with pytest.raises(PermissionDenied):
        round_close(actor=op1, round=round)
    # an operator who recorded and then undid still may not close
    op3 = operator("52")
    results_mark(actor=op3, round=round, verdict=Verdict.MS, supporter_ids=[rows[0].pk])
    results_undo(actor=op3, round=round, supporter_ids=[rows[0].pk])
    results_mark(actor=op1, round=round, verdict=Verdict.MS, supporter_ids=[rows[0].pk])
    with pytest.raises(PermissionDenied):
        round_close(actor=op3, round=round)
    closed = round_close(actor=op2, round=round)
    assert closed.closed_by == op2 and closed.closed_at is not None


def test_close_refused_while_supporters_are_undecided(pair, op1, op2):
    add_supporters(pair, [DESA_A, DESA_B])
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_A)
    with pytest.raises(ValidationError):
        round_close(actor=op2, round=round)


def test_stage_window_is_checked(election, pair, op1):
    add_supporters(pair, [DESA_A])
    close_stage(election, Stage.ADMIN_VERIFICATION)
    with pytest.raises(StageClosedError):
        round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)


def test_operator_outside_the_election_region_is_refused(pair):
    with pytest.raises(PermissionDenied):
        round_open(actor=operator("51"), pair=pair, kind=RoundKind.ADMINISTRATIVE)


def test_round_needs_a_submitted_pair(election, op1):
    collecting = make_pair(election, status=SupportStatus.COLLECTING)
    with pytest.raises(ValidationError):
        round_open(actor=op1, pair=collecting, kind=RoundKind.ADMINISTRATIVE)


def test_potential_duplicates_resolved_keep_one_or_none(pair, op1):
    kept, dropped = add_supporters(pair, [DESA_A, DESA_A], status=RowStatus.REVIEW, nik="5201010101900001")
    both = add_supporters(pair, [DESA_B, DESA_B], status=RowStatus.REVIEW, nik="5201010101900002")
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    # a bulk MS leaves potential duplicates to the operator's decision
    assert results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=DESA_A) == 0
    duplicate_resolve(actor=op1, round=round, supporter_ids=[kept.pk, dropped.pk], keep_id=kept.pk)
    duplicate_resolve(actor=op1, round=round, supporter_ids=[r.pk for r in both], keep_id=None, note="beda orang")
    verdicts = dict(VerificationResult.objects.filter(round=round).values_list("supporter_id", "verdict"))
    assert verdicts == {kept.pk: Verdict.MS, dropped.pk: Verdict.TMS, both[0].pk: Verdict.TMS, both[1].pk: Verdict.TMS}
    assert VerificationResult.objects.get(round=round, supporter_id=dropped.pk).reason_id == "TMS_DUPLICATE"
    with pytest.raises(ValidationError):
        duplicate_resolve(actor=op1, round=round, supporter_ids=[kept.pk, both[0].pk], keep_id=kept.pk)


def _held(pair, villages, nik):
    """Rows the pipeline held as potential duplicates of each other (review, DUP_POTENTIAL), in one DONE file."""
    rows = add_supporters(pair, villages, status=RowStatus.REVIEW, nik=nik, names=[f"NAMA {i}" for i in villages])
    Supporter.objects.filter(pk__in=[r.pk for r in rows]).update(reasons="DUP_POTENTIAL")
    return rows


def test_a_held_duplicate_decided_in_the_round_is_the_pairs_one_decision(pair, op1):
    """Issue #16: the administrative round's resolution of a potential duplicate that is still held is the
    same decision as the support's (DuplicateDecision): rows and counts follow, and the round records a result
    for every row that decision covered."""
    kept, dropped = _held(pair, [DESA_A, DESA_B], "5201010101900011")
    (other,) = _held(pair, [DESA_C], "5201010101900011")  # the same NIK in another file of the batch
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    duplicate_resolve(actor=op1, round=round, supporter_ids=[kept.pk, dropped.pk, other.pk], keep_id=kept.pk)
    decision = DuplicateDecision.objects.get(pair=pair, nik="5201010101900011")
    assert decision.chosen_id == kept.pk and sorted(decision.rows) == sorted([kept.pk, dropped.pk, other.pk])
    statuses = dict(Supporter.objects.filter(nik="5201010101900011").values_list("pk", "status"))
    assert statuses == {kept.pk: RowStatus.ACCEPTED, dropped.pk: RowStatus.REJECTED, other.pk: RowStatus.REJECTED}
    assert "DUP_NOT_CHOSEN" in Supporter.objects.get(pk=dropped.pk).reasons
    counts = Upload.objects.get(pk=kept.upload_id)
    assert (counts.rows_accepted, counts.rows_review, counts.rows_rejected) == (1, 0, 1)
    verdicts = dict(VerificationResult.objects.filter(round=round).values_list("supporter_id", "verdict"))
    assert verdicts == {kept.pk: Verdict.MS, dropped.pk: Verdict.TMS, other.pk: Verdict.TMS}
    # decided: the rejected rows leave the round's population; the kept row stays in it, counted
    assert set(round_population(round).values_list("pk", flat=True)) == {kept.pk}
    # none kept: every held row of a second NIK is rejected, for the support as for the round
    first, second = _held(pair, [DESA_A, DESA_A], "5201010101900012")
    duplicate_resolve(actor=op1, round=round, supporter_ids=[first.pk, second.pk], keep_id=None, note="beda orang")
    assert DuplicateDecision.objects.get(nik="5201010101900012").chosen_id is None
    assert set(Supporter.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True)) == {
        RowStatus.REJECTED
    }


def _admin_all_ms(pair, op1, op2, batch=Batch.INITIAL):
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE, batch=batch)
    for desa in (DESA_A, DESA_B, DESA_C, DESA_D):
        results_mark(actor=op1, round=round, verdict=Verdict.MS, village_code=desa)
    round_close(actor=op2, round=round)
    return round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL, batch=batch)


def test_verifier_sees_only_own_desa(pair, op1, op2):
    in_a = add_supporters(pair, [DESA_A, DESA_A])
    in_b = add_supporters(pair, [DESA_B])
    factual = _admin_all_ms(pair, op1, op2)
    pps_a = verifier(DESA_A)
    assert {s.pk for s in worklist(user=pps_a, round=factual)} == {r.pk for r in in_a}
    ppk = verifier("52.01.02")
    assert {s.pk for s in worklist(user=ppk, round=factual)} == {in_b[0].pk}
    with pytest.raises(PermissionDenied):
        factual_visit_record(actor=pps_a, round=factual, supporter=in_b[0], visit=Visit.CONFIRMS)


def test_visit_is_idempotent_by_token_and_keyed_by_round_and_supporter(pair, op1, op2):
    (row,) = add_supporters(pair, [DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    pps = verifier(DESA_A)
    first = factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.CONFIRMS, client_token="t1")
    again = factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.CONFIRMS, client_token="t1")
    assert first.pk == again.pk
    factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.CONFIRMS, client_token="t2")
    assert VerificationResult.objects.filter(round=factual).count() == 1
    assert round_totals(factual).ms == 1


def test_denial_is_tms_with_the_ba5_statement(pair, op1, op2):
    (row,) = add_supporters(pair, [DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    pps = verifier(DESA_A)
    with pytest.raises(ValidationError):
        factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.DENIES)
    result = factual_visit_record(
        actor=pps, round=factual, supporter=row, visit=Visit.DENIES, note="Tidak pernah memberi dukungan"
    )
    assert (result.verdict, result.reason_id, result.note) == (
        Verdict.TMS,
        "TMS_DENIES",
        "Tidak pernah memberi dukungan",
    )
    history = list(supporter_history(supporter=row))
    assert [(h.round.kind, h.verdict) for h in history] == [
        (RoundKind.ADMINISTRATIVE, Verdict.MS),
        (RoundKind.FACTUAL, Verdict.TMS),
    ]


def test_three_day_rule(pair, op1, op2):
    late, presented, expiring = add_supporters(pair, [DESA_A, DESA_A, DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    pps = verifier(DESA_A)
    visit_at = timezone.now()
    for row in (late, presented, expiring):
        result = factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.NOT_MET, at=visit_at)
        assert result.verdict == Verdict.PENDING
        assert result.due_at == visit_at + datetime.timedelta(days=3)
    ok = factual_visit_record(
        actor=pps,
        round=factual,
        supporter=presented,
        visit=Visit.PRESENTED,
        at=visit_at + datetime.timedelta(days=2, hours=23),
    )
    assert ok.verdict == Verdict.MS
    with pytest.raises(ValidationError):
        factual_visit_record(
            actor=pps,
            round=factual,
            supporter=late,
            visit=Visit.PRESENTED,
            at=visit_at + datetime.timedelta(days=3, hours=1),
        )
    # before the three days pass nothing expires; after, every pending row becomes TMS, once
    assert factual_pending_expire(now=visit_at + datetime.timedelta(days=2)) == 0
    assert factual_pending_expire(now=visit_at + datetime.timedelta(days=3, seconds=1)) == 2
    assert factual_pending_expire(now=visit_at + datetime.timedelta(days=4)) == 0
    reasons = set(
        VerificationResult.objects.filter(round=factual, supporter_id__in=[late.pk, expiring.pk]).values_list(
            "verdict", "reason_id"
        )
    )
    assert reasons == {(Verdict.TMS, "TMS_NOT_PRESENTED")}


def test_external_duplicate_choice_updates_both_pairs_atomically(election, op1, op2):
    first, second = make_pair(election), make_pair(election)
    nik = "5201014101900003"
    (in_first,) = add_supporters(first, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    (in_second,) = add_supporters(second, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    f1 = _admin_all_ms(first, op1, op2)
    pps = verifier(DESA_A)
    # the second pair's factual round is not open yet: nothing at all is written
    from verification.models import ExternalChoice

    with pytest.raises(ValidationError):
        external_duplicate_choose(actor=pps, election=election, nik=nik, chosen_pair=first)
    assert not ExternalChoice.objects.exists()
    assert not VerificationResult.objects.filter(round=f1).exists()
    f2 = _admin_all_ms(second, op1, op2)
    external_duplicate_choose(actor=pps, election=election, nik=nik, chosen_pair=first)
    assert VerificationResult.objects.get(round=f1, supporter_id=in_first.pk).verdict == Verdict.MS
    other = VerificationResult.objects.get(round=f2, supporter_id=in_second.pk)
    assert (other.verdict, other.reason_id) == (Verdict.TMS, "TMS_OTHER_PAIR")


def _factual_all(round, rows, visit=Visit.CONFIRMS):
    for row in rows:
        factual_visit_record(actor=verifier(row.village_code), round=round, supporter=row, visit=visit)


def test_pair_meets_with_ms_total_and_spread(pair, op1, op2):
    rows = add_supporters(pair, [DESA_A] * 3 + [DESA_C] * 2)
    factual = _admin_all_ms(pair, op1, op2)
    _factual_all(factual, rows)
    round_close(actor=op2, round=factual)
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.MS
    outcome = PairOutcome.objects.get(pair=pair)
    assert (outcome.ms_total, outcome.shortfall, outcome.spread_met) == (5, 0, 2)


def test_correction_arithmetic_spread_on_ms_only_and_second_failure(election, pair, op1, op2):
    # 6 supporters; two TMS (one in the only desa of kab/kota 52.02) → 4 MS, shortfall 1, spread on MS only
    rows = add_supporters(pair, [DESA_A] * 4 + [DESA_C, DESA_B])
    factual = _admin_all_ms(pair, op1, op2)
    _factual_all(factual, rows[:4])
    _factual_all(factual, rows[4:], visit=Visit.MOVED)
    round_close(actor=op2, round=factual)
    pair.refresh_from_db()
    outcome = PairOutcome.objects.get(pair=pair, batch=Batch.INITIAL)
    assert pair.support_status == SupportStatus.BMS
    assert (outcome.ms_total, outcome.shortfall) == (4, 1)
    assert outcome.spread_met == 1  # 52.02 had a supporter, but no MS one
    # correction must be ≥ 2 × shortfall = 2 NEW supporters; a repeated NIK does not count
    repeat = add_supporters(pair, [DESA_C], nik=rows[4].nik, batch=Batch.CORRECTION_1)
    from support_uploads.models import Upload

    one_new = add_supporters(pair, [DESA_D], batch=Batch.CORRECTION_1)
    with pytest.raises(ValidationError, match="2"):
        correction_submit(
            actor=op1,
            pair=pair,
            uploads=list(Upload.objects.filter(pk__in=[repeat[0].upload_id, one_new[0].upload_id])),
        )
    more = add_supporters(pair, [DESA_D], batch=Batch.CORRECTION_1)
    uploads = list(Upload.objects.filter(pk__in=[repeat[0].upload_id, one_new[0].upload_id, more[0].upload_id]))
    submission = correction_submit(actor=op1, pair=pair, uploads=uploads)
    assert (submission.shortfall, submission.required, submission.submitted, submission.repeated) == (1, 2, 2, 1)
    # the correction batch goes through both rounds again, without the repeated supporter
    c_factual = _admin_all_ms(pair, op1, op2, batch=Batch.CORRECTION_1)
    assert {s.pk for s in worklist(user=op1, round=c_factual)} == {one_new[0].pk, more[0].pk}
    _factual_all(c_factual, [one_new[0], more[0]], visit=Visit.DIED)
    round_close(actor=op2, round=c_factual)
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.TMS
    again = PairOutcome.objects.get(pair=pair, batch=Batch.CORRECTION_1)
    assert (again.ms_total, again.shortfall) == (4, 1)


def test_correction_that_closes_the_gap_makes_the_pair_ms(pair, op1, op2):
    rows = add_supporters(pair, [DESA_A] * 4)
    factual = _admin_all_ms(pair, op1, op2)
    _factual_all(factual, rows)
    round_close(actor=op2, round=factual)
    pair.refresh_from_db()
    outcome = PairOutcome.objects.get(pair=pair)
    # 4 MS of 5, and one kab/kota of the 2 required
    assert (pair.support_status, outcome.shortfall, outcome.spread_met) == (SupportStatus.BMS, 1, 1)
    new = add_supporters(pair, [DESA_C, DESA_D], batch=Batch.CORRECTION_1)
    from support_uploads.models import Upload

    correction_submit(actor=op1, pair=pair, uploads=[Upload.objects.get(pk=new[0].upload_id)])
    c_factual = _admin_all_ms(pair, op1, op2, batch=Batch.CORRECTION_1)
    _factual_all(c_factual, new)
    round_close(actor=op2, round=c_factual)
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.MS
    assert PairOutcome.objects.get(pair=pair, batch=Batch.CORRECTION_1).ms_total == 6


def test_reason_list_is_editable_data(pair, op1, client):
    from support_uploads.models import ReasonCode
    from tests.accounts.factories import UserFactory

    rows = add_supporters(pair, [DESA_A])
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        "/admin/support_uploads/reasoncode/add/",
        {
            "code": "TMS_PHOTO",
            "label_id": "Foto KTP-el tidak terbaca",
            "label_en": "KTP photo unreadable",
            "severity": "reject",
            "legal_basis": "",
        },
    )
    assert response.status_code == 302
    assert ReasonCode.objects.get(pk="TMS_PHOTO").label_id == "Foto KTP-el tidak terbaca"
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=round, verdict=Verdict.TMS, supporter_ids=[rows[0].pk], reason_code="TMS_PHOTO")
    assert VerificationResult.objects.get(round=round).reason_id == "TMS_PHOTO"


def test_beat_task_expires_pending_visits(pair, op1, op2, settings):
    from verification.tasks import pending_expire_task

    assert settings.CELERY_BEAT_SCHEDULE["verification-pending-expire"]["task"] == pending_expire_task.name
    (row,) = add_supporters(pair, [DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    factual_visit_record(
        actor=verifier(DESA_A),
        round=factual,
        supporter=row,
        visit=Visit.NOT_MET,
        at=timezone.now() - datetime.timedelta(days=3, minutes=1),
    )
    assert pending_expire_task.apply().get() == 1
    assert VerificationResult.objects.get(round=factual).reason_id == "TMS_NOT_PRESENTED"


def test_factual_visit_undo_by_its_recorder_or_an_operator_once(pair, op1, op2):
    from silon.audit.models import AuditEvent
    from verification.services import factual_visit_undo

    (row,) = add_supporters(pair, [DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    pps, other_pps = verifier(DESA_A), verifier(DESA_A)
    factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.DIED, client_token="t1")
    with pytest.raises(PermissionDenied):
        factual_visit_undo(actor=other_pps, round=factual, supporter=row, visit=Visit.DIED)
    with pytest.raises(PermissionDenied):
        factual_visit_undo(actor=verifier(DESA_B), round=factual, supporter=row, visit=Visit.DIED)
    assert factual_visit_undo(actor=pps, round=factual, supporter=row, visit=Visit.DIED) is True
    assert not VerificationResult.objects.filter(round=factual).exists()
    # a double submit of the undo finds nothing to take back: one change, one audit event
    assert factual_visit_undo(actor=pps, round=factual, supporter=row, visit=Visit.DIED) is False
    events = AuditEvent.objects.filter(action="verification.result.visit_undo", object_id=str(factual.pk))
    assert events.count() == 1
    assert events.get().before["visit"] == Visit.DIED and events.get().after == {"supporter": row.pk, "verdict": None}
    # recorded again (a double submit still counts once), then undone by a KPU operator of the region
    for _ in range(2):
        factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.CONFIRMS, client_token="t2")
    assert round_totals(factual).ms == 1 and VerificationResult.objects.filter(round=factual).count() == 1
    op3 = operator("52")
    assert factual_visit_undo(actor=op3, round=factual, supporter=row, visit=Visit.DENIES) is False  # not what it is
    assert factual_visit_undo(actor=op3, round=factual, supporter=row, visit=Visit.CONFIRMS) is True
    with pytest.raises(PermissionDenied):
        factual_visit_undo(actor=operator("51"), round=factual, supporter=row, visit=Visit.CONFIRMS)
    factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.CONFIRMS, client_token="t3")
    with pytest.raises(PermissionDenied):
        round_close(actor=op3, round=factual)  # undoing is recording: four eyes still apply
    round_close(actor=op2, round=factual)
    with pytest.raises(ValidationError):
        factual_visit_undo(actor=pps, round=factual, supporter=row, visit=Visit.CONFIRMS)
    assert VerificationResult.objects.get(round=factual).verdict == Verdict.MS


def test_undoing_a_presentation_returns_to_pending_with_the_original_deadline(pair, op1, op2):
    from verification.services import factual_visit_undo

    (row,) = add_supporters(pair, [DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    pps = verifier(DESA_A)
    visit_at = timezone.now() - datetime.timedelta(days=1)
    factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.NOT_MET, at=visit_at)
    factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.PRESENTED)
    assert factual_visit_undo(actor=pps, round=factual, supporter=row, visit=Visit.PRESENTED) is True
    result = VerificationResult.objects.get(round=factual, supporter_id=row.pk)
    assert (result.verdict, result.visit, result.due_at) == (
        Verdict.PENDING,
        Visit.NOT_MET,
        visit_at + datetime.timedelta(days=3),
    )
    # the same undo submitted twice does not also take back the "not met"
    assert factual_visit_undo(actor=pps, round=factual, supporter=row, visit=Visit.PRESENTED) is False
    assert VerificationResult.objects.get(round=factual, supporter_id=row.pk).verdict == Verdict.PENDING


def test_undo_leaves_rule_and_cross_pair_decisions_alone(election, pair, op1, op2):
    from verification.services import factual_visit_undo

    expired, chosen = add_supporters(pair, [DESA_A, DESA_A])
    other = make_pair(election)
    add_supporters(other, [DESA_A], nik=chosen.nik)
    factual = _admin_all_ms(pair, op1, op2)
    _admin_all_ms(other, op1, op2)
    pps = verifier(DESA_A)
    factual_visit_record(
        actor=pps,
        round=factual,
        supporter=expired,
        visit=Visit.NOT_MET,
        at=timezone.now() - datetime.timedelta(days=3, hours=1),
    )
    assert factual_pending_expire() == 1
    with pytest.raises(ValidationError, match="3 hari"):
        factual_visit_undo(actor=op1, round=factual, supporter=expired, visit=Visit.NOT_MET)
    external_duplicate_choose(actor=pps, election=election, nik=chosen.nik, chosen_pair=pair)
    with pytest.raises(ValidationError, match="ganda eksternal"):
        factual_visit_undo(actor=op1, round=factual, supporter=chosen, visit=Visit.CONFIRMS)
    admin = pair.verification_rounds.get(kind=RoundKind.ADMINISTRATIVE)
    with pytest.raises(ValidationError):
        factual_visit_undo(actor=op1, round=admin, supporter=expired, visit="")
    assert VerificationResult.objects.filter(round=factual).count() == 2


def test_round_progress_counts_per_desa_within_the_verifiers_area(pair, op1, op2):
    from verification.selectors import round_progress

    in_a = add_supporters(pair, [DESA_A] * 4)
    in_b = add_supporters(pair, [DESA_B] * 2)
    add_supporters(pair, [DESA_C])
    factual = _admin_all_ms(pair, op1, op2)
    pps_a, ppk_b = verifier(DESA_A), verifier("52.01.02")
    factual_visit_record(actor=pps_a, round=factual, supporter=in_a[0], visit=Visit.CONFIRMS)
    factual_visit_record(actor=pps_a, round=factual, supporter=in_a[1], visit=Visit.MOVED)
    factual_visit_record(actor=pps_a, round=factual, supporter=in_a[2], visit=Visit.NOT_MET)
    factual_visit_record(actor=ppk_b, round=factual, supporter=in_b[0], visit=Visit.CONFIRMS)

    def table(user, prefix=""):
        rows, total = round_progress(user=user, round=factual, prefix=prefix)
        return [(r.code, r.total, r.ms, r.tms, r.pending, r.not_visited) for r in rows], total

    rows, total = table(pps_a)
    assert rows == [(DESA_A, 4, 1, 1, 1, 1)] and (total.code, total.total) == (DESA_A, 4)
    assert table(ppk_b)[0] == [(DESA_B, 2, 1, 0, 0, 1)]
    # asking for another area gives nothing outside the verifier's own
    assert table(pps_a, prefix=DESA_B)[0] == []
    assert table(ppk_b, prefix="52.01")[0] == [(DESA_B, 2, 1, 0, 0, 1)]
    assert table(verifier("52.03.01"))[0] == []
    rows, total = table(op1)
    assert rows == [(DESA_A, 4, 1, 1, 1, 1), (DESA_B, 2, 1, 0, 0, 1), (DESA_C, 1, 0, 0, 0, 1)]
    assert (total.total, total.ms, total.tms, total.pending, total.not_visited) == (7, 2, 1, 1, 3)
    assert [r.name for r in round_progress(user=op1, round=factual)[0]] == [
        "GERUNG UTARA",
        "KEDIRI SELATAN",
        "PRAYA BARAT",
    ]


# --- visits never overwrite results decided elsewhere (3-day rule, external duplicate's choice) ---


def test_a_visit_cannot_overturn_the_three_day_rule(pair, op1, op2):
    expired, overdue = add_supporters(pair, [DESA_A, DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    pps = verifier(DESA_A)
    long_ago = timezone.now() - datetime.timedelta(days=3, hours=1)
    factual_visit_record(actor=pps, round=factual, supporter=expired, visit=Visit.NOT_MET, at=long_ago)
    assert factual_pending_expire() == 1
    with pytest.raises(ValidationError, match="aturan 3 hari"):
        factual_visit_record(actor=pps, round=factual, supporter=expired, visit=Visit.CONFIRMS, client_token="new")
    with pytest.raises(ValidationError, match="aturan 3 hari"):
        factual_visit_record(actor=op1, round=factual, supporter=expired, visit=Visit.NOT_MET, client_token="n2")
    result = VerificationResult.objects.get(round=factual, supporter_id=expired.pk)
    assert (result.verdict, result.reason_id) == (Verdict.TMS, "TMS_NOT_PRESENTED")
    # past the deadline but before the beat task ran: the rule decides all the same
    factual_visit_record(actor=pps, round=factual, supporter=overdue, visit=Visit.NOT_MET, at=long_ago)
    with pytest.raises(ValidationError, match="3 hari"):
        factual_visit_record(actor=pps, round=factual, supporter=overdue, visit=Visit.CONFIRMS, client_token="x")
    assert VerificationResult.objects.get(round=factual, supporter_id=overdue.pk).verdict == Verdict.PENDING
    assert factual_pending_expire() == 1
    assert round_totals(factual).ms == 0


def test_a_visit_cannot_overturn_an_external_duplicates_choice(election, op1, op2):
    first, second = make_pair(election), make_pair(election)
    nik = "5201014101900011"
    (in_first,) = add_supporters(first, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    (in_second,) = add_supporters(second, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    f1, f2 = _admin_all_ms(first, op1, op2), _admin_all_ms(second, op1, op2)
    pps = verifier(DESA_A)
    external_duplicate_choose(actor=pps, election=election, nik=nik, chosen_pair=first)
    # the other pair's "chose another pair" cannot become MS: the supporter would count for both pairs
    with pytest.raises(ValidationError, match="ganda eksternal"):
        factual_visit_record(actor=pps, round=f2, supporter=in_second, visit=Visit.CONFIRMS, client_token="c1")
    with pytest.raises(ValidationError, match="ganda eksternal"):
        factual_visit_record(actor=op1, round=f2, supporter=in_second, visit=Visit.CONFIRMS)
    # nor is the chosen pair's MS changed by a later visit
    with pytest.raises(ValidationError, match="ganda eksternal"):
        factual_visit_record(actor=pps, round=f1, supporter=in_first, visit=Visit.DIED, client_token="c2")
    assert VerificationResult.objects.get(round=f2, supporter_id=in_second.pk).verdict == Verdict.TMS
    assert VerificationResult.objects.get(round=f1, supporter_id=in_first.pk).verdict == Verdict.MS
    # recording the choice again (a double submit, or the other way round) is refused, not a server error
    with pytest.raises(ValidationError, match="sudah dicatat"):
        external_duplicate_choose(actor=pps, election=election, nik=nik, chosen_pair=second)
    assert VerificationResult.objects.get(round=f2, supporter_id=in_second.pk).verdict == Verdict.TMS


def test_recording_not_met_again_keeps_the_first_deadline(pair, op1, op2):
    (row,) = add_supporters(pair, [DESA_A])
    factual = _admin_all_ms(pair, op1, op2)
    pps = verifier(DESA_A)
    first = timezone.now() - datetime.timedelta(days=2)
    factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.NOT_MET, client_token="a", at=first)
    deadline = first + datetime.timedelta(days=3)
    again = factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.NOT_MET, client_token="b")
    assert again.due_at == deadline
    # nor through a detour: "confirms" recorded by mistake, then "not met" again
    factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.CONFIRMS, client_token="c")
    again = factual_visit_record(actor=pps, round=factual, supporter=row, visit=Visit.NOT_MET, client_token="d")
    assert (again.verdict, again.due_at) == (Verdict.PENDING, deadline)
    assert factual_pending_expire(now=deadline + datetime.timedelta(seconds=1)) == 1


# --- external duplicates: only rows of each round's population ---


def test_external_choice_leaves_rows_the_administrative_round_found_tms(election, op1, op2):
    first, second = make_pair(election), make_pair(election)
    nik = "5201014101900012"
    (in_first,) = add_supporters(first, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    (in_second,) = add_supporters(second, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    (unvisited,) = add_supporters(second, [DESA_B])
    f1 = _admin_all_ms(first, op1, op2)
    admin2 = round_open(actor=op1, pair=second, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=admin2, verdict=Verdict.MS, supporter_ids=[unvisited.pk])
    results_mark(actor=op1, round=admin2, verdict=Verdict.TMS, supporter_ids=[in_second.pk], reason_code="TMS_NO_KTP")
    round_close(actor=op2, round=admin2)
    f2 = round_open(actor=op1, pair=second, kind=RoundKind.FACTUAL)
    external_duplicate_choose(actor=verifier(DESA_A), election=election, nik=nik, chosen_pair=first)
    assert VerificationResult.objects.get(round=f1, supporter_id=in_first.pk).verdict == Verdict.MS
    # the second pair's row is not in its factual round: no result there, and its one supporter is still open
    assert not VerificationResult.objects.filter(round=f2).exists()
    totals = round_totals(f2)
    assert (totals.population, totals.undecided, totals.tms) == (1, 1, 0)
    with pytest.raises(ValidationError):
        round_close(actor=op2, round=f2)


def test_round_totals_ignore_results_outside_the_population(pair, op1, op2):
    inside, outside = add_supporters(pair, [DESA_A, DESA_A])
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=op1, round=admin, verdict=Verdict.MS, supporter_ids=[inside.pk])
    results_mark(actor=op1, round=admin, verdict=Verdict.TMS, supporter_ids=[outside.pk], reason_code="TMS_NO_KTP")
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL)
    # a stray result left on a row outside the round (as the choice above used to write) hides nobody
    VerificationResult.objects.create(
        round=factual,
        supporter_id=outside.pk,
        verdict=Verdict.TMS,
        reason_id="TMS_OTHER_PAIR",
        village_code=DESA_A,
        recorded_by=op1,
        recorded_at=timezone.now(),
    )
    totals = round_totals(factual)
    assert (totals.population, totals.ms, totals.tms, totals.undecided) == (1, 0, 0, 1)
    assert totals.tms_by_reason == {}
    with pytest.raises(ValidationError):
        round_close(actor=op2, round=factual)
    from verification.selectors import round_progress

    assert [(r.total, r.tms, r.not_visited) for r in round_progress(user=op1, round=factual)[0]] == [(1, 0, 1)]


def test_external_choice_is_atomic_when_a_later_write_fails(election, op1, op2, monkeypatch):
    from verification.models import ExternalChoice
    from verification.services import duplicates

    first, second = make_pair(election), make_pair(election)
    nik = "5201014101900013"
    (in_first,) = add_supporters(first, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    (in_second,) = add_supporters(second, [DESA_A], nik=nik, status=RowStatus.FLAGGED)
    f1, f2 = _admin_all_ms(first, op1, op2), _admin_all_ms(second, op1, op2)
    pps = verifier(DESA_A)
    factual_visit_record(actor=pps, round=f1, supporter=in_first, visit=Visit.NOT_MET, client_token="n")
    real_upsert, calls = duplicates.upsert_results, []

    def failing_after_the_first_pair(round, rows):
        calls.append(round.pk)
        real_upsert(round, rows)
        if len(calls) == 1:
            assert VerificationResult.objects.filter(round__in=[f1, f2], visit__in=["", Visit.CONFIRMS]).exists()
            raise RuntimeError("database went away")

    monkeypatch.setattr(duplicates, "upsert_results", failing_after_the_first_pair)
    with pytest.raises(RuntimeError):
        external_duplicate_choose(actor=pps, election=election, nik=nik, chosen_pair=second)
    assert len(calls) == 1
    assert not ExternalChoice.objects.exists()
    assert VerificationResult.objects.get(round=f1, supporter_id=in_first.pk).verdict == Verdict.PENDING
    assert not VerificationResult.objects.filter(round=f2, supporter_id=in_second.pk).exists()


# --- correction: spread short with no count shortfall ---


def _bms_on_spread_only(pair, op1, op2):
    """Five MS supporters (the minimum), all in kab/kota 52.01: spread 1 of 2 → BMS with no count shortfall."""
    rows = add_supporters(pair, [DESA_A] * 3 + [DESA_B] * 2)
    factual = _admin_all_ms(pair, op1, op2)
    _factual_all(factual, rows)
    round_close(actor=op2, round=factual)
    pair.refresh_from_db()
    outcome = PairOutcome.objects.get(pair=pair, batch=Batch.INITIAL)
    assert (pair.support_status, outcome.shortfall, outcome.spread_met, outcome.spread_required) == (
        SupportStatus.BMS,
        0,
        1,
        2,
    )
    return rows


def test_correction_short_of_spread_must_bring_supporters_from_new_regions(pair, op1, op2):
    from support_uploads.models import Upload
    from verification.models import CorrectionSubmission

    rows = _bms_on_spread_only(pair, op1, op2)
    same_regency = add_supporters(pair, [DESA_B, DESA_A], batch=Batch.CORRECTION_1)
    # a repeated supporter in a new kab/kota does not count for the spread either
    repeated = add_supporters(pair, [DESA_C], nik=rows[0].nik, batch=Batch.CORRECTION_1)
    uploads = list(Upload.objects.filter(pk__in=[same_regency[0].upload_id, repeated[0].upload_id]))
    with pytest.raises(ValidationError, match=r"kurang 1 kabupaten/kota.*paling sedikit 1 .*\(baru 0\)"):
        correction_submit(actor=op1, pair=pair, uploads=uploads)
    assert not CorrectionSubmission.objects.exists()


def test_correction_short_of_spread_accepted_then_decided_on_ms_spread(election, op1, op2):
    from support_uploads.models import Upload

    pair, other = make_pair(election), make_pair(election)
    for p, visit, expected in ((pair, Visit.CONFIRMS, SupportStatus.MS), (other, Visit.MOVED, SupportStatus.TMS)):
        _bms_on_spread_only(p, op1, op2)
        new = add_supporters(p, [DESA_C], batch=Batch.CORRECTION_1)
        submission = correction_submit(actor=op1, pair=p, uploads=[Upload.objects.get(pk=new[0].upload_id)])
        assert (submission.shortfall, submission.required, submission.submitted) == (0, 0, 1)
        c_factual = _admin_all_ms(p, op1, op2, batch=Batch.CORRECTION_1)
        _factual_all(c_factual, new, visit=visit)
        round_close(actor=op2, round=c_factual)
        p.refresh_from_db()
        # the final outcome counts the spread on MS supporters only: a TMS correction row does not spread
        assert p.support_status == expected
        final = PairOutcome.objects.get(pair=p, batch=Batch.CORRECTION_1)
        assert final.spread_met == (2 if visit == Visit.CONFIRMS else 1)


def test_reason_list_edits_in_the_admin_are_audited(client):
    from silon.audit.models import AuditEvent
    from support_uploads.models import ReasonCode
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    base = "/admin/support_uploads/reasoncode/"
    values = {"label_id": "Foto buram", "label_en": "Blurred photo", "severity": "reject", "legal_basis": ""}
    assert client.post(f"{base}add/", {"code": "TMS_BLUR", **values}).status_code == 302
    assert client.post(f"{base}add/", {"code": "TMS_GONE", **values}).status_code == 302
    added = AuditEvent.objects.get(action="verification.reason.add", object_id="TMS_BLUR")
    assert added.before is None and added.after["label_en"] == "Blurred photo"
    response = client.post(f"{base}TMS_BLUR/change/", {**values, "label_id": "Foto KTP-el buram"})
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="verification.reason.change", object_id="TMS_BLUR")
    assert (changed.before["label_id"], changed.after["label_id"]) == ("Foto buram", "Foto KTP-el buram")
    assert client.post(f"{base}TMS_BLUR/delete/", {"post": "yes"}).status_code == 302
    bulk = {"action": "delete_selected", "_selected_action": ["TMS_GONE"], "post": "yes"}
    assert client.post(base, bulk).status_code == 302
    assert not ReasonCode.objects.filter(pk__in=["TMS_BLUR", "TMS_GONE"]).exists()
    deleted = AuditEvent.objects.filter(action="verification.reason.delete").order_by("id")
    assert [(e.object_id, e.before["label_id"], e.after) for e in deleted] == [
        ("TMS_BLUR", "Foto KTP-el buram", None),
        ("TMS_GONE", "Foto buram", None),
    ]
    from silon.audit.services import audit_chain_verify

    assert audit_chain_verify().ok  # the hash chain holds the admin's events like any other
