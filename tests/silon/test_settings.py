"""The embedded default and production mode, each in a fresh interpreter with a controlled environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Variables that change what settings yield; the browser fixture sets DJANGO_ALLOW_ASYNC_UNSAFE for its process.
SERVICE_VARS = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_PASSWORD",
    "TRUSTED_PROXIES",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "AUDIT_HMAC_KEY",
    "AUDIT_SIGNING_KEY",
    "DATABASE_APP_ROLE",
    "DATABASE_APP_PASSWORD",
}
# Real audit keys for the production-mode runs below that are not about them (``None`` leaves one out).
AUDIT_KEYS = {
    "AUDIT_HMAC_KEY": "Pw3#nV8@qL5^zR2*tK7&xB4!mJ9%cH6$fD1(sG0)aE-uYiOoQ-8bN4wZ2",
    "AUDIT_SIGNING_KEY": "3f6c1e9a2b7d4c8e5f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a",
}


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARS}
    env["DJANGO_SETTINGS_MODULE"] = "silon.settings"
    if extra.get("DEBUG") == "false":
        env.update(AUDIT_KEYS)
    env.update({k: v for k, v in extra.items() if v is not None})
    for name in [k for k, v in extra.items() if v is None]:
        env.pop(name, None)
    return env


def _settings(**extra) -> dict:
    code = (
        "import json, django; from django.conf import settings as s; django.setup();"
        "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'eager': s.CELERY_TASK_ALWAYS_EAGER,"
        "'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG, 'broker': s.CELERY_BROKER_URL}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(**extra), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_no_variables_gives_the_embedded_default():
    s = _settings()
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["eager"] is True
    assert s["broker"].startswith("memory://")  # nothing reaches for an AMQP server on localhost
    assert s["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["debug"] is True


def test_service_variables_switch_to_postgres_redis_and_real_workers():
    s = _settings(DATABASE_URL="postgres://u@127.0.0.1:5432/x", REDIS_URL="redis://127.0.0.1:6379/3")
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["eager"] is False
    assert s["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert s["broker"] == "redis://127.0.0.1:6379/3"


def test_production_refuses_to_start_without_secret_key():
    out = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DEBUG="false", ALLOWED_HOSTS="silon.example"),
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    out = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DEBUG="false", SECRET_KEY="Zq8#vL2@pW5^kN9*rT4&yB7!mH3%xC6$jF1(dS0)gA-uEiOoP-4bV8nQ2wZ7"),
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "ALLOWED_HOSTS" in out.stderr


def test_production_check_deploy_has_no_warnings():
    key = "Zq8#vL2@pW5^kN9*rT4&yB7!mH3%xC6$jF1(dS0)gA" + "uEiOoP-4bV8nQ2wZ7"
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_env(DEBUG="false", SECRET_KEY=key, ALLOWED_HOSTS="silon.example"),
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def _production_check(secret_key: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DEBUG="false", SECRET_KEY=secret_key, ALLOWED_HOSTS="silon.example"),
        capture_output=True,
        text=True,
    )


def test_production_refuses_the_example_secret_key_and_other_placeholders():
    example = _env_example()["SECRET_KEY"]
    assert len(example) >= 50  # long enough: refused for being the placeholder, not for its length
    for key in (
        example,
        "django-insecure-" + "q8v#2m!x" * 6,  # Django's generated development key
        "embedded-default-insecure-key-do-not-use-in-production",
        "CHANGEME" + "x1y2z3" * 8,
    ):
        out = _production_check(key)
        assert out.returncode != 0, key
        assert "refuses this SECRET_KEY: it is a placeholder" in out.stderr, out.stderr[-500:]
        assert "secrets.token_urlsafe(50)" in out.stderr


def test_production_refuses_a_short_or_monotonous_secret_key():
    out = _production_check("k7#Qz" * 9)  # 45 characters
    assert out.returncode != 0 and "it must have at least 50 characters" in out.stderr
    out = _production_check("ab" * 30)
    assert out.returncode != 0 and "fewer than 5 different characters" in out.stderr


def test_database_password_may_be_given_apart_or_percent_encoded():
    """docker-compose.yml passes POSTGRES_PASSWORD as DATABASE_PASSWORD, so that @ : / # need no escaping; inside
    DATABASE_URL they are percent-encoded."""
    code = (
        "import json, django; from django.conf import settings as s; django.setup();"
        "d = s.DATABASES['default']; print(json.dumps([d['USER'], d['PASSWORD'], d['HOST'], d['PORT'], d['NAME']]))"
    )
    password = "p@ss:w/rd#1?"
    apart = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(DATABASE_URL="postgres://silon@postgres:5432/silon", DATABASE_PASSWORD=password),
        capture_output=True,
        text=True,
    )
    encoded = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_env(DATABASE_URL="postgres://silon:p%40ss%3Aw%2Frd%231%3F@postgres:5432/silon"),
        capture_output=True,
        text=True,
    )
    assert apart.returncode == 0, apart.stderr
    assert encoded.returncode == 0, encoded.stderr
    expected = ["silon", password, "postgres", 5432, "silon"]
    assert json.loads(apart.stdout.splitlines()[-1]) == expected
    assert json.loads(encoded.stdout.splitlines()[-1]) == expected


GOOD_SECRET_KEY = "Zq8#vL2@pW5^kN9*rT4&yB7!mH3%xC6$jF1(dS0)gA-uEiOoP-4bV8nQ2wZ7"


def _production_with(**keys) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=_env(DEBUG="false", SECRET_KEY=GOOD_SECRET_KEY, ALLOWED_HOSTS="silon.example", **keys),
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_real_audit_keys():
    example = _env_example()
    refused = [
        ({"AUDIT_HMAC_KEY": None}, "refuses this AUDIT_HMAC_KEY: it must have at least 50 characters"),
        ({"AUDIT_HMAC_KEY": example["AUDIT_HMAC_KEY"]}, "refuses this AUDIT_HMAC_KEY: it is a placeholder"),
        ({"AUDIT_HMAC_KEY": GOOD_SECRET_KEY}, "AUDIT_HMAC_KEY must differ from SECRET_KEY"),
        ({"AUDIT_SIGNING_KEY": None}, "refuses this AUDIT_SIGNING_KEY: it must be 64 hexadecimal digits"),
        ({"AUDIT_SIGNING_KEY": example["AUDIT_SIGNING_KEY"]}, "refuses this AUDIT_SIGNING_KEY"),
        ({"AUDIT_SIGNING_KEY": "00" * 32}, "refuses this AUDIT_SIGNING_KEY: it is not random"),
    ]
    for keys, message in refused:
        out = _production_with(**keys)
        assert out.returncode != 0, keys
        assert message in out.stderr, (keys, out.stderr[-400:])
    assert _production_with().returncode == 0


def test_development_derives_the_audit_keys_from_the_secret_key():
    code = (
        "import django; from django.conf import settings as s; django.setup();"
        "print(s.AUDIT_HMAC_KEY != s.SECRET_KEY, len(bytes.fromhex(s.AUDIT_SIGNING_KEY)), s.AUDIT_HMAC_KEY,"
        " s.AUDIT_SIGNING_KEY)"
    )
    runs = [
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(SECRET_KEY=key), capture_output=True, text=True)
        for key in ("one-development-key", "one-development-key", "another-development-key")
    ]
    out = [r.stdout.split() for r in runs]
    assert [o[:2] for o in out] == [["True", "32"]] * 3, [r.stderr for r in runs]
    assert out[0] == out[1]  # stable for one SECRET_KEY: the chain verifies across restarts
    assert out[0][2] != out[2][2] and out[0][3] != out[2][3]
