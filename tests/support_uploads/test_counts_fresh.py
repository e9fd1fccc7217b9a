"""Numbers never go stale (issue #16): after each kind of change to a pair's supporters, every surface that
shows a count (the upload summary page and API, the pair recap page and API, the operator's page, the LO's
dashboard panel, the public pair page, the public API and the CSV) says what the supporter rows say.

The changes: another pair's upload flagging rows DUP_EXTERNAL, a re-upload, a file whose rows are all
rejected, a file refused as a whole, a withdrawal, and verification marks (MS/TMS)."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from candidacy.models import CandidatePair, SupportStatus
from portal import cache as portal_cache
from silon.audit.models import AuditEvent
from support_uploads.models import COUNTED_STATUSES, Batch, RowStatus, Supporter, Upload, UploadStatus
from support_uploads.services import (
    lo_account_issue,
    pair_team_register,
    upload_counts_refresh,
    upload_create,
    upload_withdraw,
)
from tests.accounts.factories import operator
from tests.candidacy.factories import PairFactory
from tests.verification.verification_helpers import ensure_verification_seed, open_stages
from verification.models import RoundKind, Verdict, VerificationResult
from verification.selectors import round_population, round_totals
from verification.services import results_mark, round_close, round_open

from .conftest import PDF, csv_bytes, rows_for

# committed for real, so the portal's cache bumps run on commit as in production (tests/portal/test_invalidation.py)
pytestmark = pytest.mark.django_db(transaction=True)

SUMMARY = re.compile(
    r"([\d.,]+) baris dibaca: ([\d.,]+) diterima, ([\d.,]+) ditandai, ([\d.,]+) perlu diperiksa, ([\d.,]+) ditolak"
)


def _n(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


# --- counts straight from the rows -------------------------------------------------------------------


def _current_rows(pair):
    done = Upload.objects.filter(pair=pair, batch=Batch.INITIAL, status=UploadStatus.DONE).values("pk")
    return Supporter.objects.filter(pair_id=pair.pk, upload_id__in=done)


def _expected_pair(pair) -> dict:
    rows = _current_rows(pair)
    return {
        "submitted": rows.exclude(nik="").values("nik").distinct().count(),
        "counted": rows.filter(status__in=COUNTED_STATUSES).count(),
    }


def _expected_upload(upload) -> tuple:
    rows = Supporter.objects.filter(upload_id=upload.pk)
    return (
        rows.count(),
        *(rows.filter(status=s).count() for s in (RowStatus.ACCEPTED, RowStatus.FLAGGED, RowStatus.REVIEW)),
        rows.filter(status=RowStatus.REJECTED).count(),
    )


# --- what each surface shows -------------------------------------------------------------------------


def _upload_surfaces(client, upload) -> dict[str, tuple]:
    page = client.get(reverse("support_uploads:upload", args=[upload.pk])).content.decode()
    api = client.get(reverse("support_uploads_api:upload", args=[upload.pk])).json()
    fields = ("rows_read", "rows_accepted", "rows_flagged", "rows_review", "rows_rejected")
    shown = {"upload API": tuple(api[f] for f in fields)}
    if api["status"] == UploadStatus.DONE:  # a withdrawn file's page says it was withdrawn, not its counts
        shown["upload page"] = tuple(_n(x) for x in SUMMARY.search(page).groups())
    return shown


def _recap_page(client, pair) -> tuple[int, int]:
    page = client.get(reverse("support_uploads:pair", args=[pair.pk])).content.decode()
    counted = re.search(r'id="recap-count">([\d.,]+) dukungan', page).group(1)
    submitted = re.search(r'id="recap-submitted">Diserahkan: ([\d.,]+) NIK', page).group(1)
    return _n(submitted), _n(counted)


def _public(client, pair) -> dict[str, tuple]:
    page = client.get(reverse("portal:pair", args=[pair.pk])).content.decode()
    submitted = re.search(r"<dt>Diserahkan</dt><dd>([\d.,]+)</dd>", page).group(1)
    accepted = re.search(r"<dt>Diterima \(dihitung\)</dt><dd>([\d.,]+)", page).group(1)
    api = client.get(reverse("portal_api:support-list"), {"election": pair.election_id}).json()
    block = next(b for b in api if b["pair_id"] == pair.pk)
    response = client.get(reverse("portal:csv", args=["dukungan"]))
    text = b"".join(response.streaming_content).decode()
    lines = list(csv.DictReader(io.StringIO(text)))
    csv_counted = sum(
        int(r["dukungan_dihitung"]) for r in lines if r["paslon_id"] == str(pair.pk) and r["tingkat"] == "regency"
    )
    return {
        "public page": (_n(submitted), _n(accepted)),
        "public API": (block["submitted"], block["accepted"]),
        "public CSV (counted)": (None, csv_counted),
    }


def _dashboard(client) -> tuple[int, int]:
    page = client.get(reverse("dashboard:home")).content.decode()
    counted = re.search(r"([\d.,]+) pendukung dari syarat minimal", page).group(1)
    submitted = re.search(r'class="pair-submitted">Diserahkan: ([\d.,]+) NIK', page).group(1)
    return _n(submitted), _n(counted)


def _assert_fresh(clients: dict, pair, uploads: list[Upload]) -> None:
    """Every surface against the rows, for the pair and each of its files."""
    lo, kpu, public = clients["lo"], clients["kpu"], clients["public"]
    for upload in uploads:
        expected = _expected_upload(upload)
        for viewer, client in (("LO", lo), ("operator", kpu)):
            for surface, shown in _upload_surfaces(client, upload).items():
                assert shown == expected, f"{viewer} {surface} of {upload.original_name}: {shown} != rows {expected}"
    want = _expected_pair(pair)
    pair_numbers = {
        "LO recap page": _recap_page(lo, pair),
        "operator page": _recap_page(kpu, pair),
        "LO dashboard panel": _dashboard(lo),
        **_public(public, pair),
    }
    api = lo.get(reverse("support_uploads_api:recap", args=[pair.pk])).json()
    pair_numbers["recap API"] = (api["submitted"], api["total"])
    for surface, (submitted, counted) in pair_numbers.items():
        assert counted == want["counted"], f"{surface}: counted {counted} != rows {want['counted']} {pair_numbers}"
        if submitted is not None:
            assert submitted == want["submitted"], f"{surface}: Diserahkan {submitted} != rows {want['submitted']}"


# --- the story -----------------------------------------------------------------------------------------


@pytest.fixture
def other(pair, kpu):
    other = PairFactory(election=pair.election)
    pair_team_register(actor=kpu, pair=other, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="X")
    return other, lo_account_issue(actor=kpu, pair=other, password="Sandi-LO-2026!y")[0].user


@pytest.fixture
def clients(client, lo, kpu):
    from django.test import Client

    lo_client, kpu_client = Client(), Client()
    lo_client.force_login(lo)
    kpu_client.force_login(kpu)
    portal_cache.local_clear()
    return {"lo": lo_client, "kpu": kpu_client, "public": client}


def _send(pair, user, body: bytes, name: str) -> Upload:
    # committed at once: the validation queued on commit runs in-process before this returns
    upload = upload_create(actor=user, pair=pair, file=SimpleUploadedFile(name, body), max_bytes=10 * 1024 * 1024)
    upload.refresh_from_db()
    return upload


def test_every_surface_follows_the_rows(pair, lo, kpu, other, villages, clients):
    other_pair, other_lo = other
    rows = rows_for(villages, 10)
    first = _send(pair, lo, csv_bytes(rows[:5]), "a.csv")
    _assert_fresh(clients, pair, [first])
    assert _expected_pair(pair) == {"submitted": 5, "counted": 5}

    # another pair's file with two of these supporters: both pairs' rows are flagged DUP_EXTERNAL
    theirs = _send(other_pair, other_lo, csv_bytes([rows[0], rows[1], rows[9]]), "theirs.csv")
    first.refresh_from_db()
    assert (first.rows_accepted, first.rows_flagged, first.reason_counts) == (3, 2, {"DUP_EXTERNAL": 2})
    _assert_fresh(clients, pair, [first])
    theirs.refresh_from_db()
    assert (theirs.rows_accepted, theirs.rows_flagged) == (1, 2)
    event = AuditEvent.objects.get(action="support.upload.external_flagged", object_id=str(first.pk))
    assert (event.before["rows_flagged"], event.after["rows_flagged"], event.after["flagged_by_upload"]) == (
        0,
        2,
        theirs.pk,
    )

    # a re-upload: three supporters again (identical, not counted twice) and one new
    again = _send(pair, lo, csv_bytes([*rows[:3], rows[5]]), "again.csv")
    assert _expected_pair(pair) == {"submitted": 6, "counted": 6}
    _assert_fresh(clients, pair, [first, again])

    # a file whose every row is rejected (RT not a number): one NIK already submitted, one new
    bad = [{**rows[0], "rt": "x"}, {**rows[6], "rt": "x"}]
    rejected = _send(pair, lo, csv_bytes(bad), "bad.csv")
    assert rejected.status == UploadStatus.DONE and rejected.rows_rejected == 2
    assert _expected_pair(pair) == {"submitted": 7, "counted": 6}
    _assert_fresh(clients, pair, [first, again, rejected])

    # a file refused as a whole adds nothing
    refused = _send(pair, lo, csv_bytes(rows[7:9], headers=["salah"] * 16), "refused.csv")
    assert refused.status == UploadStatus.FAILED
    assert _expected_pair(pair) == {"submitted": 7, "counted": 6}
    _assert_fresh(clients, pair, [first, again, rejected])

    # the first file withdrawn: its rows leave; the re-upload's copies are counted again (and flagged again
    # against the other pair); the other pair's flags follow
    upload_withdraw(actor=lo, upload=first)
    assert _expected_pair(pair) == {"submitted": 5, "counted": 4}
    _assert_fresh(clients, pair, [first, again, rejected])
    theirs.refresh_from_db()
    assert _expected_upload(theirs) == (
        3,
        theirs.rows_accepted,
        theirs.rows_flagged,
        theirs.rows_review,
        theirs.rows_rejected,
    )
    _verification_marks(pair, kpu, clients, [first, again, rejected])


def _verification_marks(pair, kpu, clients, uploads) -> None:
    """Marks MS/TMS change no supporter row: every count stays; the round's own numbers are its results', and
    the public sees them once the round is closed."""
    ensure_verification_seed()
    CandidatePair.objects.filter(pk=pair.pk).update(support_status=SupportStatus.SUBMITTED)
    pair.refresh_from_db()
    open_stages(pair.election)
    round = round_open(actor=kpu, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    population = list(round_population(round).order_by("pk").values_list("pk", flat=True))
    assert len(population) == _expected_pair(pair)["counted"]
    results_mark(actor=kpu, round=round, verdict=Verdict.MS, supporter_ids=population[:3])
    results_mark(actor=kpu, round=round, verdict=Verdict.TMS, supporter_ids=population[3:], reason_code="TMS_NO_KTP")
    _assert_fresh(clients, pair, uploads)
    results = VerificationResult.objects.filter(round=round)
    totals = round_totals(round)
    assert (totals.ms, totals.tms) == (results.filter(verdict=Verdict.MS).count(), 1)
    page = clients["kpu"].get(reverse("verification:pair", args=[pair.pk])).content.decode()
    shown = re.search(r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>', page)
    assert tuple(int(x) for x in shown.groups()) == (len(population), totals.ms, totals.tms)
    public_api = clients["public"].get(reverse("portal_api:support-list"), {"election": pair.election_id}).json()
    assert next(b for b in public_api if b["pair_id"] == pair.pk)["rounds"] == []  # an open round is not public
    round_close(actor=operator("52"), round=round)
    _assert_fresh(clients, pair, uploads)
    public_api = clients["public"].get(reverse("portal_api:support-list"), {"election": pair.election_id}).json()
    closed = next(b for b in public_api if b["pair_id"] == pair.pk)["rounds"][-1]
    assert (closed["ms"], closed["tms"]) == (
        results.filter(verdict=Verdict.MS).count(),
        results.filter(verdict=Verdict.TMS).count(),
    )


def test_a_later_change_of_rows_refreshes_through_one_function(pair, lo, villages, clients):
    """The path a future objection takes: change stored rows, call ``upload_counts_refresh`` in the same
    transaction; the summary, the recap and the public counts follow, and nothing else is needed."""
    upload = _send(pair, lo, csv_bytes(rows_for(villages, 4)), "a.csv")
    _assert_fresh(clients, pair, [upload])
    version = portal_cache.current_version()
    with transaction.atomic():
        row = Supporter.objects.filter(upload_id=upload.pk).order_by("row_number").first()
        Supporter.objects.filter(pk=row.pk).update(status=RowStatus.REJECTED, reasons="TMS_NO_KTP")
        changed = upload_counts_refresh(upload_ids=[upload.pk])
    assert changed[upload.pk][0]["rows_accepted"] == 4 and changed[upload.pk][1]["rows_accepted"] == 3
    with transaction.atomic():  # the service runs in its caller's transaction (it locks the uploads)
        assert upload_counts_refresh(upload_ids=[upload.pk]) == {}  # already what the rows say
    assert portal_cache.current_version() != version
    upload.refresh_from_db()
    assert (upload.rows_rejected, upload.reason_counts) == (1, {"TMS_NO_KTP": 1})
    assert sum(upload.recap.values()) == 3
    _assert_fresh(clients, pair, [upload])
