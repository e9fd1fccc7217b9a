"""The image carries only what it needs: the build context (what ``COPY . .`` takes, after .dockerignore) holds
the application and none of the secrets, version control, virtualenvs, databases, media or caches a working
copy has."""

import shutil
import subprocess

import pytest

from .layout import ROOT, build_context, is_ignored, read_dockerignore

# What a working copy may hold that must never reach the image.
KEPT_OUT = [
    ".env",
    ".env.production",
    "silon/.env",
    ".git/HEAD",
    ".git/objects/ab/cdef",
    ".venv/bin/python",
    "venv/lib/site.py",
    "db.sqlite3",
    "db.sqlite3-wal",
    "db.sqlite3-shm",
    "bench/out/bench.sqlite3",
    "media/support_uploads/2026/pendukung.xlsx",
    "media/candidacy/documents/ktp.pdf",
    "staticfiles/css/silon.4f2a.css",
    "test-artifacts/celery-worker.log",
    "silon/__pycache__/settings.cpython-311.pyc",
    "portal/templatetags/__pycache__/x.pyc",
    "stray.pyc",
    ".pytest_cache/v/cache/nodeids",
    ".ruff_cache/0.17.6/123",
    ".hypothesis/examples/x",
    "silon.egg-info/PKG-INFO",
    "certs/privkey.pem",
    "certs/fullchain.pem",
    "server.key",
    "tests/conftest.py",
    "bench/__main__.py",
    "docs/STATUS.md",
    ".ci/run",
    "deploy/nginx/templates/default.conf.template",
    "docker-compose.yml",
    "Makefile",
    "requirements-dev.txt",
]
# What the image needs.
KEPT_IN = [
    "manage.py",
    "requirements.txt",
    "silon/settings.py",
    "silon/accounts/models.py",
    "candidacy/migrations/0001_initial.py",
    "templates/base.html",
    "static/css/silon.css",
    "static/vendor/htmx.min.js",
    "locale/en/LC_MESSAGES/django.mo",
]


def test_dockerignore_keeps_secrets_vcs_venvs_databases_media_and_caches_out(tmp_path):
    shutil.copy(ROOT / ".dockerignore", tmp_path / ".dockerignore")
    for relative in KEPT_OUT + KEPT_IN:
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / "linked-venv").symlink_to(tmp_path / ".venv", target_is_directory=True)
    (tmp_path / ".venv-link").symlink_to(tmp_path / ".venv")
    context = build_context(tmp_path)
    leaked = sorted(set(context) & set(KEPT_OUT))
    assert not leaked, f"would be sent to the image: {leaked}"
    assert set(KEPT_IN) <= set(context)
    assert set(context) - set(KEPT_IN) == {"linked-venv", ".venv-link"}  # a link is sent as a link


def test_the_pattern_rules_are_dockers():
    """Spot checks of the matcher itself against Docker's documented behaviour."""
    patterns = read_dockerignore(ROOT / ".dockerignore")
    assert is_ignored("media", patterns) and is_ignored("media/a/b.xlsx", patterns)  # a directory, whole
    assert is_ignored("a/b/__pycache__/c.pyc", patterns)  # ** spans directories
    assert not is_ignored("mediax/a", patterns) and not is_ignored("silon/media.py", patterns)
    assert is_ignored("x.sqlite3", patterns) and is_ignored("deep/x.sqlite3", patterns)


def test_the_working_copys_build_context_is_the_tracked_application_only():
    """The real context of this working copy: no file git does not know (a local secret, a dump, a generated
    file) and nothing outside the application, and every tracked application file."""
    if shutil.which("git") is None:
        pytest.skip("needs git")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
    tracked_files = {path for path in tracked.stdout.split("\0") if path}
    context = set(build_context(ROOT))
    patterns = read_dockerignore(ROOT / ".dockerignore")
    untracked = sorted(path for path in context - tracked_files if not (ROOT / path).is_symlink())
    assert not untracked, f"untracked files would be sent to the image (add them to .dockerignore): {untracked}"
    expected = {path for path in tracked_files if not is_ignored(path, patterns)}
    assert expected <= context
    assert {"manage.py", "requirements.txt", "silon/wsgi.py", "silon/healthcheck.py"} <= context
    assert not any(path.split("/")[0] in {"tests", "bench", "docs", ".ci", "deploy"} for path in context)
    size = sum((ROOT / path).stat().st_size for path in context if not (ROOT / path).is_symlink())
    assert size < 20 * 1024 * 1024, f"build context {size / 1e6:.1f} MB"
