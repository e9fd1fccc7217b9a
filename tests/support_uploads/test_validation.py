"""Every kind of bad row, through the real template (xlsx) and CSV: each row's reasons and the summary."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from support_uploads.models import RowStatus, Supporter, Upload, UploadStatus
from support_uploads.services import lo_account_issue, upload_create, upload_validate
from tests import clock
from tests.candidacy.factories import PairFactory

from .conftest import csv_bytes, rows_for, template_xlsx

pytestmark = pytest.mark.django_db


def reborn(row: dict, birth: datetime.date, sex: str | None = None) -> dict:
    """The row with a new date of birth (and sex), its NIK rewritten to stay consistent."""
    sex = sex or row["sex"]
    day = birth.day + 40 if sex == "P" else birth.day
    nik = row["nik"][:6] + f"{day:02d}{birth.month:02d}{birth.year % 100:02d}" + row["nik"][12:]
    return {**row, "nik": nik, "birth_date": birth.strftime("%d-%m-%Y"), "sex": sex}


def bad_rows(villages: list[str], outside_village: str) -> tuple[list[dict], list[str]]:
    """Rows and the exact reasons each must get (in rule order)."""
    polling = clock.polling_day()  # the election fixture's polling day
    base = rows_for(villages, 30)
    r = [dict(row) for row in base]
    expected = [""] * len(r)
    r[2]["nik"] = "12345"
    expected[2] = "NIK_FORMAT"
    r[3]["nik"] = "5201014101900001"  # made numeric by the writer
    expected[3] = "NIK_NUMERIC"
    r[4]["nik"] = "9999" + r[4]["nik"][4:]
    expected[4] = "NIK_REGION"
    r[5]["birth_date"] = "01-01-1960"
    expected[5] = "NIK_BIRTHDATE"
    r[6]["sex"] = "P" if r[6]["sex"] == "L" else "L"
    expected[6] = "NIK_SEX"
    r[7]["name"] = ""
    r[7]["address"] = "   "
    expected[7] = "REQUIRED_EMPTY"
    r[8]["sex"] = "X"
    expected[8] = "SEX_INVALID"
    r[9]["marital"] = "K"
    expected[9] = "MARITAL_INVALID"
    r[10]["birth_date"] = "1990/01/01"
    expected[10] = "DATE_INVALID"
    r[11]["rt"] = "1234"
    r[11]["rw"] = "ab"
    expected[11] = "RT_INVALID,RW_INVALID"
    r[12]["village_code"] = "52.99.99.9999"
    expected[12] = "VILLAGE_UNKNOWN"
    r[13]["village_code"] = outside_village
    expected[13] = "VILLAGE_OUTSIDE"
    r[14] = reborn({**r[14], "marital": "B"}, clock.years_before(polling, 15))  # 15 on polling day, never married
    expected[14] = "UNDER_AGE"
    r[15] = reborn({**r[15], "marital": "S"}, clock.years_before(polling, 15))  # 15 but married: may support
    r[16]["occupation"] = "Pegawai Negeri Sipil (PNS)"
    expected[16] = "OCCUPATION_EXCLUDED"
    r[17]["occupation"] = "pensiunan pns"
    r[18]["occupation"] = "Anggota POLRI"
    expected[18] = "OCCUPATION_EXCLUDED"
    r[19] = dict(r[0])  # ganda identik of row 0 (name differs only in case)
    r[19]["name"] = r[0]["name"].upper()
    expected[19] = "DUP_IDENTICAL"
    r[20] = {**r[1], "name": "Orang Lain"}  # same NIK as row 1, different data: both held, neither counted
    expected[1] = "DUP_POTENTIAL"
    expected[20] = "DUP_POTENTIAL"
    r[21]["kk"] = "123"
    expected[21] = "KK_FORMAT"
    r[22]["phone"] = "abc"
    r[22]["email"] = "x@"
    expected[22] = "PHONE_INVALID,EMAIL_INVALID"
    r[23] = reborn(r[23], clock.years_before(polling, 17), "L")  # 17 exactly on polling day
    r[23]["marital"] = "B"
    r[24]["nik"] = "3.2E+15"
    expected[24] = "NIK_NUMERIC"
    r[25]["village_code"] = r[25]["village_code"].replace(".", "")  # typed without dots: same village
    r[26]["sex"] = "p" if r[26]["sex"] == "P" else "l"  # lower case is accepted
    r[27]["name"] = "+HYPERLINK(1)"  # a formula-looking name is no name: refused, neutralised in the report
    expected[27] = "NAME_INVALID"
    r[28]["kk"] = ""
    return r, expected


def _upload(pair, user, content: bytes, name: str, capture) -> Upload:
    with capture(execute=True):
        upload = upload_create(
            actor=user, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=10 * 1024 * 1024
        )
    upload.refresh_from_db()
    return upload


def _assert_rows(upload, expected):
    got = dict(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "reasons"))
    assert got == {i + 2: reasons for i, reasons in enumerate(expected)}


@pytest.fixture
def outside_village(regions_version):
    from regions.models import Level, Region

    return Region.objects.filter(version=regions_version, level=Level.VILLAGE, code__startswith="51.").first().code


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_every_bad_row_gets_exact_reasons(fmt, pair, lo, villages, outside_village, django_capture_on_commit_callbacks):
    rows, expected = bad_rows(villages, outside_village)
    if fmt == "xlsx":
        content = template_xlsx(pair, rows, numeric={(3, "nik")})
    else:
        rows[3]["nik"] = "5.201014101900001E+15"  # what a spreadsheet writes when it saved the NIK as a number
        content = csv_bytes(rows)
    upload = _upload(pair, lo, content, f"dukungan.{fmt}", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, upload.error_message
    assert upload.kind == fmt
    _assert_rows(upload, expected)
    rejected = sum(1 for e in expected if e and e != "DUP_POTENTIAL")
    assert (upload.rows_read, upload.rows_accepted, upload.rows_review, upload.rows_rejected) == (
        30,
        30 - rejected - 2,
        2,
        rejected,
    )
    counts: dict[str, int] = {}
    for reasons in expected:
        for code in filter(None, reasons.split(",")):
            counts[code] = counts.get(code, 0) + 1
    assert upload.reason_counts == counts
    statuses = dict(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "status"))
    assert statuses[2] == RowStatus.ACCEPTED and statuses[22] == RowStatus.REVIEW and statuses[4] == RowStatus.REJECTED
    assert sum(upload.recap.values()) == upload.rows_accepted + upload.rows_flagged
    # the error report: rejected and held rows only, reasons in Indonesian beside the values, formulas defused
    wb = load_workbook(upload.report.path, read_only=True)
    report = list(wb.active.iter_rows(values_only=True))
    assert report[0][:4] == ("Lembar", "Baris", "Alasan", "Kode alasan")
    assert len(report) - 1 == rejected + 2  # the rejected rows and the two held ones
    by_row = {int(line[1]): line for line in report[1:]}
    assert set(by_row) == {i + 2 for i, e in enumerate(expected) if e}
    assert by_row[4][2] == "NIK harus 16 angka"
    assert by_row[13][3] == "RT_INVALID, RW_INVALID"
    assert by_row[4][4] == "12345"


def test_formula_in_rejected_row_is_neutralised(pair, lo, villages, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 2)
    rows[1]["name"] = "=1+1"
    rows[1]["rt"] = "x"
    upload = _upload(pair, lo, csv_bytes(rows), "d.csv", django_capture_on_commit_callbacks)
    report = list(load_workbook(upload.report.path, read_only=True).active.iter_rows(values_only=True))
    assert report[1][6] == "'=1+1"


def test_rerun_changes_nothing_and_a_stale_running_upload_restarts_cleanly(
    pair, lo, villages, outside_village, django_capture_on_commit_callbacks
):
    rows, _expected = bad_rows(villages, outside_village)
    upload = _upload(pair, lo, csv_bytes(rows), "d.csv", django_capture_on_commit_callbacks)
    before = list(
        Supporter.objects.filter(upload_id=upload.pk)
        .order_by("row_number")
        .values_list("row_number", "status", "reasons")
    )
    upload_validate(upload_id=upload.pk)  # DONE: nothing happens
    assert Supporter.objects.filter(upload_id=upload.pk).count() == 30
    # a worker killed after the rows were committed cannot happen (DONE is in the same transaction); one killed
    # before leaves RUNNING: the rerun starts from the file and replaces whatever it finds
    Upload.objects.filter(pk=upload.pk).update(status=UploadStatus.RUNNING)
    upload_validate(upload_id=upload.pk)
    after = list(
        Supporter.objects.filter(upload_id=upload.pk)
        .order_by("row_number")
        .values_list("row_number", "status", "reasons")
    )
    assert after == before
    upload.refresh_from_db()
    assert upload.status == UploadStatus.DONE and upload.attempts == 2


def test_duplicates_count_against_earlier_uploads_and_other_pairs(
    pair, lo, villages, kpu, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 10)
    first = _upload(pair, lo, csv_bytes(rows[:6]), "a.csv", django_capture_on_commit_callbacks)
    assert first.rows_accepted == 6
    # second file of the same pair: rows 0-1 again (identical), row 2 with another name (potential), 6-9 new
    again = [rows[0], rows[1], {**rows[2], "name": "Nama Lain"}, *rows[6:]]
    second = _upload(pair, lo, csv_bytes(again), "b.csv", django_capture_on_commit_callbacks)
    _assert_rows(second, ["DUP_IDENTICAL", "DUP_IDENTICAL", "DUP_POTENTIAL", "", "", "", ""])
    # the first file's row 2 is held with it: neither is counted until an operator decides
    _assert_rows(first, ["", "", "DUP_POTENTIAL", "", "", ""])
    first.refresh_from_db()
    assert (first.rows_accepted, first.rows_review, first.reason_counts) == (5, 1, {"DUP_POTENTIAL": 1})
    # another pair of the same election supports rows 5 and 9: flagged on both pairs, still counted
    other = PairFactory(election=pair.election)
    from support_uploads.services import pair_team_register
    from tests.support_uploads.conftest import PDF

    pair_team_register(actor=kpu, pair=other, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="X")
    other_lo = lo_account_issue(actor=kpu, pair=other, password="Sandi-LO-2026!y")[0].user
    third = _upload(
        other,
        other_lo,
        csv_bytes([rows[5], rows[9], rows_for(villages, 1, start=500)[0]]),
        "c.csv",
        django_capture_on_commit_callbacks,
    )
    _assert_rows(third, ["DUP_EXTERNAL", "DUP_EXTERNAL", ""])
    assert third.rows_flagged == 2 and third.rows_accepted == 1
    mine = Supporter.objects.filter(pair_id=pair.pk, nik__in=[rows[5]["nik"], rows[9]["nik"]])
    assert sorted(mine.values_list("status", "reasons")) == [("flagged", "DUP_EXTERNAL")] * 2
    # a withdrawn file's rows leave the count, and do not count as earlier supporters any more; the second
    # file's rows held back as their duplicates (0, 1 identical, 2 potential) are counted again instead
    from support_uploads.recap import support_recap
    from support_uploads.services import upload_withdraw

    assert support_recap(pair=pair).total == 9
    upload_withdraw(actor=lo, upload=first)
    assert support_recap(pair=pair).total == 7
    _assert_rows(second, ["", "", "", "", "", "", "DUP_EXTERNAL"])
    # row 5 is no longer counted by this pair: the other pair's flag goes; row 9 still clashes
    _assert_rows(third, ["", "DUP_EXTERNAL", ""])
    fourth = _upload(pair, lo, csv_bytes(rows[3:5]), "d.csv", django_capture_on_commit_callbacks)
    _assert_rows(fourth, ["", ""])


def test_several_data_sheets_are_all_read(pair, lo, villages, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 7)
    rows[5]["rt"] = "x"
    upload = _upload(
        pair, lo, template_xlsx(pair, rows, sheets=2, per_sheet=4), "d.xlsx", django_capture_on_commit_callbacks
    )
    assert upload.status == UploadStatus.DONE
    got = sorted(Supporter.objects.filter(upload_id=upload.pk).values_list("sheet", "row_number", "reasons"))
    assert got == [(0, 2, ""), (0, 3, ""), (0, 4, ""), (0, 5, ""), (1, 2, ""), (1, 3, "RT_INVALID"), (1, 4, "")]


def test_phantom_rows_are_not_counted(pair, lo, villages, django_capture_on_commit_callbacks):
    """A sheet whose dimension claims 1,048,576 rows (formatted but empty cells) reads only its real rows."""
    from openpyxl.styles import Font

    rows = rows_for(villages, 3)
    wb = load_workbook(io.BytesIO(template_xlsx(pair, rows)))
    ws = wb["Dukungan"]
    ws.cell(row=1_048_576, column=1).font = Font(bold=True)
    ws.cell(row=500_000, column=3).value = "   "
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = _upload(pair, lo, buffer.getvalue(), "d.xlsx", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, upload.error_message
    assert upload.rows_read == 3 and upload.rows_accepted == 3


def test_blank_rows_between_data_are_skipped_with_true_row_numbers(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 3)
    rows[2]["rt"] = "x"
    content = csv_bytes(rows[:1]) + b",,,,,,,,,,,,,\n" + csv_bytes(rows[1:]).split(b"\n", 1)[1]
    upload = _upload(pair, lo, content, "d.csv", django_capture_on_commit_callbacks)
    got = sorted(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "reasons"))
    assert got == [(2, ""), (4, ""), (5, "RT_INVALID")]


def test_semicolon_csv_with_bom_is_accepted(pair, lo, villages, django_capture_on_commit_callbacks):
    content = b"\xef\xbb\xbf" + csv_bytes(rows_for(villages, 2), separator=";")
    upload = _upload(pair, lo, content, "d.csv", django_capture_on_commit_callbacks)
    assert (upload.status, upload.rows_accepted) == (UploadStatus.DONE, 2)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_megabyte_cell_is_rejected_cut_short_in_storage_and_report(
    fmt, pair, lo, villages, django_capture_on_commit_callbacks
):
    from support_uploads.rules import TRUNCATION_MARKER
    from support_uploads.template_spec import current_spec

    spec = current_spec()
    name_max, address_max = spec.field("name").max_length, spec.field("address").max_length
    rows = rows_for(villages, 4)
    rows[0]["name"] = "A" * (1 << 20)  # a 1 MB cell
    rows[1]["address"] = "B" * address_max  # exactly at the limit: accepted
    rows[2]["address"] = "C" * (address_max + 1)  # one over: rejected
    rows[3]["occupation"] = "PNS " + "x" * 200  # over the limit and excluded: both reasons
    content = template_xlsx(pair, rows) if fmt == "xlsx" else csv_bytes(rows)
    upload = _upload(pair, lo, content, f"besar.{fmt}", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, upload.error_message
    _assert_rows(upload, ["FIELD_TOO_LONG", "", "FIELD_TOO_LONG", "FIELD_TOO_LONG,OCCUPATION_EXCLUDED"])
    assert (upload.rows_accepted, upload.rows_rejected) == (1, 3)
    assert upload.reason_counts == {"FIELD_TOO_LONG": 3, "OCCUPATION_EXCLUDED": 1}
    stored = dict(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "name"))
    assert stored[2] == "A" * name_max + TRUNCATION_MARKER  # never the whole megabyte
    addresses = dict(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "address"))
    assert addresses[3] == "B" * address_max and addresses[4] == "C" * address_max + TRUNCATION_MARKER
    report = list(load_workbook(upload.report.path, read_only=True).active.iter_rows(values_only=True))
    by_row = {int(line[1]): line for line in report[1:]}
    assert set(by_row) == {2, 4, 5}
    name_column = 4 + [f.key for f in spec.fields].index("name")
    assert by_row[2][name_column] == "A" * name_max + TRUNCATION_MARKER
    assert "melebihi panjang maksimal" in by_row[2][2]
    assert max(len(str(v or "")) for line in report for v in line) < 1000
