"""The support API's OpenAPI schema describes what it reads and what it answers (#14): every body and query
parameter through an input serializer, every answer through an output serializer (``api_serializers``), and
the answers the API really gives have exactly the fields the schema names."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from .conftest import csv_bytes, rows_for

pytestmark = pytest.mark.django_db

SUPPORT = "/api/support/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _component(schema, ref: str) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


def _success(operation) -> tuple[str, dict]:
    code = next(c for c in operation["responses"] if c.startswith("2"))
    return code, operation["responses"][code].get("content")


def _fields(schema, path: str, method: str = "get") -> set[str]:
    """The fields of the success answer of ``method path`` (a paginated list: the fields of one result)."""
    _code, content = _success(schema["paths"][path][method])
    body = content["application/json"]["schema"]
    component = _component(schema, body.get("items", body)["$ref"])  # a plain list: of one serializer
    if set(component["properties"]) >= {"count", "results"}:
        component = _component(schema, component["properties"]["results"]["items"]["$ref"])
    return set(component["properties"])


def test_every_support_answer_is_a_serializer_or_a_file(schema):
    operations = [
        (path, method, operation)
        for path, item in schema["paths"].items()
        if path.startswith(SUPPORT)
        for method, operation in item.items()
    ]
    assert len(operations) >= 13
    for path, method, operation in operations:
        code, content = _success(operation)
        if "/resumable/" in path:  # tus (issue #18): the protocol answers in headers, each one documented
            assert content is None, (method, path)
            headers = set(operation["responses"][code].get("headers", {}))
            assert headers >= ({"Location"} if method == "post" else {"Upload-Offset"} if method == "patch" else set())
            continue
        files = [kind for kind in (XLSX, "application/pdf", "text/csv") if kind in content]
        if files:  # the template, the error report (xlsx), a receipt (PDF), the team's lists (CSV or xlsx)
            assert content[files[0]]["schema"] == {"type": "string", "format": "binary"}, (method, path)
            continue
        body = content["application/json"]["schema"]
        body = body.get("items", body)  # a plain list: of one serializer
        assert set(body) == {"$ref"}, (method, path, body)  # a component, never a free-form object
        assert _component(schema, body["$ref"])["properties"], (method, path)


def test_every_support_input_is_described(schema):
    paths = schema["paths"]
    template = {p["name"]: p for p in paths[SUPPORT + "pairs/{pair_id}/template/"]["get"]["parameters"]}
    assert template["lembar"]["in"] == "query" and template["lembar"]["schema"]["type"] == "integer"
    rows = {p["name"] for p in paths[SUPPORT + "uploads/{upload_id}/rows/"]["get"]["parameters"]}
    assert rows == {"upload_id", "status", "limit", "offset"}
    upload = paths[SUPPORT + "pairs/{pair_id}/uploads/"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert _component(schema, upload["schema"]["$ref"])["properties"]["file"]["format"] == "binary"
    decide = paths[SUPPORT + "pairs/{pair_id}/duplicates/"]["post"]["requestBody"]["content"]["application/json"]
    assert set(_component(schema, decide["schema"]["$ref"])["properties"]) == {"supporter", "action", "note"}
    for bodiless in ("pairs/{pair_id}/submit/", "uploads/{upload_id}/withdraw/"):
        assert "requestBody" not in paths[SUPPORT + bodiless]["post"], bodiless
    assert "201" in paths[SUPPORT + "pairs/{pair_id}/correction/"]["post"]["responses"]  # as it answers


def test_answers_have_the_fields_the_schema_names(
    client, schema, pair, lo, villages, django_capture_on_commit_callbacks
):
    client.force_login(lo)
    rows = rows_for(villages, 3)
    rows[2]["sex"] = "X"
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            reverse("support_uploads_api:uploads", args=[pair.pk]),
            {"file": SimpleUploadedFile("d.csv", csv_bytes(rows))},
        )
    upload = created.json()["id"]
    answers = {
        ("pairs/{pair_id}/uploads/", "post"): created.json(),
        ("pairs/{pair_id}/uploads/", "get"): client.get(reverse("support_uploads_api:uploads", args=[pair.pk])).json()[
            0
        ],
        ("uploads/{upload_id}/", "get"): client.get(reverse("support_uploads_api:upload", args=[upload])).json(),
        ("uploads/{upload_id}/rows/", "get"): client.get(
            reverse("support_uploads_api:upload_rows", args=[upload])
        ).json()["results"][0],
        ("pairs/{pair_id}/recap/", "get"): client.get(reverse("support_uploads_api:recap", args=[pair.pk])).json(),
        ("pairs/{pair_id}/duplicates/", "get"): client.get(
            reverse("support_uploads_api:duplicates", args=[pair.pk])
        ).json(),
        ("template-spec/", "get"): client.get(reverse("support_uploads_api:template_spec")).json(),
        ("uploads/{upload_id}/withdraw/", "post"): client.post(
            reverse("support_uploads_api:withdraw", args=[upload])
        ).json(),
    }
    for (path, method), body in answers.items():
        assert set(body) == _fields(schema, SUPPORT + path, method), (method, path, body)
    row = answers["uploads/{upload_id}/rows/", "get"]
    assert (row["sheet"], row["reasons"], row["status"]) == (1, ["SEX_INVALID"], "rejected")
    assert "*" in row["nik"] and row["nik"][-4:] == rows[2]["nik"][-4:]


def test_the_resumable_upload_documents_its_headers_and_refusals(schema):
    create = schema["paths"][SUPPORT + "pairs/{pair_id}/resumable/"]["post"]
    chunk = schema["paths"][SUPPORT + "resumable/{resumable_id}/"]["patch"]
    assert {"Tus-Resumable", "Upload-Length", "Upload-Metadata"} <= {p["name"] for p in create["parameters"]}
    assert set(create["responses"]["201"]["headers"]) == {"Location", "Upload-Offset", "Upload-Expires"}
    assert {"409", "410", "412", "413", "415"} <= set(chunk["responses"])
    assert set(chunk["requestBody"]["content"]) == {"application/offset+octet-stream"}


def test_the_oversized_upload_answers_its_documented_refusal(client, schema, pair, lo, settings):
    settings.SUPPORT_UPLOAD_MAX_BYTES = 10
    client.force_login(lo)
    big = SimpleUploadedFile("d.csv", b"x" * 200_000)
    response = client.post(reverse("support_uploads_api:uploads", args=[pair.pk]), {"file": big})
    assert response.status_code == 413
    assert response.json() == {"detail": "Berkas terlalu besar; batasnya 0 MB."}
    documented = schema["paths"][SUPPORT + "pairs/{pair_id}/uploads/"]["post"]["responses"]["413"]
    assert documented["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorDetail")
