"""A confirmed objection is one more kind of change to stored rows (issue #16's list): every surface that shows
a count says what the rows say after it, and the supporter's result in an open verification round follows
(``objections.services.objections``). Committed for real, as ``tests/support_uploads/test_counts_fresh.py``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from candidacy.models import CandidatePair, SupportStatus
from objections.models import Objection
from support_uploads.models import Supporter
from support_uploads.services import upload_create
from tests.support_uploads.test_counts_fresh import _assert_fresh, _expected_pair, clients  # noqa: F401
from tests.verification.verification_helpers import ensure_verification_seed, open_stages
from verification.models import RoundKind, Verdict, VerificationResult
from verification.selectors import round_population
from verification.services import results_mark, round_open

from .conftest import check_api, csv_bytes, rows_for, solved_over_http

pytestmark = pytest.mark.django_db(transaction=True)


def _object(client, row) -> Objection:
    answer = check_api(client, row.nik, row.name).json()
    token = next(entry["token"] for e in answer["elections"] for entry in e["entries"])
    body = {"token": token, "statement": "Saya tidak mendukung.", "phone": "0812", "altcha": solved_over_http(client)}
    response = client.post(reverse("objections_api:public-file"), body)
    assert response.status_code == 201, response.content
    return Objection.objects.get(receipt=response.json()["receipt"])


def test_a_confirmed_objection_moves_every_count_and_the_open_round(pair, lo, kpu, villages, clients):  # noqa: F811
    upload = upload_create(
        actor=lo, pair=pair, file=SimpleUploadedFile("a.csv", csv_bytes(rows_for(villages, 6))), max_bytes=10**7
    )
    upload.refresh_from_db()
    _assert_fresh(clients, pair, [upload])
    ensure_verification_seed()
    CandidatePair.objects.filter(pk=pair.pk).update(support_status=SupportStatus.SUBMITTED)
    pair.refresh_from_db()
    open_stages(pair.election)
    round = round_open(actor=kpu, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    population = list(round_population(round).order_by("pk").values_list("pk", flat=True))
    results_mark(actor=kpu, round=round, verdict=Verdict.MS, supporter_ids=population)
    row = Supporter.objects.get(pk=population[0])
    objection = _object(clients["public"], row)
    assert _expected_pair(pair)["counted"] == 6

    response = clients["kpu"].post(
        reverse("objections:decide", args=[objection.pk]),
        {"decision": "confirm", "clarified_on": timezone.localdate().isoformat(), "notes": "BA.5-KWK"},
    )
    assert response.status_code == 302
    assert _expected_pair(pair)["counted"] == 5
    _assert_fresh(clients, pair, [upload])
    result = VerificationResult.objects.get(round=round, supporter_id=row.pk)
    assert (result.verdict, result.reason_id) == (Verdict.TMS, "SUPPORTER_DENIED")
    # the row is no longer counted, so it leaves the round's population: the round decides on the others
    assert not round_population(round).filter(pk=row.pk).exists()
    public = clients["public"].get(reverse("portal:pair", args=[pair.pk])).content.decode()
    assert "Keberatan warga yang dikonfirmasi KPU: 1 dukungan" in public
