"""The candidacy API for the persons of a pair and its required documents: the same services as the pages,
400 per field on refusal, NIK masked in lists, jurisdiction 404s, read-only roles, and the audit trail."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import assign_perm

from candidacy.models import (
    Candidate,
    Document,
    DocumentCheck,
    DocumentRequirement,
    ElectionType,
    PairStatus,
    Path,
    Stage,
    StageWindow,
)
from candidacy.services import party_admin_issue
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests import clock
from tests.accounts.factories import UserFactory, operator

from .factories import PDF, ElectionFactory, PairFactory, RegisteringElectionFactory, candidate, open_stage

pytestmark = pytest.mark.django_db
API = "/api/candidacy"

HEAD = {
    "nik": "5201011203750001",
    "name": "Lalu Uji",
    "birth_place": "Mataram",
    "birth_date": "1975-03-12",
    "sex": "M",
    "address": "Jl. Pejanggik 1",
    "education": "S1",
    "occupation": "Wiraswasta",
}
DEPUTY = HEAD | {"nik": "5271016108800002", "name": "Baiq Uji", "birth_date": "1980-08-21", "sex": "F"}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024


@pytest.fixture
def lobar():
    election = ElectionFactory(type=ElectionType.REGENT, region_code="52.01", region_name="Lombok Barat")
    open_stage(election, Stage.REGISTRATION)
    return election


@pytest.fixture
def pair(lobar):
    return PairFactory(election=lobar, name="Pasangan A")


@pytest.fixture
def kpu(client):
    user = operator("52.01")
    client.force_login(user)
    return user


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def req(pair, code):
    return DocumentRequirement.objects.get(regulation=pair.election.regulation, path=pair.path, code=code)


def upload(client, pair, requirement, content=PDF, name="surat.pdf", candidate=None):
    data = {"requirement": requirement, "file": SimpleUploadedFile(name, content, content_type="application/pdf")}
    if candidate:
        data["candidate"] = candidate
    return client.post(f"{API}/pairs/{pair.pk}/documents/", data)


# --- candidates ------------------------------------------------------------------------------------


def test_put_creates_then_replaces_a_candidate_masked_in_lists_and_audited(client, kpu, pair):
    url = f"{API}/pairs/{pair.pk}/candidates/head/"
    created = put(client, url, HEAD | {"cv_summary": "Guru", "cv_publication_consent": True})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["nik_masked"] == "520101******0001" and "nik" not in body and "address" not in body
    assert body["cv_publication_consent"] is True
    person = Candidate.objects.get(pair=pair, role="head")
    assert (person.nik, person.birth_date, person.cv_summary) == (
        "5201011203750001",
        datetime.date(1975, 3, 12),
        "Guru",
    )
    event = AuditEvent.objects.get(action="candidate.set")
    assert event.actor == kpu and event.after["nik"] == "520101******0001"
    assert "5201011203750001" not in str(event.after) + str(event.before)

    replaced = put(client, url, HEAD | {"name": "Lalu Uji Perbaikan"})
    assert replaced.status_code == 200 and replaced.json()["name"] == "Lalu Uji Perbaikan"
    assert Candidate.objects.filter(pair=pair).count() == 1
    # PUT is a whole record: the consent not sent is the form's unticked box
    assert Candidate.objects.get(pk=person.pk).cv_publication_consent is False
    assert put(client, f"{API}/pairs/{pair.pk}/candidates/deputy/", DEPUTY).status_code == 201

    listed = client.get(f"{API}/pairs/{pair.pk}/candidates/").json()
    assert [(c["role"], c["nik_masked"]) for c in listed] == [
        ("head", "520101******0001"),
        ("deputy", "527101******0002"),
    ]
    assert "5201011203750001" not in str(listed) and "Pejanggik" not in str(listed)
    pair_body = client.get(f"{API}/pairs/{pair.pk}/").json()
    assert "5201011203750001" not in str(pair_body)


def test_patch_changes_only_the_fields_sent(client, kpu, pair):
    url = f"{API}/pairs/{pair.pk}/candidates/head/"
    assert patch(client, url, {"name": "X"}).status_code == 404  # nothing to correct yet
    put(client, url, HEAD | {"cv_summary": "Guru", "cv_publication_consent": True})
    empty = patch(client, url, {})
    assert empty.status_code == 400 and "sedikitnya satu kolom" in str(empty.json())
    assert AuditEvent.objects.filter(action="candidate.set").count() == 1  # the empty PATCH wrote nothing
    response = patch(client, url, {"occupation": "Petani", "cv_publication_consent": False})
    assert response.status_code == 200, response.json()
    person = Candidate.objects.get(pair=pair, role="head")
    assert (person.occupation, person.name, person.nik, person.cv_summary) == (
        "Petani",
        "Lalu Uji",
        "5201011203750001",
        "Guru",
    )
    assert person.cv_publication_consent is False
    # the same consent flag sent as a form field (multipart), as a client uploading a photo would
    response = client.patch(url, _multipart({"cv_publication_consent": "true"}), content_type=MULTIPART)
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert person.cv_publication_consent is True and person.occupation == "Petani"


def _multipart(fields: dict, files: dict | None = None) -> bytes:
    """A multipart body for PUT/PATCH (the test client encodes multipart for POST only)."""
    body = b""
    for name, value in fields.items():
        body += f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
    for name, (filename, content) in (files or {}).items():
        body += (
            (
                f'--BoUnDaRy\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
    return body + b"--BoUnDaRy--\r\n"


MULTIPART = "multipart/form-data; boundary=BoUnDaRy"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"nik": "520101120375000"}, "nik", "16 digit"),  # shape, refused by the input layer
        ({"sex": "F"}, "nik", "tidak sesuai"),  # NIK day not +40 for a woman
        ({"nik": "5201011203760001"}, "nik", "tidak sesuai"),  # NIK year differs from the birth date
        ({"nik": "5201019903750001"}, "nik", "bukan tanggal lahir"),
        ({"sex": "X"}, "sex", ""),
        ({"birth_date": "12-03-1975"}, "birth_date", ""),
        ({"name": ""}, "name", ""),
    ],
)
def test_refused_candidate_answers_400_with_the_field(client, kpu, pair, changes, field, message):
    response = put(client, f"{API}/pairs/{pair.pk}/candidates/head/", HEAD | changes)
    assert response.status_code == 400
    errors = response.json()
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Candidate.objects.exists()
    assert not AuditEvent.objects.filter(action="candidate.set").exists()


def test_one_person_one_pair_per_election_and_age_at_determination(client, kpu, lobar, pair):
    other = PairFactory(election=lobar, name="Pasangan B")
    assert put(client, f"{API}/pairs/{pair.pk}/candidates/head/", HEAD).status_code == 201
    clash = put(client, f"{API}/pairs/{other.pk}/candidates/head/", HEAD)
    assert clash.status_code == 400 and "sudah terdaftar pada pasangan Pasangan A" in clash.json()["nik"][0]
    also = put(client, f"{API}/pairs/{pair.pk}/candidates/deputy/", HEAD)
    assert also.status_code == 400 and "nik" in also.json()
    # the same person in another election is fine
    elsewhere = PairFactory(election=RegisteringElectionFactory(type=ElectionType.REGENT, region_code="52.01"))
    assert put(client, f"{API}/pairs/{elsewhere.pk}/candidates/head/", HEAD).status_code == 201

    # regent/mayor: 25 on the day of determination (MK 70/PUU-XXII/2024)
    day = clock.local_dt(clock.polling_day(), 9) - datetime.timedelta(days=30)
    StageWindow.objects.create(
        election=lobar, stage=Stage.DETERMINATION, starts_at=day, ends_at=day + datetime.timedelta(hours=8)
    )
    born = clock.years_before(day.date(), 25) + datetime.timedelta(days=1)  # 25 one day later
    young = HEAD | {"nik": f"520101{born:%d%m%y}0003", "birth_date": born.isoformat()}
    response = put(client, f"{API}/pairs/{other.pk}/candidates/head/", young)
    assert response.status_code == 400 and "belum 25 tahun" in response.json()["birth_date"][0]
    assert not Candidate.objects.filter(pair=other).exists()


def test_candidates_are_fixed_once_the_pair_is_under_review(client, kpu, lobar):
    pair = PairFactory(election=lobar, status=PairStatus.UNDER_REVIEW)
    response = put(client, f"{API}/pairs/{pair.pk}/candidates/head/", HEAD)
    assert response.status_code == 400 and "draf atau perbaikan" in str(response.json())


def test_photo_upload_checks_type_and_size_and_is_served(client, kpu, pair):
    url = f"{API}/pairs/{pair.pk}/candidates/head/"
    for name, content, message in [
        ("foto.gif", b"GIF89a" + b"\x00" * 10, "JPG atau PNG"),
        ("foto.jpg", PNG, "tidak sesuai"),
        ("foto.jpg", JPEG[:4] + b"\x00" * (2 * 1024 * 1024), "melebihi"),
    ]:
        refused = client.put(url, _multipart(HEAD, {"photo": (name, content)}), content_type=MULTIPART)
        assert refused.status_code == 400 and message in refused.json()["photo"][0], refused.json()
    assert not Candidate.objects.exists()
    created = client.put(url, _multipart(HEAD, {"photo": ("foto.png", PNG)}), content_type=MULTIPART)
    assert created.status_code == 201 and created.json()["has_photo"] is True, created.json()
    served = client.get(url + "photo/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    # a correction without a new photo keeps the one stored
    assert patch(client, url, {"occupation": "Petani"}).json()["has_photo"] is True
    replaced = client.patch(url, _multipart({}, {"photo": ("foto.jpg", JPEG)}), content_type=MULTIPART)
    assert replaced.status_code == 200
    assert b"".join(client.get(url + "photo/").streaming_content) == JPEG
    assert client.get(f"{API}/pairs/{pair.pk}/candidates/deputy/photo/").status_code == 404


def test_full_record_only_in_detail_and_every_read_audited(client, kpu, pair):
    candidate(pair, "head")
    response = client.get(f"{API}/pairs/{pair.pk}/candidates/head/")
    assert response.status_code == 200
    body = response.json()
    assert body["nik"] == "5201011203750001" and body["address"] == "Jl. Pejanggik 1"
    assert body["birth_date"] == "1975-03-12" and "nik_masked" not in body  # never the NIK beside a masked copy
    event = AuditEvent.objects.get(action="candidate.view")
    assert event.actor == kpu and event.after == {"nik": "520101******0001", "api": True}
    assert client.get(f"{API}/pairs/{pair.pk}/candidates/deputy/").status_code == 404  # not entered
    assert client.get(f"{API}/pairs/{pair.pk}/candidates/kepala/").status_code == 404  # not a role


# --- documents -------------------------------------------------------------------------------------


def test_checklist_upload_revisions_and_refusals(client, kpu, pair):
    candidate(pair, "head")
    checklist = client.get(f"{API}/pairs/{pair.pk}/documents/").json()
    rows = {(r["requirement"]["code"], r["candidate"]): r for r in checklist}
    assert rows[("vision", None)]["state"] == "missing" and rows[("skck", "head")]["revisions"] == []
    assert ("nomination_letter", None) not in rows  # party-path only

    first = upload(client, pair, "vision")
    assert first.status_code == 201, first.json()
    assert first.json()["revision"] == 1 and first.json()["check_status"] == DocumentCheck.PENDING
    second = upload(client, pair, "vision", content=PDF + b"% perbaikan\n")
    assert second.status_code == 201 and second.json()["revision"] == 2
    assert first.json()["sha256"] != second.json()["sha256"]

    for name, content, message in [
        ("surat.docx", PDF, "berformat PDF"),  # not a PDF by name
        ("surat.pdf", b"PK\x03\x04 a zip renamed", "bukan PDF yang sah"),  # not a PDF by content
        ("surat.pdf", PDF + b"0" * 1024, "melebihi batas"),  # over DOCUMENT_UPLOAD_MAX_BYTES (1 KB here)
    ]:
        refused = upload(client, pair, "vision", content=content, name=name)
        assert refused.status_code == 400 and message in refused.json()["file"][0], refused.json()
    missing_holder = upload(client, pair, "skck")
    assert missing_holder.status_code == 400 and "Pilih calon" in str(missing_holder.json())
    assert upload(client, pair, "nomination_letter").status_code == 400  # not on this path's checklist
    assert upload(client, pair, "skck", candidate="deputy").status_code == 400  # no deputy entered
    assert upload(client, pair, "skck", candidate="head").status_code == 201

    assert Document.objects.filter(pair=pair, requirement=req(pair, "vision")).count() == 2
    assert AuditEvent.objects.filter(action="document.upload").count() == 3
    row = next(
        r for r in client.get(f"{API}/pairs/{pair.pk}/documents/").json() if r["requirement"]["code"] == "vision"
    )
    assert [r["revision"] for r in row["revisions"]] == [2, 1]  # the earlier revision is kept
    assert row["latest"]["revision"] == 2 and row["state"] == DocumentCheck.PENDING


def test_checklist_queries_do_not_grow_with_revisions(client, kpu, pair, django_assert_num_queries):
    candidate(pair, "head")
    candidate(pair, "deputy")
    url = f"{API}/pairs/{pair.pk}/documents/"
    upload(client, pair, "vision")
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    queries = len(one)  # read now: the next request resets the connection's query log
    for _ in range(3):
        upload(client, pair, "vision")
    for role in ("head", "deputy"):
        upload(client, pair, "skck", candidate=role)
        upload(client, pair, "ktp", candidate=role)
    with django_assert_num_queries(queries):
        rows = client.get(url).json()
    assert sum(len(r["revisions"]) for r in rows) == 8


def test_upload_outside_registration_or_review_is_refused(client, kpu, lobar):
    closed = PairFactory(election=lobar, status=PairStatus.UNDER_REVIEW)
    response = upload(client, closed, "vision")
    assert response.status_code == 400 and "pendaftaran" in str(response.json())
    StageWindow.objects.filter(election=lobar).delete()
    draft = PairFactory(election=lobar)
    response = upload(client, draft, "vision")
    assert response.status_code == 400 and "belum dijadwalkan" in str(response.json())


def test_operator_checks_a_revision_complete_or_incomplete_with_a_note(client, kpu, pair):
    document_id = upload(client, pair, "vision").json()["id"]
    check = f"{API}/documents/{document_id}/check/"
    bare = client.post(check, {"status": "incomplete"}, content_type="application/json")
    assert bare.status_code == 400 and "Catatan wajib" in str(bare.json())
    assert client.post(check, {"status": "maybe"}, content_type="application/json").status_code == 400
    response = client.post(
        check, {"status": "incomplete", "note": "Tidak bertanda tangan"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["check_status"] == "incomplete" and response.json()["checked_by"] == kpu.username
    response = client.post(check, {"status": "complete"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["check_status"] == "complete"
    events = AuditEvent.objects.filter(action="document.check").order_by("pk")
    assert [e.after["status"] for e in events] == ["incomplete", "complete"]
    assert events[1].before == {"status": "incomplete", "note": "Tidak bertanda tangan"}
    row = next(
        r for r in client.get(f"{API}/pairs/{pair.pk}/documents/").json() if r["requirement"]["code"] == "vision"
    )
    assert row["state"] == "complete"
    assert client.get(f"{API}/documents/{document_id}/").json()["check_status"] == "complete"


def test_download_is_audited_for_every_reader(client, kpu, pair):
    document_id = upload(client, pair, "vision").json()["id"]
    response = client.get(f"{API}/documents/{document_id}/file/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="vision-r1.pdf"' in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="document.download")
    assert event.actor == kpu and event.object_id == str(document_id)


# --- who may do what ---------------------------------------------------------------------------------


@pytest.fixture
def pair_with_document(client, kpu, pair):
    candidate(pair, "head")
    document_id = upload(client, pair, "vision").json()["id"]
    client.logout()
    return pair, document_id


def _urls(pair, document_id):
    return {
        "candidates": f"{API}/pairs/{pair.pk}/candidates/",
        "candidate": f"{API}/pairs/{pair.pk}/candidates/head/",
        "documents": f"{API}/pairs/{pair.pk}/documents/",
        "document": f"{API}/documents/{document_id}/",
        "file": f"{API}/documents/{document_id}/file/",
    }


def _writes(client, pair, document_id):
    urls = _urls(pair, document_id)
    return {
        "put": put(client, urls["candidate"], HEAD).status_code,
        "patch": patch(client, urls["candidate"], {"name": "X"}).status_code,
        "upload": upload(client, pair, "vision").status_code,
        "check": client.post(urls["document"] + "check/", {"status": "complete"}).status_code,
    }


def test_operator_of_another_regency_gets_404_on_everything(client, pair_with_document):
    pair, document_id = pair_with_document
    client.force_login(operator("52.06"))
    for name, url in _urls(pair, document_id).items():
        assert client.get(url).status_code == 404, name
    assert client.get(f"{API}/pairs/{pair.pk}/candidates/head/photo/").status_code == 404
    assert set(_writes(client, pair, document_id).values()) == {404}
    assert Document.objects.count() == 1 and Candidate.objects.get().name == "Lalu Uji"


def test_province_operator_reaches_the_regency(client, pair_with_document):
    pair, document_id = pair_with_document
    client.force_login(operator("52"))
    for name, url in _urls(pair, document_id).items():
        assert client.get(url).status_code == 200, name
    assert patch(client, f"{API}/pairs/{pair.pk}/candidates/head/", {"name": "Lalu Uji"}).status_code == 200


def test_anonymous_gets_nothing(client, pair_with_document):
    pair, document_id = pair_with_document
    for name, url in _urls(pair, document_id).items():
        assert client.get(url).status_code == 403, name
    assert set(_writes(client, pair, document_id).values()) == {403}


def test_lo_reads_its_own_pair_only_and_changes_nothing(client, lobar, pair_with_document):
    pair, document_id = pair_with_document
    other = PairFactory(election=lobar)
    lo = UserFactory(role=Role.PAIR_OPERATOR, level="", region_code="")
    assign_perm("candidacy.operate_pair", lo, pair)
    client.force_login(lo)
    for name, url in _urls(pair, document_id).items():
        assert client.get(url).status_code == 200, name
    # a candidate's NIK is KPU's alone (silon.privacy.POLICY): the team gets it masked, the year of birth only
    record = client.get(f"{API}/pairs/{pair.pk}/candidates/head/").json()
    assert (record["nik"], record["birth_date"], record["birth_year"]) == ("520101******0001", None, 1975)
    assert AuditEvent.objects.filter(action="candidate.view", actor=lo).count() == 2  # one per read
    assert AuditEvent.objects.filter(action="document.download", actor=lo).count() == 1
    assert set(_writes(client, pair, document_id).values()) == {403}
    for url in (f"{API}/pairs/{other.pk}/candidates/", f"{API}/pairs/{other.pk}/documents/"):
        assert client.get(url).status_code == 404
    assert Document.objects.count() == 1 and Candidate.objects.get().name == "Lalu Uji"


def test_party_admin_reads_its_pair_and_confirms_the_documents(client, lobar):
    kpu = operator("52.01")
    party_pair = PairFactory(election=lobar, path=Path.PARTY, name="Koalisi")
    other = PairFactory(election=lobar, path=Path.PARTY)
    candidate(party_pair, "head")
    client.force_login(kpu)
    upload(client, party_pair, "nomination_letter")
    admin, _password = party_admin_issue(actor=kpu, pair=party_pair)
    admin.must_change_password = False
    admin.save()
    client.force_login(admin)
    codes = [r["requirement"]["code"] for r in client.get(f"{API}/pairs/{party_pair.pk}/documents/").json()]
    assert "nomination_letter" in codes
    assert client.get(f"{API}/pairs/{party_pair.pk}/candidates/").status_code == 200
    assert client.get(f"{API}/pairs/{other.pk}/documents/").status_code == 404
    assert upload(client, party_pair, "nomination_letter").status_code == 403
    document = Document.objects.get(pair=party_pair)
    assert client.post(f"{API}/documents/{document.pk}/check/", {"status": "complete"}).status_code == 403
    confirmed = client.post(f"{API}/pairs/{party_pair.pk}/confirm/", {"note": "Sesuai"})
    assert confirmed.status_code == 201
    snapshot = confirmed.json()["snapshot"]
    assert snapshot["documents"] == [
        {"requirement": "nomination_letter", "candidate": None, "revision": 1, "sha256": document.sha256}
    ]
    client.force_login(kpu)
    listed = client.get(f"{API}/pairs/{party_pair.pk}/confirm/").json()
    assert [(c["confirmed_by"], c["note"]) for c in listed] == [(admin.username, "Sesuai")]


def test_bawaslu_reads_with_every_view_logged_and_writes_nothing(client, pair_with_document):
    pair, document_id = pair_with_document
    bawaslu = UserFactory(role=Role.BAWASLU, level="", region_code="52.01")
    client.force_login(bawaslu)
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    for name, url in _urls(pair, document_id).items():
        assert client.get(url).status_code == 200, name
    events = AuditEvent.objects.filter(pk__gt=before)
    actions = list(events.values_list("action", flat=True))
    assert set(events.values_list("actor", flat=True)) == {bawaslu.pk}
    # one event per read: the detail views write their own, the lists and the pair a supervision event
    # (the lists' from the view, with the ids shown; the rest from silon.audit.middleware); the document's
    # file, watermarked for the supervisor, also leaves its download id (silon.audit.downloads)
    assert len(actions) == len(_urls(pair, document_id)) + 1
    assert actions.count("supervision.view") == len(actions) - 3
    assert "candidate.view" in actions and "document.download" in actions
    assert set(actions) == {"supervision.view", "candidate.view", "document.download", "supervision.download"}
    assert set(_writes(client, pair, document_id).values()) == {403}
    assert AuditEvent.objects.filter(pk__gt=before).count() == len(actions)  # the refused writes left nothing


def test_bawaslu_reading_the_pair_list_is_audited(client, pair_with_document):
    pair, _document_id = pair_with_document
    bawaslu = UserFactory(role=Role.BAWASLU, level="", region_code="52.01")
    client.force_login(bawaslu)
    response = client.get("/api/candidacy/pairs/")
    assert response.status_code == 200
    assert pair.pk in [row["id"] for row in response.json()["results"]]
    event = AuditEvent.objects.filter(actor=bawaslu, action="supervision.view").latest("pk")
    assert pair.pk in event.after["ids"]
    client.force_login(operator(pair.election.region_code))
    before = AuditEvent.objects.count()
    assert client.get("/api/candidacy/pairs/").status_code == 200
    assert AuditEvent.objects.count() == before  # only Bawaslu's reads are supervision events
