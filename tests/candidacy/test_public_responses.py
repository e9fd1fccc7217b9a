"""Public responses on a pair's eligibility (masukan dan tanggapan masyarakat, docs/domain.md §9.2): anyone
sends one within the election's window (refused outside it, naming it), rate-limited; the KPU operator of the
area clarifies and decides (audited); the portal counts them; Bawaslu reads them masked."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidacy.models import PublicResponse, ResponseStatus, Stage, StageWindow
from silon.accounts.models import Role
from silon.audit import actions
from silon.audit.models import AuditEvent
from tests.accounts.factories import UserFactory, operator
from tests.candidacy.factories import PDF, ElectionFactory, PairFactory, candidate, open_stage

pytestmark = pytest.mark.django_db

SENDER_NIK = "5201014101900001"


@pytest.fixture
def pair():
    election = ElectionFactory(region_code="52.01", region_name="Lombok Barat")
    open_stage(election, Stage.PUBLIC_RESPONSE, days_before=1, days_after=5)
    pair = PairFactory(election=election, name="Pasangan Uji")
    candidate(pair, "head", nik="5201011203750001")
    return pair


def _form(**extra):
    return {
        "body": "Ijazah calon diragukan keabsahannya.",
        "name": "Baiq Nurul Aini",
        "nik": SENDER_NIK,
        "contact": "081234567890",
        **extra,
    }


def test_anyone_submits_within_the_window_and_it_is_audited(client, pair):
    url = reverse("candidacy:response_submit", args=[pair.pk])
    assert client.get(url).status_code == 200
    evidence = SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf")
    response = client.post(url, _form(evidence=evidence))
    assert response.status_code == 302
    saved = PublicResponse.objects.get()
    assert saved.sender_nik == SENDER_NIK and saved.evidence and saved.evidence_sha256
    event = AuditEvent.objects.get(action=actions.PUBLIC_RESPONSE_SUBMIT)
    assert SENDER_NIK not in str(event.after) and "Baiq" not in str(event.after)
    api = client.post(
        reverse("candidacy_api:pair-response-list", args=[pair.pk]),
        {"body": "Lewat API", "name": "Lalu", "nik": SENDER_NIK, "contact": "lalu@example.id"},
    )
    assert api.status_code == 201, api.content
    assert PublicResponse.objects.count() == 2


def test_evidence_must_be_a_pdf_or_an_image(client, pair):
    url = reverse("candidacy:response_submit", args=[pair.pk])
    fake = SimpleUploadedFile("bukti.png", b"not a png at all", content_type="image/png")
    assert client.post(url, _form(evidence=fake)).status_code == 400
    exe = SimpleUploadedFile("bukti.exe", b"MZ....", content_type="application/octet-stream")
    assert client.post(url, _form(evidence=exe)).status_code == 400
    assert not PublicResponse.objects.exists()


@pytest.mark.parametrize("shift", [-3, 10])
def test_outside_the_window_it_is_refused_naming_the_window(client, pair, shift):
    url = reverse("candidacy:response_submit", args=[pair.pk])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=shift)):
        page = client.post(url, _form())
        api = client.post(reverse("candidacy_api:pair-response-list", args=[pair.pk]), _form())
    assert page.status_code == 400 and api.status_code == 400
    text = page.content.decode()
    assert "Masukan dan tanggapan masyarakat" in text
    assert ("belum dibuka" in text) if shift < 0 else ("sudah ditutup" in text)
    assert not PublicResponse.objects.exists()


def test_rate_limited_per_address(client, pair, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "public_response": "2/hour"},
    }
    from rest_framework.settings import api_settings
    from rest_framework.throttling import SimpleRateThrottle

    SimpleRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    url = reverse("candidacy:response_submit", args=[pair.pk])
    assert [client.post(url, _form()).status_code for _ in range(3)] == [302, 302, 429]
    assert PublicResponse.objects.count() == 2


def _submitted(pair, n=1):
    from candidacy.services import public_response_submit

    return [
        public_response_submit(
            pair=pair, body=f"Tanggapan {i}", name="Baiq Nurul Aini", nik=SENDER_NIK, contact="081234567890"
        )
        for i in range(n)
    ]


def test_operator_clarifies_and_decides_and_the_portal_counts(client, pair):
    first, second = _submitted(pair, 2)
    kpu = operator("52.01")
    client.force_login(kpu)
    dashboard = client.get(reverse("dashboard:home")).content.decode()
    assert reverse("candidacy:response_detail", args=[first.pk]) in dashboard  # the operator's queue
    listing = client.get(reverse("candidacy:response_list"))
    assert listing.status_code == 200
    assert SENDER_NIK not in listing.content.decode() and "520101******0001" in listing.content.decode()
    detail = client.get(reverse("candidacy:response_detail", args=[first.pk]))
    assert SENDER_NIK in detail.content.decode()  # the KPU operator of the area: in full (silon.privacy)
    decide = reverse("candidacy:response_decide", args=[first.pk])
    client.post(decide, {"outcome": "upheld", "reason": "x"})
    assert PublicResponse.objects.get(pk=first.pk).status == ResponseStatus.RECEIVED  # clarify first
    client.post(reverse("candidacy:response_clarify", args=[first.pk]), {"clarification": "Pasangan menjawab."})
    client.post(decide, {"outcome": "upheld", "reason": "Ijazah tidak sah."})
    first.refresh_from_db()
    assert first.status == ResponseStatus.DECIDED and first.outcome == "upheld"
    api = client.post(reverse("candidacy_api:response-clarify", args=[second.pk]), {"clarification": "Dijawab."})
    assert api.status_code == 200
    api = client.post(
        reverse("candidacy_api:response-decide", args=[second.pk]), {"outcome": "not_upheld", "reason": "Sah."}
    )
    assert api.status_code == 200 and api.json()["outcome"] == "not_upheld"
    for action in (actions.PUBLIC_RESPONSE_CLARIFY, actions.PUBLIC_RESPONSE_DECIDE, actions.PUBLIC_RESPONSE_LIST_VIEW):
        assert AuditEvent.objects.filter(action=action).exists()
    client.logout()
    page = client.get(reverse("portal:pair", args=[pair.pk])).content.decode()
    assert "2 tanggapan diterima: 1 terbukti, 1 tidak terbukti, 0 masih ditindaklanjuti." in page
    assert SENDER_NIK not in page and "Baiq" not in page
    public = client.get(reverse("portal_api:pair-detail", args=[pair.pk])).json()
    assert public["public_responses"] == {"received": 2, "upheld": 1, "not_upheld": 1}
    csv = b"".join(client.get(reverse("portal:csv", args=["paslon"])).streaming_content).decode()
    assert "tanggapan_masyarakat" in csv and ",2,1,1" in csv


def test_bawaslu_reads_masked_and_cannot_act_other_area_404(client, pair):
    (response,) = _submitted(pair)
    bawaslu = UserFactory(role=Role.BAWASLU, level="", region_code="52.01")
    client.force_login(bawaslu)
    detail = client.get(reverse("candidacy:response_detail", args=[response.pk]))
    assert detail.status_code == 200 and SENDER_NIK not in detail.content.decode()
    assert client.get(reverse("candidacy_api:response-detail", args=[response.pk])).json()["sender"]["nik"] == (
        "520101******0001"
    )
    assert AuditEvent.objects.filter(action=actions.PUBLIC_RESPONSE_DETAIL_VIEW, actor=bawaslu).count() == 2
    assert (
        client.post(reverse("candidacy:response_clarify", args=[response.pk]), {"clarification": "x"}).status_code
        == 403
    )
    assert (
        client.post(reverse("candidacy_api:response-clarify", args=[response.pk]), {"clarification": "x"}).status_code
        == 403
    )
    client.force_login(operator("52.06"))
    assert client.get(reverse("candidacy:response_detail", args=[response.pk])).status_code == 404
    assert client.get(reverse("candidacy_api:response-detail", args=[response.pk])).status_code == 404
    assert PublicResponse.objects.get().status == ResponseStatus.RECEIVED


def test_the_window_is_a_stage_of_the_schedule(pair):
    from candidacy.schedule import election_stage_schedule

    stages = [row["stage"] for row in election_stage_schedule(pair.election)]
    assert Stage.PUBLIC_RESPONSE in stages
    assert StageWindow.objects.filter(election=pair.election, stage=Stage.PUBLIC_RESPONSE).exists()
