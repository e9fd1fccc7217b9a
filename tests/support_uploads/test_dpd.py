"""Pemilu DPD support (issue #20): the template without No. KK and No. HP, a DPD file validated and counted
through the same pipeline, the recap per kab/kota against the inclusive spread, the LO limit and the
50-per-case penalty shown apart from the count, all read from the DPD regulation."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from candidacy.models import CandidatePair, ElectionType, Path, RegulationVersion
from support_uploads.models import LoAccount, Supporter
from support_uploads.recap import penalty_text, support_recap
from support_uploads.services import lo_account_issue, pair_team_register, upload_create
from support_uploads.services.decisions import potential_duplicate_decide
from support_uploads.template import template_build
from support_uploads.template_spec import B1_KWK_2026, spec_for
from tests import clock
from tests.candidacy.factories import ElectionFactory

from .conftest import PDF, open_support_window, row_statuses, rows_for

pytestmark = pytest.mark.django_db

DPD_REGULATION = "UU 7/2017 (Pemilu DPD) jo. PKPU 10/2022"


@pytest.fixture
def dpd_election(regions_version):
    election = ElectionFactory(
        region_version=regions_version,
        type=ElectionType.DPD,
        regulation=RegulationVersion.objects.get(name=DPD_REGULATION),
        region_code="52",
        dpt=3_800_000,  # NTB's DPT of 2024 is in the 1-5 million band: 2,000 supporters
        polling_day=clock.polling_day(),
    )
    open_support_window(election)
    return election


@pytest.fixture
def candidate_pair(dpd_election, kpu):
    pair = CandidatePair.objects.create(election=dpd_election, path=Path.INDEPENDENT, name="Calon DPD Uji")
    pair_team_register(actor=kpu, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="LO")
    return pair


@pytest.fixture
def dpd_lo(candidate_pair, kpu):
    return lo_account_issue(actor=kpu, pair=candidate_pair, password="Sandi-LO-2026!x")[0].user


def dpd_csv(rows: list[dict], spec) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(spec.headers)
    for row in rows:
        writer.writerow([row.get(f.key, "") for f in spec.fields])
    return out.getvalue().encode()


def dpd_upload(pair, user, rows, capture, name="dpd.csv"):
    with capture(execute=True):
        upload = upload_create(
            actor=user,
            pair=pair,
            file=SimpleUploadedFile(name, dpd_csv(rows, spec_for(pair.election))),
            max_bytes=10 << 20,
        )
    upload.refresh_from_db()
    return upload


def test_the_dpd_template_is_b1_kwk_without_kk_and_phone(candidate_pair, pair):
    spec = spec_for(candidate_pair.election)
    assert spec.version == "B1DPD-2026.1"
    assert spec.headers == [h for h in B1_KWK_2026.headers if h not in ("No. KK", "No. HP")]
    assert spec_for(pair.election) is B1_KWK_2026  # the Pilkada pair keeps its template
    wb = load_workbook(io.BytesIO(template_build(pair=candidate_pair)))
    header = [c.value for c in next(wb[spec.data_sheet].iter_rows(max_row=1))]
    assert header == spec.headers
    meta = {row[0].value: row[1].value for row in wb[spec.meta_sheet].iter_rows()}
    assert meta["template_version"] == "B1DPD-2026.1"


def test_the_dpd_lo_downloads_the_dpd_template(candidate_pair, dpd_lo, client):
    client.force_login(dpd_lo)
    response = client.get(reverse("support_uploads:template", args=[candidate_pair.pk]))
    assert response.status_code == 200
    assert (
        f'filename="dukungan-DPD-pemilihan{candidate_pair.election_id}-paslon{candidate_pair.pk}.xlsx"'
        in (response["Content-Disposition"])
    )
    wb = load_workbook(io.BytesIO(response.content))
    assert "No. KK" not in [c.value for c in next(wb["Dukungan"].iter_rows(max_row=1))]


def test_a_dpd_file_is_validated_and_counted_without_kk_or_phone(
    candidate_pair, dpd_lo, villages, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 6)
    rows[5]["rt"] = "12A"  # still checked by the same rules
    upload = dpd_upload(candidate_pair, dpd_lo, rows, django_capture_on_commit_callbacks)
    assert upload.status == "done", upload.error_detail
    assert [status for status, _reasons in row_statuses(upload)] == ["accepted"] * 5 + ["rejected"]
    assert "RT_INVALID" in row_statuses(upload)[5][1]
    stored = Supporter.objects.filter(upload_id=upload.pk)
    assert set(stored.values_list("kk", flat=True)) == {""} and set(stored.values_list("phone", flat=True)) == {""}
    recap = support_recap(pair=candidate_pair)
    assert (recap.total, recap.minimum) == (5, 2_000)
    # NTB's 10 kab/kota: at least half is 5 (Pilkada's "more than half" would be 6)
    assert (recap.spread_total, recap.spread_required, recap.spread_at_least_half) == (10, 5, True)
    assert recap.spread_level_label == "Kabupaten/Kota"
    assert sum(r.count for r in recap.regencies) == 5


def test_a_b1_kwk_csv_is_refused_for_a_dpd_candidate(
    candidate_pair, dpd_lo, villages, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(
            actor=dpd_lo,
            pair=candidate_pair,
            file=SimpleUploadedFile("b1.csv", dpd_csv(rows_for(villages, 2), B1_KWK_2026)),
            max_bytes=10 << 20,
        )
    upload.refresh_from_db()
    assert upload.status == "failed" and upload.error_code == "HEADER"


def test_at_most_the_regulations_lo_accounts_per_dpd_candidate(candidate_pair, kpu):
    assert RegulationVersion.objects.get(name=DPD_REGULATION).lo_account_limit == 2
    lo_account_issue(actor=kpu, pair=candidate_pair)
    lo_account_issue(actor=kpu, pair=candidate_pair)
    with pytest.raises(ValidationError, match="Calon DPD ini sudah memiliki 2 akun LO aktif"):
        lo_account_issue(actor=kpu, pair=candidate_pair)
    assert LoAccount.objects.filter(pair=candidate_pair).count() == 2
    regulation = candidate_pair.election.regulation
    regulation.lo_account_limit = 3  # the limit is the regulation's data, not a constant
    regulation.save(update_fields=["lo_account_limit"])
    candidate_pair.election.refresh_from_db()
    lo_account_issue(actor=kpu, pair=candidate_pair)
    assert LoAccount.objects.filter(pair=candidate_pair, revoked_at__isnull=True).count() == 3


def test_penalty_text_groups_numbers_as_the_language_writes_them():
    assert penalty_text(1_204, 2, 50) == "1.204 dihitung − 2 × 50 penalti = 1.104"
    assert penalty_text(60, 2, 50) == "60 dihitung − 2 × 50 penalti = 0"


def test_each_proven_duplicate_subtracts_50_shown_apart_on_the_teams_page(
    candidate_pair, dpd_lo, kpu, villages, client, django_capture_on_commit_callbacks
):
    rows = rows_for(villages, 1_204)
    # two supporters sent again under another name: same NIK, other data, held until KPU decides
    copies = [{**rows[0], "name": "Nama Lain"}, {**rows[1], "name": "Nama Berbeda"}]
    upload = dpd_upload(candidate_pair, dpd_lo, rows + copies, django_capture_on_commit_callbacks)
    assert support_recap(pair=candidate_pair).total == 1_202
    for number in (2, 3):  # rows 0 and 1 of the data are the supporters; their copies are not
        kept = Supporter.objects.get(upload_id=upload.pk, row_number=number)
        with django_capture_on_commit_callbacks(execute=True):
            potential_duplicate_decide(actor=kpu, pair=candidate_pair, supporter_id=kept.pk, keep=True, note="KTP-el")
    recap = support_recap(pair=candidate_pair)
    assert (recap.total, recap.penalty_cases, recap.penalty_per_case, recap.net) == (1_204, 2, 50, 1_104)
    assert recap.shortfall == 2_000 - 1_104
    client.force_login(dpd_lo)
    page = client.get(reverse("support_uploads:pair", args=[candidate_pair.pk])).content.decode()
    assert "1.204 dihitung − 2 × 50 penalti = 1.104" in page
    assert "1.104 dukungan dari syarat minimal 2.000" in page
    api = client.get(reverse("support_uploads_api:recap", args=[candidate_pair.pk])).json()
    assert (api["total"], api["penalty_cases"], api["penalty_per_case"], api["net"]) == (1_204, 2, 50, 1_104)


def test_a_pilkada_pair_has_no_penalty(pair, lo, villages, django_capture_on_commit_callbacks):
    from .conftest import upload_csv

    rows = rows_for(villages, 3)
    upload_csv(pair, lo, [*rows, {**rows[0], "name": "Nama Lain"}], "a.csv", django_capture_on_commit_callbacks)
    recap = support_recap(pair=pair)
    assert (recap.penalty_per_case, recap.net) == (0, recap.total)


def test_a_dpd_error_report_is_masked_for_bawaslu_without_kk_or_phone_columns(
    candidate_pair, dpd_lo, villages, client, django_capture_on_commit_callbacks
):
    from silon.privacy import mask_nik
    from tests.accounts.factories import UserFactory

    rows = rows_for(villages, 3)
    rows[1]["rt"] = "abcd"
    upload = dpd_upload(candidate_pair, dpd_lo, rows, django_capture_on_commit_callbacks)
    bad = Supporter.objects.get(upload_id=upload.pk, status="rejected")
    client.force_login(UserFactory(role="bawaslu", region_code="52"))
    response = client.get(reverse("support_uploads:upload_report", args=[upload.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = next(ws for ws in book.worksheets if "NIK" in [c.value for c in next(ws.iter_rows(max_row=1))])
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "No. KK" not in cells[0] and "No. HP" not in cells[0]
    assert cells[1][cells[0].index("NIK")] == mask_nik(bad.nik) and bad.nik not in cells[1]
