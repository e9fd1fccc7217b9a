"""The public self-check through HTTP (page and API): what it answers, what it never says, its record without
the NIK, the single-use proof-of-work and the rate limits per address and per NIK."""

import json
import re

import pytest
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from objections.hashing import nik_hash
from objections.models import PublicCheck, PublicCheckMatch
from silon.audit import actions
from silon.audit.models import AuditEvent

from .conftest import check_api, solved_over_http

pytestmark = pytest.mark.django_db


def _shape(answer: dict) -> list:
    return [sorted(e) for e in answer["elections"]]


def test_the_api_answers_listed_for_the_pair_and_nothing_more(client, pair, listed):
    upload, rows = listed
    row = rows[0]
    response = check_api(client, row.nik, row.name.lower())
    assert response.status_code == 200, response.content
    answer = response.json()
    election = next(e for e in answer["elections"] if e["election_id"] == pair.election_id)
    assert election["listed"] is True
    (entry,) = election["entries"]
    assert (entry["pair_id"], entry["pair_name"], entry["status"]) == (pair.pk, pair.name, "counted")
    assert entry["uploaded_on"] == upload.created_at.astimezone().date().isoformat()
    body = response.content.decode()
    for secret in (row.nik, row.name, rows[1].nik, row.address):
        assert secret not in body


def test_a_wrong_name_answers_exactly_like_a_nik_not_listed(client, pair, listed):
    _, rows = listed
    wrong = check_api(client, rows[0].nik, "Nama Lain Sekali").json()
    absent = check_api(client, "5201014107909999", "Nama Lain Sekali").json()
    assert wrong == absent
    assert all(not e["listed"] and e["entries"] == [] for e in wrong["elections"])
    right = check_api(client, rows[0].nik, rows[0].name).json()
    assert _shape(right) == _shape(wrong)


def test_every_check_is_recorded_with_the_keyed_hash_only(client, pair, listed):
    _, rows = listed
    before = AuditEvent.objects.filter(action=actions.OBJECTION_CHECK).count()
    check_api(client, rows[0].nik, rows[0].name)
    check_api(client, "5201014107909999", "Siapa Saja")
    events = list(AuditEvent.objects.filter(action=actions.OBJECTION_CHECK).order_by("pk"))[before:]
    assert len(events) == 2
    assert events[0].after["nik_hash"] == nik_hash(rows[0].nik) and events[0].after["matches"] == 1
    assert events[1].after["matches"] == 0
    for event in events:
        assert rows[0].nik not in json.dumps(event.after) + event.object_repr
    assert PublicCheck.objects.filter(nik_hash=nik_hash(rows[0].nik)).count() == 1
    assert PublicCheckMatch.objects.filter(pair=pair).count() == 1
    assert not any(rows[0].nik in str(v) for v in PublicCheck.objects.values_list("nik_hash", flat=True))


def test_the_page_checks_and_shows_the_answer(client, pair, listed):
    _, rows = listed
    page = client.get(reverse("objections:check"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<altcha-widget" in html and "vendor/altcha/altcha.js" in html and "<script>" not in html
    payload = solved_over_http(client)
    response = client.post(reverse("objections:check"), {"nik": rows[0].nik, "name": rows[0].name, "altcha": payload})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Tercantum sebagai pendukung {pair.name}" in html and "Dihitung sebagai dukungan" in html
    assert rows[0].nik not in html.replace(f'value="{rows[0].nik}"', "")
    missing = client.post(
        reverse("objections:check"),
        {"nik": rows[0].nik, "name": "Bukan Saya", "altcha": solved_over_http(client)},
    ).content.decode()
    assert "Tidak tercantum sebagai pendukung" in missing and "Tercantum sebagai pendukung" not in missing


def test_a_replayed_or_missing_challenge_is_refused(client, pair, listed):
    _, rows = listed
    payload = solved_over_http(client)
    url = reverse("objections_api:public-check")
    body = {"nik": rows[0].nik, "name": rows[0].name, "altcha": payload}
    assert client.post(url, body, content_type="application/json").status_code == 200
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 400 and "anti-robot" in again.json()["detail"]
    forged = client.post(url, {**body, "altcha": payload[:-4] + "AAAA"}, content_type="application/json")
    assert forged.status_code == 400
    page = client.post(reverse("objections:check"), {"nik": rows[0].nik, "name": rows[0].name, "altcha": payload})
    assert "anti-robot" in page.content.decode() and "Tercantum sebagai" not in page.content.decode()
    assert PublicCheck.objects.count() == 1


def test_rate_limits_per_address_and_per_nik(client, pair, listed, monkeypatch):
    _, rows = listed
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "public_check": "4/hour", "public_check_nik": "2/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    nik = rows[0].nik
    assert [check_api(client, nik, "x").status_code for _ in range(3)] == [200, 200, 429]
    # the same NIK from another address: still limited (per NIK); another NIK from there is not
    assert check_api(client, nik, "x", REMOTE_ADDR="10.9.9.9").status_code == 429
    assert check_api(client, rows[1].nik, "x", REMOTE_ADDR="10.9.9.9").status_code == 200
    # per address: the first address has used 3 of 4; a fourth and fifth with other NIKs
    assert check_api(client, rows[2].nik, "x").status_code == 200
    assert check_api(client, rows[3].nik, "x").status_code == 429
    page = client.post(
        reverse("objections:check"), {"nik": rows[3].nik, "name": "x", "altcha": solved_over_http(client)}
    )
    assert page.status_code == 429 and re.search(r"coba lagi dalam \d+ menit", page.content.decode())
    assert page["Retry-After"]


def test_a_malformed_nik_is_refused_without_a_record(client, pair, listed):
    response = check_api(client, "1234", "x")
    assert response.status_code == 400
    assert not PublicCheck.objects.exists()


def test_the_page_in_english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("objections:check")).content.decode()
    assert "Check whether your NIK was listed as a supporter" in page and "I am not a robot" in page
