"""SILON settings.

Every value comes from the environment, read here and only here (``env`` below). With no variable set
the portal runs in its *embedded default*: SQLite, Celery tasks executed in-process, a local-memory cache.
Setting ``DATABASE_URL`` and ``REDIS_URL`` (or ``CELERY_BROKER_URL``) switches to PostgreSQL, Redis and
real Celery workers. ``DEBUG=false`` is production mode: it refuses to start without ``SECRET_KEY`` and
``ALLOWED_HOSTS`` and turns on every HTTPS protection so that ``manage.py check --deploy`` is clean.
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from silon.settings_blocks import beat_schedule, derived_key, logging_config, storages_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)

# Parts of a SECRET_KEY that mark it as a placeholder: .env.example's value, Django's generated development key,
# the embedded default's. The key also signs the support templates (support_uploads.signing).
SECRET_KEY_PLACEHOLDERS = ("change-me", "changeme", "django-insecure", "embedded-default", "do-not-use")


def secret_key_problem(key: str) -> str | None:
    """Why ``key`` cannot sign production sessions and templates, or None."""
    if len(key) < 50:
        return "it must have at least 50 characters"
    if any(marker in key.lower() for marker in SECRET_KEY_PLACEHOLDERS):
        return "it is a placeholder (the value from .env.example or a development key)"
    if len(set(key)) < 5:
        return "it has fewer than 5 different characters"
    return None


if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="embedded-default-insecure-key-do-not-use-in-production")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
    if problem := secret_key_problem(SECRET_KEY):
        raise ImproperlyConfigured(
            f"Production mode (DEBUG=false) refuses this SECRET_KEY: {problem}; generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production mode (DEBUG=false) needs ALLOWED_HOSTS.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- The audit trail's keys (silon.audit.keys): neither is ever stored in the database --------------------------
# AUDIT_HMAC_KEY keys the hash chain (HMAC-SHA256), so that whoever can write the table cannot recompute it.
# AUDIT_SIGNING_KEY is the Ed25519 seed (64 hex digits) that signs the published checkpoints of the chain head.
# Development derives both from SECRET_KEY; production refuses to start without real ones.


def signing_key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an Ed25519 seed (32 bytes as 64 hexadecimal digits), or None."""
    try:
        seed = bytes.fromhex(key)
    except ValueError:
        return "it must be 64 hexadecimal digits (32 bytes)"
    if len(seed) != 32:
        return "it must be 64 hexadecimal digits (32 bytes)"
    if len(set(seed)) < 8:
        return "it is not random"
    return None


if DEBUG:
    AUDIT_HMAC_KEY = (
        env.str("AUDIT_HMAC_KEY", default="") or hashlib.sha256(b"silon-audit-hmac|" + SECRET_KEY.encode()).hexdigest()
    )
    AUDIT_SIGNING_KEY = (
        env.str("AUDIT_SIGNING_KEY", default="")
        or hashlib.sha256(b"silon-audit-signing|" + SECRET_KEY.encode()).hexdigest()
    )
else:
    AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
    AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
    if problem := secret_key_problem(AUDIT_HMAC_KEY):
        raise ImproperlyConfigured(
            f"Production mode (DEBUG=false) refuses this AUDIT_HMAC_KEY: {problem}; generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    if AUDIT_HMAC_KEY == SECRET_KEY:
        raise ImproperlyConfigured("Production mode (DEBUG=false): AUDIT_HMAC_KEY must differ from SECRET_KEY.")
    if problem := signing_key_problem(AUDIT_SIGNING_KEY):
        raise ImproperlyConfigured(
            f"Production mode (DEBUG=false) refuses this AUDIT_SIGNING_KEY: {problem}; generate one with: "
            'python -c "import secrets; print(secrets.token_hex(32))"'
        )
if problem := signing_key_problem(AUDIT_SIGNING_KEY):
    raise ImproperlyConfigured(f"AUDIT_SIGNING_KEY: {problem}.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "guardian",
    "axes",
    "silon.accounts",
    "silon.audit",
    "dashboard",
    "regions",
    "candidacy",
    "support_uploads",
    "verification",
    "objections",
    "portal",
]

# --- The public self-check and objections (objections/; SECURITY.md "Public self-check: privacy review") -----
# The key of the NIK hash (objections.hashing; unset: derived from SECRET_KEY), the proof-of-work's bound.
# The key of the DPT's NIK hash (support_uploads.dpt; unset: derived from SECRET_KEY, as the check's key is).
PUBLIC_CHECK_HMAC_KEY = env.str("PUBLIC_CHECK_HMAC_KEY", default="") or derived_key(SECRET_KEY, "silon-public-check")
DPT_NIK_HMAC_KEY = env.str("DPT_NIK_HMAC_KEY", default="") or derived_key(SECRET_KEY, "silon-dpt-nik")
for _name in ("PUBLIC_CHECK_HMAC_KEY", "DPT_NIK_HMAC_KEY"):  # production refuses a weak one
    if not DEBUG and (problem := secret_key_problem(globals()[_name])):
        raise ImproperlyConfigured(f"Production mode (DEBUG=false) refuses this {_name}: {problem}")
DPT_IMPORT_MAX_BYTES = env.int("DPT_IMPORT_MAX_BYTES", default=4 * 1024 * 1024 * 1024)
PUBLIC_CHECK_POW_MAX_NUMBER = env.int("PUBLIC_CHECK_POW_MAX_NUMBER", default=100000)
OBJECTION_PHOTO_MAX_BYTES = env.int("OBJECTION_PHOTO_MAX_BYTES", default=5 * 1024 * 1024)

# Addresses (or networks) of the front proxy. A request from one of them takes its client address from the
# X-Real-IP header the proxy sets (silon.middleware.ProxyClientAddressMiddleware): the login limit, the axes
# lockout and the audit log key on it. Empty: REMOTE_ADDR is the client (no proxy).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])

MIDDLEWARE = [
    "silon.middleware.ProxyClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "silon.middleware.SecurityHeadersMiddleware",
    "silon.middleware.PageMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "silon.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "silon.audit.middleware.AuditContextMiddleware",
    "silon.accounts.middleware.SupervisorIdleTimeoutMiddleware",
    "silon.audit.middleware.SupervisionAuditMiddleware",
    "silon.audit.downloads.SupervisorDownloadMiddleware",
    "silon.accounts.middleware.ForcePasswordChangeMiddleware",
    "silon.accounts.middleware.LoginRateLimitMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "silon.urls"
WSGI_APPLICATION = "silon.wsgi.application"
ASGI_APPLICATION = "silon.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "silon.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
# The password may come on its own (docker-compose.yml passes POSTGRES_PASSWORD so), so that characters such as
# @ : / # in it need no escaping; inside DATABASE_URL they must be percent-encoded (%40 %3A %2F %23).
if DATABASE_PASSWORD := env.str("DATABASE_PASSWORD", default=""):
    DATABASES["default"]["PASSWORD"] = DATABASE_PASSWORD
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Two PostgreSQL roles (README "Production", silon.audit.db_roles): the owner of the tables runs `migrate`; the
# application connects at run time as DATABASE_APP_ROLE, which owns nothing and may only read and add audit
# events. With DATABASE_APP_ROLE set, `migrate` (run as the owner) ends by creating that role if it is missing
# (password DATABASE_APP_PASSWORD) and granting it exactly its privileges; `manage.py db_roles` does the same.
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="")
DATABASE_APP_PASSWORD = env.str("DATABASE_APP_PASSWORD", default="")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the embedded default for one person on a laptop; WAL lets the page read while a task writes.
    DATABASES["default"]["OPTIONS"] = {"init_command": "PRAGMA journal_mode=WAL;", "timeout": 30}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker, Celery ------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="silon"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "silon"}}
# How long the front proxy (deploy/nginx) may answer an anonymous public page from its own cache without asking
# web-public again (`s-maxage`); browsers still ask every time (`max-age=0`). 0: the proxy keeps nothing.
PORTAL_SHARED_CACHE_SECONDS = env.int("PORTAL_SHARED_CACHE_SECONDS", default=10)

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker, tasks run in-process (the embedded default); the in-memory transport stands in so that
# nothing tries to reach an AMQP server on localhost.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# Every task is bounded: the soft limit raises inside the task (an upload then ends FAILED, retryable), the hard
# limit kills the pool process. The longest task, a 2.5M-row upload, is validated in minutes.
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=3600)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=3300)
# A pool process whose resident memory is above this after a task (KiB, Celery's unit) is replaced by a fresh
# one, so a worker goes back to its normal size after a large upload. The read of an upload, the costly part,
# runs in a child of its own under SUPPORT_UPLOAD_READ_MEMORY_BYTES (support_uploads.reading.bounded).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=1536 * 1024)
# Longer than the hard time limit, so a task is not redelivered while it still runs (Redis transport); a
# message a dead worker left unacknowledged is delivered again after this long.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=4 * 3600)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="silon")

# --- Auth -----------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "silon.accounts.backends.ExpiringModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "home"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Bawaslu's access in 2023 was agreed as view-only with 15-minute sessions: a supervisor idle this long is
# signed out on the next request (silon.accounts.middleware.SupervisorIdleTimeoutMiddleware).
SUPERVISOR_IDLE_TIMEOUT = env.int("SUPERVISOR_IDLE_TIMEOUT", default=15 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# django-axes: lock a username from one address after repeated failures. Login POSTs per address, whatever
# the username, are rate-limited as well ("login" below, silon.throttling.LoginRateThrottle).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# django-guardian: per-object grants only (an LO to its pair); no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "silon.openapi.AutoSchema",
    # the services' Django exceptions (ValidationError, PermissionDenied, Http404) to their answers
    "EXCEPTION_HANDLER": "silon.errors.api_exception_handler",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "silon.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="600/min"),
        # login POSTs per client address, whatever the username (silon.throttling.LoginRateThrottle)
        "login": env.str("LOGIN_RATE", default="20/min"),
        # uploads per user, page and API together (silon.throttling)
        "support_upload": env.str("SUPPORT_UPLOAD_RATE", default="30/hour"),
        "candidacy_document": env.str("CANDIDACY_DOCUMENT_RATE", default="120/hour"),
        "election_import": env.str("ELECTION_IMPORT_RATE", default="30/hour"),
        "team_register": env.str("TEAM_REGISTER_RATE", default="10/hour"),
        # the public self-check per client address and per NIK (its keyed hash), and objections per address
        "public_check": env.str("PUBLIC_CHECK_RATE", default="30/hour"),
        "public_check_nik": env.str("PUBLIC_CHECK_NIK_RATE", default="10/hour"),
        "objection_file": env.str("OBJECTION_FILE_RATE", default="10/hour"),
        "public_response": env.str("PUBLIC_RESPONSE_RATE", default="10/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SILON API",
    "DESCRIPTION": "Sistem Informasi Pencalonan: elections, candidate pairs, regions and independent support.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- i18n -----------------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Files on this host's disk, or (MEDIA_STORAGE=s3) in S3-compatible object storage that every web and worker host
# shares (django-storages; README "Scaling"). Settings S3_BUCKET_NAME, S3_ENDPOINT_URL, S3_ACCESS_KEY, S3_SECRET_KEY.
STORAGES = storages_config(debug=DEBUG, media=env.str("MEDIA_STORAGE", default="filesystem"), s3={
    "bucket_name": env.str("S3_BUCKET_NAME", default=""), "endpoint_url": env.str("S3_ENDPOINT_URL", default=""),
    "access_key": env.str("S3_ACCESS_KEY", default=""), "secret_key": env.str("S3_SECRET_KEY", default=""),
    "region_name": env.str("S3_REGION_NAME", default="")})  # fmt: skip
# Uploads of supporter files go to disk as they stream in, never into memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
SUPPORT_UPLOAD_MAX_BYTES = env.int("SUPPORT_UPLOAD_MAX_BYTES", default=1024 * 1024 * 1024)
# Resumable uploads (tus, support_uploads.services.resumable): chunks of at most this many bytes (413 beyond); an
# unfinished upload expires, its partial bytes (private, under MEDIA_ROOT) removed by beat's 15-minute sweep.
SUPPORT_RESUMABLE_CHUNK_MAX_BYTES = env.int("SUPPORT_RESUMABLE_CHUNK_MAX_BYTES", default=8 * 1024 * 1024)
SUPPORT_RESUMABLE_EXPIRE_HOURS = env.int("SUPPORT_RESUMABLE_EXPIRE_HOURS", default=24)
# Rows one supporter file may hold (a pair may upload several files); docs/domain.md §8 designs for 2.5M per pair.
SUPPORT_UPLOAD_MAX_ROWS = env.int("SUPPORT_UPLOAD_MAX_ROWS", default=2_500_000)
# The address space (bytes, RLIMIT_AS) of the child process that reads one upload (support_uploads.reading.bounded):
# a read that needs more is refused (MEMORY_LIMIT) and the worker never holds the file. Sized for the largest
# honest file, SUPPORT_UPLOAD_MAX_ROWS rows (SECURITY.md "Memory bounds"). 0 reads in the worker's own process.
SUPPORT_UPLOAD_READ_MEMORY_BYTES = env.int("SUPPORT_UPLOAD_READ_MEMORY_BYTES", default=6 * 1024 * 1024 * 1024)
# Queued or running this long, held by no live worker: queued again by the backstop sweep (support_uploads.tasks).
SUPPORT_UPLOAD_STALE_MINUTES = env.int("SUPPORT_UPLOAD_STALE_MINUTES", default=30)
# Lost jobs (issue #18, README "Scaling"): heartbeat, stale bounds, sweep period (support_uploads.services.sweep).
SUPPORT_UPLOAD_HEARTBEAT_SECONDS = env.int("SUPPORT_UPLOAD_HEARTBEAT_SECONDS", default=15)
SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS = env.int("SUPPORT_UPLOAD_HEARTBEAT_STALE_SECONDS", default=60)
SUPPORT_UPLOAD_QUEUED_STALE_SECONDS = env.int("SUPPORT_UPLOAD_QUEUED_STALE_SECONDS", default=60)
SUPPORT_UPLOAD_SWEEP_SECONDS = env.int("SUPPORT_UPLOAD_SWEEP_SECONDS", default=30)
# Health probes (issue #18): their period, and the failure span proposed to KPU operators as an outage.
HEALTH_PROBE_SECONDS = env.int("HEALTH_PROBE_SECONDS", default=60)
OUTAGE_PROPOSE_MINUTES = env.int("OUTAGE_PROPOSE_MINUTES", default=10)
# A file received before the submission window's end but checked after it: the pair may submit this long after.
SUPPORT_SUBMIT_GRACE_MINUTES = env.int("SUPPORT_SUBMIT_GRACE_MINUTES", default=60)
# Runs of one upload's validation that may die unfinished (worker killed, out of memory, hard time limit) before
# it ends FAILED with a retryable fault; the LO can then have it checked again (services.upload_retry).
SUPPORT_UPLOAD_MAX_ATTEMPTS = env.int("SUPPORT_UPLOAD_MAX_ATTEMPTS", default=3)
# Polling days and stage dates an operator may set: SCHEDULE_YEARS_BACK before today to SCHEDULE_YEARS_AHEAD after
# (candidacy.services.stages.plausible_range); a typo such as 9999-12-31 (LO accounts alive for ever) is refused.
SCHEDULE_YEARS_BACK = env.int("SCHEDULE_YEARS_BACK", default=1)
SCHEDULE_YEARS_AHEAD = env.int("SCHEDULE_YEARS_AHEAD", default=10)
DOCUMENT_UPLOAD_MAX_BYTES = env.int("DOCUMENT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
PUBLIC_RESPONSE_MAX_BYTES = env.int("PUBLIC_RESPONSE_MAX_BYTES", default=5 * 1024 * 1024)  # evidence, from anyone
# One PDF of scanned KTP copies of the supporters of one desa/kelurahan (a few hundred pages).
SUPPORT_SCAN_MAX_BYTES = env.int("SUPPORT_SCAN_MAX_BYTES", default=200 * 1024 * 1024)

# --- Security -------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Logging: personal data is masked before any handler sees it (silon.settings_blocks) ----------
LOGGING = logging_config(level=env.str("LOG_LEVEL", default="INFO"))

# --- Periodic tasks (celery beat; silon.settings_blocks) -------------------------------------------
CELERY_BEAT_SCHEDULE = beat_schedule(
    health_probe_seconds=HEALTH_PROBE_SECONDS, sweep_seconds=SUPPORT_UPLOAD_SWEEP_SECONDS
)
