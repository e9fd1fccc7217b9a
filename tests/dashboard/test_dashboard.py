"""The dashboard shows each role the work waiting for it, scoped like every other read."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidacy.models import Document, DocumentCheck, DocumentRequirement, PairStatus, Path, SupportStatus
from silon.accounts.models import Role
from support_uploads.services import lo_account_issue, pair_team_register
from tests.accounts.factories import UserFactory, operator
from tests.candidacy.factories import PDF, ElectionFactory, PairFactory, RegionListVersionFactory, province
from verification.models import Batch, RoundKind, VerificationRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    version = RegionListVersionFactory()
    province(version, regencies=6)
    lobar = ElectionFactory(
        region_version=version, type="regent", region_code="52.01", region_name="Lombok Barat", dpt=100_000
    )
    bima = ElectionFactory(region_version=version, type="regent", region_code="52.06", region_name="Bima", dpt=100_000)
    return {
        "lobar": lobar,
        "bima": bima,
        "lobar_pair": PairFactory(election=lobar, name="Paslon Lobar", path=Path.PARTY),
        "bima_pair": PairFactory(election=bima, name="Paslon Bima", path=Path.PARTY),
    }


def _document(pair, revision, status=DocumentCheck.PENDING):
    requirement = DocumentRequirement.objects.filter(regulation=pair.election.regulation, scope="pair").first()
    return Document.objects.create(
        pair=pair,
        requirement=requirement,
        revision=revision,
        file=SimpleUploadedFile(f"r{revision}.pdf", PDF),
        original_name=f"r{revision}.pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_by=UserFactory(),
        check_status=status,
    )


def _queue(response, key):
    return next(q for q in response.context["queues"] if q.key == key)


def test_operator_sees_its_elections_and_queues_only(client, world):
    _document(world["lobar_pair"], 1, DocumentCheck.INCOMPLETE)
    _document(world["lobar_pair"], 2)  # the newest revision waits for a check
    _document(world["bima_pair"], 1)  # outside reach
    world["bima_pair"].status = PairStatus.SUBMITTED
    world["bima_pair"].save()
    client.force_login(operator("52.01"))
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert [row["election"] for row in response.context["elections"]] == [world["lobar"]]
    documents = _queue(response, "documents")
    assert documents.total == 1
    assert [item.label for item in documents.items] == ["Paslon Lobar"]
    assert _queue(response, "decisions").total == 0  # the submitted pair is in Bima
    html = response.content.decode()
    assert "Paslon Bima" not in html and world["bima"].name not in html


def test_a_checked_newest_revision_leaves_the_queue(client, world):
    _document(world["lobar_pair"], 1)
    _document(world["lobar_pair"], 2, DocumentCheck.COMPLETE)
    client.force_login(operator("52.01"))
    assert _queue(client.get(reverse("dashboard:home")), "documents").total == 0


def test_province_operator_sees_submitted_support_and_open_rounds(client, world):
    kpu = operator("52")
    pair = PairFactory(election=world["bima"], name="Paslon Perseorangan")
    pair.support_status = SupportStatus.SUBMITTED
    pair.save()
    other = PairFactory(election=world["lobar"], name="Paslon Diverifikasi")
    other.support_status = SupportStatus.SUBMITTED
    other.save()
    VerificationRound.objects.create(
        election=other.election, pair=other, kind=RoundKind.ADMINISTRATIVE, batch=Batch.INITIAL, opened_by=kpu
    )
    client.force_login(kpu)
    response = client.get(reverse("dashboard:home"))
    assert [item.label for item in _queue(response, "support").items] == ["Paslon Perseorangan"]
    rounds = _queue(response, "rounds")
    assert rounds.total == 1 and rounds.items[0].label == str(other)
    assert {row["election"] for row in response.context["elections"]} == {world["lobar"], world["bima"]}


def test_bawaslu_gets_a_read_only_summary(client, world):
    client.force_login(UserFactory(role=Role.BAWASLU, level="", region_code="52"))
    response = client.get(reverse("dashboard:home"))
    assert response.context["read_only"] is True
    assert "Ringkasan pekerjaan" in response.content.decode()


def test_lo_sees_its_own_pair_and_its_support(client, world):
    kpu = operator("52")
    pair = PairFactory(election=world["lobar"], name="Paslon Tim Kami")
    PairFactory(election=world["lobar"], name="Paslon Lain")
    pair_team_register(actor=kpu, pair=pair, mandate_letter=SimpleUploadedFile("m.pdf", PDF), contact_name="LO")
    account, _password = lo_account_issue(actor=kpu, pair=pair, password="Sandi-LO-2026!x")
    user = account.user
    user.must_change_password = False
    user.save()
    client.force_login(user)
    response = client.get(reverse("dashboard:home"))
    rows = response.context["pairs"]
    assert [row["pair"] for row in rows] == [pair]
    assert rows[0]["recap"].minimum == 10_000  # ceil(100,000 × 10%): a kab/kota of up to 250,000 voters
    html = response.content.decode()
    assert "Paslon Lain" not in html
    assert reverse("support_uploads:pair", args=[pair.pk]) in html


def test_verifier_sees_open_factual_rounds_covering_its_area(client, world):
    kpu = operator("52")
    lobar = PairFactory(election=world["lobar"])
    bima = PairFactory(election=world["bima"])
    for pair in (lobar, bima):
        VerificationRound.objects.create(
            election=pair.election, pair=pair, kind=RoundKind.FACTUAL, batch=Batch.INITIAL, opened_by=kpu
        )
    closed = PairFactory(election=world["lobar"])
    VerificationRound.objects.create(
        election=closed.election,
        pair=closed,
        kind=RoundKind.FACTUAL,
        batch=Batch.INITIAL,
        opened_by=kpu,
        closed_by=kpu,
        closed_at=timezone.now() - datetime.timedelta(days=1),
    )
    client.force_login(UserFactory(role=Role.VERIFIER, level="", region_code="52.01.01.2001"))
    response = client.get(reverse("dashboard:home"))
    assert [row["round"].pair for row in response.context["rounds"]] == [lobar]


def test_dashboard_queries_are_bounded(client, world, django_assert_max_num_queries):
    for i in range(15):
        pair = PairFactory(election=world["lobar"], name=f"Paslon {i}")
        _document(pair, 1)
    client.force_login(operator("52"))
    with django_assert_max_num_queries(20):
        response = client.get(reverse("dashboard:home"))
    assert _queue(response, "documents").total == 15
    assert len(_queue(response, "documents").items) == 10
