"""Web hardening, each point as behaviour: CSRF on every POST, upload rate limits (page and API: supporter
files, KTP scans, mandate letters, candidacy documents, DPT and party-result imports), the password
policy at password change, and HSTS / secure cookies on real responses in production mode.

(Headers and ``check --deploy``: tests/silon/test_security_headers.py and test_settings.py; the login
lockout by django-axes: tests/accounts/test_auth.py.)"""

import json
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.throttling import UserRateThrottle

from candidacy.models import DocumentRequirement
from support_uploads.models import Upload
from tests.accounts.factories import PASSWORD, UserFactory, operator
from tests.candidacy.factories import PDF
from tests.conftest import ROOT
from tests.security.test_permission_matrix import ROLES, _expected, _last_event, _writes, build_url, url_names
from tests.silon.test_settings import AUDIT_KEYS
from tests.support_uploads.conftest import csv_bytes, rows_for

pytestmark = pytest.mark.django_db

REACHES_THE_VIEW = {"200", "302", "400"}  # allowed; 400 is the view refusing an empty form


# --- CSRF ------------------------------------------------------------------------------------------


def _poster(name: str, url: str) -> str | None:
    """A role the permission matrix lets POST to this URL (the request would reach the view), or None."""
    for role in ("admin",) if name.startswith("admin:") else ROLES:
        if _expected(name, url, "POST", role) in REACHES_THE_VIEW:
            return role
    return None


def test_every_post_without_a_csrf_token_is_refused(world):
    """Every URL of the URL conf that accepts a POST from some role refuses it, as that role, without the
    CSRF token: pages with Django's 403, the API (session-authenticated) with DRF's; nothing is written."""
    checked, failures = [], []
    for name, pattern in url_names():
        url = build_url(name, pattern, world)
        role = _poster(name, url)
        if role is None:
            continue
        client = Client(enforce_csrf_checks=True)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        before = _last_event()
        response = client.post(url, {"note": "x", "reason": "x", "name": "x"})
        checked.append(name)
        # an anonymous API call carries no session, so no one's authority can be borrowed: CSRF does not apply
        # (DRF checks it for session-authenticated requests only). The public API writes (self-check,
        # objection, public response) stand behind their proof-of-work or form checks instead; what holds for
        # them here is that this request, which lacks what they need, writes nothing.
        sessionless_api = role == "anonymous" and url.startswith("/api/")
        if not sessionless_api and (response.status_code != 403 or "CSRF" not in response.content.decode()):
            failures.append(f"POST {url} ({name}) as {role} without a token: {response.status_code}")
        if _writes(before):
            failures.append(f"POST {url} ({name}) without a token wrote {_writes(before)}")
    assert not failures, "\n".join(failures)
    # the forms that matter are among them (and the classification did not silently empty the list)
    for name in (
        "accounts:login",
        "accounts:password_change",
        "candidacy:election_create",
        "support_uploads:upload_post",
        "support_uploads:submit",
        "support_uploads_api:uploads",
        "candidacy_api:pair-transitions",
        "admin:login",
    ):
        assert name in checked, name
    assert len(checked) > 40


# --- upload rate limits ------------------------------------------------------------------------------


UPLOAD_SCOPES = ("support_upload", "candidacy_document", "election_import", "team_register")


@pytest.fixture
def upload_rate(monkeypatch):
    """Two uploads of each kind per hour (the classes read their rates at import; patched for this test only)."""
    rates = {**UserRateThrottle.THROTTLE_RATES, **dict.fromkeys(UPLOAD_SCOPES, "2/hour")}
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", rates)


@pytest.fixture
def ready_lo(lo):
    """Pair A's LO past its first-login password change."""
    lo.must_change_password = False
    lo.save(update_fields=["must_change_password"])
    return lo


def _file(villages):
    return SimpleUploadedFile("dukungan.csv", csv_bytes(rows_for(villages, 3)))


def _pdf():
    return SimpleUploadedFile("berkas.pdf", PDF, content_type="application/pdf")


def test_the_default_upload_rates_are_generous():
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates["support_upload"] == "30/hour"
    assert rates["candidacy_document"] == "120/hour"
    assert rates["election_import"] == "30/hour"
    assert rates["team_register"] == "10/hour"


def test_upload_page_is_rate_limited_per_user(
    client, pair, ready_lo, villages, upload_rate, django_capture_on_commit_callbacks
):
    client.force_login(ready_lo)
    url = reverse("support_uploads:upload_post", args=[pair.pk])
    with django_capture_on_commit_callbacks(execute=False):
        codes = [client.post(url, {"file": _file(villages)}).status_code for _ in range(3)]
        response = client.post(url, {"file": _file(villages)})
    assert codes == [302, 302, 429]
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "coba lagi" in response.content.decode()
    assert Upload.objects.filter(pair=pair).count() == 2
    # reading is not limited
    assert client.get(reverse("support_uploads:pair", args=[pair.pk])).status_code == 200


def test_upload_api_is_rate_limited_and_shares_the_count_with_the_page(
    client, pair, ready_lo, villages, upload_rate, django_capture_on_commit_callbacks
):
    client.force_login(ready_lo)
    api = reverse("support_uploads_api:uploads", args=[pair.pk])
    with django_capture_on_commit_callbacks(execute=False):
        assert (
            client.post(reverse("support_uploads:upload_post", args=[pair.pk]), {"file": _file(villages)}).status_code
            == 302
        )
        assert client.post(api, {"file": _file(villages)}).status_code == 202
        refused = client.post(api, {"file": _file(villages)})
    assert refused.status_code == 429 and "Retry-After" in refused
    assert set(refused.json()) == {"detail"}
    for _ in range(5):  # polling the list and the progress is not counted
        assert client.get(api).status_code == 200
    assert Upload.objects.filter(pair=pair).count() == 2


def test_the_upload_limit_is_per_user(
    client, pair, ready_lo, kpu, villages, upload_rate, django_capture_on_commit_callbacks
):
    from support_uploads.services import lo_account_issue

    other = lo_account_issue(actor=kpu, pair=pair, password="Sandi-LO-2026!y")[0].user
    other.must_change_password = False
    other.save(update_fields=["must_change_password"])
    api = reverse("support_uploads_api:uploads", args=[pair.pk])
    with django_capture_on_commit_callbacks(execute=False):
        client.force_login(ready_lo)
        assert [client.post(api, {"file": _file(villages)}).status_code for _ in range(3)] == [202, 202, 429]
        client.force_login(other)
        assert client.post(api, {"file": _file(villages)}).status_code == 202


def _refused_page(response) -> None:
    """The project's 429 page, with the wait in Retry-After."""
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "coba lagi" in response.content.decode()
    assert "429.html" in [t.name for t in response.templates]


def _refused_api(response) -> None:
    """DRF's 429 within the schema: ``{"detail": ...}`` and Retry-After."""
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert set(response.json()) == {"detail"}


def test_ktp_scan_page_is_rate_limited_and_shares_the_count_with_supporter_files(
    client, pair, ready_lo, villages, upload_rate, django_capture_on_commit_callbacks, settings, tmp_path
):
    from support_uploads.models import KtpScan

    settings.MEDIA_ROOT = tmp_path
    client.force_login(ready_lo)
    scan_url = reverse("support_uploads:scan_upload", args=[pair.pk])
    with django_capture_on_commit_callbacks(execute=False):
        assert (
            client.post(reverse("support_uploads:upload_post", args=[pair.pk]), {"file": _file(villages)}).status_code
            == 302
        )
        assert client.post(scan_url, {"village_code": villages[0], "file": _pdf()}).status_code == 302
        _refused_page(client.post(scan_url, {"village_code": villages[1], "file": _pdf()}))
    assert KtpScan.objects.filter(pair=pair).count() == 1
    assert client.get(reverse("support_uploads:pair", args=[pair.pk])).status_code == 200


def test_team_mandate_letter_is_rate_limited_per_user(client, pair, kpu, upload_rate, settings, tmp_path):
    from support_uploads.models import PairTeam

    settings.MEDIA_ROOT = tmp_path
    url = reverse("support_uploads:team", args=[pair.pk])
    client.force_login(kpu)
    for name in ("Baiq Satu", "Baiq Dua"):
        assert client.post(url, {"contact_name": name, "mandate_letter": _pdf()}).status_code == 302
    _refused_page(client.post(url, {"contact_name": "Baiq Tiga", "mandate_letter": _pdf()}))
    assert PairTeam.objects.get(pair=pair).contact_name == "Baiq Dua"
    assert client.get(url).status_code == 200  # the form itself is not limited
    client.force_login(operator("52"))  # another operator has a count of their own
    assert client.post(url, {"contact_name": "Baiq Empat", "mandate_letter": _pdf()}).status_code == 302


@pytest.fixture
def registration_pair(pair, settings, tmp_path):
    from candidacy.models import Stage
    from tests.candidacy.factories import open_stage

    settings.MEDIA_ROOT = tmp_path
    open_stage(pair.election, Stage.REGISTRATION)
    return pair


def test_candidacy_documents_are_rate_limited_page_and_api_together(client, registration_pair, kpu, upload_rate):
    pair = registration_pair
    requirement = DocumentRequirement.objects.get(regulation=pair.election.regulation, path=pair.path, code="vision")
    page = reverse("candidacy:documents", args=[pair.pk])
    api = reverse("candidacy_api:pair-documents", args=[pair.pk])
    client.force_login(kpu)
    assert client.post(page, {"requirement": requirement.pk, "file": _pdf()}).status_code == 302
    assert client.post(api, {"requirement": "vision", "file": _pdf()}).status_code == 201
    _refused_api(client.post(api, {"requirement": "vision", "file": _pdf()}))
    _refused_page(client.post(page, {"requirement": requirement.pk, "file": _pdf()}))
    assert pair.documents.count() == 2
    assert client.get(page).status_code == 200 and client.get(api).status_code == 200  # the checklist is free


def test_dpt_import_is_rate_limited_page_and_api_together(client, election, kpu, upload_rate):
    page = reverse("candidacy:area_dpt_import", args=[election.pk])
    api = reverse("candidacy_api:election-area-dpt", args=[election.pk])
    client.force_login(kpu)
    assert client.post(page, {"text": "52.01,100\n"}).status_code == 302
    assert client.post(api, {"text": "52.01,200\n"}, content_type="application/json").status_code == 201
    _refused_api(client.post(api, {"text": "52.01,300\n"}, content_type="application/json"))
    _refused_page(client.post(page, {"text": "52.01,400\n"}))
    assert list(election.area_dpts.values_list("region_code", "dpt")) == [("52.01", 200)]
    assert client.get(api).status_code == 200 and client.get(page).status_code == 200


def test_party_results_import_is_rate_limited_page_and_api_together(client, election, kpu, upload_rate):
    from candidacy.models import Party

    page = reverse("candidacy:party_results", args=[election.pk])
    api = reverse("candidacy_api:election-party-results-import", args=[election.pk])
    client.force_login(kpu)
    assert client.post(page, {"csv-text": "2,100000,5\n"}).status_code == 302
    assert client.post(api, {"text": "2,200000,6\n"}, content_type="application/json").status_code == 201
    _refused_api(client.post(api, {"text": "2,300000,7\n"}, content_type="application/json"))
    _refused_page(client.post(page, {"csv-text": "2,400000,8\n"}))
    assert election.party_results.get().votes == 200_000
    # one party's figures typed in the form are not an import: not counted, not refused
    one = {"one-party": Party.objects.get(number=4).pk, "one-votes": 90_000, "one-seats": 4}
    assert client.post(page, one).status_code == 302
    # the DPT import shares the count: both are a KPU operator's CSV imports
    _refused_page(client.post(reverse("candidacy:area_dpt_import", args=[election.pk]), {"text": "52.01,1\n"}))


def test_the_schema_documents_429_on_every_limited_upload():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/support/pairs/{pair_id}/uploads/",
        "/api/candidacy/pairs/{id}/documents/",
        "/api/candidacy/elections/{id}/area-dpt/",
        "/api/candidacy/elections/{id}/party-results/import/",
    ):
        operations = schema["paths"][path]
        assert "429" in operations["post"]["responses"], path
        assert "429" not in operations.get("get", {"responses": {}})["responses"], path


# --- password policy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("new_password", "code"),
    [
        ("Ab3$efgh", "password_too_short"),  # 8 < 10 characters
        ("qwertyuiop", "password_too_common"),
        ("7294018365", "password_entirely_numeric"),
        ("wirasatya-ntb", "password_too_similar"),  # the username
    ],
)
def test_password_change_enforces_the_policy(client, new_password, code):
    user = UserFactory(username="wirasatya-ntb", must_change_password=True)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    codes = [e.code for e in response.context["form"].errors.as_data()["new_password2"]]
    assert code in codes
    user.refresh_from_db()
    assert user.must_change_password and user.check_password(PASSWORD)


def test_a_password_meeting_the_policy_is_accepted(client):
    user = UserFactory(username="wirasatya-ntb", must_change_password=True)
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "Gunung-Rinjani-3726", "new_password2": "Gunung-Rinjani-3726"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Gunung-Rinjani-3726")


# --- HSTS and secure cookies on real responses in production mode ----------------------------------

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
out = {}
plain = Client().get("/akun/masuk/")
out["plain"] = [plain.status_code, plain.get("Location", "")]
page = Client().get("/akun/masuk/", secure=True)
out["status"] = page.status_code
out["hsts"] = page.get("Strict-Transport-Security", "")
csrf = page.cookies.get("csrftoken")
out["csrf_cookie"] = {"secure": bool(csrf["secure"]), "samesite": csrf["samesite"]} if csrf else None
from django.conf import settings
out["session"] = [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY, settings.SESSION_COOKIE_SAMESITE]
print(json.dumps(out))
"""


def test_production_responses_carry_hsts_and_secure_cookies(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "silon.settings",
        "DEBUG": "false",
        "SECRET_KEY": "Zq8#vL2@pW5^kN9*rT4&yB7!mH3%xC6$jF1(dS0)gA-uEiOoP-4bV8nQ2wZ7",
        "ALLOWED_HOSTS": "silon.example,testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **AUDIT_KEYS,  # production refuses to start without real audit keys
    }
    # production serves hashed static files: collect them (into tmp) as a deployment does
    env["STATIC_ROOT"] = str(tmp_path / "static")
    collect = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
    assert subprocess.run(collect, cwd=ROOT, env=env, capture_output=True, text=True).returncode == 0
    out = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    probe = json.loads(out.stdout.strip().splitlines()[-1])
    assert probe["plain"] == [301, "https://testserver/akun/masuk/"]  # plain HTTP is sent to HTTPS
    assert probe["status"] == 200
    assert probe["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert probe["csrf_cookie"] == {"secure": True, "samesite": "Lax"}
    assert probe["session"] == [True, True, "Lax"]
