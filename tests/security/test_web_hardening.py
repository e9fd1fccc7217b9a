"""Web hardening, each point as behaviour: CSRF on every POST, upload rate limits (page and API), the password
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

from support_uploads.models import Upload
from tests.accounts.factories import PASSWORD, UserFactory
from tests.conftest import ROOT
from tests.security.test_permission_matrix import ROLES, _expected, _last_event, _writes, build_url, url_names
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
        if response.status_code != 403 or "CSRF" not in response.content.decode():
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


@pytest.fixture
def upload_rate(monkeypatch):
    """Two uploads per hour (the class reads its rates at import; patched for this test only)."""
    monkeypatch.setattr(
        UserRateThrottle, "THROTTLE_RATES", {**UserRateThrottle.THROTTLE_RATES, "support_upload": "2/hour"}
    )


@pytest.fixture
def ready_lo(lo):
    """Pair A's LO past its first-login password change."""
    lo.must_change_password = False
    lo.save(update_fields=["must_change_password"])
    return lo


def _file(villages):
    return SimpleUploadedFile("dukungan.csv", csv_bytes(rows_for(villages, 3)))


def test_the_default_upload_rate_is_generous():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["support_upload"] == "30/hour"


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
