"""`make` refuses an unsupported Python at once, with a clear message, before it creates the virtualenv."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# A stand-in interpreter reporting another version: it runs ``-c`` code with that version and refuses anything
# else, so that reaching the next step of the recipe (``-m venv``) shows the check let it through.
STAND_IN = """#!{python}
import sys
sys.version_info = {version!r}
if sys.argv[1:2] == ["-c"]:
    exec(sys.argv[2])
else:
    sys.exit("stand-in called with %r" % sys.argv[1:])
"""


def _make_setup(tmp_path: Path, version: tuple) -> subprocess.CompletedProcess:
    if shutil.which("make") is None:
        pytest.skip("needs make")
    python = tmp_path / "python"
    python.write_text(STAND_IN.format(python=sys.executable, version=version))
    python.chmod(0o755)
    return subprocess.run(
        ["make", "--no-print-directory", "setup", f"PYTHON={python}", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_python_below_3_11_is_refused_before_the_venv_exists(tmp_path):
    out = _make_setup(tmp_path, (3, 10, 14, "final", 0))
    assert out.returncode != 0
    assert "SILON needs Python 3.11 or newer" in out.stderr and "is 3.10" in out.stderr
    assert "stand-in called" not in out.stderr  # refused by the check, not by a later step
    assert not (tmp_path / "venv").exists()


def test_python_3_11_passes_the_check(tmp_path):
    out = _make_setup(tmp_path, (3, 11, 0, "final", 0))
    assert "SILON needs Python" not in out.stderr
    assert "stand-in called with ['-m', 'venv'" in out.stderr  # the recipe went on to create the venv


def test_a_missing_interpreter_is_named(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("needs make")
    missing = tmp_path / "no-such-python"
    out = subprocess.run(
        ["make", "--no-print-directory", "setup", f"PYTHON={missing}", f"VENV={tmp_path / 'venv'}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert f"{missing} not found" in out.stderr
    assert not (tmp_path / "venv").exists()
