"""A confirmed objection and verification rounds: an open factual round whose population holds the supporter
gets the denial as its result (TMS ``SUPPORTER_DENIED``, as BA.5-KWK); a closed round's record stays as it was.
Decided through the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from candidacy.models import CandidatePair, SupportStatus
from objections.models import Objection
from tests.accounts.factories import operator
from tests.verification.verification_helpers import ensure_verification_seed, open_stages
from verification.models import RoundKind, Verdict, VerificationResult, Visit
from verification.selectors import round_population
from verification.services import results_mark, round_close, round_open

from .test_objections import _logged_in, file_api

pytestmark = pytest.mark.django_db


def test_the_open_factual_round_follows_and_the_closed_one_stays(client, pair, listed, kpu):
    _, rows = listed
    ensure_verification_seed()
    CandidatePair.objects.filter(pk=pair.pk).update(support_status=SupportStatus.SUBMITTED)
    pair.refresh_from_db()
    open_stages(pair.election)
    admin = round_open(actor=kpu, pair=pair, kind=RoundKind.ADMINISTRATIVE)
    results_mark(actor=kpu, round=admin, verdict=Verdict.MS, supporter_ids=[r.pk for r in rows])
    round_close(actor=operator("52"), round=admin)
    factual = round_open(actor=kpu, pair=pair, kind=RoundKind.FACTUAL)
    assert round_population(factual).filter(pk=rows[0].pk).exists()
    response = file_api(client, rows[0])
    assert response.status_code == 201
    objection = Objection.objects.get(receipt=response.json()["receipt"])
    api = _logged_in(kpu).post(
        reverse("objections_api:objection-decide", args=[objection.pk]),
        {"decision": "confirm", "clarified_on": timezone.localdate().isoformat(), "notes": "BA.5-KWK"},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"] == "confirmed"
    result = VerificationResult.objects.get(round=factual, supporter_id=rows[0].pk)
    assert (result.verdict, result.reason_id, result.visit) == (Verdict.TMS, "SUPPORTER_DENIED", Visit.DENIES)
    closed = VerificationResult.objects.get(round=admin, supporter_id=rows[0].pk)
    assert closed.verdict == Verdict.MS  # the closed round's record is not rewritten
    elsewhere = _logged_in(operator("51")).post(
        reverse("objections_api:objection-decide", args=[objection.pk]), {}, content_type="application/json"
    )
    assert elsewhere.status_code == 404
