"""Operators find people in a round (NIK exact, name contains, case-insensitive; masked per policy; audited)
and mark a whole kecamatan of an administrative round in one action, with the existing undo and four-eyes
closing (``services.results_mark`` over the kecamatan's code)."""

import pytest
from django.urls import reverse

from silon.audit import actions
from silon.audit.models import AuditEvent
from tests.accounts.factories import operator
from verification.models import RoundKind, Verdict, VerificationResult
from verification.services import results_mark, round_close, round_open

from .verification_helpers import DESA_A, DESA_B, DESA_C, add_supporters, make_election, make_pair, verifier

pytestmark = pytest.mark.django_db

GERUNG = "52.01.01"  # DESA_A's kecamatan


@pytest.fixture
def setup():
    election = make_election()
    pair = make_pair(election)
    op1, op2 = operator("52"), operator("52")
    in_a = add_supporters(pair, [DESA_A] * 3, names=["BAIQ NURUL", "LALU AHMAD", "SITI AMINAH"])
    in_b = add_supporters(pair, [DESA_B], names=["NURUL HIDAYAH"])
    in_c = add_supporters(pair, [DESA_C], names=["AHMAD NURULLAH"])
    round = round_open(actor=op1, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    return {"pair": pair, "op1": op1, "op2": op2, "a": in_a, "b": in_b, "c": in_c, "round": round}


def test_search_by_nik_and_by_name_page_and_api(client, setup):
    client.force_login(setup["op1"])
    url = reverse("verification:search", args=[setup["round"].pk])
    target = setup["a"][1]
    before = AuditEvent.objects.count()
    page = client.get(url, {"nik": target.nik}).content.decode()
    assert page.count('class="search-row"') == 1 and target.nik in page  # KPU of the region: in full
    assert page.count('class="search-row"') == 1
    assert client.get(url, {"nik": target.nik[:-1]}).content.decode().count('class="search-row"') == 0  # exact
    by_name = client.get(url, {"nama": "nurul"}).content.decode()
    assert by_name.count('class="search-row"') == 3  # BAIQ NURUL, NURUL HIDAYAH, AHMAD NURULLAH
    assert client.get(url, {"nama": "nu"}).content.decode().count('class="search-row"') == 0  # too short
    api = client.get(reverse("verification_api:round-search", args=[setup["round"].pk]), {"nama": "Nurul"})
    assert api.status_code == 200 and len(api.json()) == 3
    events = AuditEvent.objects.filter(pk__gt=before, action=actions.VERIFICATION_SEARCH_VIEW)
    assert events.count() == 3  # the two NIK/name pages that found someone, and the API
    assert all(target.nik not in str(e.after) and "nurul" not in str(e.after).lower() for e in events)
    client.force_login(operator("51"))
    assert client.get(url, {"nik": target.nik}).status_code == 404
    assert client.get(reverse("verification_api:round-search", args=[setup["round"].pk])).status_code == 404


def test_a_verifier_searches_its_own_area_masked(client, setup):
    admin = setup["round"]
    for desa in (DESA_A, DESA_B, DESA_C):
        results_mark(actor=setup["op1"], round=admin, verdict=Verdict.MS, village_code=desa)
    round_close(actor=setup["op2"], round=admin)
    factual = round_open(actor=setup["op1"], pair=setup["pair"], kind=RoundKind.FACTUAL)
    client.force_login(verifier(DESA_A))
    page = client.get(reverse("verification:search", args=[factual.pk]), {"nama": "nurul"}).content.decode()
    assert page.count('class="search-row"') == 1  # BAIQ NURUL of its desa only
    assert setup["a"][0].nik not in page and setup["a"][0].nik[:6] + "******" in page


def test_mark_a_whole_kecamatan_only_undecided_then_undo_and_four_eyes(client, setup):
    round, op1 = setup["round"], setup["op1"]
    results_mark(
        actor=op1, round=round, verdict=Verdict.TMS, supporter_ids=[setup["a"][0].pk], reason_code="TMS_NO_KTP"
    )
    client.force_login(op1)
    page = client.get(reverse("verification:round", args=[round.pk]), {"wilayah": GERUNG}).content.decode()
    assert 'id="mark-area-form"' in page
    response = client.post(
        reverse("verification:mark_area", args=[round.pk]), {"kecamatan": GERUNG, "verdict": "ms", "hanya_belum": "1"}
    )
    assert response.status_code == 302
    verdicts = dict(VerificationResult.objects.filter(round=round).values_list("supporter_id", "verdict"))
    assert verdicts == {setup["a"][0].pk: Verdict.TMS, setup["a"][1].pk: Verdict.MS, setup["a"][2].pk: Verdict.MS}
    event = AuditEvent.objects.filter(action=actions.VERIFICATION_RESULT_MARK).latest("pk")
    assert event.after["village"] == GERUNG and event.after["count"] == 2 and event.after["only_undecided"]
    # the API marks another kecamatan; a regency code is not a kecamatan
    api = reverse("verification_api:round-mark-area", args=[round.pk])
    assert client.post(api, {"kecamatan": "52.01.02", "verdict": "ms"}, content_type="application/json").json() == {
        "marked": 1,
        "kecamatan": "52.01.02",
    }
    assert client.post(api, {"kecamatan": "52.01", "verdict": "ms"}, content_type="application/json").status_code == 400
    client.post(reverse("verification:mark_area", args=[round.pk]), {"kecamatan": "52.01", "verdict": "ms"})
    assert VerificationResult.objects.filter(round=round).count() == 4
    # undo the whole kecamatan with the existing undo
    client.post(reverse("verification:undo", args=[round.pk]), {"desa": GERUNG, "semua": "1"})
    assert not VerificationResult.objects.filter(round=round, village_code__startswith=GERUNG).exists()
    # four eyes: the operator who marked cannot close the round
    client.post(reverse("verification:close", args=[round.pk]))
    round.refresh_from_db()
    assert round.is_open
    # another area's operator and a verifier get 404
    for user in (operator("51"), verifier(DESA_A)):
        client.force_login(user)
        assert client.post(reverse("verification:mark_area", args=[round.pk]), {"kecamatan": GERUNG}).status_code == 404
