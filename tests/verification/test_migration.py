"""Verification became an app of its own without losing a row: from the schema before the move (support_uploads
0010, the rounds' tables named ``support_uploads_*``) with data in it, the migrations take the models over and
rename the tables; every row, link, object grant and admin log entry is still there, under the new names."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from guardian.shortcuts import get_perms

from candidacy.models import SupportStatus
from support_uploads.models import Batch
from tests.accounts.factories import operator
from verification.models import (
    CorrectionSubmission,
    ExternalChoice,
    PairOutcome,
    VerificationDocument,
    VerificationResult,
    VerificationRound,
)

from .verification_helpers import DESA_A, DESA_C, add_supporters, make_election, make_pair

BEFORE_MOVE = [("support_uploads", "0010_document_progress"), ("verification", None)]
MOVED_TABLES = {
    "support_uploads_verificationround": "verification_verificationround",
    "support_uploads_verificationresult": "verification_verificationresult",
    "support_uploads_verificationdocument": "verification_verificationdocument",
    "support_uploads_externalchoice": "verification_externalchoice",
    "support_uploads_correctionsubmission": "verification_correctionsubmission",
    "support_uploads_correctionsubmission_uploads": "verification_correctionsubmission_uploads",
    "support_uploads_pairoutcome": "verification_pairoutcome",
}


def _migrate(targets=None):
    """Migrate to ``targets`` (default: the latest of every app); the historical apps of the state reached."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return state.apps


def _tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _seed_before_move(old, *, election, pair, other, supporters, upload, kpu) -> dict:
    """The rows of every moved model, written with the models as they were in support_uploads."""
    Round = old.get_model("support_uploads", "VerificationRound")
    now = timezone.now()
    admin_round = Round.objects.create(
        election_id=election.pk, pair_id=pair.pk, kind="administrative", batch=Batch.INITIAL, opened_by_id=kpu.pk
    )
    factual = Round.objects.create(
        election_id=election.pk,
        pair_id=pair.pk,
        kind="factual",
        batch=Batch.INITIAL,
        opened_by_id=kpu.pk,
        closed_by_id=kpu.pk,
        closed_at=now,
    )
    Result = old.get_model("support_uploads", "VerificationResult")
    Result.objects.bulk_create(
        [
            Result(
                round_id=factual.pk,
                supporter_id=s.pk,
                verdict="ms" if i else "tms",
                reason_id=None if i else "TMS_DENIES",
                visit="confirms" if i else "denies",
                village_code=s.village_code,
                recorded_by_id=kpu.pk,
                recorded_at=now,
            )
            for i, s in enumerate(supporters)
        ]
    )
    old.get_model("support_uploads", "VerificationDocument").objects.create(
        round_id=factual.pk,
        kind="ba",
        fmt="pdf",
        sha256="a" * 64,
        content_hash="b" * 64,
        progress=100,
        requested_by_id=kpu.pk,
        finished_at=now,
    )
    old.get_model("support_uploads", "ExternalChoice").objects.create(
        election_id=election.pk, nik=supporters[0].nik, chosen_pair_id=other.pk, recorded_by_id=kpu.pk
    )
    old.get_model("support_uploads", "PairOutcome").objects.create(
        pair_id=pair.pk,
        batch=Batch.INITIAL,
        status=SupportStatus.BMS,
        ms_total=1,
        minimum=5,
        shortfall=4,
        spread_met=1,
        spread_required=2,
        decided_by_id=kpu.pk,
    )
    correction = old.get_model("support_uploads", "CorrectionSubmission").objects.create(
        pair_id=pair.pk, shortfall=4, required=8, submitted=9, repeated=1, submitted_by_id=kpu.pk
    )
    correction.uploads.set([upload.pk])

    # an object grant (django-guardian) and an admin log entry point at the round's content type
    round_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="support_uploads", model="verificationround"
    )
    permission = old.get_model("auth", "Permission").objects.get(
        content_type=round_type, codename="view_verificationround"
    )
    old.get_model("guardian", "UserObjectPermission").objects.create(
        user_id=kpu.pk, permission=permission, content_type=round_type, object_pk=str(factual.pk)
    )
    old.get_model("admin", "LogEntry").objects.create(
        user_id=kpu.pk,
        content_type=round_type,
        object_id=str(factual.pk),
        object_repr="putaran",
        action_flag=CHANGE,
        action_time=now,
    )
    return {"admin": admin_round.pk, "factual": factual.pk, "correction": correction.pk}


@pytest.mark.django_db(transaction=True)
def test_moving_verification_out_of_support_uploads_keeps_every_row():
    election = make_election()
    pair = make_pair(election, status=SupportStatus.BMS)
    other = make_pair(election)
    supporters = add_supporters(pair, [DESA_A, DESA_C, DESA_C])
    correction_upload = add_supporters(pair, [DESA_A], batch=Batch.CORRECTION_1)[0].upload
    kpu = operator("52")

    try:
        old = _migrate(BEFORE_MOVE)
        assert set(MOVED_TABLES) <= _tables() and not set(MOVED_TABLES.values()) & _tables()
        ids = _seed_before_move(
            old, election=election, pair=pair, other=other, supporters=supporters, upload=correction_upload, kpu=kpu
        )
    finally:
        _migrate()  # whatever happened, later tests find the schema of today

    tables = _tables()
    assert set(MOVED_TABLES.values()) <= tables and not set(MOVED_TABLES) & tables
    factual = VerificationRound.objects.get(pk=ids["factual"])
    assert (factual.pair_id, factual.kind, factual.closed_by_id) == (pair.pk, "factual", kpu.pk)
    assert VerificationRound.objects.filter(pair=pair).count() == 2
    results = VerificationResult.objects.filter(round=factual).order_by("supporter_id")
    assert [(r.supporter_id, r.verdict, r.reason_id) for r in results] == [
        (supporters[0].pk, "tms", "TMS_DENIES"),
        (supporters[1].pk, "ms", None),
        (supporters[2].pk, "ms", None),
    ]
    document = VerificationDocument.objects.get(round=factual)
    assert (document.kind, document.content_hash, document.progress) == ("ba", "b" * 64, 100)
    assert ExternalChoice.objects.get(election=election).chosen_pair_id == other.pk
    outcome = PairOutcome.objects.get(pair=pair)
    assert (outcome.status, outcome.shortfall, outcome.spread_required) == (SupportStatus.BMS, 4, 2)
    correction = CorrectionSubmission.objects.get(pk=ids["correction"])
    assert list(correction.uploads.values_list("pk", flat=True)) == [correction_upload.pk]

    # the content type moved with its id: the object grant and the admin log entry still resolve
    round_type = ContentType.objects.get_for_model(VerificationRound)
    assert round_type.app_label == "verification"
    assert not ContentType.objects.filter(app_label="support_uploads", model="verificationround").exists()
    assert get_perms(kpu, factual) == ["view_verificationround"]
    assert LogEntry.objects.get(content_type=round_type).get_edited_object() == factual

    # new rows carry on after the old ids (the tables kept their sequences)
    newer = VerificationRound.objects.create(
        election=election, pair=other, kind="administrative", batch=Batch.INITIAL, opened_by=kpu
    )
    assert newer.pk > max(ids["admin"], ids["factual"])
