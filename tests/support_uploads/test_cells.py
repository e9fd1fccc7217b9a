"""Cell-level reasons (docs/domain.md §7): values not stored as text, values that do not match their column's
heading, and rows shifted one column; plus the header-row messages. Each through a real upload (the
generated template, or CSV), with the exact reasons of every row and the upload's counts."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from openpyxl import load_workbook

from support_uploads.messages import format_message
from support_uploads.models import ReasonCode, Supporter, Upload, UploadStatus
from support_uploads.rules import RULES
from support_uploads.services import upload_create
from support_uploads.template_spec import current_spec

from .conftest import csv_bytes, rows_for, template_xlsx

pytestmark = pytest.mark.django_db
SPEC = current_spec()
KEYS = [f.key for f in SPEC.fields]


def _upload(pair, user, content: bytes, name: str, capture) -> Upload:
    with capture(execute=True):
        upload = upload_create(actor=user, pair=pair, file=SimpleUploadedFile(name, content), max_bytes=10**8)
    upload.refresh_from_db()
    return upload


def _typed_xlsx(pair, rows: list[dict], cells: dict[tuple[int, str], object]) -> bytes:
    """The real template with ``rows``, then ``cells`` ((row index, key) → a Python value) written with their
    own type: an int or float is a number cell, a date a date cell, a bool a boolean, "=..." a formula."""
    wb = load_workbook(io.BytesIO(template_xlsx(pair, rows)))
    ws = wb[SPEC.data_sheet]
    for (index, key), value in cells.items():
        cell = ws.cell(row=index + 2, column=KEYS.index(key) + 1, value=value)
        cell.number_format = "General" if not isinstance(value, datetime.date) else "DD-MM-YYYY"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _reasons(upload) -> dict[int, str]:
    return dict(Supporter.objects.filter(upload_id=upload.pk).values_list("row_number", "reasons"))


def _counts(expected: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for reasons in expected:
        for code in filter(None, reasons.split(",")):
            counts[code] = counts.get(code, 0) + 1
    return counts


def _assert_exact(upload, expected: list[str]) -> None:
    assert upload.status == UploadStatus.DONE, upload.error_message
    assert _reasons(upload) == {i + 2: reasons for i, reasons in enumerate(expected)}
    rejected = sum(1 for e in expected if e)
    assert (upload.rows_read, upload.rows_accepted, upload.rows_rejected) == (
        len(expected),
        len(expected) - rejected,
        rejected,
    )
    assert upload.reason_counts == _counts(expected)


# --- 1. values must be text ----------------------------------------------------------------------------


def test_cells_not_stored_as_text_are_refused_naming_their_column(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 11)
    cells = {
        (1, "rt"): 4,  # RT typed as a number: the value fits, the cell type does not
        (2, "phone"): 81234567890,  # No. HP as a number: its leading zero is already gone
        (3, "birth_date"): datetime.datetime.strptime(rows[3]["birth_date"], "%d-%m-%Y"),  # a date cell
        (4, "occupation"): True,  # a boolean
        (5, "rw"): "=1+1",  # a formula (kept as written, never evaluated)
        (6, "nik"): float(rows[6]["nik"]),  # NIK as a number: its own digit-loss reason, as before
        (7, "nik"): "=A3&A4",  # a formula where the NIK goes: not text, and not a lost-digit number
        (8, "village_code"): 5201012001,
        (9, "name"): 12345,
        (10, "kk"): float(rows[10]["kk"]),
    }
    upload = _upload(pair, lo, _typed_xlsx(pair, rows, cells), "d.xlsx", django_capture_on_commit_callbacks)
    expected = [
        "",
        "NOT_TEXT_RT",
        "NOT_TEXT_PHONE",
        "DATE_INVALID,NOT_TEXT_BIRTH_DATE",  # read as 1990-08-17 00:00:00: not DD-MM-YYYY either
        "NOT_TEXT_OCCUPATION",
        "RW_INVALID,NOT_TEXT_RW",
        "NIK_NUMERIC",
        "NOT_TEXT_NIK",
        "VILLAGE_UNKNOWN,NOT_TEXT_VILLAGE_CODE",  # read without its dots: not the election's code either
        "NOT_TEXT_NAME",
        "KK_NUMERIC",
    ]
    _assert_exact(upload, expected)
    stored = {s.row_number: s for s in Supporter.objects.filter(upload_id=upload.pk)}
    assert stored[3].rt == "4" and stored[4].phone == "81234567890" and stored[7].rw == "=1+1"
    labels = ReasonCode.labels()
    assert labels["NOT_TEXT_RT"].startswith("Kolom RT harus berisi teks")
    assert labels["NOT_TEXT_PHONE"].startswith("Kolom No. HP harus berisi teks")
    with translation.override("en"):
        assert ReasonCode.labels()["NOT_TEXT_RT"].startswith("The RT column must hold text")


def test_the_cell_scan_reads_each_cells_type_whatever_its_attribute_order(tmp_path):
    """Excel writes r, s, t; other writers order the attributes differently or add their own (cm, vm)."""
    import zipfile

    from support_uploads.reading import scan_cells

    cells = [
        '<c r="J2" s="1" t="n"><v>4</v></c>',  # a number, type written out
        '<c r="J3" t="n" s="1"><v>4</v></c>',  # the same, type first
        '<c r="J4"><v>4</v></c>',  # a number, no type at all
        '<c r="J5" s="3" t="s"><v>0</v></c>',  # a shared string: text
        '<c r="J6" t="inlineStr"><is><t>4</t></is></c>',  # inline text
        '<c r="J7" s="1"/>',  # an empty styled cell
        '<c r="J8" s="1" cm="1" t="b"><v>1</v></c>',  # a boolean with an extra attribute
        '<c r="J9" t="e"><v>#N/A</v></c>',  # an error
        '<c r="AJ10" s="1"><v>1</v></c>',  # a number outside the template's columns
        '<c r="J11" t="str"><f>A1&amp;""</f><v>x</v></c>',  # a formula with a text result
    ]
    path = tmp_path / "s.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + "".join(cells) + "</sheetData></worksheet>")
    scan = scan_cells(path, "xl/worksheets/sheet1.xml", {"rt": "J"})
    assert list(scan.not_text["rt"]) == [2, 3, 4, 8, 9]
    assert scan.formulas == {"rt": {11: '=A1&""'}}


def test_a_text_template_filled_as_text_has_no_not_text_reason(pair, lo, villages, django_capture_on_commit_callbacks):
    """The template's cells are formatted as text: values typed into it (even "4", "081...") are text."""
    rows = rows_for(villages, 3)
    rows[0]["rt"], rows[1]["phone"] = "4", "081234567890"
    upload = _upload(pair, lo, template_xlsx(pair, rows), "d.xlsx", django_capture_on_commit_callbacks)
    _assert_exact(upload, ["", "", ""])


# --- 2. value and heading agree ------------------------------------------------------------------------


def mismatched_rows(villages: list[str]) -> tuple[list[dict], list[str]]:
    rows = rows_for(villages, 16)
    expected = [""] * len(rows)
    rows[1]["name"] = rows[1]["nik"]  # a NIK in Nama
    expected[1] = "NAME_HAS_NIK"
    rows[2]["occupation"] = "17-08-1990"  # a date in Pekerjaan
    expected[2] = "OCCUPATION_HAS_DATE"
    rows[3]["birth_place"] = "Mataram 2"  # digits in Tempat Lahir
    expected[3] = "BIRTH_PLACE_INVALID"
    rows[4]["name"] = "Budi 2"
    expected[4] = "NAME_INVALID"
    rows[5]["occupation"] = "12345"  # digits only
    expected[5] = "OCCUPATION_INVALID"
    rows[6]["address"] = "budi@contoh.id"  # an e-mail address in Alamat
    expected[6] = "ADDRESS_HAS_EMAIL"
    rows[7]["rt"] = "081234567890"  # a phone number in RT: too long and wrong as an RT, clearly a phone number
    expected[7] = "FIELD_TOO_LONG,RT_INVALID,RT_HAS_PHONE"
    rows[8]["phone"] = rows[8]["village_code"]  # the village code in No. HP
    expected[8] = "PHONE_HAS_VILLAGE_CODE"
    rows[9]["email"] = "081234567890"
    expected[9] = "EMAIL_INVALID,EMAIL_HAS_PHONE"
    rows[10]["birth_place"] = "17-08-1990"
    expected[10] = "BIRTH_PLACE_HAS_DATE"
    rows[11]["kk"] = rows[11]["birth_date"]
    expected[11] = "KK_FORMAT,KK_HAS_DATE"
    # the punctuation of real names and places, and free-text occupations, are fine
    rows[12]["name"], rows[12]["birth_place"] = "Siti 'Aisyah Al-Fatih", "Kota Bima"
    rows[13]["name"], rows[13]["occupation"] = "H. Ahmad, S.Pd.", "Guru Honorer"
    rows[14]["name"], rows[14]["birth_place"] = "I Gusti Ngurah Rai", "Tanjung Karang (Bandar Lampung)"
    rows[15]["address"] = "Jl. Merdeka No. 17, RT 2"
    return rows, expected


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_values_of_another_columns_shape_name_both_columns(fmt, pair, lo, villages, django_capture_on_commit_callbacks):
    rows, expected = mismatched_rows(villages)
    content = template_xlsx(pair, rows) if fmt == "xlsx" else csv_bytes(rows)
    upload = _upload(pair, lo, content, f"d.{fmt}", django_capture_on_commit_callbacks)
    _assert_exact(upload, expected)
    labels = ReasonCode.labels()
    assert labels["NAME_HAS_NIK"].startswith("Nama berisi nilai berbentuk NIK")
    assert labels["OCCUPATION_HAS_DATE"].startswith("Pekerjaan berisi nilai berbentuk tanggal")
    with translation.override("en"):
        assert ReasonCode.labels()["NAME_HAS_NIK"].startswith("Name holds a value shaped like a NIK")


# a value of each marked shape, and the reason the column's own format rule gives it (an independent oracle of
# the older rules: docs/domain.md §6-7)
SHAPE_SAMPLES = {
    "nik": "5201014101900001",
    "date": "17-08-1990",
    "village_code": "52.01.01.2001",
    "phone": "081234567890",
    "email": "budi@contoh.id",
}


def _own_format_reasons(key: str, value: str) -> set[str]:
    import re

    field = SPEC.field(key)
    reasons = {"FIELD_TOO_LONG"} if len(value) > field.max_length else set()
    checks = {
        "nik": ("NIK_FORMAT", r"[0-9]{16}"),
        "kk": ("KK_FORMAT", r"[0-9]{16}"),
        "birth_date": ("DATE_INVALID", r"[0-9]{2}-[0-9]{2}-[0-9]{4}"),
        "sex": ("SEX_INVALID", r"[LP]"),
        "marital": ("MARITAL_INVALID", r"[BSP]"),
        "rt": ("RT_INVALID", r"[0-9]{1,3}"),
        "rw": ("RW_INVALID", r"[0-9]{1,3}"),
        "village_code": ("VILLAGE_UNKNOWN", r"(?!)"),  # none of the other shapes' values is a village code
        "email": ("EMAIL_INVALID", r"[^@\s]+@[^@\s]+\.[^@\s]+"),
    }
    if key == "phone" and not re.fullmatch(r"\+?[0-9]{8,15}", re.sub(r"[ \-.()]", "", value)):
        reasons.add("PHONE_INVALID")
    if key in checks and not re.fullmatch(checks[key][1], value):
        reasons.add(checks[key][0])
    return reasons


def test_every_column_holding_every_other_columns_shape_gets_its_reason(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    """Each of the generated <column>_HAS_<shape> codes, one row each, with exactly the reasons expected."""
    from support_uploads.shapes import mismatch_codes

    cases = mismatch_codes(SPEC)
    assert len(cases) == 64
    rows = rows_for(villages, len(cases))
    expected = []
    for row, (code, key, shape) in zip(rows, cases, strict=True):
        row[key] = SHAPE_SAMPLES[shape]
        expected.append({code} | _own_format_reasons(key, SHAPE_SAMPLES[shape]))
    upload = _upload(pair, lo, csv_bytes(rows), "d.csv", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, upload.error_message
    got = {n: set(filter(None, r.split(","))) for n, r in _reasons(upload).items()}
    assert got == {i + 2: reasons for i, reasons in enumerate(expected)}
    assert upload.reason_counts == _counts([",".join(sorted(e)) for e in expected])
    assert upload.rows_rejected == len(cases)


def test_every_column_stored_as_a_number_gets_its_reason(pair, lo, villages, django_capture_on_commit_callbacks):
    """A number cell (7) in each column in turn: NOT_TEXT_<column>, or the NIK/KK digit-loss reason, plus
    what the older rules say of the value 7 (exactly)."""
    rows = rows_for(villages, len(KEYS))
    cells = dict.fromkeys(enumerate(KEYS), 7)
    upload = _upload(pair, lo, _typed_xlsx(pair, rows, cells), "d.xlsx", django_capture_on_commit_callbacks)
    expected = {
        "nik": "NIK_NUMERIC",
        "kk": "KK_NUMERIC",
        "name": "NOT_TEXT_NAME",
        "birth_place": "NOT_TEXT_BIRTH_PLACE",
        "birth_date": "DATE_INVALID,NOT_TEXT_BIRTH_DATE",
        "sex": "SEX_INVALID,NOT_TEXT_SEX",
        "marital": "MARITAL_INVALID,NOT_TEXT_MARITAL",
        "occupation": "NOT_TEXT_OCCUPATION",
        "address": "NOT_TEXT_ADDRESS",
        "rt": "NOT_TEXT_RT",
        "rw": "NOT_TEXT_RW",
        "village_code": "VILLAGE_UNKNOWN,NOT_TEXT_VILLAGE_CODE",
        "phone": "PHONE_INVALID,NOT_TEXT_PHONE",
        "email": "EMAIL_INVALID,NOT_TEXT_EMAIL",
    }
    _assert_exact(upload, [expected[key] for key in KEYS])


def _shifted(row: dict, direction: str) -> dict:
    values = [row[k] for k in KEYS]
    moved = ["", *values[:-1]] if direction == "right" else [*values[1:], ""]
    return dict(zip(KEYS, moved, strict=True))


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_shifted_row_gets_one_reason_with_its_direction(fmt, pair, lo, villages, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 6)
    rows[1] = _shifted(rows[1], "right")  # a cell inserted before the NIK
    rows[3] = _shifted(rows[3], "left")  # the NIK cell deleted
    rows[4]["email"] = "pendukung@contoh.id"
    rows[4] = _shifted(rows[4], "left")  # the e-mail address moves under No. HP
    rows[5] = _shifted(rows[5], "right")
    rows[5]["nik"] = "x"  # one stray value: still a shifted row
    content = template_xlsx(pair, rows) if fmt == "xlsx" else csv_bytes(rows)
    upload = _upload(pair, lo, content, f"d.{fmt}", django_capture_on_commit_callbacks)
    expected = ["", "COLUMN_SHIFTED_RIGHT", "", "COLUMN_SHIFTED_LEFT", "COLUMN_SHIFTED_LEFT", "COLUMN_SHIFTED_RIGHT"]
    _assert_exact(upload, expected)
    assert "ke kanan" in ReasonCode.objects.get(pk="COLUMN_SHIFTED_RIGHT").label_id


def test_every_cell_rule_has_its_reason_code():
    """Every registered rule has a seeded, translated reason (a code without one would show as a bare code)."""
    reasons = {r.code: r for r in ReasonCode.objects.all()}
    missing = [code for code in RULES if code not in reasons]
    assert missing == []
    assert all(reasons[code].label_en and reasons[code].severity == "reject" for code in RULES)


# --- 3. the header messages ----------------------------------------------------------------------------


def _english(upload) -> str:
    with translation.override("en"):
        return format_message(upload.error_detail["msgid"], upload.error_detail["params"])


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_header_shifted_right_alone_says_so(fmt, pair, lo, villages, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 2)
    if fmt == "xlsx":
        wb = load_workbook(io.BytesIO(template_xlsx(pair, rows)))
        ws = wb[SPEC.data_sheet]
        for index, header in enumerate(SPEC.headers):
            ws.cell(row=1, column=index + 2, value=header)
        ws["A1"].value = None  # the header row alone moved one cell right; the data did not
        buffer = io.BytesIO()
        wb.save(buffer)
        content = buffer.getvalue()
    else:
        content = csv_bytes(rows, headers=["", *SPEC.headers])
    upload = _upload(pair, lo, content, f"d.{fmt}", django_capture_on_commit_callbacks)
    assert (upload.status, upload.error_code) == (UploadStatus.FAILED, "HEADER")
    sheet = SPEC.data_sheet if fmt == "xlsx" else "CSV"
    assert upload.error_message == (
        f"Judul kolom pada lembar {sheet} bergeser ke kanan (sel A1 kosong), sedangkan datanya tidak. "
        'Hapus sel A1 dengan menggeser judul ke kiri agar "NIK" kembali di kolom A.'
    )
    assert "None" not in upload.error_message
    assert "shifted one column to the right" in _english(upload)


def test_an_empty_header_cell_is_named_empty_not_none(pair, lo, villages, django_capture_on_commit_callbacks):
    headers = SPEC.headers
    headers[2] = ""
    upload = _upload(
        pair, lo, csv_bytes(rows_for(villages, 1), headers=headers), "d.csv", django_capture_on_commit_callbacks
    )
    assert upload.error_code == "HEADER"
    assert "None" not in upload.error_message and '"Nama" tidak ada' in upload.error_message


def test_a_header_shifted_right_with_its_last_heading_lost_names_the_empty_cell(
    pair, lo, villages, django_capture_on_commit_callbacks
):
    headers = ["", *SPEC.headers[:-1]]  # the old message read: seharusnya "NIK", tertulis "None"
    upload = _upload(
        pair, lo, csv_bytes(rows_for(villages, 1), headers=headers), "d.csv", django_capture_on_commit_callbacks
    )
    assert upload.error_message == 'Kolom ke-1 pada lembar CSV seharusnya "NIK", tetapi judulnya kosong.'
    assert _english(upload) == 'Column 1 on sheet CSV should be "NIK", but its heading is empty.'


@pytest.mark.parametrize(
    "content", [b"   \n \t \n", b" , ,  \n  ,\n", b"\n\n\n  \n"], ids=["spaces", "separators", "empty-lines"]
)
def test_whitespace_only_csv_is_called_blank_not_shifted(content, pair, lo, django_capture_on_commit_callbacks):
    upload = _upload(pair, lo, content, "d.csv", django_capture_on_commit_callbacks)
    assert (upload.status, upload.error_code) == (UploadStatus.FAILED, "HEADER")
    assert "bergeser" not in upload.error_message
    assert upload.error_message.startswith("Lembar CSV hanya berisi sel kosong atau spasi")
    assert "only empty cells or spaces" in _english(upload)


def test_whitespace_only_xlsx_is_called_blank_not_shifted(pair, lo, django_capture_on_commit_callbacks):
    wb = load_workbook(io.BytesIO(template_xlsx(pair, [])))
    ws = wb[SPEC.data_sheet]
    for row in range(1, 5):
        for column in range(1, len(KEYS) + 1):
            ws.cell(row=row, column=column, value="  ")
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = _upload(pair, lo, buffer.getvalue(), "d.xlsx", django_capture_on_commit_callbacks)
    assert (upload.status, upload.error_code) == (UploadStatus.FAILED, "HEADER")
    assert "bergeser" not in upload.error_message
    assert "kosong" in upload.error_message


# --- 4. the bench plants each of them ------------------------------------------------------------------


def test_the_bench_file_plants_every_reason_with_exact_counts(
    pair, lo, villages, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    """The bench's generated xlsx (every row-level reason of the rule registry planted once per 1,000 rows, and
    the duplicates), through the real pipeline: every row gets exactly the reasons planted in it, and each
    reason is counted exactly as planted."""
    from bench import support_files, support_plants
    from regions.models import Level, Region

    outside = Region.objects.filter(version=pair.election.region_version, level=Level.VILLAGE, code__startswith="51.")
    monkeypatch.setattr(support_plants, "OUTSIDE_VILLAGE", [outside.first().code])
    path = support_files.write_xlsx(tmp_path / "bench.xlsx", pair=pair, count=1000, villages=villages)
    upload = _upload(pair, lo, path.read_bytes(), "bench.xlsx", django_capture_on_commit_callbacks)
    assert upload.status == UploadStatus.DONE, upload.error_message
    expected = support_files.expected_counts(1000)
    # every registered row reason (103 today: 20 older rules, 14 NOT_TEXT_*, 64 *_HAS_*, 3 *_INVALID, 2 shifts)
    assert len(RULES) == 103
    assert set(RULES) | {"DUP_POTENTIAL", "DUP_IDENTICAL"} == set(expected)
    assert upload.reason_counts == expected
    assert upload.rows_read == 1000
    # row by row: the planted rows, and only they, carry exactly their reasons
    got = {number - 2: set(reasons.split(",")) for number, reasons in _reasons(upload).items() if reasons}
    assert got == support_files.expected_rows(1000)
    assert upload.rows_accepted == 1000 - support_files.planted_row_count(1000)


_CELL_KINDS = [
    '<c r="{c}{r}" s="3" t="s"><v>0</v></c>',  # shared string: text
    '<c r="{c}{r}" t="inlineStr"><is><t>4 t="s"&gt;&lt;v&gt;</t></is></c>',  # inline text quoting the marker
    '<c r="{c}{r}" s="1"/>',  # empty styled cell
    '<c r="{c}{r}" s="1"><v>4</v></c>',  # number
    '<c r="{c}{r}" t="s" s="3"><v>0</v></c>',  # shared string, attributes in another order
    '<c r="{c}{r}" t="str"><f>A1&amp;""</f><v>x</v></c>',  # formula
    '<c r="{c}{r}" t="b"><v>1</v></c>',  # boolean
]


def test_the_scan_skips_only_slices_with_nothing_to_find(tmp_path, monkeypatch):
    """The cell scan runs its regexes only over slices that hold a valued cell other than a shared string, or
    a formula (``reading.xlsx._only_shared_strings``): over many generated sheets, with slices as small as a
    few cells, it finds exactly what a scan of every byte finds (and a shortcut that skipped everything would
    not)."""
    import random
    import zipfile

    from support_uploads.reading import xlsx

    rng = random.Random(20261207)
    letters = {"nik": "A", "rt": "J"}
    missed_by_skipping_all = 0
    for case in range(40):
        other = [0.0, 0.01, 0.1, 0.5][case % 4]  # the share of cells that are not shared strings
        rows = [
            f'<row r="{r}">'
            + "".join(_CELL_KINDS[0 if rng.random() >= other else rng.randint(1, 6)].format(c=c, r=r) for c in "AJ")
            + "</row>"
            for r in range(2, rng.randint(3, 400))
        ]
        path = tmp_path / f"s{case}.xlsx"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr(
                "xl/worksheets/sheet1.xml", "<worksheet><sheetData>" + "".join(rows) + "</sheetData></worksheet>"
            )

        def scan(shortcut=None, slice_size=xlsx.SCAN_SLICE, path=path):
            with monkeypatch.context() as patch:
                if shortcut is not None:
                    patch.setattr(xlsx, "_only_shared_strings", shortcut)
                patch.setattr(xlsx, "SCAN_SLICE", slice_size)
                found = xlsx.scan_cells(path, "xl/worksheets/sheet1.xml", letters)
            return {k: list(v) for k, v in found.not_text.items()}, found.formulas

        full = scan(shortcut=lambda *_a: False)  # every byte scanned
        assert scan(slice_size=rng.choice([40, 200, 5_000])) == full
        missed_by_skipping_all += scan(shortcut=lambda *_a: True) != full
    assert missed_by_skipping_all >= 25
