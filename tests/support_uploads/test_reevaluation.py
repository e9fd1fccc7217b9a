"""Withdrawing a file re-checks the duplicates its rows caused: in the pair (identical, potential) and across
pairs (external). Counts, reasons, recap and the error report of the files concerned follow."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from silon.audit.models import AuditEvent
from support_uploads.models import RowStatus, Supporter
from support_uploads.recap import support_recap
from support_uploads.services import lo_account_issue, pair_team_register, upload_withdraw
from tests.candidacy.factories import PairFactory

from .conftest import PDF, row_statuses, rows_for, upload_counts, upload_csv

pytestmark = pytest.mark.django_db


def _report_rows(upload) -> list[tuple]:
    upload.refresh_from_db()
    ws = load_workbook(io.BytesIO(upload.report.open("rb").read()), read_only=True).active
    return [(row[1], row[3]) for row in ws.iter_rows(min_row=2, values_only=True)]


def _recap_matches_rows(upload) -> None:
    upload.refresh_from_db()
    counted = Supporter.objects.filter(upload_id=upload.pk, status__in=[RowStatus.ACCEPTED, RowStatus.FLAGGED])
    expected: dict[str, int] = {}
    for code in counted.values_list("village_code", flat=True):
        expected[code[:8]] = expected.get(code[:8], 0) + 1
    assert upload.recap == dict(sorted(expected.items()))


@pytest.fixture
def other_pair_lo(pair, kpu):
    other = PairFactory(election=pair.election)
    pair_team_register(actor=kpu, pair=other, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="X")
    return other, lo_account_issue(actor=kpu, pair=other, password="Sandi-LO-2026!y")[0].user


def test_identical_duplicates_of_a_withdrawn_file_are_counted_again(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 5)
    first = upload_csv(pair, lo, rows[:3], "a.csv", django_capture_on_commit_callbacks)
    second = upload_csv(pair, lo, [*rows[:3], rows[3]], "b.csv", django_capture_on_commit_callbacks)
    third = upload_csv(pair, lo, [rows[0], rows[4]], "c.csv", django_capture_on_commit_callbacks)
    assert [r for _s, r in row_statuses(second)] == ["DUP_IDENTICAL"] * 3 + [""]
    assert upload_counts(second) == (1, 0, 0, 3, {"DUP_IDENTICAL": 3})
    assert _report_rows(second) == [("2", "DUP_IDENTICAL"), ("3", "DUP_IDENTICAL"), ("4", "DUP_IDENTICAL")]
    assert support_recap(pair=pair).total == 5

    with django_capture_on_commit_callbacks(execute=True):  # the stale reports are written again on commit
        upload_withdraw(actor=lo, upload=first)

    # the earliest remaining row of each NIK is counted again; the later identical one stays dropped
    assert row_statuses(second) == [("accepted", "")] * 4
    assert row_statuses(third) == [("rejected", "DUP_IDENTICAL"), ("accepted", "")]
    assert upload_counts(second) == (4, 0, 0, 0, {})
    assert upload_counts(third) == (1, 0, 0, 1, {"DUP_IDENTICAL": 1})
    _recap_matches_rows(second)
    assert support_recap(pair=pair).total == 5  # rows 0-4, once each
    assert _report_rows(second) == []  # the report no longer lists the rows counted again
    assert second.progress == 100
    event = AuditEvent.objects.get(action="support.upload.reevaluate", object_id=str(second.pk))
    assert event.actor == lo
    assert event.before["rows_rejected"] == 3 and event.after["rows_rejected"] == 0
    assert event.after["withdrawn_upload"] == first.pk and event.after["rows_changed"] == 3
    assert not AuditEvent.objects.filter(action="support.upload.reevaluate", object_id=str(third.pk)).exists()


def test_potential_duplicates_are_checked_again_against_the_row_now_counted(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 2)
    first = upload_csv(pair, lo, [rows[0], rows[1]], "a.csv", django_capture_on_commit_callbacks)
    renamed = {**rows[0], "name": "Nama Lain"}
    second = upload_csv(pair, lo, [renamed], "b.csv", django_capture_on_commit_callbacks)
    third = upload_csv(pair, lo, [rows[0]], "c.csv", django_capture_on_commit_callbacks)
    assert row_statuses(second) == [("review", "DUP_POTENTIAL")]
    # the first file's row of that NIK is held with it; the third file's row is identical to that held row
    assert row_statuses(first) == [("review", "DUP_POTENTIAL"), ("accepted", "")]
    assert row_statuses(third) == [("rejected", "DUP_IDENTICAL")]
    assert support_recap(pair=pair).total == 1

    upload_withdraw(actor=lo, upload=first)

    # the third file's row is now the first of its data, and still differs from the renamed one: both are
    # held for an operator, neither counted
    assert row_statuses(second) == [("review", "DUP_POTENTIAL")]
    assert row_statuses(third) == [("review", "DUP_POTENTIAL")]
    assert upload_counts(second) == (0, 0, 1, 0, {"DUP_POTENTIAL": 1})
    assert upload_counts(third) == (0, 0, 1, 0, {"DUP_POTENTIAL": 1})
    _recap_matches_rows(second)
    _recap_matches_rows(third)
    assert support_recap(pair=pair).total == 0
    # only the third file's row changed
    assert AuditEvent.objects.filter(action="support.upload.reevaluate").count() == 1


def test_external_flags_go_when_no_counted_row_of_the_nik_remains(
    pair, lo, villages, other_pair_lo, django_capture_on_commit_callbacks
):
    other, other_lo = other_pair_lo
    rows = rows_for(villages, 3)
    first = upload_csv(pair, lo, [rows[0], rows[1]], "a.csv", django_capture_on_commit_callbacks)
    second = upload_csv(pair, lo, [rows[1]], "b.csv", django_capture_on_commit_callbacks)  # row 1 again: identical
    theirs = upload_csv(other, other_lo, [rows[0], rows[1], rows[2]], "c.csv", django_capture_on_commit_callbacks)
    assert row_statuses(theirs) == [("flagged", "DUP_EXTERNAL")] * 2 + [("accepted", "")]
    assert row_statuses(first) == [("flagged", "DUP_EXTERNAL")] * 2

    upload_withdraw(actor=lo, upload=first)

    # row 0: no row of this pair counts it any more, so the other pair's row is no longer a clash
    # row 1: the second file's copy is counted again, and it clashes with the other pair as the first one did
    assert row_statuses(second) == [("flagged", "DUP_EXTERNAL")]
    assert row_statuses(theirs) == [("accepted", ""), ("flagged", "DUP_EXTERNAL"), ("accepted", "")]
    assert upload_counts(theirs) == (2, 1, 0, 0, {"DUP_EXTERNAL": 1})
    assert upload_counts(second) == (0, 1, 0, 0, {"DUP_EXTERNAL": 1})
    _recap_matches_rows(theirs)
    _recap_matches_rows(second)
    assert support_recap(pair=other).total == 3 and support_recap(pair=pair).total == 1
    event = AuditEvent.objects.get(action="support.upload.reevaluate", object_id=str(theirs.pk))
    assert (event.before["rows_flagged"], event.after["rows_flagged"]) == (2, 1)
    # the withdrawn file keeps its rows as they were, for the record
    assert row_statuses(first) == [("flagged", "DUP_EXTERNAL")] * 2


def test_external_flag_stays_while_a_third_pair_still_counts_the_nik(
    pair, lo, kpu, villages, other_pair_lo, django_capture_on_commit_callbacks
):
    other, other_lo = other_pair_lo
    third_pair = PairFactory(election=pair.election)
    pair_team_register(actor=kpu, pair=third_pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="Z")
    third_lo = lo_account_issue(actor=kpu, pair=third_pair, password="Sandi-LO-2026!z")[0].user
    rows = rows_for(villages, 1)
    first = upload_csv(pair, lo, rows, "a.csv", django_capture_on_commit_callbacks)
    theirs = upload_csv(other, other_lo, rows, "b.csv", django_capture_on_commit_callbacks)
    upload_csv(third_pair, third_lo, rows, "c.csv", django_capture_on_commit_callbacks)

    upload_withdraw(actor=lo, upload=first)

    assert row_statuses(theirs) == [("flagged", "DUP_EXTERNAL")]
    assert not AuditEvent.objects.filter(action="support.upload.reevaluate").exists()
