"""The correction batch end to end through the real upload pipeline (docs/domain.md §3.5; UU 10/2016 Pasal 48):
an initial batch verified to BMS, correction files uploaded by the LO within the correction window (rows
repeating the initial batch reported and not counted), submission of at least twice the shortfall, both
rounds over exactly the correction rows, and the pair's final MS or TMS. Then the same through the page and
the API.

The election (tests/support_uploads/conftest.py): NTB governor, DPT 50 → minimum 5, spread 6 of 10 kab/kota.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Stage, StageExtension, SupportStatus
from candidacy.services import StageClosedError
from support_uploads.models import Batch, RowStatus, Supporter, Upload, UploadStatus
from support_uploads.recap import support_recap
from support_uploads.sample_data import sample_row
from support_uploads.services import pair_support_submit, upload_create, upload_withdraw
from tests.accounts.factories import operator
from tests.support_uploads.conftest import csv_bytes
from verification.models import CorrectionSubmission, PairOutcome, RoundKind, Verdict, Visit
from verification.selectors import round_population, round_totals
from verification.selectors_correction import correction_overview
from verification.services import (
    correction_submit,
    factual_visit_record,
    results_mark,
    round_close,
    round_open,
)

from .verification_helpers import close_stage, open_stages

pytestmark = pytest.mark.django_db


@pytest.fixture
def regency_villages(villages) -> list[str]:
    """The first village of each of NTB's 10 kab/kota, in code order."""
    first: dict[str, str] = {}
    for code in villages:
        first.setdefault(code[:5], code)
    return [first[r] for r in sorted(first)]


@pytest.fixture
def ops():
    return operator("52"), operator("52")


def _upload(pair, lo, rows, capture, name="d.csv") -> Upload:
    with capture(execute=True):
        upload = upload_create(
            actor=lo, pair=pair, file=SimpleUploadedFile(name, csv_bytes(rows)), max_bytes=10 * 1024 * 1024
        )
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE, upload.error_message
    return upload


def _reasons(upload) -> list[str]:
    return list(Supporter.objects.filter(upload_id=upload.pk).order_by("row_number").values_list("reasons", flat=True))


def _verify(pair, ops, batch, *, confirmed: set[str]) -> None:
    """Both rounds of ``batch``: administrative all MS by op1 (closed by op2); factual visits by op1, each
    supporter whose NIK is in ``confirmed`` met and confirming, the others died; closed by op2."""
    op1, op2 = ops
    admin = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE, batch=batch)
    ids = list(round_population(admin).values_list("pk", flat=True))
    results_mark(actor=op1, round=admin, verdict=Verdict.MS, supporter_ids=ids)
    round_close(actor=op2, round=admin)
    factual = round_open(actor=op1, pair=pair, kind=RoundKind.FACTUAL, batch=batch)
    for supporter in round_population(factual):
        visit = Visit.CONFIRMS if supporter.nik in confirmed else Visit.DIED
        factual_visit_record(actor=op1, round=factual, supporter=supporter, visit=visit)
    round_close(actor=op2, round=factual)


def _bms_pair(pair, lo, ops, regency_villages, capture):
    """Initial batch: 7 supporters in 7 kab/kota, submitted; 3 confirm, 4 died → MS 3 of 5 (shortfall 2,
    spread 3 of 6): BMS, a correction of at least 4 new supporters."""
    initial = [sample_row(i, regency_villages[i]) for i in range(7)]
    upload = _upload(pair, lo, initial, capture, "awal.csv")
    pair_support_submit(actor=lo, pair=pair)
    open_stages(pair.election)
    _verify(pair, ops, Batch.INITIAL, confirmed={r["nik"] for r in initial[:3]})
    pair.refresh_from_db()
    assert pair.support_status == SupportStatus.BMS
    outcome = PairOutcome.objects.get(pair=pair, batch=Batch.INITIAL)
    assert (outcome.ms_total, outcome.shortfall, outcome.spread_met) == (3, 2, 3)
    return initial, upload


@pytest.mark.parametrize("ends", [SupportStatus.MS, SupportStatus.TMS])
def test_correction_arithmetic_end_to_end(ends, pair, lo, ops, regency_villages, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    initial, initial_upload = _bms_pair(pair, lo, ops, regency_villages, capture)
    overview = correction_overview(pair=pair)
    assert (overview.shortfall, overview.required, overview.collected, overview.is_open) == (2, 4, 0, True)

    # the correction file: an initial supporter found MS and one found TMS again (not counted), a bad row, and
    # four new supporters in kab/kota 4-7 (where the initial supporters died)
    new = [sample_row(100 + i, regency_villages[3 + i]) for i in range(4)]
    bad = {**sample_row(200, regency_villages[8]), "rt": "x"}
    rows = [initial[0], initial[5], bad, *new]
    correction = _upload(pair, lo, rows, capture, "perbaikan.csv")
    assert correction.batch == Batch.CORRECTION_1
    assert _reasons(correction) == ["DUP_EARLIER_BATCH", "DUP_EARLIER_BATCH", "RT_INVALID", "", "", "", ""]
    assert (correction.rows_accepted, correction.rows_rejected) == (4, 3)
    assert correction.reason_counts == {"DUP_EARLIER_BATCH": 2, "RT_INVALID": 1}
    # the initial count is not mixed with the correction batch
    assert support_recap(pair=pair).total == 7
    assert support_recap(pair=pair, batch=Batch.CORRECTION_1).total == 4
    overview = correction_overview(pair=pair)
    assert (overview.collected, overview.repeated, overview.remaining) == (4, 2, 0)

    # a second correction file repeating a new supporter: an ordinary identical duplicate within the batch;
    # it is withdrawn again (correction files may be withdrawn until the batch is submitted)
    second = _upload(pair, lo, [new[0]], capture, "perbaikan-2.csv")
    assert _reasons(second) == ["DUP_IDENTICAL"]
    upload_withdraw(actor=lo, upload=second)
    # initial files are locked for good
    with pytest.raises(ValidationError, match="dukungan awal"):
        upload_withdraw(actor=lo, upload=initial_upload)

    submission = correction_submit(actor=lo, pair=pair)
    assert (submission.shortfall, submission.required, submission.submitted, submission.repeated) == (2, 4, 4, 2)
    assert list(submission.uploads.values_list("pk", flat=True)) == [correction.pk]
    with pytest.raises(ValidationError, match="sudah diserahkan"):
        _upload(pair, lo, [sample_row(300, regency_villages[9])], capture)
    with pytest.raises(ValidationError, match="sudah diserahkan"):
        upload_withdraw(actor=lo, upload=correction)

    # both rounds of the correction batch cover exactly its four counted rows
    counted = set(
        Supporter.objects.filter(upload_id=correction.pk, status=RowStatus.ACCEPTED).values_list("pk", flat=True)
    )
    assert len(counted) == 4
    confirmed = {r["nik"] for r in new} if ends == SupportStatus.MS else {new[0]["nik"]}
    _verify(pair, ops, Batch.CORRECTION_1, confirmed=confirmed)
    rounds = pair.verification_rounds.filter(batch=Batch.CORRECTION_1)
    for round in rounds:
        assert set(round.results.values_list("supporter_id", flat=True)) == counted
        assert round_totals(round).population == 4
    pair.refresh_from_db()
    final = PairOutcome.objects.get(pair=pair, batch=Batch.CORRECTION_1)
    assert pair.support_status == ends
    if ends == SupportStatus.MS:
        # MS 3 + 4 = 7 of 5, spread on MS rows only: 3 + 4 kab/kota = 7 of 6
        assert (final.ms_total, final.shortfall, final.spread_met) == (7, 0, 7)
    else:
        # MS 3 + 1 = 4 of 5: short again → TMS, the pair cannot register
        assert (final.ms_total, final.shortfall, final.spread_met) == (4, 1, 4)
    assert list(pair.support_outcomes.values_list("batch", "status")) == [
        (Batch.INITIAL, SupportStatus.BMS),
        (Batch.CORRECTION_1, ends),
    ]


def test_correction_submit_refuses_less_than_twice_the_shortfall(
    pair, lo, ops, regency_villages, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    initial, _initial_upload = _bms_pair(pair, lo, ops, regency_villages, capture)
    three = [sample_row(100 + i, regency_villages[3 + i]) for i in range(3)]
    _upload(pair, lo, [*three, initial[1]], capture)
    with pytest.raises(ValidationError) as refused:
        correction_submit(actor=lo, pair=pair)
    message = " ".join(refused.value.messages)
    assert "3 kurang dari syarat 4" in message and "1 pendukung sudah pernah diserahkan" in message
    assert not CorrectionSubmission.objects.exists()
    _upload(pair, lo, [sample_row(104, regency_villages[7])], capture)
    assert correction_submit(actor=lo, pair=pair).submitted == 4


def test_correction_window_locks_uploads_unless_extended(
    pair, lo, ops, kpu, regency_villages, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _bms_pair(pair, lo, ops, regency_villages, capture)
    close_stage(pair.election, Stage.CORRECTION_SUBMISSION)
    row = sample_row(100, regency_villages[4])
    with pytest.raises(StageClosedError):
        _upload(pair, lo, [row], capture)
    assert not Upload.objects.filter(batch=Batch.CORRECTION_1).exists()
    assert correction_overview(pair=pair).is_open is False
    StageExtension.objects.create(
        election=pair.election,
        stage=Stage.CORRECTION_SUBMISSION,
        pair=pair,
        extended_until=timezone.now() + datetime.timedelta(days=2),
        reason="gangguan server",
        granted_by=kpu,
    )
    upload = _upload(pair, lo, [row], capture)
    assert upload.batch == Batch.CORRECTION_1
    overview = correction_overview(pair=pair)
    assert overview.is_open and overview.extended


def test_a_pair_not_bms_cannot_upload_a_correction(pair, lo, regency_villages, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _upload(pair, lo, [sample_row(i, regency_villages[i]) for i in range(6)], capture)
    pair_support_submit(actor=lo, pair=pair)
    open_stages(pair.election)
    with pytest.raises(ValidationError, match="sudah diserahkan"):
        _upload(pair, lo, [sample_row(50, regency_villages[0])], capture)
    assert correction_overview(pair=pair) is None


# --- the same through the LO's page and the API ----------------------------------------------------------


def test_lo_page_shows_the_correction_and_takes_its_files(
    client, pair, lo, ops, regency_villages, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    initial, _initial_upload = _bms_pair(pair, lo, ops, regency_villages, capture)
    client.force_login(lo)
    url = reverse("support_uploads:pair", args=[pair.pk])
    page = client.get(url).content.decode()
    assert 'id="correction-shortfall"' in page and "kurang 2 pendukung MS" in page
    assert "paling sedikit <strong>4</strong> pendukung baru" in page
    assert 'id="correction-window"' in page and "dibuka" in page
    assert "Unggah dukungan perbaikan" in page and 'id="upload-button"' in page
    assert "Terkumpul 0 dari 4" in page

    rows = [initial[2], *[sample_row(100 + i, regency_villages[3 + i]) for i in range(4)]]
    with capture(execute=True):
        response = client.post(
            reverse("support_uploads:upload_post", args=[pair.pk]),
            {"file": SimpleUploadedFile("perbaikan.csv", csv_bytes(rows))},
        )
    upload = Upload.objects.get(pair=pair, batch=Batch.CORRECTION_1)
    assert response.url == reverse("support_uploads:upload", args=[upload.pk])
    detail = client.get(response.url).content.decode()
    assert "Dukungan perbaikan" in detail and "sudah diserahkan pada dukungan awal" in detail
    page = client.get(url).content.decode()
    assert "Terkumpul 4 dari 4" in page and "1 baris mengulang" in page
    assert f'action="{reverse("support_uploads:upload_withdraw", args=[upload.pk])}"' in page

    response = client.post(reverse("verification:correction", args=[pair.pk]), {"semua": "1"})
    assert response.url == url
    submission = CorrectionSubmission.objects.get(pair=pair)
    assert (submission.submitted, submission.required, submission.repeated) == (4, 4, 1)
    page = client.get(url).content.decode()
    assert 'id="correction-submitted"' in page and 'id="upload-button"' not in page
    assert 'id="submit-correction"' not in page


def test_lo_page_after_the_correction_window(
    client, pair, lo, ops, regency_villages, django_capture_on_commit_callbacks
):
    _bms_pair(pair, lo, ops, regency_villages, django_capture_on_commit_callbacks)
    close_stage(pair.election, Stage.CORRECTION_SUBMISSION)
    client.force_login(lo)
    page = client.get(reverse("support_uploads:pair", args=[pair.pk])).content.decode()
    assert 'id="upload-locked"' in page and 'id="upload-button"' not in page and "ditutup" in page
    response = client.post(
        reverse("support_uploads_api:uploads", args=[pair.pk]),
        {"file": SimpleUploadedFile("p.csv", csv_bytes([sample_row(100, regency_villages[4])]))},
    )
    assert response.status_code == 400 and "ditutup" in response.json()["detail"]


def test_api_correction_upload_status_and_submit(
    client, pair, lo, ops, regency_villages, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    initial, _initial_upload = _bms_pair(pair, lo, ops, regency_villages, capture)
    client.force_login(lo)
    status_url = reverse("verification_api:correction", args=[pair.pk])
    before = client.get(status_url).json()
    assert before["support_status"] == "bms"
    assert {k: before["correction"][k] for k in ("shortfall", "required", "collected", "is_open")} == {
        "shortfall": 2,
        "required": 4,
        "collected": 0,
        "is_open": True,
    }
    rows = [initial[0], *[sample_row(100 + i, regency_villages[3 + i]) for i in range(3)]]
    with capture(execute=True):
        response = client.post(
            reverse("support_uploads_api:uploads", args=[pair.pk]),
            {"file": SimpleUploadedFile("p.csv", csv_bytes(rows))},
        )
    assert response.status_code == 202 and response.json()["batch"] == "correction_1"
    upload_id = response.json()["id"]
    rows_json = client.get(reverse("support_uploads_api:upload_rows", args=[upload_id])).json()
    assert [r["reasons"] for r in rows_json["results"]] == [["DUP_EARLIER_BATCH"]]
    refused = client.post(status_url, {}, content_type="application/json")
    assert refused.status_code == 400 and "3 kurang dari syarat 4" in refused.json()["detail"]
    with capture(execute=True):
        client.post(
            reverse("support_uploads_api:uploads", args=[pair.pk]),
            {"file": SimpleUploadedFile("q.csv", csv_bytes([sample_row(110, regency_villages[7])]))},
        )
    done = client.post(status_url, {}, content_type="application/json")
    assert done.status_code == 201, done.content
    body = done.json()["correction"]
    assert body["submission"]["submitted"] == 4 and body["submission"]["repeated"] == 1
    assert len(body["submission"]["uploads"]) == 2
    again = client.post(status_url, {}, content_type="application/json")
    assert again.status_code == 400 and "sudah diserahkan" in again.json()["detail"]


def test_a_bms_pair_that_lets_the_correction_window_pass_becomes_tms(election, ops):
    from silon.audit.models import AuditEvent
    from verification.services import correction_missed_expire
    from verification.tasks import correction_missed_expire_task

    from .verification_helpers import make_pair

    open_stages(election)
    late = make_pair(election, status=SupportStatus.BMS)
    extended = make_pair(election, status=SupportStatus.BMS)
    submitted = make_pair(election, status=SupportStatus.BMS)
    CorrectionSubmission.objects.create(
        pair=submitted, shortfall=1, required=2, submitted=2, repeated=0, submitted_by=ops[0]
    )
    assert correction_missed_expire() == 0  # the window is still open for everyone

    close_stage(election, Stage.CORRECTION_SUBMISSION)
    StageExtension.objects.create(
        election=election,
        stage=Stage.CORRECTION_SUBMISSION,
        pair=extended,
        extended_until=timezone.now() + datetime.timedelta(hours=24),
        reason="Gangguan sistem",
        granted_by=ops[0],
    )
    assert correction_missed_expire_task.apply().get() == 1
    for pair, status in ((late, SupportStatus.TMS), (extended, SupportStatus.BMS), (submitted, SupportStatus.BMS)):
        pair.refresh_from_db()
        assert pair.support_status == status, pair
    event = AuditEvent.objects.filter(action="pair.support_status", object_id=str(late.pk)).latest("id")
    assert event.after["support_status"] == SupportStatus.TMS
    assert event.after["reason"] == "correction_not_submitted"
    assert correction_missed_expire() == 0  # safe to run twice
