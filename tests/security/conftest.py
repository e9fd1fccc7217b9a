"""A small world of concrete objects for the security tests: two regencies of NTB (R = 52.01 Lombok
Barat, and 52.06 Bima), a regent election in each, independent pairs A and B and party pair P in R, an
independent pair in the other regency, a finished upload with supporters for A and B, a document, and one
user for every role the permission matrix checks."""

import datetime
import hashlib
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidacy.models import DocumentRequirement, ElectionType, Outage, OutageStatus, Path, Stage
from candidacy.services import document_upload, party_admin_issue, public_response_submit
from objections.hashing import nik_hash
from objections.models import Objection
from regions.codes import regency_of
from silon.accounts.models import KpuLevel, Role, User
from support_uploads.models import LoAccount, Supporter, Upload
from support_uploads.services import ktp_scan_upload, lo_account_issue, pair_team_register, resumable_create
from tests import clock
from tests.accounts.factories import UserFactory, operator
from tests.candidacy.factories import ElectionFactory, PairFactory, candidate, open_stage, pdf
from tests.support_uploads.conftest import (  # noqa: F401
    PDF,
    csv_bytes,
    election,
    kpu,
    lo,
    open_support_window,
    pair,
    regions_version,
    rows_for,
    villages,
)
from verification.models import (
    Batch,
    DocumentKind,
    RoundKind,
    SampleDraw,
    SampleDrawRow,
    Verdict,
    VerificationDocument,
    VerificationResult,
    VerificationRound,
    Visit,
)

REGENCY = "52.01"
OTHER_REGENCY = "52.06"


@dataclass
class World:
    election: object
    other_election: object
    pair_a: object
    pair_b: object
    pair_p: object
    pair_other: object
    upload_a: Upload
    upload_b: Upload
    supporter_a: Supporter
    document_a: object
    lo_account_spare: LoAccount
    users: dict[str, User | None]
    village: str
    round_a: object = None
    round_document_a: object = None
    scan_a: object = None
    factual_a: object = None
    duplicate_b: Supporter | None = None
    outage_p: object = None
    objection: object = None
    response_a: object = None  # a public response on pair A (masukan dan tanggapan masyarakat)
    resumable_a: object = None  # an unfinished resumable (tus) upload of pair A's LO


def _upload(client, user, target, rows, capture):
    client.force_login(user)
    with capture(execute=True):
        response = client.post(
            reverse("support_uploads:upload_post", args=[target.pk]),
            {"file": SimpleUploadedFile("dukungan.csv", csv_bytes(rows))},
        )
    assert response.status_code == 302, response.content[:500]
    client.logout()
    return Upload.objects.filter(pair=target).latest("pk")


@pytest.fixture
def world(
    db,
    client,
    settings,
    tmp_path,
    regions_version,  # noqa: F811
    villages,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    settings.MEDIA_ROOT = tmp_path
    in_r = [v for v in villages if v.startswith(REGENCY + ".")]
    election_r = ElectionFactory(
        region_version=regions_version,
        type=ElectionType.REGENT,
        region_code=REGENCY,
        region_name="Lombok Barat",
        dpt=100,
        polling_day=clock.polling_day(),
    )
    other = ElectionFactory(
        region_version=regions_version,
        type=ElectionType.REGENT,
        region_code=OTHER_REGENCY,
        region_name="Bima",
        dpt=100,
        polling_day=clock.polling_day(),
    )
    for e in (election_r, other):
        open_support_window(e)
        open_stage(e, Stage.REGISTRATION)
        open_stage(e, Stage.PUBLIC_RESPONSE)
    kpu_r = operator(REGENCY, username="kpu-r")
    kpu_other = operator(OTHER_REGENCY, username="kpu-lain")
    pair_a = PairFactory(election=election_r, name="Pasangan A")
    pair_b = PairFactory(election=election_r, name="Pasangan B")
    pair_p = PairFactory(election=election_r, name="Pasangan P", path=Path.PARTY)
    pair_other = PairFactory(election=other, name="Pasangan Lain")
    for i, p in enumerate((pair_a, pair_b, pair_p, pair_other)):
        candidate(p, "head", nik=f"520101120375{i:04d}")
    for p, actor in ((pair_a, kpu_r), (pair_b, kpu_r), (pair_other, kpu_other)):
        pair_team_register(actor=actor, pair=p, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="LO")
    lo_a = lo_account_issue(actor=kpu_r, pair=pair_a, password="Sandi-LO-2026!a")[0].user
    lo_account_b = lo_account_issue(actor=kpu_r, pair=pair_b, password="Sandi-LO-2026!b")[0]
    lo_b = lo_account_b.user
    # a second LO account of pair B, the one the matrix revokes
    lo_account_spare = lo_account_issue(actor=kpu_r, pair=pair_b, password="Sandi-LO-2026!c")[0]
    party_admin, _ = party_admin_issue(actor=kpu_r, pair=pair_p)
    for u in (lo_a, lo_b, party_admin):
        u.must_change_password = False
        u.save(update_fields=["must_change_password"])
    rows = rows_for(in_r, 3)
    rows[1]["rt"] = "abcd"  # one row refused, so the upload's pages list a (masked) supporter
    upload_a = _upload(client, lo_a, pair_a, rows, django_capture_on_commit_callbacks)
    upload_b = _upload(client, lo_b, pair_b, rows_for(in_r, 2, start=10), django_capture_on_commit_callbacks)
    supporter_a = Supporter.objects.filter(upload=upload_a).order_by("pk").first()
    assert supporter_a is not None
    requirement = DocumentRequirement.objects.filter(
        regulation=election_r.regulation, path=Path.INDEPENDENT, scope="pair"
    ).first()
    document_a = document_upload(actor=kpu_r, pair=pair_a, requirement=requirement, file=pdf())
    village = supporter_a.village_code
    users = {
        "anonymous": None,
        "lo_a": lo_a,
        "lo_b": lo_b,
        "party_admin_p": party_admin,
        "verifier_x": UserFactory(username="pps-x", role=Role.VERIFIER, level=KpuLevel.PPS, region_code=village),
        "kpu_r": kpu_r,
        "kpu_other": kpu_other,
        "kpu_province": operator("52", username="kpu-ntb"),
        "bawaslu": UserFactory(username="bawaslu-r", role=Role.BAWASLU, level="", region_code=REGENCY),
        "admin": UserFactory(
            username="admin", role=Role.ADMIN, level="", region_code="", is_staff=True, is_superuser=True
        ),
    }
    # a verification round of pair A and a document of it, written straight to the tables (the rounds'
    # own preconditions are tested in tests/support_uploads)
    round_a = VerificationRound.objects.create(
        election=election_r, pair=pair_a, kind=RoundKind.ADMINISTRATIVE, batch=Batch.INITIAL, opened_by=kpu_r
    )
    round_document_a = VerificationDocument.objects.create(
        round=round_a, kind=DocumentKind.SUPPORTER_LIST, fmt="pdf", village_code=village, requested_by=kpu_r
    )
    scan_a = ktp_scan_upload(actor=lo_a, pair=pair_a, village_code=village, file=pdf("ktp.pdf"))
    round_document_a.file.save("daftar.pdf", ContentFile(PDF), save=False)
    round_document_a.sha256 = hashlib.sha256(PDF).hexdigest()
    round_document_a.finished_at = timezone.now()
    round_document_a.save(update_fields=["file", "sha256", "finished_at"])
    head_a = pair_a.candidates.get(role="head")
    head_a.photo.save("foto.png", ContentFile(PNG), save=True)
    factual_a, duplicate_b = _factual_rounds(kpu_r, users["verifier_x"], election_r, pair_a, pair_b, supporter_a)
    # an outage the health probes proposed (national: the national KPU or an admin decides it)
    outage_p = Outage.objects.create(
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
        stages=[Stage.SUPPORT_SUBMISSION],
        status=OutageStatus.PROPOSED,
    )
    objection = Objection.objects.create(
        receipt="WXYZ-2345-6789-ABCD",
        election=election_r,
        pair=pair_a,
        supporter_id=supporter_a.pk,
        region_code=election_r.region_code,
        nik_hash=nik_hash(supporter_a.nik),
        name=supporter_a.name,
        statement="Saya tidak memberikan dukungan ini.",
        phone="081234567890",
        filed_at=timezone.now(),
    )
    objection.ktp_photo.save("ktp.png", ContentFile(PNG), save=True)
    response_a = public_response_submit(
        pair=pair_a,
        body="Ijazah calon diragukan.",
        name="Baiq Nurul Aini",
        nik="5201014101900001",
        contact="081234567890",
        evidence=pdf("bukti.pdf"),
    )
    resumable_a = resumable_create(actor=lo_a, pair=pair_a, length=1000, name="besar.csv")
    return World(
        election_r,
        other,
        pair_a,
        pair_b,
        pair_p,
        pair_other,
        upload_a,
        upload_b,
        supporter_a,
        document_a,
        lo_account_spare,
        users,
        village,
        round_a,
        round_document_a,
        scan_a,
        factual_a,
        duplicate_b,
        outage_p,
        objection,
        response_a,
        resumable_a,
    )


# a 1×1 PNG, the candidate's passport photo
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005"
    "0001ff5fe1a2d40000000049454e44ae426082"
)


def _factual_rounds(kpu_r, verifier, election_r, pair_a, pair_b, supporter_a):
    """Pair A's administrative round finds supporter A MS, so its factual round (open) lists supporter A,
    with a visit the verifier of desa X recorded; supporter A also supports pair B (same NIK, an external
    duplicate), and pair B has an open factual round too, so the supporter's choice can be recorded."""
    now = timezone.now()
    open_stage(election_r, Stage.FACTUAL_VERIFICATION)
    round_a = VerificationRound.objects.get(pair=pair_a, kind=RoundKind.ADMINISTRATIVE, batch=Batch.INITIAL)
    duplicate_b = Supporter.objects.filter(pair=pair_b, status=supporter_a.status).order_by("pk").first()
    Supporter.objects.filter(pk=duplicate_b.pk).update(nik=supporter_a.nik, village_code=supporter_a.village_code)
    factual = {}
    for target, supporter, admin_round in ((pair_a, supporter_a, round_a), (pair_b, duplicate_b, None)):
        admin_round = admin_round or VerificationRound.objects.create(
            election=election_r, pair=target, kind=RoundKind.ADMINISTRATIVE, batch=Batch.INITIAL, opened_by=kpu_r
        )
        VerificationResult.objects.create(
            round=admin_round,
            supporter=supporter,
            verdict=Verdict.MS,
            village_code=supporter.village_code,
            recorded_by=kpu_r,
            recorded_at=now,
        )
        factual[target.pk] = VerificationRound.objects.create(
            election=election_r, pair=target, kind=RoundKind.FACTUAL, batch=Batch.INITIAL, opened_by=kpu_r
        )
    VerificationResult.objects.create(
        round=factual[pair_a.pk],
        supporter=supporter_a,
        verdict=Verdict.PENDING,
        visit=Visit.NOT_MET,
        village_code=supporter_a.village_code,
        due_at=now + datetime.timedelta(days=3),
        recorded_by=verifier,
        recorded_at=now,
    )
    # pair A's factual round is by sample (PKPU 10/2022): its one kab/kota's draw took supporter A (N = n = 1);
    # its team has not recorded the start number form, so the sample page still offers it
    VerificationRound.objects.filter(pk=factual[pair_a.pk].pk).update(by_sample=True)
    factual[pair_a.pk].refresh_from_db()
    draw = SampleDraw.objects.create(
        round=factual[pair_a.pk],
        regency_code=regency_of(supporter_a.village_code),
        population=1,
        size=1,
        interval=1,
        chosen_start=1,
        start=1,
        sort_order="alamat, jenis kelamin, umur, NIK",
        age_on=election_r.polling_day,
        chi_square="3.841",
        proportion="0.5",
        margin="0.05",
        order_digest=hashlib.sha256(str(supporter_a.pk).encode()).hexdigest(),
        drawn_by=kpu_r,
    )
    SampleDrawRow.objects.create(draw=draw, supporter=supporter_a, position=1)
    duplicate_b.refresh_from_db()
    return factual[pair_a.pk], duplicate_b


@pytest.fixture
def demo(settings, tmp_path, django_capture_on_commit_callbacks):
    """The demo as ``make run`` loads it (demo_load's steps), the Kemendagri list included."""
    import io
    from importlib import import_module

    from silon.accounts.management.commands.demo_load import DEMO_STEPS

    settings.MEDIA_ROOT = tmp_path
    ctx: dict = {}
    with django_capture_on_commit_callbacks(execute=True):
        for step in DEMO_STEPS:
            import_module(step).build(ctx=ctx, stdout=io.StringIO())
    return ctx
