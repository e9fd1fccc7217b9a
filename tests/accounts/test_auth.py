import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from silon.accounts.models import Role
from silon.accounts.services import user_change_password, user_create
from silon.audit.models import AuditEvent

from .factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_and_logout_are_audited(client):
    user = UserFactory()
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("dashboard:home")
    assert AuditEvent.objects.filter(action="account.login", actor=user).exists()
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action="account.logout", actor=user).exists()


def test_failed_login_is_audited_without_the_password(client):
    user = UserFactory()
    _login(client, user.username, "wrong-password-123")
    event = AuditEvent.objects.get(action="account.login_failed")
    assert event.object_repr == user.username
    assert "wrong-password-123" not in str(event.before) + str(event.after) + event.object_repr


def test_lockout_after_repeated_failures_even_with_the_right_password(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "not-the-password")
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, settings):
    locked, other = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, locked.username, "not-the-password")
    assert _login(client, other.username, PASSWORD).status_code == 302


def test_issued_account_must_change_password_first(client):
    admin = UserFactory(role=Role.ADMIN, region_code="")
    user, one_time = user_create(actor=admin, username="lo-ntb-1", role=Role.PAIR_OPERATOR)
    assert user.must_change_password
    assert _login(client, "lo-ntb-1", one_time).status_code == 302
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_change")
    assert client.get("/api/schema/").status_code == 403
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": one_time, "new_password1": "Baru-Sekali-2026", "new_password2": "Baru-Sekali-2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("dashboard:home")).status_code == 200
    assert AuditEvent.objects.filter(action="account.password_change", actor=user).exists()


def test_the_issued_password_and_the_username_are_refused_as_the_new_one(client):
    """The operator who issued the one-time password still knows it; the username is printed beside it."""
    admin = UserFactory(role=Role.ADMIN, region_code="")
    user, one_time = user_create(actor=admin, username="lo-ntb-kandidat-9", role=Role.PAIR_OPERATOR)
    _login(client, user.username, one_time)
    for new, message in (
        (one_time, "harus berbeda dari kata sandi saat ini"),
        # the similarity validator may say it first, in its own words
        ("lo-ntb-kandidat-9", "nama pengguna"),
        ("LO-NTB-Kandidat-9", "nama pengguna"),
    ):
        response = client.post(
            reverse("accounts:password_change"),
            {"old_password": one_time, "new_password1": new, "new_password2": new},
        )
        assert response.status_code == 200, new
        assert message in response.content.decode(), new
        user.refresh_from_db()
        assert user.must_change_password and user.check_password(one_time)
    # the service refuses on its own too, whatever form calls it
    with pytest.raises(ValidationError, match="harus berbeda"):
        user_change_password(user=user, new_password=one_time)
    with pytest.raises(ValidationError, match="nama pengguna"):
        user_change_password(user=user, new_password=user.username)


def test_weak_new_password_is_refused(client):
    user = UserFactory(must_change_password=True)
    _login(client, user.username, PASSWORD)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password


def test_expired_account_cannot_log_in(client):
    from datetime import timedelta

    from django.utils import timezone

    user = UserFactory(expires_at=timezone.now() - timedelta(minutes=1))
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_session_expires(settings):
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


# --- per-address login limit (silon.throttling.LoginRateThrottle) ------------------------------------


@pytest.fixture
def login_rate(monkeypatch):
    """Five login POSTs per minute and address (the class reads its rates at import; patched for this test)."""
    from silon.throttling import LoginRateThrottle

    monkeypatch.setattr(LoginRateThrottle, "THROTTLE_RATES", {**LoginRateThrottle.THROTTLE_RATES, "login": "5/min"})


def _login_from(client, address, username, password, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra
    )


def test_the_default_login_rate_is_twenty_a_minute_per_address(settings):
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"] == "20/min"
    assert "silon.accounts.middleware.LoginRateLimitMiddleware" in settings.MIDDLEWARE


def test_one_password_over_many_usernames_from_one_address_is_refused(client, login_rate):
    """django-axes counts per username + address: five usernames, one guess each, are never locked by it.
    The sixth attempt from that address is refused before any password is checked, even a right one."""
    user = UserFactory()
    for n in range(5):
        response = _login_from(client, "203.0.113.7", f"tebakan-{n}", "Rahasia-Umum-2026")
        assert response.status_code == 200  # the login form again, with its error
    refused = _login_from(client, "203.0.113.7", user.username, PASSWORD)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Terlalu banyak percobaan masuk dari alamat Anda" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="account.login", actor=user).exists()
    event = AuditEvent.objects.get(action="account.login_throttled")
    assert event.object_repr == user.username and event.ip_address == "203.0.113.7"
    assert PASSWORD not in str(event.before) + str(event.after) + event.object_repr
    # an X-Forwarded-For header of the client's choosing does not give it a fresh count
    spoofed = _login_from(client, "203.0.113.7", "tebakan-9", "x", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert spoofed.status_code == 429
    # the admin's login form checks passwords too: same count
    admin_login = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert admin_login.status_code == 429


def test_another_address_still_logs_in_and_reading_the_form_is_free(client, login_rate):
    user = UserFactory()
    for n in range(6):
        _login_from(client, "203.0.113.7", f"tebakan-{n}", "Rahasia-Umum-2026")
    assert _login_from(client, "203.0.113.7", user.username, PASSWORD).status_code == 429
    assert client.get(reverse("accounts:login"), REMOTE_ADDR="203.0.113.7").status_code == 200
    assert _login_from(client, "198.51.100.20", user.username, PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="account.login", actor=user).exists()


def test_behind_the_front_proxy_the_login_limit_and_audit_see_the_client(settings, login_rate):
    """Every request reaches gunicorn from the proxy's address; with it in TRUSTED_PROXIES the client's address
    comes from the X-Real-IP header the proxy sets, so one client's guesses do not refuse everyone else."""
    from django.test import Client

    settings.TRUSTED_PROXIES = ["172.16.0.0/12"]
    client = Client()  # middleware loads on its first request, with the setting above
    proxy = "172.18.0.5"
    user = UserFactory()
    for n in range(5):
        response = _login_from(client, proxy, f"tebakan-{n}", "Rahasia-Umum-2026", HTTP_X_REAL_IP="203.0.113.7")
        assert response.status_code == 200
    assert _login_from(client, proxy, user.username, PASSWORD, HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    event = AuditEvent.objects.get(action="account.login_throttled")
    assert event.ip_address == "203.0.113.7"
    # another client through the same proxy has its own count
    assert _login_from(client, proxy, user.username, PASSWORD, HTTP_X_REAL_IP="198.51.100.20").status_code == 302
    assert AuditEvent.objects.get(action="account.login", actor=user).ip_address == "198.51.100.20"


def test_a_client_cannot_name_its_own_address(settings):
    """X-Real-IP counts only from a trusted proxy; a malformed one is ignored; without TRUSTED_PROXIES the
    middleware is left out."""
    from django.core.exceptions import MiddlewareNotUsed
    from django.test import RequestFactory

    from silon.middleware import ProxyClientAddressMiddleware

    seen = []

    def app(request):
        seen.append(request.META["REMOTE_ADDR"])
        return None

    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]
    middleware = ProxyClientAddressMiddleware(app)
    factory = RequestFactory()
    middleware(factory.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_REAL_IP="203.0.113.7"))
    middleware(factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="203.0.113.7"))
    middleware(factory.get("/", REMOTE_ADDR="10.1.2.3", HTTP_X_REAL_IP="203.0.113.7, 198.51.100.1"))
    middleware(factory.get("/", REMOTE_ADDR="::1", HTTP_X_REAL_IP="2001:db8::7"))
    middleware(factory.get("/", REMOTE_ADDR="10.1.2.3"))
    assert seen == ["198.51.100.9", "203.0.113.7", "10.1.2.3", "2001:db8::7", "10.1.2.3"]
    settings.TRUSTED_PROXIES = []
    with pytest.raises(MiddlewareNotUsed):
        ProxyClientAddressMiddleware(app)
