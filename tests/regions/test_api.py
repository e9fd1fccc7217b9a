from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse

LIST = "/api/regions/"


def test_list_defaults_to_the_default_version_and_paginates(client, default_2025):
    response = client.get(LIST, {"level": "province", "limit": 50})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 38
    assert data["results"][0] == {
        "code": "11",
        "name": "Aceh",
        "level": "province",
        "kind": "provinsi",
        "parent_code": "",
        "version": default_2025.pk,
    }


def test_filters_by_level_kind_parent_and_under(client, default_2025):
    assert client.get(LIST, {"level": "regency", "under": "52"}).json()["count"] == 10
    assert client.get(LIST, {"kind": "kota", "under": "52"}).json()["count"] == 2
    codes = [r["code"] for r in client.get(LIST, {"parent": "52.01.01"}).json()["results"]]
    assert "52.01.01.1001" in codes and all(c.startswith("52.01.01.") for c in codes)
    assert client.get(LIST, {"level": "nope"}).status_code == 400


def test_name_search_is_normalised(client, default_2025):
    results = client.get(LIST, {"name": "kab. lombok barat", "level": "regency"}).json()["results"]
    assert [r["code"] for r in results] == ["52.01"]
    assert client.get(LIST, {"name": "KAB LOMBOK BARAT", "level": "regency"}).json()["count"] == 1


def test_version_parameter(client, default_2025, v2022):
    assert client.get(LIST, {"version": v2022.pk, "level": "province"}).json()["count"] == 37
    sorong = client.get(LIST, {"version": v2022.pk, "name": "kabupaten sorong", "level": "regency"}).json()
    # KAB. SORONG and KAB. SORONG SELATAN, both still under Papua Barat in 2022.
    assert [(r["code"], r["name"]) for r in sorong["results"]] == [
        ("92.01", "KAB. SORONG"),
        ("92.04", "KAB. SORONG SELATAN"),
    ]
    assert client.get(LIST, {"version": 10**9}).status_code == 404
    assert client.get(LIST, {"version": "x"}).status_code == 400


def test_detail_by_code_with_ancestors_and_counts(client, default_2025, v2022):
    data = client.get(reverse("regions_api:region_detail", args=["52.01.01.1001"])).json()
    assert data["name"] == "Gerung Utara"
    assert data["kind"] == "kelurahan"
    assert [a["code"] for a in data["ancestors"]] == ["52", "52.01", "52.01.01"]
    ntb = client.get("/api/regions/52/").json()
    assert ntb["counts"]["regency"] == 10
    assert ntb["counts"]["kota"] == 2
    assert client.get("/api/regions/96/").status_code == 200
    assert client.get(f"/api/regions/96/?version={v2022.pk}").status_code == 404
    assert client.get("/api/regions/52.01.01.2001/").status_code == 404


def test_versions_list(client, default_2025, v2022):
    data = client.get(reverse("regions_api:version_list")).json()
    names = [v["name"] for v in data["results"]]
    assert names[0] == default_2025.name
    assert v2022.name in names
    first = data["results"][0]
    assert first["is_default"] is True and first["row_count"] == 91599


def test_anonymous_and_throttled(client, default_2025, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    assert client.get(LIST).status_code == 200  # no login needed
    assert client.get("/api/regions/versions/").status_code == 200
    assert client.get("/api/regions/52/").status_code == 429


def test_schema_lists_the_region_paths(client, db):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert {"/api/regions/", "/api/regions/{code}/", "/api/regions/versions/"} <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/regions/"]["get"]["parameters"]}
    assert {"version", "level", "kind", "parent", "under", "name"} <= parameters


@pytest.mark.django_db
def test_spectacular_validates_without_warnings(tmp_path: Path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/regions/{code}/" in out.read_text()
