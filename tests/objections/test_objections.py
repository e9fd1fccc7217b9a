"""Objections through HTTP: filed from a positive check (page and API), followed by receipt code, found and
decided by the KPU operator who reaches the election (confirmed: the row TMS and every count follows; not
confirmed: a reason), read-only and masked for Bawaslu, 404 elsewhere, and told to the LO."""

import csv
import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from candidacy.models import Stage, StageWindow
from objections.models import Objection, ObjectionStatus
from silon.accounts.models import Role
from silon.audit import actions
from silon.audit.models import AuditEvent
from support_uploads.models import RowStatus, Supporter, Upload
from tests.accounts.factories import UserFactory, operator
from tests.clock import local_dt, today

from .conftest import check_api, solved_over_http

pytestmark = pytest.mark.django_db


def png(size=(40, 25)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile("ktp.png", buffer.getvalue(), content_type="image/png")


def _token(client, row) -> str:
    answer = check_api(client, row.nik, row.name).json()
    return next(entry["token"] for e in answer["elections"] for entry in e["entries"])


def file_api(client, row, **fields) -> dict:
    body = {
        "token": _token(client, row),
        "statement": "Saya tidak memberikan dukungan ini.",
        "phone": "081234567890",
        "altcha": solved_over_http(client),
        **fields,
    }
    response = client.post(reverse("objections_api:public-file"), body)
    return response


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def filed(client, listed):
    _, rows = listed
    response = file_api(client, rows[0], ktp_photo=png())
    assert response.status_code == 201, response.content
    return Objection.objects.get(receipt=response.json()["receipt"]), rows


def test_filed_from_a_positive_check_and_followed_by_receipt(client, filed):
    objection, rows = filed
    assert re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", objection.receipt)
    assert objection.ktp_photo and objection.status == ObjectionStatus.FILED
    assert AuditEvent.objects.filter(action=actions.OBJECTION_FILE, object_id=str(objection.pk)).exists()
    followed = client.get(reverse("objections_api:public-receipt", args=[objection.receipt])).json()
    assert followed == {
        "receipt": objection.receipt,
        "status": "filed",
        "status_label": "Diterima, menunggu klarifikasi",
        "filed_on": timezone.localdate(objection.filed_at).isoformat(),
        "decided_on": None,
    }
    page = client.get(reverse("objections:receipt"), {"kode": objection.receipt.lower()}).content.decode()
    assert "menunggu klarifikasi" in page and rows[0].name not in page and rows[0].nik not in page
    assert client.get(reverse("objections:receipt"), {"kode": "AAAA-BBBB-CCCC-DDDD"}).status_code == 404
    assert client.get(reverse("objections_api:public-receipt", args=["AAAA-BBBB"])).status_code == 404


def test_the_receipt_dates_are_the_local_day_not_utcs(client, filed):
    """06:30 WIB is 23:30 UTC the day before: the public sees the day in Indonesia (CI found the UTC date)."""
    objection, _rows = filed
    early = local_dt(today(), 6, 30)
    assert early.astimezone(datetime.UTC).date() != today()
    Objection.objects.filter(pk=objection.pk).update(filed_at=early, decided_at=early)
    followed = client.get(reverse("objections_api:public-receipt", args=[objection.receipt])).json()
    assert (followed["filed_on"], followed["decided_on"]) == (today().isoformat(), today().isoformat())


def test_filing_through_the_page(client, listed):
    _, rows = listed
    response = client.post(
        reverse("objections:file"),
        {
            "token": _token(client, rows[1]),
            "statement": "Saya tidak memberikan dukungan ini.",
            "email": "warga@example.org",
            "altcha": solved_over_http(client),
        },
    )
    assert response.status_code == 201
    receipt = re.search(r'id="receipt-code">([A-Z0-9-]+)<', response.content.decode()).group(1)
    assert Objection.objects.get(receipt=receipt).supporter_id == rows[1].pk


def test_filing_refusals(client, listed):
    _, rows = listed
    no_contact = file_api(client, rows[0], phone="")
    assert no_contact.status_code == 400 and "telepon atau alamat surel" in no_contact.json()["detail"]
    not_image = file_api(client, rows[0], ktp_photo=SimpleUploadedFile("ktp.png", b"%PDF-1.4 nope"))
    assert not_image.status_code == 400 and "JPEG atau PNG" in not_image.json()["detail"]
    forged = file_api(client, rows[0], token="eyJzIjoxfQ:forged")
    assert forged.status_code == 400
    no_challenge = file_api(client, rows[0], altcha="")
    assert no_challenge.status_code == 400
    assert file_api(client, rows[0]).status_code == 201
    again = file_api(client, rows[0])
    assert again.status_code == 400 and "sudah diajukan" in again.json()["detail"]
    assert Objection.objects.count() == 1


def _decide(client, objection, **fields):
    body = {
        "decision": "confirm",
        "clarified_on": timezone.localdate().isoformat(),
        "notes": "BA.5-KWK no. 1",
        **fields,
    }
    return client.post(reverse("objections:decide", args=[objection.pk]), body)


def test_operator_confirms_and_every_count_follows(client, filed, kpu, pair):
    objection, rows = filed
    upload = Upload.objects.get(pk=rows[0].upload_id)
    before = (upload.rows_accepted, upload.rows_rejected, sum(upload.recap.values()))
    operator_client = _logged_in(kpu)
    queue = operator_client.get(reverse("objections:queue")).content.decode()
    assert reverse("objections:detail", args=[objection.pk]) in queue and rows[0].nik not in queue
    detail = operator_client.get(reverse("objections:detail", args=[objection.pk])).content.decode()
    assert 'id="decide-form"' in detail and rows[0].nik not in detail
    response = _decide(operator_client, objection)
    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.CONFIRMED and objection.decided_by == kpu
    row = Supporter.objects.get(pk=rows[0].pk)
    assert row.status == RowStatus.REJECTED and "SUPPORTER_DENIED" in row.reason_list
    upload.refresh_from_db()
    assert (upload.rows_accepted, upload.rows_rejected, sum(upload.recap.values())) == (
        before[0] - 1,
        before[1] + 1,
        before[2] - 1,
    )
    assert upload.reason_counts.get("SUPPORTER_DENIED") == 1
    event = AuditEvent.objects.get(action=actions.OBJECTION_DECIDE, object_id=str(objection.pk))
    assert event.after["status"] == "confirmed" and event.region_code == pair.election.region_code
    public = client.get(reverse("portal:pair", args=[pair.pk])).content.decode()
    assert "Keberatan warga yang dikonfirmasi KPU: 1 dukungan" in public
    followed = client.get(reverse("objections_api:public-receipt", args=[objection.receipt])).json()
    assert (followed["status"], followed["decided_on"]) == ("confirmed", timezone.localdate().isoformat())
    check = check_api(client, rows[0].nik, rows[0].name).json()
    entry = next(entry for e in check["elections"] for entry in e["entries"])
    assert entry["status"] == "tms"
    assert _decide(operator_client, objection).status_code == 400  # decided once


def test_operator_rejects_with_a_reason(filed, kpu):
    objection, rows = filed
    operator_client = _logged_in(kpu)
    refused = _decide(operator_client, objection, decision="reject")
    assert refused.status_code == 400 and "alasan" in refused.content.decode().lower()
    assert _decide(operator_client, objection, decision="reject", reason="Tanda tangan cocok").status_code == 302
    objection.refresh_from_db()
    assert (objection.status, objection.decision_reason) == (ObjectionStatus.REJECTED, "Tanda tangan cocok")
    assert Supporter.objects.get(pk=rows[0].pk).status == RowStatus.ACCEPTED


def test_decisions_follow_the_schedule(filed, kpu, pair):
    objection, _ = filed
    past = timezone.now() - datetime.timedelta(days=1)
    StageWindow.objects.filter(election=pair.election, stage=Stage.SUPPORT_SUBMISSION).update(
        starts_at=past - datetime.timedelta(days=5), ends_at=past
    )
    refused = _decide(_logged_in(kpu), objection)
    assert refused.status_code == 400 and "sudah ditutup" in refused.content.decode()
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.FILED


def test_search_by_nik_and_name_within_reach(filed, kpu, listed):
    objection, rows = filed
    operator_client = _logged_in(kpu)
    detail_url = reverse("objections:detail", args=[objection.pk])
    for query in (rows[0].nik, rows[0].name.split()[0].lower(), rows[0].name):
        page = operator_client.get(reverse("objections:queue"), {"q": query}).content.decode()
        assert detail_url in page, query
    other = operator_client.get(reverse("objections:queue"), {"q": rows[1].nik}).content.decode()
    assert detail_url not in other
    api = operator_client.get(reverse("objections_api:objection-list"), {"q": rows[0].nik}).json()
    assert [r["id"] for r in api["results"]] == [objection.pk] and api["results"][0]["nik"] != rows[0].nik


def test_other_areas_get_404_and_bawaslu_reads_masked(filed, kpu):
    objection, rows = filed
    elsewhere = _logged_in(operator("51"))
    assert elsewhere.get(reverse("objections:detail", args=[objection.pk])).status_code == 404
    assert _decide(elsewhere, objection).status_code == 404
    assert objection.pk not in [
        r["id"] for r in elsewhere.get(reverse("objections_api:objection-list")).json()["results"]
    ]
    bawaslu = _logged_in(UserFactory(role=Role.BAWASLU, level="", region_code="52"))
    before = AuditEvent.objects.filter(action=actions.OBJECTION_VIEW).count()
    page = bawaslu.get(reverse("objections:detail", args=[objection.pk])).content.decode()
    assert 'id="decide-form"' not in page and rows[0].nik not in page and "081234567890" not in page
    assert AuditEvent.objects.filter(action=actions.OBJECTION_VIEW).count() == before + 1
    assert _decide(bawaslu, objection).status_code == 403
    assert bawaslu.get(reverse("objections:photo", args=[objection.pk])).status_code == 404
    assert Objection.objects.get(pk=objection.pk).status == ObjectionStatus.FILED
    photo = _logged_in(kpu).get(reverse("objections:photo", args=[objection.pk]))
    assert photo.status_code == 200 and photo["Cache-Control"] == "no-store"


def test_the_lo_is_told(client, filed, lo, pair, kpu):
    objection, _ = filed
    lo_client = _logged_in(lo)
    dashboard = lo_client.get(reverse("dashboard:home")).content.decode()
    assert reverse("objections:pair", args=[pair.pk]) in dashboard and "1 diajukan, 0 dikonfirmasi" in dashboard
    pair_page = lo_client.get(reverse("support_uploads:pair", args=[pair.pk])).content.decode()
    assert f'id="pair-objections" href="{reverse("objections:pair", args=[pair.pk])}"' in pair_page
    listing = lo_client.get(reverse("objections:pair", args=[pair.pk])).content.decode()
    assert "menunggu klarifikasi" in listing and objection.receipt not in listing and "081234567890" not in listing
    stranger = _logged_in(UserFactory(role=Role.PAIR_OPERATOR, level="", region_code=""))
    assert stranger.get(reverse("objections:pair", args=[pair.pk])).status_code == 404
    assert (
        reverse("objections:detail", args=[objection.pk])
        in _logged_in(kpu).get(reverse("dashboard:home")).content.decode()
    )


def test_open_data_counts_checks_objections_and_confirmed(client, filed, kpu, pair):
    objection, _ = filed
    _decide(_logged_in(kpu), objection)
    counts = client.get(reverse("portal_api:objection-list")).json()
    row = next(r for r in counts if r["pair_id"] == pair.pk)
    assert (row["checks"], row["objections"], row["confirmed"], row["not_confirmed"]) == (1, 1, 1, 0)
    response = client.get(reverse("portal:csv", args=["keberatan"]))
    lines = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    line = next(r for r in lines if r["paslon_id"] == str(pair.pk))
    assert (line["cek_tercantum"], line["keberatan"], line["dikonfirmasi"]) == ("1", "1", "1")
    assert set(line) == {
        "paslon_id",
        "pemilihan_id",
        "cek_tercantum",
        "keberatan",
        "dikonfirmasi",
        "tidak_dikonfirmasi",
    }


def test_filing_follows_the_schedule(client, listed, pair):
    _, rows = listed
    token = _token(client, rows[0])  # the listing was found while the window was open
    past = timezone.now() - datetime.timedelta(days=1)
    StageWindow.objects.filter(election=pair.election, stage=Stage.SUPPORT_SUBMISSION).update(
        starts_at=past - datetime.timedelta(days=5), ends_at=past
    )
    late = file_api(client, rows[0], token=token)
    assert late.status_code == 400 and "sudah ditutup" in late.json()["detail"]
    assert not Objection.objects.exists()
