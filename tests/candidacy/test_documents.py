from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from candidacy.models import DocumentCheck, DocumentRequirement, PairStatus, Path, Stage
from candidacy.selectors import pair_document_checklist, pair_documents_complete
from candidacy.services import StageClosedError, document_check, document_upload, stage_extension_grant
from silon.accounts.models import Role
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory, operator

from .factories import PDF, ElectionFactory, PairFactory, candidate, open_stage, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 1024


@pytest.fixture
def pair():
    election = ElectionFactory()
    open_stage(election, Stage.REGISTRATION)
    p = PairFactory(election=election, path=Path.PARTY)
    candidate(p, "head")
    candidate(p, "deputy")
    return p


def req(pair, code):
    return DocumentRequirement.objects.get(regulation=pair.election.regulation, path=pair.path, code=code)


def test_checklist_is_seeded_per_path_and_regulation(pair):
    party_codes = set(
        DocumentRequirement.objects.filter(regulation=pair.election.regulation, path=Path.PARTY).values_list(
            "code", flat=True
        )
    )
    independent_codes = set(
        DocumentRequirement.objects.filter(regulation=pair.election.regulation, path=Path.INDEPENDENT).values_list(
            "code", flat=True
        )
    )
    assert {
        "nomination_letter",
        "party_approval",
        "statement",
        "cv",
        "diploma",
        "court_criminal",
        "skck",
        "tax",
        "lhkpn",
        "health",
        "resignation",
    } <= party_codes
    assert "nomination_letter" not in independent_codes and "skck" in independent_codes
    rows = pair_document_checklist(pair)
    per_candidate = DocumentRequirement.objects.filter(
        regulation=pair.election.regulation, path=Path.PARTY, scope="candidate"
    ).count()
    assert len(rows) == len(party_codes) + per_candidate  # candidate documents appear once per candidate


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("surat.docx", PDF, "berformat PDF"),  # not a PDF by name
        ("surat.pdf", b"PK\x03\x04 a zip renamed to pdf", "bukan PDF yang sah"),  # fake PDF
        ("surat.pdf", PDF + b"0" * 1024, "melebihi batas"),  # oversize (limit set to 1 KB here)
        ("surat.pdf", b"", "kosong"),
    ],
)
def test_upload_refuses_non_pdf_fake_pdf_and_oversize(pair, name, content, message):
    with pytest.raises(ValidationError, match=message):
        document_upload(
            actor=operator("52"), pair=pair, requirement=req(pair, "nomination_letter"), file=pdf(name, content)
        )
    assert not pair.documents.exists()


def test_revisions_are_kept_never_overwritten(pair):
    actor = operator("52")
    first = document_upload(actor=actor, pair=pair, requirement=req(pair, "nomination_letter"), file=pdf())
    second = document_upload(
        actor=actor, pair=pair, requirement=req(pair, "nomination_letter"), file=pdf(content=PDF + b"% revised\n")
    )
    assert (first.revision, second.revision) == (1, 2)
    assert first.file.name != second.file.name
    first.refresh_from_db()
    assert first.file.read() == PDF
    assert first.sha256 != second.sha256
    row = next(r for r in pair_document_checklist(pair) if r["requirement"].code == "nomination_letter")
    assert row["latest"] == second and row["revisions"] == [second, first]


def test_candidate_documents_need_their_candidate(pair):
    with pytest.raises(ValidationError, match="Pilih calon"):
        document_upload(actor=operator("52"), pair=pair, requirement=req(pair, "skck"), file=pdf())
    head = pair.candidates.get(role="head")
    doc = document_upload(actor=operator("52"), pair=pair, requirement=req(pair, "skck"), candidate=head, file=pdf())
    assert doc.candidate == head


def test_upload_belongs_to_registration_or_correction(pair):
    upload = {"actor": operator("52"), "pair": pair, "requirement": req(pair, "vision"), "file": pdf()}
    pair.status = PairStatus.UNDER_REVIEW
    pair.save()
    with pytest.raises(ValidationError, match="saat pendaftaran"):
        document_upload(**upload)
    pair.status = PairStatus.NEEDS_CORRECTION  # a correction asked by KPU reopens uploads for this pair
    pair.save()
    document_upload(**upload | {"file": pdf()})


@pytest.mark.parametrize("status", [PairStatus.DRAFT, PairStatus.NEEDS_CORRECTION])
def test_upload_is_refused_outside_the_registration_window_unless_extended(pair, status):
    pair.status = status
    pair.save()
    upload = {"actor": operator("52"), "pair": pair, "requirement": req(pair, "vision")}
    pair.election.stage_windows.all().delete()
    with pytest.raises(StageClosedError, match="belum dijadwalkan"):
        document_upload(**upload, file=pdf())
    open_stage(pair.election, Stage.REGISTRATION, days_before=10, days_after=-1)  # closed yesterday
    with pytest.raises(StageClosedError, match="sudah ditutup"):
        document_upload(**upload, file=pdf())
    assert not pair.documents.exists()
    stage_extension_grant(
        actor=operator("52"),
        election=pair.election,
        stage=Stage.REGISTRATION,
        pair=pair,
        extended_until=timezone.now() + timedelta(hours=24),
        reason="Perbaikan diminta pada hari terakhir",
    )
    assert document_upload(**upload, file=pdf()).revision == 1


def test_check_records_verdict_and_requires_a_note_when_incomplete(pair):
    actor = operator("52")
    doc = document_upload(actor=actor, pair=pair, requirement=req(pair, "vision"), file=pdf())
    with pytest.raises(ValidationError, match="Catatan wajib"):
        document_check(actor=actor, document=doc, status=DocumentCheck.INCOMPLETE, note="")
    document_check(actor=actor, document=doc, status=DocumentCheck.INCOMPLETE, note="Tidak bertanda tangan")
    assert "Naskah visi, misi, dan program" in pair_documents_complete(pair)
    document_check(actor=actor, document=doc, status=DocumentCheck.COMPLETE)
    assert "Naskah visi, misi, dan program" not in pair_documents_complete(pair)
    assert AuditEvent.objects.filter(action="document.check").count() == 2


def test_download_goes_through_a_checked_and_audited_view(pair, client):
    doc = document_upload(actor=operator("52"), pair=pair, requirement=req(pair, "vision"), file=pdf())
    url = reverse("candidacy:document_download", args=[doc.pk])
    client.force_login(operator("52.06"))
    assert client.get(url).status_code == 404
    client.force_login(operator("52"))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="document.download", object_id=str(doc.pk)).exists()
    # media is not served at its storage path
    client.force_login(UserFactory(role=Role.ADMIN, region_code="", is_superuser=True))
    assert client.get("/media/" + doc.file.name).status_code == 404


def test_upload_through_the_page(pair, client):
    client.force_login(operator("52"))
    url = reverse("candidacy:documents", args=[pair.pk])
    response = client.post(
        url, {"requirement": req(pair, "vision").pk, "file": pdf("fake.pdf", b"<html>")}, follow=True
    )
    assert "bukan PDF yang sah" in response.content.decode()
    response = client.post(url, {"requirement": req(pair, "vision").pk, "file": pdf()}, follow=True)
    assert response.status_code == 200
    assert pair.documents.count() == 1


def test_an_identity_scan_opens_only_for_the_whole_record_view(pair, client):
    """Issue #15 / SECURITY.md "Images": an image cannot be masked, so a candidate's KTP-el copy is opened by KPU
    of the jurisdiction and the pair's own team only. Bawaslu of the area opens every other document (the
    requirements it supervises), not this one, on the page, its list or the API, and is not linked to it."""
    kpu = operator("52")
    head = pair.candidates.get(role="head")
    ktp = document_upload(actor=kpu, pair=pair, requirement=req(pair, "ktp"), candidate=head, file=pdf())
    vision = document_upload(actor=kpu, pair=pair, requirement=req(pair, "vision"), file=pdf())
    bawaslu = UserFactory(role=Role.BAWASLU, level="", region_code="52")
    urls = {
        doc: [
            reverse("candidacy:document_download", args=[doc.pk]),
            reverse("candidacy_api:document-file", args=[doc.pk]),
        ]
        for doc in (ktp, vision)
    }
    for user, ktp_status in ((kpu, 200), (bawaslu, 404)):
        client.force_login(user)
        for url in urls[ktp]:
            assert client.get(url).status_code == ktp_status, (user.role, url)
        for url in urls[vision]:
            assert client.get(url).status_code == 200, (user.role, url)
    page = client.get(reverse("candidacy:documents", args=[pair.pk])).content.decode()  # as Bawaslu
    assert urls[vision][0] in page and urls[ktp][0] not in page
    assert "gambar identitas, tidak dibuka untuk peran Anda" in page
    downloads = AuditEvent.objects.filter(action="document.download", actor=bawaslu)
    assert set(downloads.values_list("object_id", flat=True)) == {str(vision.pk)}
