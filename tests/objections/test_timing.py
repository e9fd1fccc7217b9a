"""A listed NIK and one that is not cost the same: the same queries (count and statements, values aside) and,
measured many times interleaved through the API, similar times (medians within a generous ratio, robust on a
busy two-core machine)."""

import re
import statistics
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.throttling import SimpleRateThrottle

from objections.challenge import challenge_create, challenge_solve

pytestmark = pytest.mark.django_db

ROUNDS = 25


def _statements(queries) -> list[str]:
    # the statement without its values: listed or not, the same statements in the same order
    return [re.sub(r"\"s\d+_x\d+\"|'[^']*'|\b\d+\b|\bNULL\b", "?", q["sql"]) for q in queries]


def _timed(client, nik, name) -> float:
    body = {"nik": nik, "name": name, "altcha": challenge_solve(challenge_create())}  # solved before the clock
    started = time.perf_counter()
    response = client.post(reverse("objections_api:public-check"), body, content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    return elapsed


def test_listed_and_not_listed_run_the_same_queries_in_similar_time(client, pair, listed, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle,
        "THROTTLE_RATES",
        {**SimpleRateThrottle.THROTTLE_RATES, "public_check": "10000/hour", "public_check_nik": "10000/hour"},
    )
    _, rows = listed
    present = (rows[0].nik, rows[0].name)
    absent = ("5201014107909999", rows[0].name)
    shapes = []
    for nik, name in (present, absent):
        with CaptureQueriesContext(connection) as captured:
            _timed(client, nik, name)
        shapes.append(_statements(captured.captured_queries))
    assert shapes[0] == shapes[1]
    times: dict[str, list[float]] = {"present": [], "absent": []}
    for i in range(ROUNDS):  # interleaved, alternating which goes first, so drift hits both alike
        order = (("present", present), ("absent", absent)) if i % 2 else (("absent", absent), ("present", present))
        for label, (nik, name) in order:
            times[label].append(_timed(client, nik, name))
    ratio = statistics.median(times["present"]) / statistics.median(times["absent"])
    assert 0.5 < ratio < 2.0, (ratio, times)
