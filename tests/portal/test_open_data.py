"""The open-data API and the CSV downloads: anonymous, read-only, throttled, streamed, formula-safe."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from candidacy.models import CandidatePair, Stage
from portal import api

pytestmark = pytest.mark.django_db

ENDPOINTS = ["portal_api:election-list", "portal_api:pair-list", "portal_api:stage-list"]


def test_every_public_endpoint_is_anonymous_read_only_and_throttled():
    for view in (
        api.ElectionViewSet,
        api.PairViewSet,
        api.StageViewSet,
        api.SupportViewSet,
        api.AuditCheckpointViewSet,
    ):
        assert view.permission_classes == [AllowAny]
        assert AnonRateThrottle in view.throttle_classes


def test_election_and_pair_lists(client, world):
    data = client.get(reverse("portal_api:election-list")).json()
    assert data["count"] == 3
    assert {e["region_code"] for e in data["results"]} == {"52", "52.01", "51.71"}
    data = client.get(reverse("portal_api:pair-list"), {"election": world.regent.pk}).json()
    names = {p["name"] for p in data["results"]}
    assert names == {"Mandiri Bersatu", "Koalisi Maju"}
    party = next(p for p in data["results"] if p["name"] == "Koalisi Maju")
    assert len(party["parties"]) == 2
    head = next(c for c in party["candidates"] if c["role"] == "head")
    assert set(head) == {"role", "role_label", "name", "sex", "education", "occupation", "cv"}
    independent = next(p for p in data["results"] if p["name"] == "Mandiri Bersatu")
    deputy = next(c for c in independent["candidates"] if c["role"] == "deputy")
    assert deputy["cv"] is None  # no consent


def test_detail_and_stage_endpoints(client, world):
    detail = client.get(reverse("portal_api:election-detail", args=[world.regent.pk])).json()
    assert detail["name"] == world.regent.name and detail["dpt"] == 540_000
    pair = client.get(reverse("portal_api:pair-detail", args=[world.independent.pk])).json()
    assert pair["path"] == "independent"
    stages = client.get(reverse("portal_api:stage-list"), {"election": world.regent.pk}).json()
    assert stages["count"] == len(Stage)  # the world schedules every stage
    assert stages["results"][0]["stage"] == "support_submission"


def test_api_refuses_writes(client, world):
    assert client.post(reverse("portal_api:election-list"), {}).status_code == 405
    assert client.delete(reverse("portal_api:pair-detail", args=[world.independent.pk])).status_code == 405


def test_anonymous_throttle_answers_429(client, world, monkeypatch):
    # The class reads its rates once at import; patch them for this test only.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {**AnonRateThrottle.THROTTLE_RATES, "anon": "3/min"})
    codes = [client.get(reverse("portal_api:election-list")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_schema_generates_without_warnings():
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_lists_the_public_endpoints(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/public/elections/",
        "/api/public/elections/{id}/",
        "/api/public/pairs/",
        "/api/public/pairs/{id}/",
        "/api/public/stages/",
    ]:
        assert path in paths, path
        assert "get" in paths[path] and set(paths[path]) <= {"get", "parameters"}


def _csv(response) -> list[list[str]]:
    assert response.streaming, "CSV exports must stream"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize(
    ("name", "header_start"),
    [("pemilihan", ["id", "nama"]), ("paslon", ["id", "pemilihan_id"]), ("tahapan", ["pemilihan_id", "pemilihan"])],
)
def test_csv_downloads_stream_with_a_header_row(client, world, name, header_start):
    response = client.get(reverse("portal:csv", args=[name]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"silon-{name}.csv" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0][: len(header_start)] == header_start
    assert len(rows) > 1


def test_csv_values_cannot_run_as_formulas(client, world):
    CandidatePair.objects.create(election=world.regent, path="independent", name='=HYPERLINK("http://x","klik")')
    CandidatePair.objects.create(election=world.regent, path="independent", name="@SUM(A1:A9)")
    rows = _csv(client.get(reverse("portal:csv", args=["paslon"])))
    names = [row[4] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","klik")' in names
    assert "'@SUM(A1:A9)" in names
    assert not any(cell[:1] in "=+-@" for row in rows[1:] for cell in row if cell)


def test_csv_export_streams_lazily_with_bounded_queries(client, world, django_assert_max_num_queries):
    for i in range(30):
        CandidatePair.objects.create(election=world.regent, path="independent", name=f"Pasangan {i}")
    response = client.get(reverse("portal:csv", args=["paslon"]))
    # Nothing is read before the body is consumed; then a fixed number of queries, not one per pair.
    with django_assert_max_num_queries(4):
        rows = _csv(response)
    assert len(rows) == 1 + CandidatePair.objects.count()


def test_unknown_csv_is_404(client):
    assert client.get(reverse("portal:csv", args=["pendukung"])).status_code == 404


def test_extension_for_every_pair_shows_the_same_end_on_page_api_and_csv(client, world):
    """The open data agrees with the election page: an extension granted to every pair moves the published
    end; one granted to a single pair does not."""
    from django.utils import timezone

    from candidacy.models import Stage, StageExtension, StageWindow
    from tests.accounts.factories import UserFactory

    window = StageWindow.objects.get(election=world.regent, stage=Stage.SUPPORT_SUBMISSION)
    granted_by = UserFactory()
    extended = window.ends_at + datetime.timedelta(days=2, hours=3)
    StageExtension.objects.create(
        election=world.regent,
        stage=Stage.SUPPORT_SUBMISSION,
        extended_until=extended,
        reason="Gangguan server",
        granted_by=granted_by,
    )
    StageExtension.objects.create(
        election=world.regent,
        stage=Stage.SUPPORT_SUBMISSION,
        pair=world.independent,
        extended_until=extended + datetime.timedelta(days=5),
        reason="Hanya satu pasangan",
        granted_by=granted_by,
    )

    html = client.get(reverse("portal:election", args=[world.regent.pk])).content.decode()
    assert f'<time datetime="{timezone.localtime(extended).isoformat()}">' in html
    assert "diperpanjang" in html

    stages = client.get(reverse("portal_api:stage-list"), {"election": world.regent.pk}).json()["results"]
    by_stage = {row["stage"]: row for row in stages}
    assert datetime.datetime.fromisoformat(by_stage["support_submission"]["ends_at"]) == extended
    assert by_stage["support_submission"]["extended"] is True
    other = StageWindow.objects.get(election=world.regent, stage=Stage.ADMIN_VERIFICATION)
    assert datetime.datetime.fromisoformat(by_stage["admin_verification"]["ends_at"]) == other.ends_at
    assert by_stage["admin_verification"]["extended"] is False

    rows = _csv(client.get(reverse("portal:csv", args=["tahapan"])))
    assert rows[0] == ["pemilihan_id", "pemilihan", "tahapan", "mulai", "selesai", "diperpanjang"]
    row = next(r for r in rows[1:] if r[0] == str(world.regent.pk) and r[2] == "support_submission")
    assert datetime.datetime.fromisoformat(row[4]) == extended and row[5] == "ya"
    # Other elections keep their own schedule.
    row = next(r for r in rows[1:] if r[0] == str(world.other.pk) and r[2] == "support_submission")
    assert row[5] == "tidak"
