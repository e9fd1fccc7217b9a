"""The English catalog covers every user-facing string: a string added without its translation, a fuzzy
entry, or a catalog compiled from an older .po fails here instead of showing Indonesian on English pages."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "locale" / "en" / "LC_MESSAGES"
SKIP = {".git", ".venv", "media", "staticfiles", "node_modules", "__pycache__", "out", "test-artifacts"}

pytestmark = pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext tools (xgettext) not installed")


def _entries(po: Path, *flags: str) -> str:
    """The entries of ``po`` that ``msgattrib`` selects with ``flags`` (empty when none)."""
    return subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(po)], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the project with its catalogs re-extracted from the code (as `make messages` does)."""
    copy = tmp_path_factory.mktemp("catalog") / "silon"
    shutil.copytree(ROOT, copy, ignore=lambda _dir, names: [n for n in names if n in SKIP])
    for domain, ignores in (("django", ["tests", "bench"]), ("djangojs", ["static/vendor"])):
        args = [sys.executable, "manage.py", "makemessages", "-l", "en", "-d", domain, "--ignore=.venv"]
        subprocess.run(args + [f"--ignore={i}" for i in ignores], cwd=copy, check=True, capture_output=True, text=True)
    return copy / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_string_in_the_code_is_translated(extracted, domain):
    po = extracted / f"{domain}.po"
    if not po.exists():
        pytest.skip(f"no {domain} strings")
    assert _entries(po, "--untranslated") == "", f"untranslated {domain} strings: run `make messages`"
    assert _entries(po, "--only-fuzzy") == "", f"fuzzy {domain} strings: review them in locale/"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalog_matches_the_po(tmp_path, domain):
    po = CATALOG / f"{domain}.po"
    if not po.exists():
        pytest.skip(f"no {domain} catalog")
    fresh = tmp_path / f"{domain}.mo"
    # -c: every translation keeps its msgid's placeholders (an English plural once read "Y" / "o")
    subprocess.run(["msgfmt", "-c", "-o", str(fresh), str(po)], check=True)
    with open(fresh, "rb") as a, open(CATALOG / f"{domain}.mo", "rb") as b:
        assert gettext.GNUTranslations(b)._catalog == gettext.GNUTranslations(a)._catalog, "run compilemessages"
