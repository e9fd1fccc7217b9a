"""Credentials (team, LO accounts), withdrawal, submission and the stage window."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Path, Stage, StageExtension, StageWindow, SupportStatus
from candidacy.services import StageClosedError
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from support_uploads.models import LoAccount
from support_uploads.recap import support_recap
from support_uploads.selectors import lo_pairs
from support_uploads.services import (
    lo_account_issue,
    lo_account_revoke,
    lo_expiry,
    pair_support_submit,
    pair_team_register,
    upload_create,
)
from tests.accounts.factories import operator
from tests.candidacy.factories import PairFactory

from .conftest import PDF, csv_bytes, rows_for

pytestmark = pytest.mark.django_db


def test_mandate_letter_must_be_a_real_pdf(election, kpu):
    pair = PairFactory(election=election)
    with pytest.raises(ValidationError, match="PDF"):
        pair_team_register(actor=kpu, pair=pair, mandate_letter=SimpleUploadedFile("m.txt", PDF), contact_name="A")
    with pytest.raises(ValidationError, match="bukan PDF"):
        pair_team_register(
            actor=kpu, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", b"<html>"), contact_name="A"
        )
    team = pair_team_register(actor=kpu, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="A")
    assert team.mandate_letter.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="support.team.register", object_id=str(team.pk)).exists()


def test_only_an_operator_of_the_jurisdiction_registers_and_issues(election):
    pair = PairFactory(election=election)
    outsider = operator("51")
    with pytest.raises(PermissionDenied):
        pair_team_register(actor=outsider, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="A")
    party_pair = PairFactory(election=election, path=Path.PARTY)
    with pytest.raises(ValidationError, match="perseorangan"):
        pair_team_register(
            actor=operator("52"), pair=party_pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="A"
        )


def test_at_most_two_lo_accounts_with_one_time_passwords(pair, kpu):
    first, password = lo_account_issue(actor=kpu, pair=pair)
    user = first.user
    assert user.role == Role.PAIR_OPERATOR and user.must_change_password and len(password) >= 12
    assert user.check_password(password)
    assert user.has_perm("candidacy.operate_pair", pair)
    # expires at the end of polling day (Asia/Jakarta)
    local = timezone.localtime(user.expires_at)
    assert (local.date(), local.hour, local.minute) == (pair.election.polling_day, 23, 59)
    lo_account_issue(actor=kpu, pair=pair)
    with pytest.raises(ValidationError, match="2 akun LO aktif"):
        lo_account_issue(actor=kpu, pair=pair)
    lo_account_revoke(actor=kpu, account=first, reason="diganti")
    user.refresh_from_db()
    assert not user.is_active and not lo_pairs(user).exists()
    third, _ = lo_account_issue(actor=kpu, pair=pair)
    assert LoAccount.objects.filter(pair=pair, revoked_at__isnull=True).count() == 2
    actions = list(
        AuditEvent.objects.filter(action__startswith="support.lo.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["support.lo.issue", "support.lo.issue", "support.lo.revoke", "support.lo.issue"]
    assert third.user.username != first.user.username


def test_an_lo_account_lives_until_the_election_is_over_and_none_is_issued_after(pair, kpu, client):
    """Product rule: an LO account lasts until the end of polling day (or of a later stage); once that moment
    has passed no account is issued, since it could never log in (the operator is told why)."""
    account, password = lo_account_issue(actor=kpu, pair=pair)
    end = timezone.localtime(account.user.expires_at)
    login = {"username": account.user.username, "password": password}
    with time_machine.travel(end - datetime.timedelta(minutes=1)):
        assert client.post(reverse("accounts:login"), login).status_code == 302  # in: off to change the password
        client.logout()
    with time_machine.travel(end + datetime.timedelta(minutes=1)):
        assert client.post(reverse("accounts:login"), login).status_code == 200  # the form again: refused
        assert "_auth_user_id" not in client.session
        with pytest.raises(ValidationError, match="sudah selesai"):
            lo_account_issue(actor=kpu, pair=pair)
    assert LoAccount.objects.filter(pair=pair).count() == 1
    pair.election.polling_day = timezone.localdate() - datetime.timedelta(days=1)
    pair.election.save(update_fields=["polling_day"])
    StageWindow.objects.filter(election=pair.election).delete()
    with pytest.raises(ValidationError, match="sudah selesai"):
        lo_account_issue(actor=kpu, pair=pair)
    later = timezone.now() + datetime.timedelta(days=3)  # a stage still ahead keeps the team's work open
    StageWindow.objects.create(
        election=pair.election, stage=Stage.DETERMINATION, starts_at=later - datetime.timedelta(days=1), ends_at=later
    )
    assert lo_account_issue(actor=kpu, pair=pair)[0].user.expires_at == later


def test_expiry_follows_a_stage_later_than_polling_day(pair, kpu):
    later = timezone.now().replace(year=pair.election.polling_day.year + 1)
    StageWindow.objects.create(
        election=pair.election, stage=Stage.DETERMINATION, starts_at=later - datetime.timedelta(days=1), ends_at=later
    )
    account, _ = lo_account_issue(actor=kpu, pair=pair)
    assert account.user.expires_at == later


def test_expiry_follows_the_effective_end_with_the_pairs_extensions(pair, kpu):
    """An extension lengthens a stage's window (docs/domain.md §3): the team's account lives to the stage's
    effective end (``candidacy.schedule``); an extension granted to another pair does not count."""
    later = timezone.now().replace(year=pair.election.polling_day.year + 1, microsecond=0)
    day = datetime.timedelta(days=1)
    StageWindow.objects.create(election=pair.election, stage=Stage.DETERMINATION, starts_at=later - day, ends_at=later)
    extension = {"election": pair.election, "stage": Stage.DETERMINATION, "granted_by": kpu, "reason": "Gangguan"}
    StageExtension.objects.create(pair=PairFactory(election=pair.election), extended_until=later + 5 * day, **extension)
    assert lo_expiry(pair) == later
    StageExtension.objects.create(pair=None, extended_until=later + day, **extension)
    assert lo_expiry(pair) == later + day
    StageExtension.objects.create(pair=pair, extended_until=later + 2 * day, **extension)
    account, _ = lo_account_issue(actor=kpu, pair=pair)
    assert account.user.expires_at == later + 2 * day


def test_issuing_needs_a_registered_team(election, kpu):
    with pytest.raises(ValidationError, match="surat mandat"):
        lo_account_issue(actor=kpu, pair=PairFactory(election=election))


def _upload(pair, user, rows, capture):
    with capture(execute=True):
        return upload_create(actor=user, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(rows)), max_bytes=10**7)


def test_submission_refused_with_exact_shortfall_then_accepted(pair, lo, villages, django_capture_on_commit_callbacks):
    # minimum ceil(50 × 10%) = 5; governor election over 10 kab/kota needs 6
    one_regency = [v for v in villages if v.startswith("52.01.")]
    _upload(pair, lo, rows_for(one_regency, 3), django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError) as refused:
        pair_support_submit(actor=lo, pair=pair)
    message = " ".join(refused.value.messages)
    assert "kurang 2 dari syarat minimal 5" in message
    assert "baru di 1 dari 6" in message and "kurang 5" in message
    regencies = sorted({v[:5] for v in villages})
    spread = [next(v for v in villages if v.startswith(r)) for r in regencies[:6]]
    _upload(pair, lo, rows_for(spread, 6, start=100), django_capture_on_commit_callbacks)
    recap = support_recap(pair=pair)
    assert (recap.total, recap.shortfall, recap.spread_met, recap.spread_shortfall) == (9, 0, 6, 0)
    pair_support_submit(actor=lo, pair=pair)
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.SUBMITTED
    with pytest.raises(ValidationError, match="sudah diserahkan"):
        _upload(pair, lo, rows_for(villages, 1, start=900), django_capture_on_commit_callbacks)


def test_window_closed_locks_uploads_unless_extended(pair, lo, kpu, villages, django_capture_on_commit_callbacks):
    window = StageWindow.objects.get(election=pair.election, stage=Stage.SUPPORT_SUBMISSION)
    window.starts_at = timezone.now() - datetime.timedelta(days=5)
    window.ends_at = timezone.now() - datetime.timedelta(hours=1)
    window.save()
    with pytest.raises(StageClosedError):
        _upload(pair, lo, rows_for(villages, 1), django_capture_on_commit_callbacks)
    with pytest.raises(StageClosedError):
        pair_support_submit(actor=lo, pair=pair)
    StageExtension.objects.create(
        election=pair.election,
        stage=Stage.SUPPORT_SUBMISSION,
        pair=pair,
        extended_until=timezone.now() + datetime.timedelta(days=2),
        reason="gangguan server",
        granted_by=kpu,
    )
    upload = _upload(pair, lo, rows_for(villages, 1), django_capture_on_commit_callbacks)
    assert upload.pk


def test_another_pairs_lo_cannot_upload(pair, lo, kpu, villages, django_capture_on_commit_callbacks):
    other = PairFactory(election=pair.election)
    with pytest.raises(PermissionDenied):
        _upload(other, lo, rows_for(villages, 1), django_capture_on_commit_callbacks)


def test_stale_uploads_are_requeued_and_finish_once(pair, lo, villages, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from support_uploads.models import Supporter, Upload, UploadStatus
    from support_uploads.services import upload_requeue_stale

    with django_capture_on_commit_callbacks(execute=False):  # the message is lost with its worker
        upload = upload_create(
            actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(rows_for(villages, 5))), max_bytes=10**7
        )
    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.RUNNING, created_at=timezone.now() - timedelta(hours=2), started_at=None
    )
    assert upload_requeue_stale(older_than=timedelta(minutes=30)) == [upload.pk]
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and Supporter.objects.filter(upload_id=upload.pk).count() == 5
    assert upload_requeue_stale(older_than=timedelta(minutes=30)) == []


# --- validation that the server could not finish: a retryable failure, and the LO's retry --------------


def _queued(pair, lo, rows, capture):
    with capture(execute=False):  # the message is lost with its worker: the test plays the runs itself
        return upload_create(actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", csv_bytes(rows)), max_bytes=10**7)


def test_an_upload_whose_runs_all_died_fails_retryable_and_the_lo_has_it_checked_again(
    pair, lo, kpu, villages, settings, django_capture_on_commit_callbacks
):
    from support_uploads.models import Supporter, Upload, UploadStatus
    from support_uploads.services import upload_retry, upload_validate

    settings.SUPPORT_UPLOAD_MAX_ATTEMPTS = 2
    rows = rows_for(villages, 4)
    rows[1]["rt"] = "x"
    upload = _queued(pair, lo, rows, django_capture_on_commit_callbacks)
    # two runs started and died (killed workers): each left it RUNNING with one more attempt
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING, attempts=2, progress=65)
    upload_validate(upload_id=upload.pk)  # the third delivery gives up instead of dying again
    upload.refresh_from_db()
    assert (upload.status, upload.error_code, upload.is_retryable) == (UploadStatus.FAILED, "WORKER_LOST", True)
    assert "2 kali" in upload.error_text and "diperiksa ulang" in upload.error_text
    assert not Supporter.objects.filter(upload_id=upload.pk).exists()
    assert AuditEvent.objects.filter(action="support.upload.failed", object_id=str(upload.pk)).count() == 1

    with pytest.raises(PermissionDenied):
        upload_retry(actor=kpu, upload=upload)  # the pair's own LO only
    with django_capture_on_commit_callbacks(execute=True):
        upload_retry(actor=lo, upload=upload)
    upload.refresh_from_db()
    assert (upload.status, upload.attempts, upload.error_code) == (UploadStatus.DONE, 1, "")
    assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (4, 3, 1)
    assert Supporter.objects.filter(upload_id=upload.pk).count() == 4
    event = AuditEvent.objects.get(action="support.upload.retry", object_id=str(upload.pk))
    assert event.actor_id == lo.pk and event.before["error_code"] == "WORKER_LOST"
    with pytest.raises(ValidationError, match="gangguan server"):
        upload_retry(actor=lo, upload=upload)  # DONE: nothing to retry


def test_a_file_refused_for_what_it_contains_is_not_retried(pair, lo, villages, django_capture_on_commit_callbacks):
    from support_uploads.models import UploadStatus
    from support_uploads.services import upload_retry

    content = csv_bytes(rows_for(villages, 2)).replace(b"NIK", b"N1K", 1)
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile("d.csv", content), max_bytes=10**7)
    upload.refresh_from_db()
    assert (upload.status, upload.error_code, upload.is_retryable) == (UploadStatus.FAILED, "HEADER", False)
    with pytest.raises(ValidationError, match="diperbaiki lalu diunggah lagi"):
        upload_retry(actor=lo, upload=upload)
    assert not AuditEvent.objects.filter(action="support.upload.retry").exists()


def test_database_errors_past_the_task_retries_end_failed_and_retryable(
    pair, lo, villages, monkeypatch, django_capture_on_commit_callbacks
):
    from django.db import OperationalError

    from support_uploads import tasks
    from support_uploads.models import Upload, UploadStatus

    upload = _queued(pair, lo, rows_for(villages, 2), django_capture_on_commit_callbacks)
    calls = []

    def database_gone(*, upload_id):
        calls.append(upload_id)
        Upload.objects.filter(pk=upload_id).update(status=UploadStatus.RUNNING, attempts=len(calls))
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(tasks, "upload_validate", database_gone)
    # the last retry autoretry_for allows (eager retries would propagate the Retry: run that one directly)
    retries = tasks.upload_validate_task.max_retries
    result = tasks.upload_validate_task.apply(args=[upload.pk], retries=retries, throw=False)
    assert result.failed() and isinstance(result.result, OperationalError)
    assert calls == [upload.pk]
    upload.refresh_from_db()
    assert (upload.status, upload.error_code, upload.is_retryable) == (UploadStatus.FAILED, "SERVER_ERROR", True)
    assert "basis data" in upload.error_text
