"""Pages and API: an LO reaches only its own pair (404 elsewhere), masking, audit of personal-data views."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from silon.audit.models import AuditEvent
from support_uploads.models import LoAccount, Supporter, Upload, UploadStatus
from support_uploads.services import lo_account_issue, pair_team_register
from tests.accounts.factories import UserFactory
from tests.candidacy.factories import PairFactory

from .conftest import PDF, csv_bytes, rows_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_pair(election, kpu):
    other = PairFactory(election=election)
    pair_team_register(actor=kpu, pair=other, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="B")
    return other


@pytest.fixture
def done_upload(client, pair, lo, villages, django_capture_on_commit_callbacks):
    rows = rows_for(villages, 4)
    rows[1]["rt"] = "abcd"
    client.force_login(lo)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support_uploads:upload_post", args=[pair.pk]),
            {"file": SimpleUploadedFile("dukungan.csv", csv_bytes(rows))},
        )
    assert response.status_code == 302
    return Upload.objects.get(pair=pair)


def test_lo_sees_its_pair_and_404_for_others(client, pair, lo, other_pair, done_upload):
    other_upload = Upload.objects.create(
        election=other_pair.election, pair=other_pair, uploaded_by=lo, original_name="x", size=1, file="x"
    )
    client.force_login(lo)
    assert client.get(reverse("support_uploads:index")).url == reverse("support_uploads:pair", args=[pair.pk])
    assert client.get(reverse("support_uploads:pair", args=[pair.pk])).status_code == 200
    for url in [
        reverse("support_uploads:pair", args=[other_pair.pk]),
        reverse("support_uploads:template", args=[other_pair.pk]),
        reverse("support_uploads:upload", args=[other_upload.pk]),
        reverse("support_uploads:upload_progress", args=[other_upload.pk]),
        reverse("support_uploads_api:recap", args=[other_pair.pk]),
        reverse("support_uploads_api:uploads", args=[other_pair.pk]),
        reverse("support_uploads_api:upload", args=[other_upload.pk]),
        reverse("support_uploads_api:upload_rows", args=[other_upload.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("support_uploads_api:submit", args=[other_pair.pk])).status_code == 404
    assert client.post(reverse("support_uploads:upload_withdraw", args=[other_upload.pk])).status_code == 404


def test_upload_page_progress_results_and_masking(client, pair, lo, done_upload):
    client.force_login(lo)
    assert done_upload.status == UploadStatus.DONE
    fragment = client.get(reverse("support_uploads:upload_progress", args=[done_upload.pk])).content.decode()
    assert 'value="100"' in fragment and "every 1s" not in fragment  # polling stops once finished
    page = client.get(reverse("support_uploads:upload", args=[done_upload.pk])).content.decode()
    bad = Supporter.objects.get(upload_id=done_upload.pk, row_number=3)
    assert "RT harus 1-3 angka" in page
    assert bad.nik not in page and bad.nik[:6] + "******" + bad.nik[-4:] in page
    assert bad.name not in page
    assert AuditEvent.objects.filter(action="support.rows.view", object_id=str(done_upload.pk)).exists()
    report = client.get(reverse("support_uploads:upload_report", args=[done_upload.pk]))
    assert report.status_code == 200 and report["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="support.report.download").exists()


def test_running_upload_fragment_polls(client, pair, lo):
    upload = Upload.objects.create(
        election=pair.election,
        pair=pair,
        uploaded_by=lo,
        original_name="x",
        size=1,
        file="x",
        status=UploadStatus.RUNNING,
        progress=45,
    )
    client.force_login(lo)
    fragment = client.get(reverse("support_uploads:upload_progress", args=[upload.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="45"' in fragment


def test_supporter_detail_full_for_kpu_and_the_own_lo_masked_for_bawaslu(client, pair, lo, kpu, done_upload):
    """``silon.privacy.POLICY``: the pair's LO (its own file) and KPU of the jurisdiction see the record in
    full; Bawaslu sees NIK, KK, name, address, phone masked and the year of birth only."""
    row = Supporter.objects.get(upload_id=done_upload.pk, row_number=3)
    url = reverse("support_uploads:supporter", args=[row.pk])
    for user in (lo, kpu):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert row.nik in page and row.name in page and row.address in page and row.birth_date_text in page
        assert row.phone in page
    assert list(
        AuditEvent.objects.filter(action="support.supporter.view").order_by("id").values_list("after", flat=True)
    ) == [{"masked": False}, {"masked": False}]
    bawaslu = UserFactory(role="bawaslu", region_code="52")
    client.force_login(bawaslu)
    page = client.get(url).content.decode()
    assert row.nik not in page and row.kk not in page and row.name not in page and row.phone not in page
    assert row.birth_date_text not in page and f"**-**-{row.birth_date_text[-4:]}" in page


def test_kpu_issues_credentials_shown_once(client, pair, kpu):
    client.force_login(kpu)
    response = client.post(reverse("support_uploads:lo_issue", args=[pair.pk]))
    issued = reverse("support_uploads:lo_issued", args=[pair.pk])
    assert response.status_code == 302 and response["Location"] == issued  # post/redirect/get (#21)
    first = client.get(issued)
    page = first.content.decode()
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert 'id="lo-password"' in page and "data-print" in page
    password = page.split('id="lo-password"><code>')[1].split("<")[0]
    again = client.get(issued).content.decode()  # a refresh shows the page without the password
    assert password not in again and 'id="secret-gone"' in again
    assert LoAccount.objects.filter(pair=pair).count() == 1
    outsider = UserFactory(role="kpu_operator", region_code="51")
    client.force_login(outsider)
    assert client.post(reverse("support_uploads:lo_issue", args=[pair.pk])).status_code == 404


def test_forced_password_change_before_support_pages(client, pair, kpu):
    account, password = lo_account_issue(actor=kpu, pair=pair)
    response = client.post(reverse("accounts:login"), {"username": account.user.username, "password": password})
    assert response.status_code == 302
    assert client.get(reverse("support_uploads:pair", args=[pair.pk])).url == reverse("accounts:password_change")


def test_api_upload_status_rows_recap_and_spec(client, pair, lo, villages, django_capture_on_commit_callbacks):
    client.force_login(lo)
    rows = rows_for(villages, 3)
    rows[2]["sex"] = "X"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support_uploads_api:uploads", args=[pair.pk]),
            {"file": SimpleUploadedFile("d.csv", csv_bytes(rows))},
        )
    assert response.status_code == 202, response.content
    upload_id = response.json()["id"]
    data = client.get(reverse("support_uploads_api:upload", args=[upload_id])).json()
    assert (data["status"], data["rows_read"], data["rows_accepted"], data["rows_rejected"]) == ("done", 3, 2, 1)
    rows_json = client.get(reverse("support_uploads_api:upload_rows", args=[upload_id])).json()
    assert rows_json["count"] == 1 and rows_json["results"][0]["reasons"] == ["SEX_INVALID"]
    assert "*" in rows_json["results"][0]["nik"]
    recap = client.get(reverse("support_uploads_api:recap", args=[pair.pk])).json()
    assert (recap["total"], recap["minimum"]) == (2, 5)
    refused = client.post(reverse("support_uploads_api:submit", args=[pair.pk]))
    assert refused.status_code == 400 and "kurang 3" in refused.json()["detail"]
    template = client.get(reverse("support_uploads_api:template", args=[pair.pk]))
    assert template.status_code == 200 and template.content[:4] == b"PK\x03\x04"
    client.logout()
    spec = client.get(reverse("support_uploads_api:template_spec")).json()
    assert [f["header"] for f in spec["fields"]][:3] == ["NIK", "No. KK", "Nama"]
    assert spec["fields"][2]["max_length"] == 150
    assert any(r["code"] == "DUP_EXTERNAL" and r["severity"] == "flag" for r in spec["reasons"])


def test_oversized_body_refused_before_it_is_read(client, pair, lo, settings):
    settings.SUPPORT_UPLOAD_MAX_BYTES = 10
    client.force_login(lo)
    big = SimpleUploadedFile("d.csv", b"x" * 200_000)
    response = client.post(reverse("support_uploads_api:uploads", args=[pair.pk]), {"file": big})
    assert response.status_code == 413
    assert not Upload.objects.filter(pair=pair).exists()


def test_refusal_and_phase_are_shown_in_the_readers_language(
    client, pair, lo, villages, settings, django_capture_on_commit_callbacks
):
    """The worker stores a refusal once (msgid + parameters); each reader sees it in their own language."""
    content = csv_bytes(rows_for(villages, 2)).decode()
    header, _, body = content.partition("\n")
    names = header.split(",")
    names[0], names[1] = names[1], names[0]
    client.force_login(lo)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("support_uploads:upload_post", args=[pair.pk]),
            {"file": SimpleUploadedFile("dukungan.csv", (",".join(names) + "\n" + body).encode())},
        )
    upload = Upload.objects.get(pair=pair)
    assert (upload.status, upload.error_code, upload.phase) == (UploadStatus.FAILED, "HEADER", "rejected")
    url = reverse("support_uploads:upload_progress", args=[upload.pk])
    api = f"/api/support/uploads/{upload.pk}/"

    indonesian = client.get(url).content.decode()
    assert "Urutan kolom pada lembar CSV berubah" in indonesian and "Berkas ditolak" in indonesian
    assert "Urutan kolom pada lembar CSV berubah" in upload.error_message  # stored in the source language
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "The column order on sheet CSV has changed" in english and "File rejected" in english
    assert "Urutan kolom" not in english
    data = client.get(api).json()
    assert (data["phase"], data["phase_display"]) == ("rejected", "File rejected")
    assert data["error_message"].startswith("The column order on sheet CSV has changed")

    Upload.objects.filter(pk=upload.pk).update(
        status=UploadStatus.RUNNING, phase="checking", rows_read=1_000_000, progress=45
    )
    assert "Checking 1,000,000 rows" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    assert "Memeriksa 1.000.000 baris" in client.get(url).content.decode()


def test_reason_labels_follow_the_readers_language(client, pair, lo, settings, done_upload):
    """Reasons on the upload and supporter pages in the reader's language; the xlsx report stays Indonesian."""
    client.force_login(lo)
    row = Supporter.objects.get(upload_id=done_upload.pk, row_number=3)
    upload_url = reverse("support_uploads:upload", args=[done_upload.pk])
    supporter_url = reverse("support_uploads:supporter", args=[row.pk])
    assert "RT harus 1-3 angka" in client.get(upload_url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for url in (upload_url, supporter_url):
        page = client.get(url).content.decode()
        assert "RT must be 1-3 digits" in page and "RT harus 1-3 angka" not in page, url
    report = client.get(reverse("support_uploads:upload_report", args=[done_upload.pk]))
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(b"".join(report.streaming_content)), read_only=True).active
    assert [r[2] for r in ws.iter_rows(min_row=2, values_only=True)] == ["RT harus 1-3 angka"]


def test_api_upload_refusals_in_the_readers_language(client, pair, lo, settings):
    client.force_login(lo)
    url = reverse("support_uploads_api:uploads", args=[pair.pk])
    # Accept-Language alone never switches (#21): Indonesian until the language switch's cookie says English
    assert client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en").json() == {"detail": "Pilih berkas yang akan diunggah."}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    extra = {"HTTP_ACCEPT_LANGUAGE": "id"}
    missing = client.post(url, {}, **extra)
    assert missing.status_code == 400 and missing.json() == {"detail": "Choose a file to upload."}
    settings.SUPPORT_UPLOAD_MAX_BYTES = 10
    big = client.post(url, {"file": SimpleUploadedFile("d.csv", b"x" * 200_000)}, **extra)
    assert big.status_code == 413 and big.json() == {"detail": "The file is too large; the limit is 0 MB."}
    settings.SUPPORT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    indonesian = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="id")
    assert indonesian.json() == {"detail": "Pilih berkas yang akan diunggah."}


def test_api_template_takes_the_number_of_data_sheets(client, pair, lo):
    from openpyxl import load_workbook

    client.force_login(lo)
    url = reverse("support_uploads_api:template", args=[pair.pk])
    one = load_workbook(io.BytesIO(client.get(url).content))
    assert [n for n in one.sheetnames if n.startswith("Dukungan")] == ["Dukungan"]
    three = client.get(url, {"lembar": "3"})
    assert three.status_code == 200 and three["Content-Type"].startswith("application/vnd.openxmlformats")
    sheets = load_workbook(io.BytesIO(three.content)).sheetnames
    assert [n for n in sheets if n.startswith("Dukungan")] == ["Dukungan", "Dukungan 2", "Dukungan 3"]
    for bad in ("0", "4", "dua", "-1"):
        refused = client.get(url, {"lembar": bad})
        assert refused.status_code == 400 and "lembar" in refused.json()["detail"], bad


def test_lo_has_a_file_a_server_fault_stopped_checked_again_from_the_pair_page(
    client, pair, lo, villages, done_upload, django_capture_on_commit_callbacks
):
    page = reverse("support_uploads:pair", args=[pair.pk])
    retry = reverse("support_uploads:upload_retry", args=[done_upload.pk])
    client.force_login(lo)
    assert retry not in client.get(page).content.decode()  # a checked file offers no retry
    client.post(retry)
    done_upload.refresh_from_db()
    assert done_upload.status == UploadStatus.DONE and done_upload.attempts == 1

    Upload.objects.filter(pk=done_upload.pk).update(status=UploadStatus.FAILED, error_code="WORKER_LOST")
    assert retry in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry)
    assert response.status_code == 302
    done_upload.refresh_from_db()
    assert (done_upload.status, done_upload.error_code, done_upload.rows_read) == (UploadStatus.DONE, "", 4)
    assert AuditEvent.objects.filter(action="support.upload.retry", object_id=str(done_upload.pk)).exists()
