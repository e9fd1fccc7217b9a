"""Fixtures of the objection tests: the support fixtures' NTB governor election with an open support window, a
pair whose LO uploaded a few supporters, a cheap proof-of-work, and helpers that solve it as the widget would."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from objections.challenge import challenge_create, challenge_solve
from support_uploads.models import Supporter, Upload
from support_uploads.services import upload_create
from tests.support_uploads.conftest import (  # noqa: F401
    csv_bytes,
    election,
    kpu,
    lo,
    pair,
    regions_version,
    rows_for,
    villages,
)


@pytest.fixture(autouse=True)
def cheap_pow(settings):
    settings.PUBLIC_CHECK_POW_MAX_NUMBER = 50


@pytest.fixture
def listed(pair, lo, villages, django_capture_on_commit_callbacks):  # noqa: F811
    """Four supporters uploaded by the pair's LO, validated; returns (upload, their rows)."""
    rows = rows_for(villages, 4)
    with django_capture_on_commit_callbacks(execute=True):
        upload = upload_create(actor=lo, pair=pair, file=SimpleUploadedFile("a.csv", csv_bytes(rows)), max_bytes=10**7)
    upload = Upload.objects.get(pk=upload.pk)
    return upload, list(Supporter.objects.filter(upload=upload).order_by("row_number"))


def solved() -> str:
    """A fresh challenge, solved (the payload the widget would put in the ``altcha`` field)."""
    return challenge_solve(challenge_create())


def solved_over_http(client) -> str:
    return challenge_solve(client.get(reverse("objections_api:public-challenge")).json())


def check_api(client, nik: str, name: str, **extra):
    return client.post(
        reverse("objections_api:public-check"),
        {"nik": nik, "name": name, "altcha": solved_over_http(client)},
        content_type="application/json",
        **extra,
    )
