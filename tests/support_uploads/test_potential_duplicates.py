"""Potential duplicates (docs/domain.md §4: same NIK, different data): every such row of the pair is held and
none counts until a KPU operator of the jurisdiction chooses one or rejects them all. The decision and the
earlier row a team's later correction replaces are audited, and the LO sees the held rows and the choice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from silon.audit import actions
from silon.audit.models import AuditEvent
from support_uploads.models import DuplicateDecision, Supporter
from support_uploads.recap import support_recap
from support_uploads.services import lo_account_issue, pair_team_register, upload_withdraw
from support_uploads.services.decisions import potential_duplicate_decide
from tests.accounts.factories import operator
from tests.candidacy.factories import PairFactory

from .conftest import PDF, row_statuses, rows_for, upload_counts, upload_csv

pytestmark = pytest.mark.django_db


def _row(upload, number: int) -> Supporter:
    return Supporter.objects.get(upload_id=upload.pk, row_number=number)


@pytest.fixture
def held(pair, lo, villages, django_capture_on_commit_callbacks):
    """File a: rows 0-2; file b (a team's later correction): row 0 under another name, and row 3."""
    rows = rows_for(villages, 4)
    first = upload_csv(pair, lo, rows[:3], "a.csv", django_capture_on_commit_callbacks)
    second = upload_csv(
        pair, lo, [{**rows[0], "name": "Nama Perbaikan"}, rows[3]], "b.csv", django_capture_on_commit_callbacks
    )
    return first, second, rows


def test_every_row_of_the_nik_is_held_and_none_counted(held, pair):
    first, second, _rows_sent = held
    assert row_statuses(first) == [("review", "DUP_POTENTIAL"), ("accepted", ""), ("accepted", "")]
    assert row_statuses(second) == [("review", "DUP_POTENTIAL"), ("accepted", "")]
    assert upload_counts(first) == (2, 0, 1, 0, {"DUP_POTENTIAL": 1})
    assert upload_counts(second) == (1, 0, 1, 0, {"DUP_POTENTIAL": 1})
    assert sum(first.recap.values()) == 2 and sum(second.recap.values()) == 1
    assert support_recap(pair=pair).total == 3  # rows 1, 2, 3: the held NIK not at all


def test_rows_of_one_file_with_one_nik_and_different_data_are_all_held(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 2)
    upload = upload_csv(
        pair,
        lo,
        [rows[0], {**rows[0], "name": "Orang Lain"}, dict(rows[0]), rows[1]],
        "a.csv",
        django_capture_on_commit_callbacks,
    )
    # the third row repeats the first exactly: dropped as identical, the two differing ones held
    assert row_statuses(upload) == [
        ("review", "DUP_POTENTIAL"),
        ("review", "DUP_POTENTIAL"),
        ("rejected", "DUP_IDENTICAL"),
        ("accepted", ""),
    ]
    assert upload_counts(upload) == (1, 0, 2, 1, {"DUP_IDENTICAL": 1, "DUP_POTENTIAL": 2})


def test_a_new_row_identical_to_a_held_one_is_dropped_not_counted(held, pair, lo, django_capture_on_commit_callbacks):
    _first, _second, rows = held
    third = upload_csv(pair, lo, [rows[0]], "c.csv", django_capture_on_commit_callbacks)
    assert row_statuses(third) == [("rejected", "DUP_IDENTICAL")]
    assert support_recap(pair=pair).total == 3


def test_choosing_the_later_row_counts_it_and_rejects_the_row_it_replaces(
    held, pair, kpu, django_capture_on_commit_callbacks
):
    first, second, _rows_sent = held
    earlier, later = _row(first, 2), _row(second, 2)
    with django_capture_on_commit_callbacks(execute=True):  # the reports are written again on commit
        decision = potential_duplicate_decide(
            actor=kpu, pair=pair, supporter_id=later.pk, keep=True, note="Sesuai KTP-el"
        )
    assert row_statuses(first) == [("rejected", "DUP_NOT_CHOSEN"), ("accepted", ""), ("accepted", "")]
    assert row_statuses(second) == [("accepted", ""), ("accepted", "")]
    assert upload_counts(first) == (2, 0, 0, 1, {"DUP_NOT_CHOSEN": 1})
    assert upload_counts(second) == (2, 0, 0, 0, {})
    assert sum(second.recap.values()) == 2
    assert support_recap(pair=pair).total == 4
    assert second.report and second.progress == 100  # written again: no held row left in it
    assert (decision.chosen_id, sorted(decision.rows)) == (later.pk, sorted([earlier.pk, later.pk]))
    event = AuditEvent.objects.get(action=actions.SUPPORT_DUPLICATE_CHOOSE)
    assert event.actor == kpu and event.object_id == str(decision.pk)
    assert event.after["chosen"] == later.pk
    assert event.after["rows"] == {str(earlier.pk): "rejected", str(later.pk): "accepted"}
    replaced = AuditEvent.objects.get(action=actions.SUPPORT_SUPPORTER_REPLACE)
    assert replaced.object_id == str(earlier.pk)
    assert replaced.after == {"replaced_by": later.pk, "upload": first.pk, "by_upload": second.pk}
    assert not AuditEvent.objects.filter(action=actions.SUPPORT_DUPLICATE_REJECT).exists()
    # decided: no longer held, nothing left to decide
    with pytest.raises(ValidationError):
        potential_duplicate_decide(actor=kpu, pair=pair, supporter_id=later.pk, keep=True, note="Lagi")


def test_choosing_the_earlier_row_replaces_nothing(held, pair, kpu):
    first, second, _rows_sent = held
    potential_duplicate_decide(actor=kpu, pair=pair, supporter_id=_row(first, 2).pk, keep=True, note="Data awal")
    assert row_statuses(first)[0] == ("accepted", "") and row_statuses(second)[0] == ("rejected", "DUP_NOT_CHOSEN")
    assert support_recap(pair=pair).total == 4
    assert not AuditEvent.objects.filter(action=actions.SUPPORT_SUPPORTER_REPLACE).exists()


def test_rejecting_all_counts_none(held, pair, kpu):
    first, second, _rows_sent = held
    decision = potential_duplicate_decide(
        actor=kpu, pair=pair, supporter_id=_row(first, 2).pk, keep=False, note="Bukan orang yang sama"
    )
    assert row_statuses(first)[0] == ("rejected", "DUP_NOT_CHOSEN") and row_statuses(second)[0] == (
        "rejected",
        "DUP_NOT_CHOSEN",
    )
    assert upload_counts(first) == (2, 0, 0, 1, {"DUP_NOT_CHOSEN": 1})
    assert upload_counts(second) == (1, 0, 0, 1, {"DUP_NOT_CHOSEN": 1})
    assert support_recap(pair=pair).total == 3
    assert decision.chosen_id is None
    event = AuditEvent.objects.get(action=actions.SUPPORT_DUPLICATE_REJECT)
    assert event.after["chosen"] is None and set(event.after["rows"].values()) == {"rejected"}
    assert not AuditEvent.objects.filter(action=actions.SUPPORT_SUPPORTER_REPLACE).exists()


def test_withdrawing_one_file_of_a_held_pair_counts_the_other_again(held, pair, lo):
    first, second, _rows_sent = held
    upload_withdraw(actor=lo, upload=second)
    assert row_statuses(first)[0] == ("accepted", "")
    assert upload_counts(first) == (3, 0, 0, 0, {})
    assert support_recap(pair=pair).total == 3


def test_the_chosen_row_is_flagged_when_another_pair_counts_the_nik(
    held, pair, kpu, villages, django_capture_on_commit_callbacks
):
    first, _second, rows = held
    other = PairFactory(election=pair.election)
    pair_team_register(actor=kpu, pair=other, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="X")
    other_lo = lo_account_issue(actor=kpu, pair=other, password="Sandi-LO-2026!y")[0].user
    theirs = upload_csv(other, other_lo, [rows[0]], "c.csv", django_capture_on_commit_callbacks)
    assert row_statuses(theirs) == [("accepted", "")]  # held rows are not counted: no clash yet
    potential_duplicate_decide(actor=kpu, pair=pair, supporter_id=_row(first, 2).pk, keep=True, note="Data awal")
    assert row_statuses(first)[0] == ("flagged", "DUP_EXTERNAL")
    assert row_statuses(theirs) == [("flagged", "DUP_EXTERNAL")]
    assert upload_counts(first) == (2, 1, 0, 0, {"DUP_EXTERNAL": 1})
    assert upload_counts(theirs) == (0, 1, 0, 0, {"DUP_EXTERNAL": 1})


def test_only_an_operator_in_reach_decides_and_with_a_reason(held, pair, lo):
    first, _second, _rows_sent = held
    row = _row(first, 2)
    with pytest.raises(PermissionDenied):
        potential_duplicate_decide(actor=lo, pair=pair, supporter_id=row.pk, keep=True, note="LO")
    with pytest.raises(PermissionDenied):
        potential_duplicate_decide(actor=operator("51"), pair=pair, supporter_id=row.pk, keep=True, note="Bali")
    with pytest.raises(ValidationError):
        potential_duplicate_decide(actor=operator("52"), pair=pair, supporter_id=row.pk, keep=True, note="  ")
    with pytest.raises(ValidationError):  # a counted row is no potential duplicate
        potential_duplicate_decide(actor=operator("52"), pair=pair, supporter_id=_row(first, 3).pk, keep=True, note="x")
    assert row_statuses(first)[0] == ("review", "DUP_POTENTIAL") and not DuplicateDecision.objects.exists()


def test_lo_sees_the_held_rows_and_then_the_choice(held, pair, lo, kpu, client):
    first, second, _rows_sent = held
    earlier, later = _row(first, 2), _row(second, 2)
    client.force_login(lo)
    page = client.get(reverse("support_uploads:duplicates", args=[pair.pk])).content.decode()
    assert f'id="held-row-{earlier.pk}"' in page and f'id="held-row-{later.pk}"' in page
    assert 'name="action"' not in page  # the LO reads; only the KPU decides
    assert AuditEvent.objects.filter(action=actions.SUPPORT_DUPLICATES_VIEW, actor=lo).count() == 1
    detail = client.get(reverse("support_uploads:upload", args=[first.pk])).content.decode()
    assert 'id="held-note"' in detail
    assert 'id="duplicate-held"' in client.get(reverse("support_uploads:supporter", args=[earlier.pk])).content.decode()
    api = client.get(reverse("support_uploads_api:duplicates", args=[pair.pk])).json()
    assert [[r["id"] for r in g["rows"]] for g in api["held"]] == [[earlier.pk, later.pk]]
    assert api["decided"] == []
    # the LO may not decide, on the page or through the API
    client.post(
        reverse("support_uploads:duplicate_decide", args=[pair.pk]),
        {"supporter": later.pk, "action": "choose", "note": "Kami"},
    )
    refused = client.post(
        reverse("support_uploads_api:duplicates", args=[pair.pk]),
        {"supporter": later.pk, "action": "choose", "note": "Kami"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert row_statuses(second)[0] == ("review", "DUP_POTENTIAL")

    potential_duplicate_decide(actor=kpu, pair=pair, supporter_id=later.pk, keep=True, note="Sesuai KTP-el")
    page = client.get(reverse("support_uploads:duplicates", args=[pair.pk])).content.decode()
    assert 'id="no-held"' in page and f'id="decided-row-{later.pk}"' in page
    decided = page.split(f'id="decided-row-{later.pk}"')[1].split("</tr>")[0]
    assert "<strong>" in decided  # marked chosen
    assert (
        'id="duplicate-decision"'
        in client.get(reverse("support_uploads:supporter", args=[earlier.pk])).content.decode()
    )
    api = client.get(reverse("support_uploads_api:duplicates", args=[pair.pk])).json()
    assert api["held"] == []
    (group,) = api["decided"]
    assert group["decision"]["chosen"] == later.pk
    assert {r["id"]: r["chosen"] for r in group["rows"]} == {earlier.pk: False, later.pk: True}
    assert {r["id"]: r["status"] for r in group["rows"]} == {earlier.pk: "rejected", later.pk: "accepted"}


def test_operator_decides_on_the_page_and_through_the_api(held, pair, kpu, client):
    first, second, _rows_sent = held
    client.force_login(kpu)
    page = client.get(reverse("support_uploads:duplicates", args=[pair.pk])).content.decode()
    assert 'name="action"' in page
    answer = client.post(
        reverse("support_uploads:duplicate_decide", args=[pair.pk]),
        {"group": _row(first, 2).pk, "action": "reject", "note": "Dua orang berbeda"},
    )
    assert answer.status_code == 302
    assert row_statuses(first)[0] == ("rejected", "DUP_NOT_CHOSEN") and row_statuses(second)[0] == (
        "rejected",
        "DUP_NOT_CHOSEN",
    )
    assert DuplicateDecision.objects.get().decided_by == kpu


def test_api_decision_by_the_operator(held, pair, kpu, client):
    _first, second, _rows_sent = held
    client.force_login(kpu)
    answer = client.post(
        reverse("support_uploads_api:duplicates", args=[pair.pk]),
        {"supporter": _row(second, 2).pk, "action": "choose", "note": "Sesuai KTP-el"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["decided"][0]["decision"]["chosen"] == _row(second, 2).pk
    assert row_statuses(second)[0] == ("accepted", "")


def test_an_operator_of_another_area_gets_404(held, pair, client):
    first, _second, _rows_sent = held
    client.force_login(operator("51"))
    for response in (
        client.get(reverse("support_uploads:duplicates", args=[pair.pk])),
        client.post(
            reverse("support_uploads:duplicate_decide", args=[pair.pk]),
            {"supporter": _row(first, 2).pk, "action": "choose", "note": "x"},
        ),
        client.get(reverse("support_uploads_api:duplicates", args=[pair.pk])),
        client.post(
            reverse("support_uploads_api:duplicates", args=[pair.pk]),
            {"supporter": _row(first, 2).pk, "action": "choose", "note": "x"},
            content_type="application/json",
        ),
    ):
        assert response.status_code == 404
    assert row_statuses(first)[0] == ("review", "DUP_POTENTIAL")


def test_holding_a_row_clears_the_other_pairs_external_flag(
    pair, lo, kpu, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 2)
    first = upload_csv(pair, lo, rows, "a.csv", django_capture_on_commit_callbacks)
    other = PairFactory(election=pair.election)
    pair_team_register(actor=kpu, pair=other, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="X")
    other_lo = lo_account_issue(actor=kpu, pair=other, password="Sandi-LO-2026!y")[0].user
    theirs = upload_csv(other, other_lo, [rows[0]], "c.csv", django_capture_on_commit_callbacks)
    assert row_statuses(theirs) == [("flagged", "DUP_EXTERNAL")]
    upload_csv(pair, lo, [{**rows[0], "name": "Nama Lain"}], "b.csv", django_capture_on_commit_callbacks)
    # the pair no longer counts that NIK while it is held: the other pair's row is no longer a clash
    assert row_statuses(first) == [("review", "DUP_POTENTIAL"), ("accepted", "")]
    assert row_statuses(theirs) == [("accepted", "")]
    assert upload_counts(theirs) == (1, 0, 0, 0, {})
    assert upload_counts(first) == (1, 0, 1, 0, {"DUP_POTENTIAL": 1})


def test_withdrawing_the_chosen_rows_file_does_not_let_a_not_chosen_copy_count_again(
    held, pair, lo, kpu, django_capture_on_commit_callbacks
):
    """Issue #16: the operator's decision stands when the team withdraws the file of the row it chose. The
    not-chosen copy stays rejected (the re-check after a withdrawal only looks at rows still held or dropped as
    DUP_IDENTICAL/DUP_POTENTIAL), so withdrawing never overturns a decision; the team sends the supporter again
    if it still wants them counted, and that new row counts once."""
    first, second, rows = held
    potential_duplicate_decide(actor=kpu, pair=pair, supporter_id=_row(first, 2).pk, keep=True, note="Data awal")
    assert support_recap(pair=pair).total == 4
    upload_withdraw(actor=lo, upload=first)
    assert row_statuses(second) == [("rejected", "DUP_NOT_CHOSEN"), ("accepted", "")]
    assert upload_counts(second) == (1, 0, 0, 1, {"DUP_NOT_CHOSEN": 1})
    assert support_recap(pair=pair).total == 1  # row 3 only: rows 0-2 left with the withdrawn file
    again = upload_csv(pair, lo, [rows[0]], "c.csv", django_capture_on_commit_callbacks)
    assert row_statuses(again) == [("accepted", "")]
    assert support_recap(pair=pair).total == 2
