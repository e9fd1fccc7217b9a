"""The voter list (DPT): the import (keyed hashes only, versions, invalid rows counted, progress, audit) and
the match of each upload against the active version (NOT_IN_DPT per regulation severity, DPT_OTHER_VILLAGE,
nothing without an active version), through the pipeline with the eager worker."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from silon.audit import actions
from silon.audit.models import AuditEvent
from support_uploads import dpt
from support_uploads.models import DptEntry, DptStatus, DptVersion, ReasonCode, ReasonSeverity, Supporter
from support_uploads.services import dpt_import_create
from tests.accounts.factories import operator

from .conftest import row_statuses, rows_for, upload_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def dpt_csv(entries: list[tuple[str, str]], *, extra: bool = True) -> bytes:
    """A DPT export: NIK, village code, and the other columns such a list carries (never stored)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["NKK", "NIK", "NAMA", "TPS", "KODE_DESA"] if extra else ["NIK", "KODE_DESA"])
    for nik, village in entries:
        writer.writerow(["5201010101010001", nik, "Nama Pemilih", "001", village] if extra else [nik, village])
    return out.getvalue().encode()


def import_dpt(election, user, entries, capture, name="dpt.csv") -> DptVersion:
    with capture(execute=True):
        version = dpt_import_create(actor=user, election=election, file=SimpleUploadedFile(name, dpt_csv(entries)))
    version.refresh_from_db()
    return version


def test_import_keeps_hashes_and_villages_only_counts_invalid_rows_and_audits(election, kpu, villages, capture):
    rows = rows_for(villages, 4)
    entries = [(r["nik"], r["village_code"]) for r in rows]
    # a short NIK, a village outside the election's region (51 = Bali), an unknown village, a 10-digit code
    entries += [("12345", villages[0]), (rows[0]["nik"][:-1] + "9", "51.01.01.2001"), (rows[1]["nik"], "99.99")]
    entries.append((rows[2]["nik"], rows[2]["village_code"].replace(".", "")))
    version = import_dpt(election, kpu, entries, capture)

    assert version.status == DptStatus.ACTIVE and version.progress == 100
    assert (version.rows_read, version.rows_loaded) == (8, 5)
    assert (version.rows_invalid_nik, version.rows_unknown_village) == (1, 2)
    assert len(version.sha256) == 64 and not version.file  # the raw file is gone once read
    stored = list(DptEntry.objects.filter(version=version).values_list("nik_hash", "village_code"))
    assert sorted(stored) == sorted(
        [(dpt.nik_hash(r["nik"]), r["village_code"]) for r in rows]
        + [(dpt.nik_hash(rows[2]["nik"]), rows[2]["village_code"])]
    )
    dumped = " ".join(" ".join(map(str, row)) for row in DptEntry.objects.values_list())
    assert not any(r["nik"] in dumped for r in rows) and "Nama Pemilih" not in dumped
    events = AuditEvent.objects.filter(object_id=str(version.pk)).values_list("action", flat=True)
    assert set(events) == {actions.SUPPORT_DPT_IMPORT, actions.SUPPORT_DPT_LOADED}


def test_a_new_import_is_a_new_version_and_supersedes_the_active_one(election, kpu, villages, capture):
    rows = rows_for(villages, 3)
    first = import_dpt(election, kpu, [(r["nik"], r["village_code"]) for r in rows], capture)
    second = import_dpt(election, kpu, [(r["nik"], r["village_code"]) for r in rows[:1]], capture)
    first.refresh_from_db()
    assert (first.number, second.number) == (1, 2)
    assert (first.status, second.status) == (DptStatus.SUPERSEDED, DptStatus.ACTIVE)
    assert first.rows_loaded == 3 and not DptEntry.objects.filter(version=first).exists()
    assert DptEntry.objects.filter(version=second).count() == 1


def test_import_refuses_a_file_without_the_columns_and_other_regions_operators(election, kpu, capture):
    with pytest.raises(ValidationError):
        dpt_import_create(actor=kpu, election=election, file=SimpleUploadedFile("x.csv", b"NAMA,TPS\nA,1\n"))
    with pytest.raises(PermissionDenied):
        dpt_import_create(actor=operator("51"), election=election, file=SimpleUploadedFile("d.csv", dpt_csv([])))
    assert not DptVersion.objects.exists()


def test_no_active_dpt_gives_no_dpt_reason_and_says_so(election, pair, lo, villages, capture):
    upload = upload_csv(pair, lo, rows_for(villages, 3), "a.csv", capture)
    assert upload.dpt_version_id is None
    assert all("DPT" not in reasons for _status, reasons in row_statuses(upload))
    assert upload.rows_accepted == 3


def test_supporters_are_matched_not_in_dpt_rejected_other_village_flagged(election, pair, lo, kpu, villages, capture):
    rows = rows_for(villages, 3)
    other = next(v for v in villages if v != rows[1]["village_code"])
    version = import_dpt(election, kpu, [(rows[0]["nik"], rows[0]["village_code"]), (rows[1]["nik"], other)], capture)
    upload = upload_csv(pair, lo, rows, "a.csv", capture)
    assert upload.dpt_version_id == version.pk
    assert row_statuses(upload) == [("accepted", ""), ("flagged", "DPT_OTHER_VILLAGE"), ("rejected", "NOT_IN_DPT")]
    assert upload.reason_counts == {"DPT_OTHER_VILLAGE": 1, "NOT_IN_DPT": 1}
    assert (upload.rows_accepted, upload.rows_flagged, upload.rows_rejected) == (1, 1, 1)


def test_not_in_dpt_severity_is_the_regulation_versions(election, pair, lo, kpu, villages, capture):
    ReasonSeverity.objects.create(
        regulation=election.regulation, reason=ReasonCode.objects.get(code="NOT_IN_DPT"), severity="review"
    )
    rows = rows_for(villages, 2)
    import_dpt(election, kpu, [(rows[0]["nik"], rows[0]["village_code"])], capture)
    upload = upload_csv(pair, lo, rows, "a.csv", capture)
    assert row_statuses(upload) == [("accepted", ""), ("review", "NOT_IN_DPT")]
    assert Supporter.objects.filter(upload_id=upload.pk, status="review").count() == 1


def test_a_row_with_a_malformed_nik_is_not_probed(election, pair, lo, kpu, villages, capture):
    rows = rows_for(villages, 2)
    rows[1]["nik"] = "12345"
    import_dpt(election, kpu, [(rows[0]["nik"], rows[0]["village_code"])], capture)
    upload = upload_csv(pair, lo, rows, "a.csv", capture)
    reasons = [r for _s, r in row_statuses(upload)]
    assert reasons[0] == "" and "NOT_IN_DPT" not in reasons[1] and "NIK_FORMAT" in reasons[1]


def test_the_frame_hash_is_the_single_hash():
    import polars as pl

    niks = pl.Series("nik", ["5201014101900001", None])
    assert dpt.nik_hashes(niks).to_list() == [dpt.nik_hash("5201014101900001"), None]


def test_the_page_imports_and_the_progress_reaches_100(client, election, kpu, villages, capture):
    from django.urls import reverse

    rows = rows_for(villages, 2)
    client.force_login(kpu)
    page = reverse("support_uploads:dpt", args=[election.pk])
    assert "Belum ada DPT" in client.get(reverse("support_uploads:dpt_progress", args=[election.pk])).text
    upload = SimpleUploadedFile("dpt.csv", dpt_csv([(r["nik"], r["village_code"]) for r in rows]), "text/csv")
    with capture(execute=True):
        response = client.post(page, {"file": upload})
    assert response.status_code == 302
    progress = client.get(reverse("support_uploads:dpt_progress", args=[election.pk])).text
    assert 'value="100"' in progress and "hx-get" not in progress  # finished: the polling stops
    listing = client.get(page).text
    assert DptVersion.objects.get().sha256[:14] in listing and rows[0]["nik"] not in listing


def test_the_severity_per_regulation_is_set_in_the_admin_and_audited(client, election):
    from django.urls import reverse

    from silon.accounts.models import Role
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory(role=Role.ADMIN, level="", region_code="", is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:support_uploads_reasonseverity_add"),
        {"regulation": election.regulation_id, "reason": "NOT_IN_DPT", "severity": "review"},
    )
    assert response.status_code == 302
    row = ReasonSeverity.objects.get()
    assert (row.reason_id, row.severity) == ("NOT_IN_DPT", "review")
    event = AuditEvent.objects.get(action=actions.SUPPORT_REASON_SEVERITY_SET)
    assert event.after == {"regulation": election.regulation_id, "reason": "NOT_IN_DPT", "severity": "review"}


def test_two_uploads_in_one_transaction_are_both_matched(election, pair, lo, kpu, villages, capture):
    rows = rows_for(villages, 4)
    import_dpt(election, kpu, [(r["nik"], r["village_code"]) for r in rows[:1]], capture)
    first = upload_csv(pair, lo, rows[:2], "a.csv", capture)
    second = upload_csv(pair, lo, rows[2:], "b.csv", capture)
    assert first.reason_counts == {"NOT_IN_DPT": 1} and second.reason_counts == {"NOT_IN_DPT": 2}
