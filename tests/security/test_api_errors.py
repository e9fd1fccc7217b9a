"""What the schemathesis fuzzing (test_api_fuzz.py) found, pinned as plain regression tests that also run on
SQLite: the API answers errors as JSON ``{"detail": ...}``, bounds ``limit``, refuses implausible stage dates,
and its schema documents the refusals."""

import datetime

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone
from rest_framework.request import Request

from silon.pagination import LimitOffsetPagination
from tests.accounts.factories import operator

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/candidacy/pairs/abc/",  # not an id: the URL conf matches nothing
        "/api/candidacy/pairs/null/confirm/",  # was a ValueError (500) in the view
        "/api/public/elections/1.5/",
        "/api/tidak-ada/",
    ],
)
def test_unknown_api_urls_answer_json_404(client, url):
    client.force_login(operator("52.01"))
    response = client.get(url) if "confirm" not in url else client.post(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Tidak ditemukan."}


def test_unknown_page_urls_keep_the_html_404(client):
    response = client.get("/pemilihan/tidak-ada/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_api_crash_answers_json_without_details(client, world, monkeypatch, settings):
    from portal import api

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(api.ElectionViewSet, "get_queryset", broken)
    client.raise_request_exception = False
    settings.DEBUG = False
    response = client.get(reverse("portal_api:election-list"))
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    assert "OperationalError" not in response.content.decode() and "server closed" not in response.content.decode()


def test_limit_beyond_bigint_is_capped_not_a_crash(client, world, rf):
    response = client.get(reverse("portal_api:stage-list"), {"limit": "46480318925380386816"})
    assert response.status_code == 200
    assert response.json()["count"] == len(response.json()["results"]) > 0
    request = Request(rf.get("/api/public/stages/", {"limit": "46480318925380386816"}))
    assert LimitOffsetPagination().get_limit(request) == LimitOffsetPagination.max_limit == 1000


def test_stage_dates_outside_plausible_years_are_refused(client, world):
    client.force_login(world.users["kpu_r"])
    url = reverse("candidacy_api:election-stages", args=[world.election.pk])
    now = timezone.now().replace(microsecond=0)
    ends = (now + datetime.timedelta(days=30)).isoformat()
    body = {"stage": "registration", "starts_at": "1091-02-22T17:43:00Z", "ends_at": ends}
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert "Tanggal tahapan harus antara" in response.content.decode()  # a range relative to today
    body["starts_at"] = (now + datetime.timedelta(days=1)).isoformat()
    assert client.post(url, body, content_type="application/json").status_code == 201


def test_schema_documents_the_refusals(client, world):
    client.force_login(world.users["kpu_r"])
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            codes = set(operation["responses"])
            assert "403" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in codes, (method, path)
    uploads = schema["paths"]["/api/support/pairs/{pair_id}/uploads/"]
    assert {"202", "413"} <= set(uploads["post"]["responses"]) and "202" not in uploads["get"]["responses"]
